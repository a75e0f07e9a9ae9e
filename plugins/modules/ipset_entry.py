#!/usr/bin/python
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Add, remove or pin down the members of an ipset over netlink."""

from __future__ import annotations

DOCUMENTATION = r"""
module: ipset_entry
short_description: Manage the members of an ipset over netlink
version_added: 0.1.0
description:
  - Adds and removes members (entries) of an existing IP set, or makes the set hold exactly a
    given list, by talking to the kernel over nfnetlink. It is built for large lists (100,000
    entries are compared and sent in well under a second).
  - Entries are written as C(ipset save) prints them and C(ipset add) takes them. They are
    normalised to the kernel's form before comparing, so the task is idempotent;
    V(10.0.0.5/24) in a C(hash:net) set is V(10.0.0.0/24), a C(/32) is a host, ranges
    expand the way the kernel expands them, and protocol and service names become numbers.
    As with C(ipset add), an IP/CIDR (even V(/32)) or a range is refused where the CLI refuses
    one, in the IP of C(hash:ip,mac) and C(bitmap:ip,mac) and the second IP of C(hash:ip,port,ip).
  - Every entry is checked before anything is sent. One bad entry fails the task, names the
    entry, and changes nothing.
  - An entry whose comment, skbinfo or nomatch flag differs from the kernel's is updated in
    place. The time an entry has left is not compared, unless O(refresh_timeout) is set.
  - Create the set with M(linux.netlink.ipset).
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.attributes
options:
  set:
    description: Name of the set.
    type: str
    required: true
    aliases: [name]
  entries:
    description:
      - The entries. Each is a string in C(ipset add) syntax, optionally followed by
        per-entry options as C(ipset save) prints them (V(10.0.0.1 timeout 60 comment "x")),
        or a dictionary with the entry under C(entry) and per-entry options beside it.
      - Forms depend on the set type, for example V(192.0.2.1), V(192.0.2.0/24),
        V(192.0.2.1-192.0.2.9), V(2001:db8::/64), V(192.0.2.1,tcp:80),
        V(192.0.2.1,udp:1000-1010), V(192.0.2.1,icmp:echo-request), V(00:11:22:33:44:55),
        V(192.0.2.0/24,eth0), V(192.0.2.0/24,physdev:eth0), V(192.0.2.1,0x10),
        or a set name for C(list:set).
      - IPv4 short forms mean what they mean to C(ipset), so V(192.168.0/24) is
        V(192.168.0.0/24), V(0/0) is V(0.0.0.0/0), V(10.1) is V(10.0.0.1), a part with a
        leading zero is octal; hexadecimal parts are refused, as C(ipset) refuses them.
      - A C(bitmap:ip,mac) member is identified by its address (the kernel fills its MAC in
        from traffic), so V(192.0.2.1) is the member whatever its MAC, and a MAC given that
        differs from the kernel's is a change.
    type: list
    elements: raw
    default: []
  entries_file:
    description:
      - A file on the managed host with one entry per line (same syntax as O(entries)),
        blank lines and C(#) comments ignored.
      - Output of C(ipset save) is accepted too, also of several sets, as C(ipset restore)
        reads it (C(create) and C(add) lines, their short forms C(-N) and C(-A), the options
        C(-exist), C(-!), C(-q) anywhere on a line, quoted comments). Only the lines of the
        set named in O(set) are taken; the C(add) lines of other sets are skipped, counted in
        RV(entries_file_skipped) and named in a warning. A C(create) line of this set with
        another type than the set's (as C(ipset save) writes the type), a file that holds
        only other sets, or a line with another C(ipset) command (C(del), C(flush), ...)
        fails the task and changes nothing.
      - Used together with O(entries), both lists count.
    type: path
  state:
    description:
      - V(present) adds the entries that are missing (and updates changed ones).
      - V(absent) removes the entries that are there.
      - V(exact) makes the set hold these entries and nothing else; with no entries it
        empties the set (C(ipset flush)).
      - Entries are validated the same way whatever the state, so one the kernel would refuse
        fails the task with V(absent) too.
    type: str
    choices: [present, absent, exact]
    default: present
  atomic:
    description:
      - With O(state=exact), build the new contents in a set beside the old one and swap it
        in, so packets never see a half-changed set. Costs a full copy of the set.
      - Only with O(state=exact). The set swapped in holds exactly the entries given, so with
        V(present) or V(absent) it would drop members added by others (fail2ban, rules with
        C(--add-set)). The task fails instead, before anything is changed.
    type: bool
    default: false
  refresh_timeout:
    description: Re-add entries whose timeout is given, restarting their timeout, on every run.
    type: bool
    default: false
  timeout:
    description: Timeout in seconds for entries that give none (the set must support timeouts).
    type: int
  comment:
    description: Comment for entries that give none (the set must support comments).
    type: str
  skbmark:
    description: SKB mark (V(0x10) or V(0x10/0xff)) for entries that give none (needs skbinfo).
    type: str
  skbprio:
    description: SKB priority (V(1:10)) for entries that give none (needs skbinfo).
    type: str
  skbqueue:
    description: SKB queue for entries that give none (needs skbinfo).
    type: int
  nomatch:
    description: Mark entries that give no value as exceptions (C(hash:net*) types).
    type: bool
notes:
  - Needs C(CAP_NET_ADMIN) (run with become).
  - The per-entry dictionary form takes C(entry), C(timeout), C(comment), C(skbmark),
    C(skbprio), C(skbqueue), C(nomatch), C(packets), C(bytes), and for C(list:set)
    C(before) or C(after) (the name of a member set to place it next to). A member already in
    the list on the wrong side of that set is moved; the named set must be in the list.
seealso:
  - module: linux.netlink.ipset
  - module: linux.netlink.ipset_info
author:
  - Linux Netlink Contributors (@linux-netlink)
"""

EXAMPLES = r"""
- name: Block two networks
  linux.netlink.ipset_entry:
    set: blocklist
    entries:
      - 198.51.100.0/24
      - 203.0.113.7
  become: true

- name: Keep exactly the published list, swapped in atomically
  linux.netlink.ipset_entry:
    set: blocklist
    entries_file: /etc/blocklist.txt
    state: exact
    atomic: true

- name: Flush the set
  linux.netlink.ipset_entry:
    set: blocklist
    state: exact
    entries: []

- name: Entries with their own options
  linux.netlink.ipset_entry:
    set: allowed
    entries:
      - entry: 192.0.2.10,tcp:443
        comment: web frontend
      - "192.0.2.11,tcp:22 timeout 3600"

- name: Remove an entry
  linux.netlink.ipset_entry:
    set: blocklist
    entries: [203.0.113.7]
    state: absent
"""

RETURN = r"""
added:
  description: Entries added or updated, in C(ipset save) syntax (the first 1000 of them, sorted).
  returned: always
  type: list
  elements: str
  sample: ["198.51.100.0/24", "203.0.113.7"]
added_count:
  description: How many entries were added or updated (exact, never capped).
  returned: always
  type: int
  sample: 2
removed:
  description: Entries removed (the first 1000 of them, sorted).
  returned: always
  type: list
  elements: str
  sample: []
removed_count:
  description: How many entries were removed.
  returned: always
  type: int
  sample: 0
entries:
  description: How many entries the set holds after the task.
  returned: always
  type: int
  sample: 2
entries_file_skipped:
  description: How many entries of other sets O(entries_file) held (C(add) lines of other sets).
  returned: when O(entries_file) is given
  type: int
  sample: 0
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset import (
    entries,
    locking,
    swap,
    typetable,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import IpsetClient
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec

DEFAULTS = ("timeout", "comment", "skbmark", "skbprio", "skbqueue", "nomatch")


class EntryManager:
    """observe -> normalise -> plan -> apply (unless check mode) -> re-read."""

    def __init__(self, module: AnsibleModule, client: IpsetClient) -> None:
        self.module = module
        self.client = client
        self.name = swap.check_name(module.params["set"], "set")
        self.skipped = 0  # entries of other sets in entries_file

    def items(self, settype: str) -> list:
        items = entries.numbers_as_text(self.module.params["entries"])
        path = self.module.params["entries_file"]
        if path:  # the reader, loaded only when a file is given
            from ansible_collections.linux.netlink.plugins.module_utils._ipset import entries_file

            read = entries_file.read_entries_file(path, self.name, settype)
            items.extend(read.entries)
            self.skipped = read.skipped
            warning = read.warning(path, self.name)
            if warning:
                self.module.warn(warning)
        return items

    def run(self) -> dict:
        params = self.module.params
        if params["atomic"] and params["state"] != "exact":
            raise typetable.IpsetInputError(
                "atomic: true needs state: exact (the set swapped in would hold only the entries"
                " given, and members added by others would be lost)"
            )
        with locking.locked(params["netns"]), codec.gc_paused():
            leftover = swap.clean_leftover(self.client, self.name, self.module.check_mode)
            if leftover:
                self.module.warn(leftover)
            info = self.client.get(self.name, elements=True)
            if info is None:
                raise typetable.IpsetInputError(
                    "set %r does not exist: create it with linux.netlink.ipset" % self.name
                )
            items = self.items(info.type)
            options = {k: params[k] for k in DEFAULTS + ("refresh_timeout", "atomic")}
            plan, desired, current = entries.plan(info, items, params["state"], options)
            if plan.changed and not self.module.check_mode:
                entries.apply_entries(self.client, info, plan, desired, params["atomic"])
        cap = entries.RETURN_CAP
        held = len(info.elements or ())
        result = {
            "changed": plan.changed or bool(leftover),
            "added": entries.lines(plan.add[:cap]),
            "added_count": len(plan.add),
            "removed": entries.lines(plan.delete[:cap]),
            "removed_count": len(plan.delete),
            "entries": held + len(plan.add) - plan.updated - len(plan.delete),
        }
        if params["entries_file"]:
            result["entries_file_skipped"] = self.skipped
        if self.module._diff:  # the general planner shows the plan (loaded only for a diff)
            from ansible_collections.linux.netlink.plugins.module_utils._ipset import planner

            if current is None:  # planned on addresses alone
                current = planner.current_entries(info)
            before, after = planner.diff_lines(current, plan)
            result["diff"] = {"before": before, "after": after}
        return result


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            set={"type": "str", "required": True, "aliases": ["name"]},
            entries={"type": "list", "elements": "raw", "default": []},
            entries_file={"type": "path"},
            state={"type": "str", "default": "present", "choices": list(entries.STATES)},
            atomic={"type": "bool", "default": False},
            refresh_timeout={"type": "bool", "default": False},
            timeout={"type": "int"},
            comment={"type": "str"},
            skbmark={"type": "str"},
            skbprio={"type": "str"},
            skbqueue={"type": "int"},
            nomatch={"type": "bool"},
        ),
        supports_check_mode=True,
    )
    run_module(module, lambda client: EntryManager(module, client).run(), IpsetClient)


if __name__ == "__main__":
    main()
