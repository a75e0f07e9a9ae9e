# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: ipset over nfnetlink. Not a public API."""
