# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: nft sets and elements from user input, and the plans that
bring the kernel to them. Pure functions; nothing here talks to the kernel.

Elements are keyed by their key (for interval sets: by the interval) and compared with their
extras (map data, timeout, comment); an element whose extras differ is replaced (deleted and
added in the same transaction). Interval sets hold disjoint intervals, as the kernel stores
them: with ``auto_merge`` overlapping and adjacent intervals are merged (what nft does),
without it an overlap is refused, naming both elements.
"""

from __future__ import annotations

import operator
import re
from itertools import repeat
from typing import Any, Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._nftables import types as T
from ansible_collections.linux.netlink.plugins.module_utils._nftables.client import (
    BARE_TAIL,
    FAMILIES,
    FLAGS,
    POLICIES,
    Element,
    SetSpec,
    any_extras,
    plain_element,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables.types import (
    NftInputError,
)

_new = tuple.__new__
_COUNTED = (0, 0)  # Element.counter of a declared element that has a counter
_TIME = re.compile(r"(\d+)(ms|d|h|m|s)")
_UNIT_MS = {"d": 86400000, "h": 3600000, "m": 60000, "s": 1000, "ms": 1}
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_./-]{0,254}$")


def parse_time(value: Any, what: str) -> int:
    """Milliseconds from seconds (an int) or nft's time syntax (``1h30m``, ``10s``, ``500ms``)."""
    if value is None or value == "":
        return 0
    if isinstance(value, int) or str(value).isdigit():
        seconds = int(value)
        if seconds < 0:
            raise NftInputError("%s: %r is negative" % (what, value))
        return seconds * 1000
    text = str(value).strip().lower()
    pos, total = 0, 0
    for match in _TIME.finditer(text):
        if match.start() != pos:
            break
        total += int(match.group(1)) * _UNIT_MS[match.group(2)]
        pos = match.end()
    if pos != len(text) or not text:
        raise NftInputError("%s: %r is not a time (seconds, or such as 1h30m, 10s, 500ms)"
                            % (what, value))
    return total


def format_time(ms: int) -> str:
    """As nft prints a time: ``1h``, ``1d2h3m4s``, ``500ms``."""
    if not ms:
        return "0s"
    out = []
    for unit in ("d", "h", "m", "s", "ms"):
        count, ms = divmod(ms, _UNIT_MS[unit])
        if count:
            out.append("%d%s" % (count, unit))
    return "".join(out)


def check_name(value: str, what: str) -> str:
    if not value or not _NAME.match(value):
        raise NftInputError("%s: %r is not a valid nftables name" % (what, value))
    return value


# --------------------------------------------------------------------------- sets


def set_spec(params: Dict[str, Any]) -> SetSpec:
    """The set the user declared (nft_set's options), validated."""
    family = params["family"]
    if family not in FAMILIES:
        raise NftInputError("family: %r is not one of %s" % (family, ", ".join(FAMILIES)))
    if not params.get("type"):
        raise NftInputError("type: needed to create the set (such as ipv4_addr)")
    key = T.key_type(params["type"], "type")
    data = None
    if params.get("map"):
        data = T.key_type(params["map"], "map", verdict=True)
    flags = tuple(sorted(set(params.get("flags") or ())))
    for flag in flags:
        if flag not in FLAGS:
            raise NftInputError("flags: %r is not one of %s" % (flag, ", ".join(FLAGS)))
    timeout = parse_time(params.get("timeout"), "timeout")
    if timeout and "timeout" not in flags:
        flags = tuple(sorted(flags + ("timeout",)))
    if "interval" in flags and not (key.ordered or key.is_concat):
        raise NftInputError("flags: interval needs a key type ordered as a number (%s is not)"
                            % key.name)
    if params.get("auto_merge") and "interval" not in flags:
        raise NftInputError("auto_merge: needs flags: interval")
    if params.get("auto_merge") and key.is_concat:
        raise NftInputError("auto_merge: ranges of a concatenated key are not merged (the "
                            "kernel keeps each element as given)")
    policy = params.get("policy") or "performance"
    if policy not in POLICIES:
        raise NftInputError("policy: %r is not one of %s" % (policy, ", ".join(POLICIES)))
    size = params.get("size") or 0
    if size < 0 or size > 0xFFFFFFFF:
        raise NftInputError("size: %r is out of range" % size)
    comment = params.get("comment") or ""
    if T.utf8_length(comment, "comment") > 128:
        raise NftInputError("comment: longer than 128 bytes (nft's NFT_USERDATA limit)")
    return SetSpec(
        family=family,
        table=check_name(params["table"], "table"),
        name=check_name(params["name"], "name"),
        key=key,
        data=data,
        flags=flags,
        timeout=timeout,
        gc_interval=parse_time(params.get("gc_interval"), "gc_interval"),
        size=size,
        policy=policy,
        auto_merge=bool(params.get("auto_merge")),
        counter=bool(params.get("counter")),
        comment=comment,
    )


def set_differences(current: SetSpec, desired: SetSpec) -> List[str]:
    """The options that differ. The kernel changes none of them on a live set (NEWSET on an
    existing set only checks them: nf_tables_newset), so any difference needs a new set."""
    fields = ("key", "data", "flags", "timeout", "gc_interval", "size", "policy",
              "auto_merge", "counter", "comment")
    out = []
    for field in fields:
        if getattr(current, field) != getattr(desired, field):
            out.append("map" if field == "data" else "type" if field == "key" else field)
    return out


# option name -> SetSpec field
_OPTION_FIELDS = {"map": "data", "flags": "flags", "timeout": "timeout",
                  "gc_interval": "gc_interval", "size": "size", "policy": "policy",
                  "auto_merge": "auto_merge", "counter": "counter", "comment": "comment"}


def converge_spec(current: SetSpec, desired: SetSpec, given: Iterable[str]) -> SetSpec:
    """``desired`` with the current value of every option the user did not give (options
    not given are not compared, as in the ipset modules)."""
    given = set(given)
    changes: Dict[str, Any] = {}
    for option, field in _OPTION_FIELDS.items():
        if option not in given:
            changes[field] = getattr(current, field)
    if "flags" not in given and desired.timeout and "timeout" not in current.flags:
        changes["flags"] = tuple(sorted(current.flags + ("timeout",)))
    return desired._replace(**changes)


def carry_elements(old: SetSpec, new: SetSpec, elements: List[Element]) -> List[Element]:
    """The elements of ``old`` as they go into its replacement ``new``.

    Raises NftInputError when they cannot (another key or data type, or ranges into a set
    without intervals)."""
    if not elements:
        return []
    if old.key != new.key or old.data != new.data:
        raise NftInputError(
            "type/map: the set has %d elements of another type; they cannot be kept. Delete "
            "the set first (state: absent) to recreate it empty" % len(elements)
        )
    out = []
    for element in elements:
        if "interval" not in new.flags and element.last not in (None, element.key):
            raise NftInputError(
                "flags: the set holds the range %s, which a set without interval cannot"
                % T.format_interval(old.key, T.to_int(element.key), T.to_int(element.last))
            )
        if "interval" not in new.flags:
            element = element._replace(last=None)
        elif element.last is None:
            element = element._replace(last=element.key)
        timeout = element.timeout if "timeout" in new.flags else 0
        # a counter of its own (not the old set's) goes with the element, from zero again
        own = element.counter is not None and not old.counter
        counter = _COUNTED if new.counter or own else None
        out.append(element._replace(timeout=timeout, expires=0, counter=counter))
    return out


# --------------------------------------------------------------------------- elements


class Item(NamedTuple):
    """One element the user declared: its label (for messages) and the element."""

    label: str
    element: Element


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " . ".join(str(v) for v in value)
    return str(value).strip()


def parse_elements(spec: SetSpec, raws: Sequence[Any]) -> List[Item]:
    """Every element of a task (see `parse_element`); the first bad one raises, named.

    A list of address strings for a plain address set is parsed whole by `_address_texts`."""
    fast = _address_texts(spec, raws)
    if fast is not None:
        return fast
    if spec.data is not None or "interval" in spec.flags or spec.key.is_concat or spec.counter:
        return [parse_element(spec, raw) for raw in raws]
    parse = T.field_parser(spec.key)  # a set of plain keys: most elements are bare strings
    out = []
    for raw in raws:
        if isinstance(raw, str):
            text = raw.strip()
            try:
                out.append(_new(Item, (text, plain_element(parse(text)))))
                continue
            except NftInputError:
                pass  # worded (or a map value refused) by parse_element
        out.append(parse_element(spec, raw))
    return out


def _address_texts(spec: SetSpec, raws: Sequence[Any]) -> Optional[List[Item]]:
    """`parse_elements` for a set of plain addresses (no interval, map, concatenation or
    counter) when every element is a string the C library parses as one: each step mapped
    over the whole list. None otherwise (the general path then words the error)."""
    parse = T.C_PARSE.get(spec.key.fields[0].name)
    if parse is None or spec.data is not None or "interval" in spec.flags or spec.counter \
            or spec.key.is_concat or not raws:
        return None
    try:
        texts = list(map(str.strip, raws))  # TypeError: not all strings
        keys = list(map(parse, texts))  # OSError, ValueError (NUL, surrogates): not addresses
    except (TypeError, ValueError, OSError):
        return None
    elements = map(_new, repeat(Element), zip(keys, *map(repeat, BARE_TAIL)))
    return list(map(_new, repeat(Item), zip(texts, elements)))


def parse_element(spec: SetSpec, raw: Any) -> Item:
    """``"10.0.0.1"``, ``"10.0.0.0/24"``, ``"80 : accept"`` or a dict with ``key``
    (``elem``), ``value``, ``timeout``, ``comment``, ``counter``.

    An element has a counter (`_COUNTED`, values never compared) when it asks for one or when
    the set gives every element one (nft_set's ``counter``)."""
    counted = spec.counter
    if isinstance(raw, dict):
        unknown = set(raw) - {"key", "elem", "value", "timeout", "comment", "counter"}
        if unknown:
            raise NftInputError("element %r: unknown keys %s" % (raw, ", ".join(sorted(unknown))))
        key_text = _text(raw.get("key", raw.get("elem", "")))
        value = raw.get("value")
        timeout = parse_time(raw.get("timeout"), "element %s: timeout" % key_text)
        comment = str(raw.get("comment") or "")
        counter = raw.get("counter", False)
        if not isinstance(counter, bool):
            raise NftInputError("element %s: counter: %r is not true or false"
                                % (key_text, counter))
        counted = counted or counter
    else:
        text = _text(raw)
        key_text, sep, value_text = text.partition(" : ")
        value = value_text.strip() if sep else None
        key_text = key_text.strip()
        if key_text.endswith(" counter"):  # nft syntax, as format_element writes it
            key_text = key_text[: -len(" counter")].rstrip()
            counted = True
        timeout, comment = 0, ""
    label = key_text
    if not key_text:
        raise NftInputError("element %r: no key" % (raw,))
    try:
        if "interval" in spec.flags and spec.key.is_concat:
            first_key, last_key = T.parse_ranges(spec.key, key_text)
            element = Element(key=first_key, last=last_key)
        elif "interval" in spec.flags:
            first, last = T.parse_interval(spec.key, key_text)
            size = spec.key.fields[0].size
            element = Element(key=T.from_int(first, size), last=T.from_int(last, size))
        else:
            element = Element(key=T.parse_value(spec.key, key_text))
        if spec.data is not None:
            if value is None or value == "":
                raise NftInputError("the map needs a value (key : value)")
            if spec.data.is_verdict:
                element = element._replace(data=T.parse_verdict(str(value)))
            else:
                element = element._replace(data=T.parse_value(spec.data, str(value)))
        elif value is not None:
            raise NftInputError("a set (not a map) takes no value")
        if timeout and "timeout" not in spec.flags:
            raise NftInputError("timeout: the set has no timeout flag")
        if T.utf8_length(comment, "comment") > 128:
            raise NftInputError("comment: longer than 128 bytes")
    except NftInputError as exc:
        raise NftInputError("element %s: %s" % (label, exc)) from None
    return Item(label, element._replace(timeout=timeout, comment=comment,
                                        counter=_COUNTED if counted else None))


def read_elements_file(path: str) -> List[str]:
    """One element per line; blank lines and ``#`` comments skipped."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise NftInputError("path: cannot read %s: %s" % (path, exc.strerror)) from None
    lines: Iterable[str] = text.splitlines()
    if "#" in text:  # each step mapped over the whole file; skipped when it changes nothing
        lines = [line.split("#", 1)[0] for line in lines]
    lines = map(str.strip, lines)
    if "," in text:
        lines = map(_NO_COMMA, lines)
    return list(filter(None, lines))


_NO_COMMA = operator.methodcaller("rstrip", ",")


def format_key(spec: SetSpec, element: Element) -> str:
    """The element's key as ``nft list`` prints it: a value, or for interval sets a prefix or
    a range (per field, for a concatenation)."""
    if "interval" not in spec.flags:
        return T.format_value(spec.key, element.key)
    last = element.last if element.last is not None else element.key
    if spec.key.is_concat:
        return T.format_ranges(spec.key, element.key, last)
    return T.format_interval(spec.key, T.to_int(element.key), T.to_int(last))


def format_element(spec: SetSpec, element: Element) -> str:
    """The element as ``nft list`` prints it (key, ``: data``, timeout, comment)."""
    text = format_key(spec, element)
    if element.timeout and element.timeout != spec.timeout:
        text += " timeout %s" % format_time(element.timeout)
    if element.comment:
        text += ' comment "%s"' % element.comment
    if element.counter is not None and not spec.counter:  # its own, not the set's
        text += " counter"
    if spec.data is not None and element.data is not None:
        if isinstance(element.data, tuple):
            text += " : " + T.format_verdict(*element.data)
        else:
            text += " : " + T.format_value(spec.data, element.data)
    return text


def _identity(spec: SetSpec, element: Element) -> Any:
    """What makes two elements the same: not the time left, nor a counter's values, only
    whether the element has a counter."""
    timeout = element.timeout or spec.timeout if "timeout" in spec.flags else element.timeout
    return (element.key, element.last, element.data, timeout, element.comment,
            element.counter is not None)


def _key(element: Element) -> Tuple[bytes, Optional[bytes]]:
    return (element.key, element.last)


class ElementPlan(NamedTuple):
    delete: List[Element]
    add: List[Element]
    after: List[Element]

    @property
    def changed(self) -> bool:
        return bool(self.delete or self.add)


def _normalise_intervals(spec: SetSpec, items: Sequence[Item]) -> List[Item]:
    """Sorted, disjoint intervals: merged (auto_merge) or refused when they overlap."""
    ordered = sorted(items, key=lambda i: (T.to_int(i.element.key), T.to_int(i.element.last)))
    out: List[Item] = []
    for item in ordered:
        if out:
            prev = out[-1]
            p_last = T.to_int(prev.element.last)
            first = T.to_int(item.element.key)
            touches = first <= p_last + (1 if spec.auto_merge else 0)
            if touches:
                if not spec.auto_merge:
                    raise NftInputError(
                        "element %s overlaps element %s (the set has no auto_merge)"
                        % (item.label, prev.label)
                    )
                if _extras(prev.element) != _extras(item.element):
                    raise NftInputError(
                        "element %s would merge with element %s, but their value, timeout "
                        "or comment differ" % (item.label, prev.label)
                    )
                last = max(p_last, T.to_int(item.element.last))
                merged = prev.element._replace(last=T.from_int(last, len(prev.element.key)))
                out[-1] = Item(T.format_interval(spec.key, T.to_int(merged.key), last), merged)
                continue
        out.append(item)
    return out


def _extras(element: Element) -> Tuple[Any, ...]:
    return (element.data, element.timeout, element.comment, element.counter is not None)


def _subtract(spec: SetSpec, current: List[Element], remove: Sequence[Item]) -> List[Element]:
    out = []
    size = spec.key.fields[0].size
    for element in current:
        pieces = [(T.to_int(element.key), T.to_int(element.last))]
        for item in remove:
            lo, hi = T.to_int(item.element.key), T.to_int(item.element.last)
            next_pieces = []
            for a, b in pieces:
                if hi < a or lo > b:
                    next_pieces.append((a, b))
                    continue
                if a < lo:
                    next_pieces.append((a, lo - 1))
                if hi < b:
                    next_pieces.append((hi + 1, b))
            pieces = next_pieces
        for a, b in pieces:
            out.append(element._replace(key=T.from_int(a, size), last=T.from_int(b, size)))
    return out


def plan_elements(
    spec: SetSpec, current: List[Element], items: Sequence[Item], state: str
) -> ElementPlan:
    """What to delete and add so that the set holds ``items`` (present), lacks them
    (absent), or holds exactly them (exact).

    Bare keys on both sides (most large sets) are planned by `_plain_plan`."""
    fast = _plain_plan(spec, current, items, state)
    if fast is not None:
        return fast
    if "interval" in spec.flags and spec.key.is_concat:
        target = _box_target(spec, current, items, state)
    elif "interval" in spec.flags:
        wanted = _normalise_intervals(spec, items)
        if state == "exact":
            target = [i.element for i in wanted]
        elif state == "absent":
            target = _subtract(spec, current, wanted)
        else:
            have = [Item(format_element(spec, e), e) for e in current]
            if spec.auto_merge:
                target = [i.element for i in _normalise_intervals(spec, have + wanted)]
            else:
                index = {_key(i.element): i for i in have}
                extra = [i for i in wanted if _key(i.element) not in index]
                # a changed element replaces the one with the same interval
                replaced = {_key(i.element) for i in wanted if _key(i.element) in index}
                kept = [i for i in have if _key(i.element) not in replaced]
                same = [i for i in wanted if _key(i.element) in replaced]
                target = [i.element for i in _normalise_intervals(spec, kept + same + extra)]
    else:
        seen: Dict[bytes, Item] = {}
        for item in items:
            other = seen.get(item.element.key)
            if other is not None and _extras(other.element) != _extras(item.element):
                raise NftInputError("element %s is given twice with different values"
                                    % item.label)
            seen[item.element.key] = item
        if state == "exact":
            target = [i.element for i in seen.values()]
        elif state == "absent":
            target = [e for e in current if e.key not in seen]
        else:
            by_key = {e.key: e for e in current}
            for key, item in seen.items():
                by_key[key] = item.element
            target = list(by_key.values())
    have = {_identity(spec, e): e for e in current}
    want = {_identity(spec, e): e for e in target}
    delete = [e for i, e in have.items() if i not in want]
    add = [e for i, e in want.items() if i not in have]
    return ElementPlan(delete, add, target)


def _boxes_meet(spec: SetSpec, one: Element, other: Element) -> bool:
    """Whether two elements of a concatenated interval set share a key (every field's ranges
    meet)."""
    for (a0, a1), (b0, b1) in zip(T.field_bounds(spec.key, one.key, one.last or one.key),
                                  T.field_bounds(spec.key, other.key, other.last or other.key)):
        if a1 < b0 or b1 < a0:
            return False
    return True


def _meeting(spec: SetSpec, items: Sequence[Item]) -> Iterable[Tuple[Item, Item]]:
    """The pairs of ``items`` that share a key: a sweep along the first field, comparing
    only the elements whose first field's ranges meet."""
    size = spec.key.fields[0].size
    active: List[Item] = []
    for item in sorted(items, key=lambda i: i.element.key):
        start = item.element.key[:size]
        active = [a for a in active if (a.element.last or a.element.key)[:size] >= start]
        for other in active:
            if _boxes_meet(spec, other.element, item.element):
                yield other, item
        active.append(item)


def _box_target(spec: SetSpec, current: List[Element], items: Sequence[Item],
                state: str) -> List[Element]:
    """What a set with a concatenated interval key holds after the task. The kernel's
    pipapo set keeps each element as the box between its first and last key, and neither
    merges nor splits them: an element is kept, replaced or removed whole, and elements that
    share a key are refused (declared ones, and declared against those in the set)."""
    wanted: Dict[Tuple[bytes, Optional[bytes]], Item] = {}
    for item in items:
        other = wanted.get(_key(item.element))
        if other is not None and _extras(other.element) != _extras(item.element):
            raise NftInputError("element %s is given twice with different values" % item.label)
        wanted[_key(item.element)] = item
    for one, other in _meeting(spec, list(wanted.values())):
        raise NftInputError("element %s overlaps element %s (ranges of a concatenated key "
                            "must not share a key)" % (other.label, one.label))
    if state == "exact":
        return [i.element for i in wanted.values()]
    have = [Item(format_element(spec, e), e) for e in current if _key(e) not in wanted]
    fresh = set(id(i) for i in wanted.values())
    for one, other in _meeting(spec, have + list(wanted.values())):
        if (id(one) in fresh) != (id(other) in fresh):
            mine, theirs = (one, other) if id(one) in fresh else (other, one)
            raise NftInputError(
                "element %s overlaps element %s in the set (ranges of a concatenated key are "
                "%s whole, never split)" % (mine.label, theirs.label,
                                            "removed" if state == "absent" else "kept")
            )
    if state == "absent":
        return [i.element for i in have]
    return [i.element for i in have] + [i.element for i in wanted.values()]


def _plain_plan(
    spec: SetSpec, current: List[Element], items: Sequence[Item], state: str
) -> Optional[ElementPlan]:
    """`plan_elements` for a set without intervals, data or timeouts when every element on
    both sides is only a key: an element is then its key, and the plan is dict (ordered set)
    arithmetic on keys. None otherwise."""
    if spec.data is not None or "interval" in spec.flags or "timeout" in spec.flags:
        return None
    elements = list(map(_ELEMENT, items))
    if any_extras(current) or any_extras(elements):
        return None
    wanted: Dict[bytes, Element] = dict(zip(map(_KEY, elements), elements))
    have = dict(zip(map(_KEY, current), current))
    if state == "exact":
        after = list(wanted.values())
        delete = [e for k, e in have.items() if k not in wanted]
        add = [e for k, e in wanted.items() if k not in have]
    elif state == "absent":
        after = [e for e in current if e[0] not in wanted]
        delete = [e for k, e in have.items() if k in wanted]
        add = []
    elif have:
        merged = dict(have)
        merged.update(wanted)
        after = list(merged.values())
        delete = []
        add = [e for k, e in wanted.items() if k not in have]
    else:  # present into an empty set (a fill): everything wanted is added
        after, delete, add = list(wanted.values()), [], list(wanted.values())
    return ElementPlan(delete, add, after)


def labels(spec: SetSpec, elements: Sequence[Element]) -> List[str]:
    """Each element as ``nft list`` prints it (`format_element`); a list of bare addresses
    by `_address_labels`."""
    fast = _address_labels(spec, elements)
    if fast is not None:
        return fast
    return [format_element(spec, e) for e in elements]


_KEY = operator.itemgetter(0)  # Element.key
_ELEMENT = operator.itemgetter(1)  # Item.element


def _address_labels(spec: SetSpec, elements: Sequence[Element]) -> Optional[List[str]]:
    """`labels` of elements that are all a bare address key outside interval sets: the C
    library's formatter mapped over the keys. None otherwise."""
    fmt = T.C_FORMAT.get(spec.key.fields[0].name) if len(spec.key.fields) == 1 else None
    if fmt is None or "interval" in spec.flags or not elements:
        return None
    if any_extras(elements):
        return None
    try:
        return list(map(fmt, map(_KEY, elements)))
    except ValueError:  # a key of another length: the general path says so
        return None


def labeller(spec: SetSpec) -> Callable[[Element], str]:
    """What names an element in an error: its nft syntax."""
    return lambda element: format_element(spec, element)
