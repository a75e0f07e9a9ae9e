# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the netlink stack (transport, codec, families). Not a public API."""
