# SPDX-License-Identifier: GPL-3.0-or-later
"""The options that address an nftables table, shared by the nft_set modules."""
from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  family:
    description: The table's family.
    type: str
    choices: [arp, bridge, inet, ip, ip6, netdev]
    default: inet
  table:
    description: The table that holds the set.
    type: str
    required: true
"""
