# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: nl80211 knowledge (802.11 elements, channels). Not a public API."""
