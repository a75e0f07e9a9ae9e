#!/usr/bin/python
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Create, converge and delete nftables sets and maps over netlink."""

from __future__ import annotations

DOCUMENTATION = r"""
module: nft_set
short_description: Manage nftables sets and maps over netlink
version_added: 0.1.0
description:
  - Creates, converges and deletes a named set or map in an nftables table by talking to the
    kernel over nfnetlink, as C(nft) does, without needing C(nft) or any library on the host.
  - The set is written the way C(nft) writes it (key byte order, C(auto-merge), comments in
    the set's user data), so C(nft list) shows it as if C(nft) had created it.
  - The kernel cannot change any option of a live set. When an existing set differs from
    what is declared, it is deleted and created again with its elements, in one transaction
    (rules never see it missing or empty). A set that a rule references cannot be deleted;
    the task then fails naming the rules, and nothing is changed.
  - Use M(linux.netlink.nft_set_element) for the elements of a set.
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.nftables
  - linux.netlink.attributes
options:
  name:
    description: The set's name.
    type: str
    required: true
  state:
    description:
      - V(present) creates the set or converges it to the options given.
      - V(absent) deletes it (with its elements). A set a rule references is not deleted;
        the task fails with the rules that use it.
    type: str
    choices: [present, absent]
    default: present
  type:
    description:
      - The key type, an nft datatype (V(ipv4_addr), V(ipv6_addr), V(ether_addr),
        V(inet_proto), V(inet_service), V(mark), V(ifname)) or a concatenation of them such as
        V(ipv4_addr . inet_service). Required with O(state=present).
    type: str
  map:
    description:
      - Makes a map, with values of this type, a datatype as for O(type), or V(verdict)
        for a verdict map (V(accept), V(drop), V(jump chain), ...).
    type: str
  flags:
    description:
      - V(interval) for prefixes and ranges (keys of an ordered type, and concatenations
        whose fields of an ordered type each take a prefix or range),
        V(timeout) for elements that expire, V(constant) for a set whose elements never
        change once it is used by a rule, V(dynamic) for a set rules may add to.
    type: list
    elements: str
    choices: [interval, timeout, constant, dynamic]
  timeout:
    description:
      - Default lifetime of elements, in seconds or nft syntax (V(1h30m), V(10s)). Implies
        the V(timeout) flag.
    type: str
  gc_interval:
    description: How often the kernel removes expired elements (seconds or nft syntax).
    type: str
  size:
    description: The maximum number of elements.
    type: int
  policy:
    description: What the kernel optimises the set for.
    type: str
    choices: [performance, memory]
  auto_merge:
    description:
      - For interval sets, merge overlapping and adjacent intervals when elements are added
        (as C(nft) does with C(auto-merge)); without it an overlap is refused.
      - Not for a concatenated key, whose ranges the kernel keeps as given.
    type: bool
  counter:
    description:
      - Give every element a packet and byte counter (C(counter) in an nft set declaration),
        which rules that look the element up count into. The values are read by
        M(linux.netlink.nft_set_info), never compared.
      - For a counter on some elements only, use C(counter) on those elements in
        M(linux.netlink.nft_set_element).
    type: bool
  comment:
    description: A comment on the set (at most 128 bytes).
    type: str
  create_table:
    description: Create the table when it does not exist. Without it, a missing table fails.
    type: bool
    default: false
notes:
  - Needs C(CAP_NET_ADMIN) (run with become).
  - Options not given are not compared with an existing set.
  - A recreated set keeps its elements, their comments and their timeouts; counters start
    again from zero and timeouts run again in full.
  - The ruleset generation is read first and sent with the change, so a change by C(nft),
    firewalld or another run in between makes the task fail cleanly, with nothing applied.
  - Don't manage sets inside a table another service owns (firewalld's C(inet firewalld));
    that service rebuilds its table and drops them.
seealso:
  - module: linux.netlink.nft_set_element
  - module: linux.netlink.nft_set_info
  - name: nft(8)
    description: The reference tool's manual (sets, maps, datatypes).
    link: https://www.netfilter.org/projects/nftables/manpage.html
author:
  - Linux Netlink Contributors (@linux-netlink)
"""

EXAMPLES = r"""
- name: A blocklist of networks, merged as nft's auto-merge does
  linux.netlink.nft_set:
    family: inet
    table: filter
    name: blocklist
    type: ipv4_addr
    flags: [interval]
    auto_merge: true
    comment: managed by Ansible
    create_table: true
  become: true

- name: A verdict map by port
  linux.netlink.nft_set:
    table: filter
    name: port_policy
    type: inet_service
    map: verdict
  become: true

- name: Address and port pairs that expire after an hour
  linux.netlink.nft_set:
    table: filter
    name: pinholes
    type: ipv4_addr . inet_service
    timeout: 1h
    counter: true
  become: true

- name: Gone
  linux.netlink.nft_set:
    table: filter
    name: pinholes
    state: absent
  become: true
"""

RETURN = r"""
set:
  description: The set as the kernel holds it afterwards (as predicted, in check mode).
  returned: when the set exists afterwards
  type: dict
  sample:
    family: inet
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
    comment: managed by Ansible
drift:
  description: The options an existing set differed in (it was recreated for them).
  returned: always
  type: list
  elements: str
  sample: [size, comment]
recreated_with:
  description: How many elements were carried into the recreated set.
  returned: when the set was recreated with elements
  type: int
  sample: 12
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables import manage, plan
from ansible_collections.linux.netlink.plugins.module_utils._nftables.client import NftClient

OPTIONS = {
    "type": {"type": "str"},
    "map": {"type": "str"},
    "flags": {"type": "list", "elements": "str",
              "choices": ["interval", "timeout", "constant", "dynamic"]},
    "timeout": {"type": "str"},
    "gc_interval": {"type": "str"},
    "size": {"type": "int"},
    "policy": {"type": "str", "choices": ["performance", "memory"]},
    "auto_merge": {"type": "bool"},
    "counter": {"type": "bool"},
    "comment": {"type": "str"},
}


def run(module: AnsibleModule) -> dict:
    params = module.params
    family, table, name = params["family"], params["table"], params["name"]
    desired = None
    given = [option for option in OPTIONS if params[option] is not None]
    if params["state"] == "present":
        desired = plan.set_spec(params)
    with NftClient(netns=params["netns"]) as client:
        return manage.ensure_set(client, desired, family, table, name, params["state"],
                                 params["create_table"], module.check_mode, given)


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            **manage.TABLE_SPEC,
            name={"type": "str", "required": True},
            state={"type": "str", "default": "present", "choices": ["present", "absent"]},
            create_table={"type": "bool", "default": False},
            **OPTIONS,
        ),
        required_if=[("state", "present", ["type"])],
        supports_check_mode=True,
    )
    run_module(module, lambda: run(module))


if __name__ == "__main__":
    main()
