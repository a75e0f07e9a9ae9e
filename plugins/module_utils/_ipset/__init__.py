# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: ipset knowledge and client (set types, members). Not a public API."""
