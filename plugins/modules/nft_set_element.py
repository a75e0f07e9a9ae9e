#!/usr/bin/python
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keep the elements of an nftables set or map as declared, over netlink."""

from __future__ import annotations

DOCUMENTATION = r"""
module: nft_set_element
short_description: Manage the elements of nftables sets and maps over netlink
version_added: 0.1.0
description:
  - Adds, removes or replaces elements of an existing nftables set or map by talking to the
    kernel over nfnetlink, without needing C(nft) on the host.
  - Every change is one transaction. With O(state=exact) the elements that go and the ones
    that come are swapped at once, so a rule using the set never sees it empty or half
    filled.
  - The ruleset generation is read before planning and sent with the change. When C(nft),
    firewalld or another run changes the ruleset in between, the kernel refuses the whole
    change and the task fails with nothing applied.
  - Every element is checked before anything is sent; an element that does not fit the key
    type, or an interval that overlaps another in a set without
    O(linux.netlink.nft_set#module:auto_merge), fails the task naming it.
  - In interval sets, prefixes and ranges are stored as the kernel stores them. With
    C(auto_merge), overlapping and adjacent intervals are merged; O(state=absent) cuts an
    interval out of the ones that hold it, splitting them. A second run changes nothing.
  - In interval sets with a concatenated key, each field is a value, prefix or range
    (V(10.0.0.0/8 . 80-90)). The kernel keeps each such element whole from its first to its
    last key, so elements are added, replaced and removed whole; two that share a key (one
    declared and one in the set, or both declared) fail the task naming both, and so does
    removing a part of an element.
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.nftables
  - linux.netlink.attributes
options:
  set:
    description: The set or map.
    type: str
    required: true
    aliases: [name]
  elements:
    description:
      - >-
        The elements, each a string in nft syntax (V(192.0.2.1), V(10.0.0.0/8),
        V(10.0.0.1-10.0.0.9), V(192.0.2.1 . 443), V(10.0.0.0/8 . 80-90) in an interval set
        with a concatenated key, V(22 : accept) for a map, V(192.0.2.1 counter) for an element
        with a counter of its own) or a dictionary
        with C(key), C(value) (map data), C(timeout) (seconds or nft syntax such as V(10m)),
        C(comment), C(counter) (V(true) gives the element a packet and byte counter of its
        own; in a set with O(linux.netlink.nft_set#module:counter) every element has one).
    type: list
    elements: raw
    default: []
  elements_file:
    description:
      - A file on the managed host with one element per line in nft syntax (blank lines and
        C(#) comments are skipped), used together with O(elements).
    type: path
  state:
    description:
      - V(present) adds the elements (replacing an element with other data, timeout or
        comment), V(absent) removes them, V(exact) makes them the set's only elements.
    type: str
    choices: [present, absent, exact]
    default: present
notes:
  - Needs C(CAP_NET_ADMIN) (run with become).
  - Counters compare by presence only, never by value. An element declared with C(counter)
    that has none in the set (or one that has its own counter, declared without) is replaced
    in the same transaction, and its counter starts from zero. In a set with a counter every
    element has one, so C(counter) on an element changes nothing there.
  - An element whose timeout ran out is gone and is added again.
  - Elements a rule adds from the packet path (dynamic sets) do not move the generation, so
    they are not detected as a concurrent change.
seealso:
  - module: linux.netlink.nft_set
  - module: linux.netlink.nft_set_info
author:
  - Linux Netlink Contributors (@linux-netlink)
"""

EXAMPLES = r"""
- name: Exactly these networks in the blocklist (one transaction)
  linux.netlink.nft_set_element:
    table: filter
    set: blocklist
    elements:
      - 192.0.2.0/24
      - 198.51.100.7
      - 203.0.113.10-203.0.113.20
    state: exact
  become: true

- name: From a file, kept exactly
  linux.netlink.nft_set_element:
    table: filter
    set: blocklist
    elements_file: /etc/blocklist.txt
    state: exact
  become: true

- name: Map entries with timeouts and comments
  linux.netlink.nft_set_element:
    table: filter
    set: port_policy
    elements:
      - "22 : accept"
      - {key: 8080, value: drop, timeout: 1h, comment: until the fix}
  become: true

- name: Networks and the ports they may reach, one pair with a counter of its own
  linux.netlink.nft_set_element:
    table: filter
    set: allowed
    elements:
      - 10.0.0.0/8 . 80-90
      - {key: 192.0.2.1 . ssh, counter: true}
    state: exact
  become: true

- name: Let one address out of the blocklist (splits the interval holding it)
  linux.netlink.nft_set_element:
    table: filter
    set: blocklist
    elements: [192.0.2.99]
    state: absent
  become: true
"""

RETURN = r"""
added:
  description: The elements added, in nft syntax.
  returned: always
  type: list
  elements: str
  sample: ["192.0.2.0/24"]
removed:
  description: The elements removed, in nft syntax.
  returned: always
  type: list
  elements: str
  sample: ["192.0.2.0/23"]
set:
  description: The set the elements belong to.
  returned: always
  type: dict
  sample: {family: inet, table: filter, name: blocklist, kind: set, type: ipv4_addr,
           flags: [interval]}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables import manage, plan
from ansible_collections.linux.netlink.plugins.module_utils._nftables.client import NftClient


def run(module: AnsibleModule) -> dict:
    params = module.params
    items = list(params["elements"])
    if params["elements_file"]:
        items.extend(plan.read_elements_file(params["elements_file"]))
    with NftClient(netns=params["netns"]) as client:
        return manage.ensure_elements(client, params["family"], params["table"], params["set"],
                                      items, params["state"], module.check_mode, module._diff)


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            **manage.TABLE_SPEC,
            set={"type": "str", "required": True, "aliases": ["name"]},
            elements={"type": "list", "elements": "raw", "default": []},
            elements_file={"type": "path"},
            state={"type": "str", "default": "present",
                   "choices": ["present", "absent", "exact"]},
        ),
        supports_check_mode=True,
    )
    run_module(module, lambda: run(module))


if __name__ == "__main__":
    main()
