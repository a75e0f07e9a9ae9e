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
"""

RETURN = r"""
sets:
  description: The sets, by name.
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
types:
  description:
    - Per set type, C(revision_min) and C(revision_max) the kernel supports, or
      C(supported=false).
  returned: when O(types=true)
  type: dict
  sample: {"hash:ip": {supported: true, revision_min: 0, revision_max: 6},
           "hash:mac": {supported: false}}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    FAILURES,
    argument_spec,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset import sets
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import IpsetClient


def gather(client: IpsetClient, names: list, members: bool, types: bool) -> dict:
    found = {}
    missing = []
    if names:
        for name in names:
            info = client.get(sets.check_name(name), members)
            if info is None:
                missing.append(name)
            else:
                found[name] = sets.describe(info, members)
    else:
        found = {info.name: sets.describe(info, members) for info in client.list(None, members)}
    result = {"changed": False, "sets": found, "missing": missing, "protocol": client.protocol}
    if types:
        result["types"] = sets.kernel_types(client)
    return result


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            names={"type": "list", "elements": "str", "default": [], "aliases": ["name"]},
            members={"type": "bool", "default": False},
            types={"type": "bool", "default": True},
        ),
        supports_check_mode=True,
    )
    params = module.params
    try:
        with IpsetClient(netns=params["netns"]) as client:
            result = gather(client, params["names"], params["members"], params["types"])
    except FAILURES as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
