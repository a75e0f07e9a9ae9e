#!/usr/bin/python
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Create, converge and destroy ipsets over netlink."""

from __future__ import annotations

DOCUMENTATION = r"""
module: ipset
short_description: Manage ipsets (the sets themselves) over netlink
version_added: 0.1.0
description:
  - Creates, converges and destroys IP sets in the running kernel by talking to it over
    nfnetlink, as the C(ipset) tool does, without needing that tool or any library on the host.
  - Every kernel set type and create option is supported. The type revision is the newest
    one the running kernel and this collection both know; an option the kernel cannot do
    fails with a message that says so.
  - The kernel cannot change a set's options in place. When an existing set differs from
    what is declared, a new set is built beside it, filled with the old members, and swapped
    in atomically, so firewall rules that reference the set keep working and never see it
    half filled. Values the kernel chooses itself (C(initval), and C(hashsize), C(maxelem),
    C(bucketsize) when not given) are not a difference.
  - Use M(linux.netlink.ipset_entry) for the members of a set.
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.attributes
options:
  name:
    description: Name of the set, 1 to 31 bytes.
    type: str
    required: true
  state:
    description:
      - V(present) creates the set, or converges an existing one to the options given.
      - V(absent) destroys it. A set that is in use (referenced by a firewall rule or a
        C(list:set)) cannot be destroyed; the task then fails with the kernel's reason.
    type: str
    choices: [present, absent]
    default: present
  rename_from:
    description:
      - The set's former name. When no set O(name) exists and one named O(rename_from)
        does, it is renamed to O(name) (C(ipset rename)), keeping its members, and then
        converged to the options given like any existing set. When O(name) exists, there
        is nothing to rename; when neither exists, O(name) is created.
      - The kernel renames only a set that nothing refers to (a firewall rule or a
        C(list:set)); for one in use the task fails with the kernel's reason.
      - Only with O(state=present).
    type: str
  type:
    description: The set type.
    type: str
    default: hash:ip
    choices:
      - bitmap:ip
      - bitmap:ip,mac
      - bitmap:port
      - hash:ip
      - hash:mac
      - hash:ip,mac
      - hash:net
      - hash:net,net
      - hash:ip,port
      - hash:net,port
      - hash:ip,port,ip
      - hash:ip,port,net
      - hash:ip,mark
      - hash:net,port,net
      - hash:net,iface
      - list:set
  family:
    description:
      - Address family of the members. Ignored by the types that have none
        (C(bitmap:port), C(hash:mac), C(list:set)); C(bitmap:ip) and C(bitmap:ip,mac) are
        IPv4 only.
    type: str
    choices: [inet, inet6]
    default: inet
  timeout:
    description:
      - Default timeout of members, in seconds; V(0) means members stay until removed.
        Giving it (even V(0)) makes the set support per-member timeouts.
    type: int
  counters:
    description: Keep packet and byte counters per member.
    type: bool
  comment:
    description: Allow a comment per member.
    type: bool
  skbinfo:
    description: Allow skb mark, priority and queue per member (for the SET target).
    type: bool
  forceadd:
    description: When the set is full, a new member evicts a random existing one.
    type: bool
  hashsize:
    description: Initial hash size of C(hash:*) sets (rounded up to a power of two, at least 64).
    type: int
  maxelem:
    description: Maximum number of members of C(hash:*) sets.
    type: int
  bucketsize:
    description: Maximum members per hash bucket (2 to 12, even), C(hash:*) sets.
    type: int
  netmask:
    description: Store addresses masked to this prefix length (C(bitmap:ip), C(hash:ip), and more).
    type: int
  bitmask:
    description: Store addresses masked with this address-shaped mask (instead of O(netmask)).
    type: str
  markmask:
    description: Mask applied to marks of C(hash:ip,mark) sets.
    type: int
  range:
    description:
      - Required for bitmap sets. For C(bitmap:ip) and C(bitmap:ip,mac), an IPv4 network
        (V(192.0.2.0/24)) or range (V(192.0.2.1-192.0.2.200)); for C(bitmap:port), a port
        range (V(1000-2000)). At most 65536 members.
    type: str
  size:
    description: Maximum number of member sets of a C(list:set).
    type: int
notes:
  - Needs C(CAP_NET_ADMIN) (run with become).
  - Options not given are not compared with an existing set; give V(false) to require that
    a flag such as O(comment) is off. A set rebuilt for another option keeps them (and its
    members' comments, counters and timeouts); members without a timeout stay permanent when
    the set gains O(timeout).
  - To flush a set, or swap new contents in, use M(linux.netlink.ipset_entry) with
    O(linux.netlink.ipset_entry#module:state=exact) and no entries, or with
    O(linux.netlink.ipset_entry#module:atomic=true) (built aside, swapped in); see the
    examples.
  - Changing the type or family of a set needs it to be unreferenced (the kernel only swaps
    sets of the same type and family); its members must fit the new type.
seealso:
  - module: linux.netlink.ipset_entry
  - module: linux.netlink.ipset_info
  - name: ipset(8)
    description: The reference tool's manual, which describes the set types and options.
    link: https://ipset.netfilter.org/ipset.man.html
author:
  - Linux Netlink Contributors (@linux-netlink)
"""

EXAMPLES = r"""
- name: A blocklist whose members expire after a day, with comments
  linux.netlink.ipset:
    name: blocklist
    type: hash:net
    timeout: 86400
    comment: true
  become: true

- name: An IPv6 set of host:port pairs
  linux.netlink.ipset:
    name: allowed6
    type: hash:ip,port
    family: inet6

- name: A bitmap of the ports of a service range
  linux.netlink.ipset:
    name: svc_ports
    type: bitmap:port
    range: 8000-8999

- name: Grow an existing set (rebuilt and swapped in; members and rules are kept)
  linux.netlink.ipset:
    name: blocklist
    type: hash:net
    maxelem: 1000000

- name: Rename the set `blocklist` to `blocklist_v4` (once; then converge it as usual)
  linux.netlink.ipset:
    name: blocklist_v4
    rename_from: blocklist
    type: hash:net
    timeout: 86400
    comment: true

- name: Flush a set (linux.netlink.ipset_entry, exactly no entries)
  linux.netlink.ipset_entry:
    set: blocklist_v4
    state: exact
    entries: []

- name: Replace a set's contents in one swap (built aside, swapped in, rules see no gap)
  linux.netlink.ipset_entry:
    set: blocklist_v4
    state: exact
    atomic: true
    entries_file: /etc/blocklist.txt

- name: Remove a set inside a container's network namespace
  linux.netlink.ipset:
    name: old
    state: absent
    netns: /proc/4242/ns/net
"""

RETURN = r"""
set:
  description: The set as the kernel reports it after the task (absent sets are not returned).
  returned: when O(state=present)
  type: dict
  contains:
    name:
      description: Set name.
      type: str
      sample: blocklist
    type:
      description: Set type.
      type: str
      sample: hash:net
    family:
      description: Address family, or null for types without one.
      type: str
      sample: inet
    revision:
      description: Revision of the type the set was created with.
      type: int
      sample: 7
    options:
      description: Create options as the kernel holds them (flags always listed).
      type: dict
      sample: {timeout: 86400, comment: true, counters: false, skbinfo: false, forceadd: false,
               hashsize: 1024, maxelem: 65536, bucketsize: 12, initval: "0x8a3c1f02"}
    references:
      description: How many kernel objects (rules, list:sets) use the set.
      type: int
      sample: 1
    memsize:
      description: Memory the set uses, in bytes.
      type: int
      sample: 1240
    entries:
      description: Number of members.
      type: int
      sample: 0
renamed_from:
  description: The former name of the set, when the task renamed it (O(rename_from)).
  returned: when the set was renamed
  type: str
  sample: blocklist
drift:
  description: The declared options an existing set differed in (it was rebuilt for them).
  returned: always
  type: list
  elements: str
  sample: [maxelem]
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset import (
    locking,
    sets,
    swap,
    typetable,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import IpsetClient
from ansible_collections.linux.netlink.plugins.module_utils._ipset.typetable import IpsetInputError

OPTIONS = {
    "timeout": {"type": "int"},
    "counters": {"type": "bool"},
    "comment": {"type": "bool"},
    "skbinfo": {"type": "bool"},
    "forceadd": {"type": "bool"},
    "hashsize": {"type": "int"},
    "maxelem": {"type": "int"},
    "bucketsize": {"type": "int"},
    "netmask": {"type": "int"},
    "bitmask": {"type": "str"},
    "markmask": {"type": "int"},
    "range": {"type": "str"},
    "size": {"type": "int"},
}


class SetManager:
    """observe -> plan -> apply (unless check mode) -> re-read."""

    def __init__(self, module: AnsibleModule, client: IpsetClient) -> None:
        self.module = module
        self.client = client
        params = module.params
        # The family is ignored by types that have none (it defaults to inet for the others).
        family = params["family"] if typetable.get_type(params["type"]).families else None
        self.spec = sets.SetSpec(
            swap.check_name(params["name"]),
            params["type"],
            family,
            {name: params[name] for name in OPTIONS},
        )

    def run(self) -> dict:
        spec = self.spec
        rename_from = self.module.params["rename_from"]
        if rename_from is not None:
            if self.module.params["state"] != "present":
                raise IpsetInputError("rename_from is only valid with state=present")
            rename_from = swap.check_name(rename_from, "rename_from")
        renamed = None
        with locking.locked(self.module.params["netns"]):
            leftover = swap.clean_leftover(self.client, spec.name, self.module.check_mode)
            if leftover:
                self.module.warn(leftover)
            current = self.client.get(spec.name, elements=False)
            old = None
            if current is None and rename_from is not None and rename_from != spec.name:
                old = self.client.get(rename_from, elements=False)
            before = sets.describe(current or old) if current or old else {}
            if old is not None:
                renamed = rename_from
                if not self.module.check_mode:
                    self.client.rename(rename_from, spec.name)
                current = old._replace(name=spec.name)
            state = self.module.params["state"]
            kernel_revision = 0  # not asked for a set to destroy (its type may not be given)
            if state == "present":
                family = typetable.type_family(spec.type, spec.family) or None
                kernel_revision = sets.kernel_revision(self.client, spec.type, family)
            plan = sets.plan_set(spec, current, kernel_revision, state)
            if plan.action != "none" and not self.module.check_mode:
                sets.apply_set(self.client, spec, plan, current)
            after_info = None if self.module.check_mode else self.client.get(spec.name, False)
        result = {
            "changed": plan.action != "none" or bool(leftover) or bool(renamed),
            "drift": plan.drift,
        }
        if renamed:
            result["renamed_from"] = renamed
        if self.module.check_mode:
            after = self._predicted(sets.describe(current) if current else {}, plan)
        else:
            after = sets.describe(after_info) if after_info else {}
        if after:
            result["set"] = after
        result["diff"] = {"before": before, "after": after}
        return result

    def _predicted(self, before: dict, plan: sets.SetPlan) -> dict:
        if plan.action == "destroy":
            return {}
        if plan.action == "none":
            return before
        predicted = {"name": self.spec.name, "type": self.spec.type, "revision": plan.revision}
        predicted["options"] = {k: v for k, v in self.spec.options.items() if v is not None}
        return predicted


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            name={"type": "str", "required": True},
            state={"type": "str", "default": "present", "choices": ["present", "absent"]},
            type={"type": "str", "default": "hash:ip", "choices": sorted(typetable.SET_TYPES)},
            family={"type": "str", "default": "inet", "choices": ["inet", "inet6"]},
            rename_from={"type": "str"},
            **OPTIONS,
        ),
        supports_check_mode=True,
    )
    run_module(module, lambda client: SetManager(module, client).run(), IpsetClient)


if __name__ == "__main__":
    main()
