# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the general path of `entries.plan`, entry by entry.

The user's entries are parsed (`desired_entries`), checked against the set as it was created
(`check_fit`) and compared by canonical key with the listed set (`Entries`, `plan_entries`);
`diff_lines` shows a plan. A task of bare addresses for a plain hash:ip set takes the bulk
accelerator in `entries` and does not load this module (unless it asks for a diff).
"""

from __future__ import annotations

from functools import partial
from operator import attrgetter
from typing import Any, Dict, Iterable, Iterator, KeysView, List, Mapping, Optional, Sequence, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset import swap, typetable
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (
    IpsetClient,
    SetInfo,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.entries import (
    EntryPlan,
    lines,
    numbers_as_text,
    plain,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.entry import Entry

# Extensions that are wanted state: a difference is a change. (Counters and the remaining
# timeout are the kernel's running state; timeout joins these with `refresh`.)
_COMPARED = ("comment", "skbmark", "skbprio", "skbqueue", "nomatch")


class Entries(Mapping[str, Entry]):
    """The entries of a listed set by canonical key; each `Entry` is built when asked for.

    A large set is mostly compared by key alone: formatting the key straight from the
    dumped attributes costs a fraction of building an `Entry` for every entry.
    ``plain`` is True when the set cannot hold any extension that `plan_entries` compares
    (no comment or skbinfo support, a type without nomatch): then keys say everything.
    """

    def __init__(self, info: SetInfo) -> None:
        # Loaded here: parsing alone (`desired_entries`, `match_entries`) lists nothing.
        from ansible_collections.linux.netlink.plugins.module_utils._ipset import listing

        self._info = info
        self._entry = partial(listing.entry_from_kernel, info.type, info.family)
        found = info.elements or []
        self._attrs = dict(zip(listing.keys_from_kernel(info.type, info.family, found), found))
        self.plain = plain(info)

    def __getitem__(self, key: str) -> Entry:
        return self._entry(self._attrs[key])

    def __contains__(self, key: object) -> bool:
        return key in self._attrs

    def keys(self) -> KeysView[str]:
        return self._attrs.keys()  # membership tests on the view run in C

    def __iter__(self) -> Iterator[str]:
        return iter(self._attrs)

    def __len__(self) -> int:
        return len(self._attrs)


def current_entries(info: SetInfo) -> Entries:
    """The entries of a listed set, keyed by their canonical text."""
    return Entries(info)


def desired_entries(
    info: SetInfo,
    items: Iterable[Any],
    defaults: Optional[Mapping[str, Any]] = None,
) -> List[Entry]:
    """Parse the user's entries for this set (validated completely before anything is sent)."""
    # Loaded here: the --diff of a plan on addresses alone reads the listing only.
    from ansible_collections.linux.netlink.plugins.module_utils._ipset.parse import (
        parse_entries,
    )

    data = info.data
    bitmask = data.get("bitmask")
    return parse_entries(
        items,
        info.type,
        info.family,
        netmask=data.get("netmask"),
        bitmask=swap.ip_text(bitmask) if bitmask else None,
        markmask=data.get("markmask"),
        defaults={k: v for k, v in (defaults or {}).items() if v is not None},
    )


def match_entries(client: IpsetClient, info: SetInfo, items: Sequence[Any]) -> List[Dict[str, Any]]:
    """Ask the kernel whether each item matches in the set: ``[{"entry", "match"}]``.

    Every item is parsed first (a bad one raises IpsetInputError before anything is sent).
    An item that stands for several elements (a range, or a CIDR where hosts are stored)
    matches when every one of them does. Extensions are not part of a test and are not sent.
    """
    texts = numbers_as_text(items)
    parsed = [(item, desired_entries(info, [text])) for item, text in zip(items, texts)]
    results = []
    for item, entries in parsed:
        match = all(client.test(info.name, info.type, info.family, e.data) for e in entries)
        results.append({"entry": item, "match": match})
    return results


def check_fit(info: SetInfo, entries: Sequence[Entry]) -> None:
    """Raise IpsetInputError naming the first entry the set cannot hold as it was created.

    The kernel would refuse it too, but only after the entries before it went in: checking
    here keeps "one bad entry changes nothing" true. Covers extensions the set was created
    without, entries outside a bitmap's range, and list:set entries placed before/after a
    set that is not in the list (nor added before them).
    """
    data = info.data
    flags = data.get("cadt_flags", 0)
    low = high = None
    if "ip" in data and "ip_to" in data:
        low, high, attr = data["ip"], data["ip_to"], "ip"
    elif "port" in data and "port_to" in data:
        low, high, attr = data["port"], data["port_to"], "port"
    needs = typetable.EXTENSION_FLAGS
    unsupported = {key for key, (bit, _what) in needs.items() if not flags & bit}
    if "timeout" not in data:
        unsupported.add("timeout")
    held: set = set()
    if info.type == "list:set":
        held = set(current_entries(info))
    elif low is None:  # only an entry with an extension the set lacks can fail: those alone
        entries = [e for e in entries if e.ext and not unsupported.isdisjoint(e.ext)]
    for entry in entries:
        problem = None
        if entry.position is not None and entry.position[1] not in held:
            problem = "the set named in %s (%r) is not in list:set %r" % (
                entry.position[0],
                entry.position[1],
                info.name,
            )
        held.add(entry.key)
        if "timeout" in entry.ext and "timeout" not in data:
            problem = "set %r was created without timeout support" % info.name
        for key, (bit, what) in needs.items():
            if not flags & bit and key in entry.ext:
                problem = "set %r was created without %s" % (info.name, what)
        if low is not None and attr in entry.data and not low <= entry.data[attr] <= high:
            problem = "outside the range of set %r (%s)" % (info.name, swap.range_text(data))
        if problem:
            raise typetable.IpsetInputError("entry %r: %s" % (entry.key, problem))


def _differs(want: Entry, have: Entry, refresh: bool) -> bool:
    if "ether" in want.data and want.data["ether"] != have.data.get("ether"):
        return True  # bitmap:ip,mac: a declared MAC that is not the kernel's (re-adding sets it)
    for key in _COMPARED + (("timeout",) if refresh and "timeout" in want.ext else ()):
        if (want.ext.get(key) or None) != (have.ext.get(key) or None):
            return True
    return False


def plan_entries(
    current: Mapping[str, Entry], desired: Sequence[Entry], state: str, refresh: bool = False
) -> EntryPlan:
    """What to send so that the set holds ``desired`` (present), lacks it (absent), or holds
    exactly it (exact)."""
    present = current.keys()
    if state == "absent":
        return EntryPlan([], [e for e in desired if e.key in present], 0)
    placed = any(map(attrgetter("position"), desired))  # list:set before/after
    add: List[Entry] = []
    move: List[Entry] = []
    updated = 0
    if getattr(current, "plain", False) and not refresh and not placed:
        add = [entry for entry in desired if entry.key not in present]  # keys say it all
    else:
        order = {key: index for index, key in enumerate(current)} if placed else {}
        for entry in desired:
            if entry.key not in present:
                add.append(entry)
            elif _misplaced(entry, order):
                add.append(entry)
                move.append(entry)
                updated += 1
            elif _differs(entry, current[entry.key], refresh):
                add.append(entry)
                updated += 1
    delete: List[Entry] = []
    if state == "exact":
        wanted = {e.key for e in desired}
        delete = [current[key] for key in present if key not in wanted]
    return EntryPlan(add, delete, updated, tuple(move))


def _misplaced(entry: Entry, order: Mapping[str, int]) -> bool:
    """A list:set entry declared before/after an entry set it is not before/after."""
    if entry.position is None or entry.position[1] not in order:
        return False
    where, ref = entry.position
    if where == "before":
        return order[entry.key] > order[ref]
    return order[entry.key] < order[ref]


def diff_lines(current: Mapping[str, Entry], plan: EntryPlan) -> Tuple[str, str]:
    """The set's entries before and after a plan, as ``ipset save`` lines (for --diff)."""
    after = dict(current)
    for entry in plan.delete:
        after.pop(entry.key, None)
    after.update((entry.key, entry) for entry in plan.add)
    return _text(current.values()), _text(after.values())


def _text(entries: Iterable[Entry]) -> str:
    found = lines(entries)
    return "\n".join(found) + "\n" if found else ""
