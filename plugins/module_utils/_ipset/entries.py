# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: converging the entries of a set.

Entries compare by their canonical key (``ipset save`` text without extensions); an entry
whose comment, skbinfo or nomatch differs from what the kernel holds is re-added, which
updates it in place. A remaining timeout is not a difference unless asked (``refresh``).
`plan` decides (its general path, entry by entry, is in `planner`, loaded only when taken);
`apply_entries` sends a plan.
"""

from __future__ import annotations

from functools import partial
from itertools import filterfalse
from socket import AF_INET, AF_INET6, inet_pton
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset import swap, typetable, wire
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (
    IpsetClient,
    SetInfo,
    iter_indexes,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.entry import (
    Entry,
    entry_text,
    format_extensions,
    host_entry,
)

STATES = ("present", "absent", "exact")
RETURN_CAP = 1000  # entries listed in `added`/`removed`; the counts are always exact


class EntryPlan(NamedTuple):
    """Entries to add (new or updated) and to delete, in the order they will be sent."""

    add: List[Entry]
    delete: List[Entry]
    updated: int  # how many of ``add`` are already entries (extensions change, or moved)
    # list:set entries on the wrong side of their before/after set: in ``add`` too, and
    # removed first (the kernel does not move an entry that is re-added)
    move: Tuple[Entry, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.add or self.delete)


def numbers_as_text(items: Sequence[Any]) -> List[Any]:
    """Items with numbers made text: YAML makes numbers of bare ports, marks and addresses
    in their one-number form (``entries: [22, 167838211]``)."""
    return [item if isinstance(item, str) else _number_as_text(item) for item in items]


def _number_as_text(item: Any) -> Any:
    if isinstance(item, dict) and _is_number(item.get("entry")):
        return dict(item, entry=str(item["entry"]))
    return str(item) if _is_number(item) else item


def _is_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def plain(info: SetInfo) -> bool:
    """True when the set cannot hold an extension that `planner.plan_entries` compares."""
    flags = info.data.get("cadt_flags", 0)
    if flags & (u.IPSET_FLAG_WITH_COMMENT | u.IPSET_FLAG_WITH_SKBINFO):
        return False
    if info.type == "bitmap:ip,mac":
        return False  # keyed by address: the MAC is compared beside the key
    return "nomatch" not in typetable.get_type(info.type).options


class Planned(NamedTuple):
    """What `plan` decided, and what it decided from (for `apply_entries` and the diff)."""

    plan: EntryPlan
    desired: Sequence[Entry]  # () when planned on addresses alone
    current: Optional[Mapping[str, Entry]]  # None when planned on addresses alone


def plan(
    info: SetInfo, items: Sequence[Any], state: str, options: Optional[Mapping[str, Any]] = None
) -> Planned:
    """What to send so that set ``info`` holds ``items`` (present), lacks them (absent), or
    holds exactly them (exact).

    ``options``: extension values for items that give none (as `planner.desired_entries`
    takes them), ``refresh_timeout`` (see `planner.plan_entries`) and ``atomic`` (the plan is
    applied by a swap, which needs every desired entry). The items are checked against the set
    whatever the state (`planner.check_fit`), as the kernel would. Raises IpsetInputError
    naming the first bad item. A list of bare addresses for a plain hash:ip set takes an
    accelerator (`_plan_bare_hosts`, registered in accelerators.py) with the same result.
    """
    defaults = dict(options or {})
    refresh = bool(defaults.pop("refresh_timeout", False))
    atomic = bool(defaults.pop("atomic", False))
    if not (refresh or atomic) and all(v is None for v in defaults.values()):
        fast = _plan_bare_hosts(info, items, state)
        if fast is not None:
            return Planned(fast, (), None)
    # The general path, loaded only when taken.
    from ansible_collections.linux.netlink.plugins.module_utils._ipset import planner

    desired = planner.desired_entries(info, items, defaults)
    planner.check_fit(info, desired)
    current = planner.current_entries(info)
    return Planned(planner.plan_entries(current, desired, state, refresh), desired, current)


def _plan_bare_hosts(info: SetInfo, items: Sequence[Any], state: str) -> Optional[EntryPlan]:
    """The accelerator of `plan`: `planner.plan_entries` for the bulk case, comparing packed
    addresses, not `Entry` values.

    Applies to a hash:ip set without netmask or bitmask that holds nothing compared beyond
    the address, when every item is a bare address string (`_bare_hosts`) and no extension
    is asked for (`plan` checks the last part). None otherwise: take the general path.
    An `Entry` per item is most of the general path's time on 100k entries; here only what
    changes becomes one.
    """
    host = 128 if info.family == "inet6" else 32
    if info.type != "hash:ip" or not plain(info) or "bitmask" in info.data:
        return None
    if info.data.get("netmask", host) != host:
        return None
    # One hash set, of the kernel's addresses (IPv4 as integers: cheaper to make from a dump
    # than bytes objects); the items are walked against it in C (a set of the items as well,
    # and two differences, cost twice as much on 100k). Only what changes becomes an Entry:
    # adds in the user's order, deletes in address order.
    found = info.elements or []
    if not found:  # an empty set (a fill): every item is added, no arithmetic to do
        packed = _bare_hosts(items, info.family)
        if packed is None:
            return None
        return EntryPlan([] if state == "absent" else _hosts(packed), [], 0)
    wanted: Optional[List[Any]]
    if host == 32:
        wanted, have_keys, address = _bare_words(items), wire.words(found, "ip"), wire.word_bytes
    else:
        wanted, have_keys, address = _bare_hosts(items, info.family), None, bytes
    if wanted is None:
        return None
    if have_keys is None:
        if host == 32:
            return None  # an entry that is not an IPv4 address: the general path says so
        have_keys = wire.column(found, "ip")
    have = set(have_keys)
    del have_keys
    if state == "absent":
        return EntryPlan([], _hosts(map(address, filter(have.__contains__, wanted))), 0)
    add = _hosts(map(address, filterfalse(have.__contains__, wanted)))
    if state != "exact":
        return EntryPlan(add, [], 0)
    have.difference_update(wanted)  # what is left goes
    return EntryPlan(add, [host_entry(ip) for ip in sorted(map(address, have))], 0)


def _bare_hosts(items: Sequence[Any], family: Optional[str]) -> Optional[List[bytes]]:
    """The packed addresses of hash:ip items that are all bare address strings; else None.

    The bulk case (a blocklist) without an `Entry` per item: inet_pton runs over the whole
    list in C. None as soon as one item is anything else (a range, a CIDR, options, a dict,
    the all-zero address): `parse_entries` then reads every item and names the first bad one.
    """
    af, size = (AF_INET6, 16) if family == "inet6" else (AF_INET, 4)
    try:
        packed = list(map(partial(inet_pton, af), items))
    except (OSError, TypeError, ValueError):
        return None
    return None if bytes(size) in packed else packed


def _bare_words(items: Sequence[Any]) -> Optional[List[int]]:
    """`_bare_hosts` for IPv4, as the integers `wire.words` reads (one joined string, no
    bytes object kept per item); None when it declines."""
    try:
        words = wire.words_of(b"".join(map(partial(inet_pton, AF_INET), items)))
    except (OSError, TypeError, ValueError):
        return None
    return None if 0 in words else words


def _hosts(chosen: Iterable[bytes]) -> List[Entry]:
    """Entries for the ``chosen`` addresses, once each, in their order."""
    return list(map(host_entry, dict.fromkeys(chosen)))


def _unplaced(entry: Entry) -> Dict[str, Any]:
    """An entry's element without its placement (deleting with one tests the position)."""
    data = {k: v for k, v in entry.data.items() if k != "nameref"}
    flags = data.pop("cadt_flags", 0) & ~u.IPSET_FLAG_BEFORE
    if flags:
        data["cadt_flags"] = flags
    return data


def element(entry: Entry) -> Dict[str, Any]:
    """The attributes to send for an entry: element, extensions, placement."""
    attrs = dict(entry.data)
    for key, value in entry.ext.items():
        if key not in ("nomatch", "wildcard"):  # these two travel in data["cadt_flags"]
            attrs[key] = value
    return attrs


def lines(entries: Iterable[Entry]) -> List[str]:
    """Entries in ``ipset save`` syntax, sorted: for diffs and return values."""
    return sorted(entry_text(e) + format_extensions(_shown(e.ext)) for e in entries)


def _shown(ext: Mapping[str, Any]) -> Dict[str, Any]:
    """Extensions worth showing in a diff: wanted state, not running counters."""
    return {k: v for k, v in ext.items() if k not in ("packets", "bytes", "timeout")}


def apply_entries(
    client: IpsetClient,
    info: SetInfo,
    plan: EntryPlan,
    desired: Sequence[Entry],
    atomic: bool,
) -> None:
    """Send a plan. With ``atomic`` (state exact), build the new contents aside and swap."""
    if atomic and plan.changed:
        header = {
            k: v for k, v in info.data.items() if k not in ("elements", "references", "memsize")
        }
        swap.rebuild(
            client, info.name, info.type, info.family, info.revision, header,
            _kept_macs(info, [element(e) for e in desired]),
        )  # fmt: skip
        return
    _send(client, info, list(plan.move), add=False, unplaced=True)
    _send(client, info, plan.add, add=True)
    try:
        _send(client, info, plan.delete, add=False)
    except swap.ApplyError as exc:  # every add went in before: the result must say so too
        exc.result.update(
            added=[e.key for e in plan.add][:RETURN_CAP], added_count=len(plan.add), changed=True
        )
        raise


def _kept_macs(info: SetInfo, elements: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """bitmap:ip,mac elements given by address alone keep the MAC the kernel holds (a set
    rebuilt aside would otherwise lose what the kernel learnt from traffic)."""
    if info.type != "bitmap:ip,mac":
        return elements
    macs = {m["ip"]: m["ether"] for m in info.elements or () if "ether" in m}
    for attrs in elements:
        if "ether" not in attrs and attrs.get("ip") in macs:
            attrs["ether"] = macs[attrs["ip"]]
    return elements


def _send(
    client: IpsetClient, info: SetInfo, entries: List[Entry], add: bool, unplaced: bool = False
) -> None:
    if not entries:
        return
    elements = [element(e) if add else _unplaced(e) if unplaced else e.data for e in entries]
    run = client.add if add else client.delete
    result = run(info.name, info.type, info.family, elements)
    if result.error is None:
        return
    done = [entries[i].key for i in iter_indexes(result.applied)]
    failed = entries[result.failed].key if result.failed is not None else None
    verb = "added" if add else "removed"
    raise swap.ApplyError(
        "%s%s; %d of %d entries were %s before the error, the others were not"
        % ("entry %r: " % failed if failed else "", result.error, len(done), len(entries), verb),
        {"changed": bool(done), verb: done[:RETURN_CAP], verb + "_count": len(done)},
    )
