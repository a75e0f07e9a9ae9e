# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: converging the entries of a set.

Entries compare by their canonical key (``ipset save`` text without extensions); an entry
whose comment, skbinfo or nomatch differs from what the kernel holds is re-added, which
updates it in place. A remaining timeout is not a difference unless asked (``refresh``).
"""

from __future__ import annotations

import re
from functools import partial
from itertools import filterfalse
from operator import attrgetter
from socket import AF_INET, AF_INET6, inet_pton
from typing import (
    Any,
    Dict,
    Iterable,
    Iterator,
    KeysView,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
)

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
# Extensions that are wanted state: a difference is a change. (Counters and the remaining
# timeout are the kernel's running state; timeout joins these with `refresh`.)
_COMPARED = ("comment", "skbmark", "skbprio", "skbqueue", "nomatch")


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


# `ipset restore` syntax in an entries file: the commands `ipset save` writes (and their short
# forms), the global options restore takes anywhere on a line, the commands that are refused.
_SAVE_CREATE = ("create", "-N")
_SAVE_ADD = ("add", "-A")
_SAVE_GLOBALS = frozenset(("-exist", "-!", "-quiet", "-q"))
_SAVE_REFUSED = frozenset(("del", "-D", "flush", "-F", "destroy", "-X", "rename", "-E", "swap",
                           "-W", "test", "-T", "list", "-L", "save", "-S"))  # fmt: skip
_SAVE_FIRST = _SAVE_GLOBALS.union(_SAVE_CREATE, _SAVE_ADD, _SAVE_REFUSED)  # a command's first word
_SAVE_WORD = re.compile(r'(?:[^\s"]|"[^"]*")+|"')  # a word, "quoted parts" kept whole


class EntriesFile(NamedTuple):
    """What `read_entries_file` took from a file for one set."""

    entries: List[str]
    skipped: int  # `add` lines of other sets
    other_sets: Tuple[str, ...]  # the other sets the file holds, in file order

    def warning(self, path: str, name: str) -> Optional[str]:
        if not self.other_sets:
            return None
        return "entries_file %r: took only the lines of set %r; skipped %d entr%s of %s" % (
            path, name, self.skipped, "y" if self.skipped == 1 else "ies",
            ", ".join(self.other_sets))  # fmt: skip


def read_entries_file(path: str, name: str, settype: str) -> EntriesFile:
    """Entries for set ``name`` (of type ``settype``) from a file: one per line with ``#``
    comments and blank lines, or ``ipset save`` output of one or several sets, of which only
    the lines of ``name`` are taken. Raises `IpsetInputError` when the file cannot be used:
    the named set created there with another type, or only other sets in it."""
    try:
        with open(path, encoding="utf-8") as handle:
            content = handle.read()
    except OSError as exc:
        raise typetable.IpsetInputError(
            "entries_file %r cannot be read: %s" % (path, exc.strerror)
        ) from None
    except UnicodeDecodeError as exc:
        raise typetable.IpsetInputError("entries_file %r is not UTF-8: %s" % (path, exc)) from None
    words = _one_word_lines(content)  # accelerator (see accelerators.py)
    if words is not None:
        return EntriesFile(words, 0, ())
    out: List[str] = []
    others: Dict[str, None] = {}
    skipped, own = 0, False
    for number, line in enumerate(content.splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        head = text.split(None, 1)
        if len(head) == 1 or head[0] not in _SAVE_FIRST:  # an entry (most lines of a list)
            out.append(text)
            continue
        words = _SAVE_WORD.findall(text) if '"' in text else text.split()
        words = [w for w in words if w not in _SAVE_GLOBALS]
        command = words[0] if len(words) > 1 else ""  # one word: an entry (list:set "add")
        if command in _SAVE_ADD or command in _SAVE_CREATE:
            if len(words) < 3:
                what = "entry" if command in _SAVE_ADD else "set type"
                raise typetable.IpsetInputError(
                    "entries_file %r: line %r has no %s" % (path, line, what)
                )
            if words[1] != name:
                others[words[1]] = None
                skipped += command in _SAVE_ADD
                continue
            own = True
            if command in _SAVE_ADD:
                out.append(" ".join(words[2:]))
            elif words[2] != settype:
                raise typetable.IpsetInputError(
                    "entries_file %r line %d creates set %r as %s, but the set is %s"
                    % (path, number, name, words[2], settype)
                )
        elif command in _SAVE_REFUSED:
            raise typetable.IpsetInputError(
                "entries_file %r line %d: %r: only the create and add lines of ipset save are "
                "taken" % (path, number, line.strip())
            )
        elif words:
            out.append(text)
    if others and not own and not out:
        raise typetable.IpsetInputError(
            "entries_file %r holds no line of set %r; the sets it holds: %s"
            % (path, name, ", ".join(others))
        )
    return EntriesFile(out, skipped, tuple(others))


_NOT_ONE_WORD = "# \t\r\x0b\x0c\x1c\x1d\x1e\x1f"  # a comment, or whitespace but "\n"


def _one_word_lines(text: str) -> Optional[List[str]]:
    """`read_entries_file`'s lines when each is one ASCII word (a plain blocklist): the
    file's words, in one split. None, to take the general path, for anything else:
    comments, options, ``ipset save`` lines, indentation, CR LF, non-ASCII."""
    if not text.isascii() or any(c in text for c in _NOT_ONE_WORD):
        return None
    return text.split()


class Entries(Mapping[str, Entry]):
    """The entries of a listed set by canonical key; each `Entry` is built when asked for.

    A large set is mostly compared by key alone: formatting the key straight from the
    dumped attributes costs a fraction of building an `Entry` for every entry.
    ``plain`` is True when the set cannot hold any extension that `plan_entries` compares
    (no comment or skbinfo support, a type without nomatch): then keys say everything.
    """

    def __init__(self, info: SetInfo) -> None:
        # Loaded here: a plan on addresses alone (`_plan_bare_hosts`) lists no entries.
        from ansible_collections.linux.netlink.plugins.module_utils._ipset import listing

        self._info = info
        self._entry = partial(listing.entry_from_kernel, info.type, info.family)
        found = info.elements or []
        self._attrs = dict(zip(listing.keys_from_kernel(info.type, info.family, found), found))
        self.plain = _plain(info)

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


def _plain(info: SetInfo) -> bool:
    """True when the set cannot hold an extension that `plan_entries` compares."""
    flags = info.data.get("cadt_flags", 0)
    if flags & (u.IPSET_FLAG_WITH_COMMENT | u.IPSET_FLAG_WITH_SKBINFO):
        return False
    if info.type == "bitmap:ip,mac":
        return False  # keyed by address: the MAC is compared beside the key
    return "nomatch" not in typetable.get_type(info.type).options


def current_entries(info: SetInfo) -> Entries:
    """The entries of a listed set, keyed by their canonical text."""
    return Entries(info)


def desired_entries(
    info: SetInfo,
    items: Iterable[Any],
    defaults: Optional[Mapping[str, Any]] = None,
) -> List[Entry]:
    """Parse the user's entries for this set (validated completely before anything is sent)."""
    # The general parser, loaded here: a task of bare addresses never needs it (bulk planner).
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

    ``options``: extension values for items that give none (as `desired_entries` takes
    them), ``refresh_timeout`` (see `plan_entries`) and ``atomic`` (the plan is applied by a
    swap, which needs every desired entry). The items are checked against the set whatever
    the state (`check_fit`), as the kernel would. Raises IpsetInputError naming the first bad
    item. A list of bare addresses for a plain hash:ip set takes an accelerator
    (`_plan_bare_hosts`, registered in accelerators.py) with the same result.
    """
    defaults = dict(options or {})
    refresh = bool(defaults.pop("refresh_timeout", False))
    atomic = bool(defaults.pop("atomic", False))
    if not (refresh or atomic) and all(v is None for v in defaults.values()):
        fast = _plan_bare_hosts(info, items, state)
        if fast is not None:
            return Planned(fast, (), None)
    desired = desired_entries(info, items, defaults)
    check_fit(info, desired)
    current = current_entries(info)
    return Planned(plan_entries(current, desired, state, refresh), desired, current)


def _plan_bare_hosts(info: SetInfo, items: Sequence[Any], state: str) -> Optional[EntryPlan]:
    """The accelerator of `plan`: `plan_entries` for the bulk case, comparing packed
    addresses, not `Entry` values.

    Applies to a hash:ip set without netmask or bitmask that holds nothing compared beyond
    the address, when every item is a bare address string (`_bare_hosts`) and no extension
    is asked for (`plan` checks the last part). None otherwise: take the general path.
    An `Entry` per item is most of the general path's time on 100k entries; here only what
    changes becomes one.
    """
    host = 128 if info.family == "inet6" else 32
    if info.type != "hash:ip" or not _plain(info) or "bitmask" in info.data:
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
