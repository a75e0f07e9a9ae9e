#!/usr/bin/python
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Report nftables tables, sets, maps and their elements, over netlink."""

from __future__ import annotations

DOCUMENTATION = r"""
module: nft_set_info
short_description: Report nftables tables, sets, maps and elements
version_added: 0.1.0
description:
  - Lists the nftables tables and the named sets and maps in them over nfnetlink, read only,
    without needing C(nft) on the host. Each set is given as data and in nft syntax, and
    optionally with its elements.
  - Sets with key or data types this collection does not manage are listed by name with
    C(supported=false).
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.attributes.info
options:
  family:
    description: Only tables of this family.
    type: str
    choices: [arp, bridge, inet, ip, ip6, netdev]
  table:
    description: Only this table.
    type: str
  names:
    description: Only these sets.
    type: list
    elements: str
    default: []
    aliases: [name]
  elements:
    description: Also return the elements of each set.
    type: bool
    default: false
notes:
  - Listing needs C(CAP_NET_ADMIN), as it does for C(nft list).
seealso:
  - module: linux.netlink.nft_set
  - module: linux.netlink.nft_set_element
author:
  - Linux Netlink Contributors (@linux-netlink)
"""

EXAMPLES = r"""
- name: The sets of one table, with their elements
  linux.netlink.nft_set_info:
    family: inet
    table: filter
    elements: true
  register: nft
  become: true

- name: Show the blocklist as nft would
  ansible.builtin.debug:
    msg: "{{ (nft.sets | selectattr('name', '==', 'blocklist') | first).nft }}"
"""

RETURN = r"""
tables:
  description: The tables (family and name).
  returned: always
  type: list
  elements: dict
  sample: [{family: inet, name: filter}]
sets:
  description:
    - The sets and maps, each with its options, C(nft) (the set in nft syntax) and, with
      O(elements=true), C(elements) (nft syntax) and C(element_data) (key, value, timeout,
      expires, comment, and C(counter) with C(packets) and C(bytes) for an element that has a
      counter, its own or the set's).
  returned: always
  type: list
  elements: dict
  sample:
    - family: inet
      table: filter
      name: blocklist
      kind: set
      type: ipv4_addr
      flags: [interval]
      timeout: 0
      gc_interval: 0
      size: 0
      policy: performance
      auto_merge: true
      counter: false
      comment: ""
      supported: true
      elements: ["192.0.2.0/24"]
      element_data: [{key: 192.0.2.0/24, counter: {packets: 12, bytes: 1008}}]
      nft: "set blocklist {\n\ttype ipv4_addr\n\tflags interval\n\tauto-merge\n\telements = {
        192.0.2.0/24 }\n}"
genid:
  description: The ruleset generation the listing was read at.
  returned: always
  type: int
  sample: 42
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables import manage
from ansible_collections.linux.netlink.plugins.module_utils._nftables.client import (
    FAMILIES,
    NftClient,
)


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            family={"type": "str", "choices": sorted(FAMILIES)},
            table={"type": "str"},
            names={"type": "list", "elements": "str", "default": [], "aliases": ["name"]},
            elements={"type": "bool", "default": False},
        ),
        supports_check_mode=True,
    )
    params = module.params
    run_module(
        module,
        lambda client: manage.gather(client, params["family"] or "", params["table"] or "",
                                     params["names"], params["elements"]),
        NftClient,
    )  # fmt: skip


if __name__ == "__main__":
    main()
