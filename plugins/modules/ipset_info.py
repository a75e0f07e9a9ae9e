#!/usr/bin/python
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Report ipsets and what the kernel supports, over netlink."""

from __future__ import annotations

DOCUMENTATION = r"""
module: ipset_info
short_description: Report ipsets, their members, and the kernel's ipset support
version_added: 0.1.0
description:
  - Lists IP sets of the running kernel over nfnetlink, read only. For each set it gives the
    type, family, revision,
    every create option, references, memory, entry count, and optionally the members in
    C(ipset save) syntax.
  - Also reports the kernel's ipset protocol version and, per set type, the revisions it
    supports (or that it lacks the type).
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.attributes.info
options:
  names:
    description: Only these sets. A set that does not exist is reported in RV(missing).
    type: list
    elements: str
    default: []
    aliases: [name]
  members:
    description: Also return the members of each set.
    type: bool
    default: false
  types:
    description: Also report which set types and revisions the kernel supports.
    type: bool
    default: true
  test:
    description:
      - Entries to test in the one set named in O(names), as C(ipset test) does; the
        kernel decides each match (C(IPSET_CMD_TEST)), so a host matches a network of a
        C(hash:net) set, an entry marked C(nomatch) does not match, and an expired member
        does not either. Results are in RV(test_results).
      - Same syntax as O(linux.netlink.ipset_entry#module:entries), IPv4 short forms
        included. An entry that stands for several members (a range, a network where the
        set stores hosts) matches when every one of them does. Extensions (timeout,
        comment...) are not part of a test and are ignored.
      - A bad entry fails the task, naming it, before anything is asked of the kernel.
    type: list
    elements: raw
notes:
  - Listing sets needs C(CAP_NET_ADMIN), as it does for C(ipset list).
seealso:
  - module: linux.netlink.ipset
  - module: linux.netlink.ipset_entry
author:
  - Linux Netlink Contributors (@linux-netlink)
"""

EXAMPLES = r"""
- name: All sets, without members
  linux.netlink.ipset_info:
  register: ipsets
  become: true

- name: The members of one set
  linux.netlink.ipset_info:
    names: [blocklist]
    members: true
  register: blocklist

- name: Show them
  ansible.builtin.debug:
    var: blocklist.sets.blocklist.members

- name: Is 10.2.3.4 blocked? (the kernel decides, as with ipset test)
  linux.netlink.ipset_info:
    names: [blocklist]
    test: [10.2.3.4, "192.0.2.0/24"]
    types: false
  register: probe

- name: Assert it
  ansible.builtin.assert:
    that: probe.test_results[0].match
"""

RETURN = r"""
sets:
  description:
    - The sets, by name.
    - Each carries C(index), its index in the kernel (C(IPSET_CMD_GET_BYNAME)), by which
      firewall rules refer to it; a rename or a swap keeps it with the name.
  returned: always
  type: dict
  sample:
    blocklist:
      name: blocklist
      type: hash:net
      family: inet
      revision: 7
      options: {timeout: 86400, comment: true, counters: false, skbinfo: false,
                forceadd: false, hashsize: 1024, maxelem: 65536, bucketsize: 12,
                initval: "0x8a3c1f02"}
      references: 1
      memsize: 1240
      entries: 2
      index: 0
      members: ["198.51.100.0/24 timeout 86390", "203.0.113.7 timeout 86390"]
missing:
  description: Names asked for in O(names) that are not sets.
  returned: always
  type: list
  elements: str
  sample: []
protocol:
  description: The ipset netlink protocol version the kernel speaks with this collection.
  returned: always
  type: int
  sample: 7
test_results:
  description:
    - One item per entry of O(test), in order, with C(entry) as given and C(match) as the
      kernel answered.
  returned: when O(test) is given
  type: list
  elements: dict
  sample: [{entry: 10.2.3.4, match: true}, {entry: 192.0.2.0/24, match: false}]
types:
  description:
    - Per set type, C(revision_min) and C(revision_max) the kernel supports, or
      C(supported=false).
  returned: when O(types=true)
  type: dict
  sample: {"hash:ip": {supported: true, revision_min: 0, revision_max: 6},
           "hash:mac": {supported: false}}
"""

from typing import Optional

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset import planner, sets, swap
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import IpsetClient
from ansible_collections.linux.netlink.plugins.module_utils._ipset.typetable import IpsetInputError


def gather(
    client: IpsetClient, names: list, members: bool, types: bool, test: Optional[list] = None
) -> dict:
    if test is not None and len(names) != 1:
        raise IpsetInputError("test needs exactly one set in names, got %d" % len(names))
    found = {}
    missing = []
    infos = {}
    if names:
        for name in names:
            info = client.get(swap.check_name(name), members or test is not None)
            if info is None:
                missing.append(name)
            else:
                infos[name] = info
    else:
        infos = {info.name: info for info in client.list(None, members)}
    for name, info in infos.items():
        found[name] = sets.describe(info, members)
        found[name]["index"] = client.index(info.name)
    result = {"changed": False, "sets": found, "missing": missing, "protocol": client.protocol}
    if test is not None:
        if missing:
            raise IpsetInputError("test: set %r does not exist" % missing[0])
        result["test_results"] = planner.match_entries(client, infos[names[0]], test)
    if types:
        result["types"] = sets.kernel_types(client)
    return result


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            names={"type": "list", "elements": "str", "default": [], "aliases": ["name"]},
            members={"type": "bool", "default": False},
            types={"type": "bool", "default": True},
            test={"type": "list", "elements": "raw"},
        ),
        supports_check_mode=True,
    )
    params = module.params
    run_module(
        module,
        lambda client: gather(
            client, params["names"], params["members"], params["types"], params["test"]
        ),
        IpsetClient,
    )


if __name__ == "__main__":
    main()
