# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: sets as users declare them, and how to converge the kernel.

Observe (`IpsetClient.get`) -> normalise (`types.normalise_create_options`) -> plan
(`plan_set`) -> apply (`apply_set`). The kernel cannot change a set's create options in
place, so a set that drifted is rebuilt beside the old one and swapped in atomically
(`rebuild`), keeping its entries and the firewall rules that reference it.
"""

from __future__ import annotations

import hashlib
import socket
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence

from ansible_collections.linux.netlink.plugins.module_utils._ipset import types
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (
    BatchResult,
    IpsetClient,
    SetInfo,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.entry import (
    entry_from_kernel,
    entry_text,
    format_extensions,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.errmsg import IpsetError
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import Error

IpsetInputError = types.IpsetInputError
_TEMP_PREFIX = "lnswap-"


class ApplyError(Error):
    """A change was refused part way; ``result`` says exactly what the kernel now holds."""

    def __init__(self, message: str, result: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.result = result or {}


class SetSpec(NamedTuple):
    """A set as the user declares it; options not given are None and not compared."""

    name: str
    type: str
    family: Optional[str]
    options: Mapping[str, Any]


class SetPlan(NamedTuple):
    """What `apply_set` will do: ``action`` is none, create, rebuild or destroy."""

    action: str
    drift: List[str]
    revision: int
    header: Dict[str, Any]


def check_name(name: str, what: str = "name") -> str:
    """Set names are 1..31 bytes (IPSET_MAXNAMELEN with its NUL)."""
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate, possible in JSON input
        raise IpsetInputError("%s %r is not valid Unicode text" % (what, name)) from None
    if not name or size > u.IPSET_MAXNAMELEN - 1:
        raise IpsetInputError(
            "%s %r must be 1 to %d bytes long" % (what, name, u.IPSET_MAXNAMELEN - 1)
        )
    if any(c in name for c in "\0\n"):
        raise IpsetInputError("%s %r contains a control character" % (what, name))
    return name


def temp_name(name: str) -> str:
    """The deterministic name of the set a rebuild of ``name`` fills before the swap."""
    return _TEMP_PREFIX + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------- describing sets


def ip_text(packed: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET6 if len(packed) == 16 else socket.AF_INET, packed)


def options_from_header(info: SetInfo) -> Dict[str, Any]:
    """The user-level create options of a listed set (the inverse of the normaliser)."""
    data = info.data
    out: Dict[str, Any] = {}
    for key in ("timeout", "hashsize", "maxelem", "bucketsize", "netmask", "markmask", "size"):
        if key in data:
            out[key] = data[key]
    flags = data.get("cadt_flags", 0)
    for name in types.FLAG_OPTIONS:
        bit = types.FLAG_BITS[name]
        out[name] = bool(flags & bit)
    if "bitmask" in data:
        out["bitmask"] = ip_text(data["bitmask"])
    if "initval" in data:
        out["initval"] = "0x%08x" % data["initval"]
    if "ip" in data and "ip_to" in data:
        out["range"] = "%s-%s" % (ip_text(data["ip"]), ip_text(data["ip_to"]))
    elif "port" in data and "port_to" in data:
        out["range"] = "%d-%d" % (data["port"], data["port_to"])
    return out


def describe(info: SetInfo, members: bool = False) -> Dict[str, Any]:
    """A set as modules return it: type, family, revision, options, counts, entries."""
    result: Dict[str, Any] = {
        "name": info.name,
        "type": info.type,
        "family": info.family if types.get_type(info.type).families else None,
        "revision": info.revision,
        "options": options_from_header(info),
        "references": info.data.get("references", 0),
        "memsize": info.data.get("memsize", 0),
        "entries": info.data.get("elements", len(info.elements or ())),
    }
    if members and info.elements is not None:
        result["members"] = entry_lines(info)
    return result


def kernel_types(client: IpsetClient) -> Dict[str, Dict[str, Any]]:
    """Which set types the kernel has, and their revisions (IPSET_CMD_TYPE per type)."""
    found: Dict[str, Dict[str, Any]] = {}
    for name, settype in sorted(types.SET_TYPES.items()):
        try:
            low, high = client.type_revisions(name, (settype.families or (None,))[0])
        except IpsetError as exc:
            if exc.errno != u.IPSET_ERR_FIND_TYPE:
                raise
            found[name] = {"supported": False}
            continue
        found[name] = {"supported": True, "revision_min": low, "revision_max": high}
    return found


def kernel_revision(client: IpsetClient, settype: str, family: Optional[str]) -> int:
    """The newest revision of ``settype`` the kernel has; IpsetInputError if it has none."""
    try:
        return client.type_revisions(settype, family)[1]
    except IpsetError as exc:
        if exc.errno != u.IPSET_ERR_FIND_TYPE:
            raise
    module = types.get_type(settype).source.rsplit(".", 1)[0]
    raise IpsetInputError(
        "the running kernel does not support set type %s (it is not built in and its module "
        "%s is not loaded or not available)" % (settype, module)
    )


def entry_lines(info: SetInfo) -> List[str]:
    """Entries in ``ipset save`` syntax (element, then its extensions), sorted."""
    lines = []
    for attrs in info.elements or ():
        entry = entry_from_kernel(info.type, info.family, attrs)
        lines.append(entry_text(entry) + format_extensions(entry.ext))
    lines.sort()
    return lines


# ---------------------------------------------------------------------- planning


def plan_set(
    spec: SetSpec, current: Optional[SetInfo], kernel_revision: int, state: str = "present"
) -> SetPlan:
    """Compare the declared set with the kernel's; raises IpsetInputError on bad options.

    ``state`` absent: destroy the set if it exists (nothing else of ``spec`` is looked at,
    nor ``kernel_revision``).
    """
    if state == "absent":
        return SetPlan("destroy" if current else "none", [], 0, {})
    settype = types.get_type(spec.type)
    family = types.type_family(spec.type, spec.family) or None
    header = types.normalise_create_options(spec.type, family, spec.options)
    given = {k: v for k, v in spec.options.items() if v is not None}
    needed = types.required_revision(spec.type, given)
    if needed > kernel_revision:
        late = [
            k for k in given if (types.option_min_revision(spec.type, k) or 0) > kernel_revision
        ]
        raise IpsetInputError(
            "option %s needs revision %d of set type %s; this kernel supports up to revision %d"
            % (", ".join(repr(k) for k in sorted(late)), needed, spec.type, kernel_revision)
        )
    revision = min(kernel_revision, settype.revision_max) if kernel_revision else 0
    revision = max(revision, needed)
    if current is None:
        return SetPlan("create", [], revision, header)
    drift = header_drift(spec, family, header, current)
    if not drift:
        return SetPlan("none", [], revision, header)
    return SetPlan("rebuild", drift, revision, rebuild_header(spec, family, header, current))


# Header values a rebuild keeps from the set it replaces when the declaration leaves them out.
_KEPT = ("timeout", "hashsize", "maxelem", "bucketsize", "markmask", "size")


def rebuild_header(
    spec: SetSpec, family: Optional[str], header: Mapping[str, Any], current: SetInfo
) -> Dict[str, Any]:
    """The header of the set that replaces ``current``: the declared options, plus what the
    current set has and the declaration does not mention (options not given are not
    compared, so a rebuild for one option must not drop the others: timeout or comment
    support, maxelem, ...). Only what the new type accepts is kept; netmask and bitmask only
    in the same family."""
    accepted = types.get_type(spec.type).options
    given = {k for k, v in spec.options.items() if v is not None}
    data = current.data
    out = dict(header)
    for key in _KEPT:
        if key not in given and key in accepted and key in data:
            out[key] = data[key]
    if family == current.family and not given & {"netmask", "bitmask"}:
        for key in ("netmask", "bitmask"):
            if key in accepted and key in data:
                out[key] = data[key]
    flags = out.get("cadt_flags", 0)
    for name in types.FLAG_OPTIONS:
        if name not in given and name in accepted:
            flags |= data.get("cadt_flags", 0) & types.FLAG_BITS[name]
    if flags:
        out["cadt_flags"] = flags
    return out


def header_drift(
    spec: SetSpec, family: Optional[str], header: Mapping[str, Any], current: SetInfo
) -> List[str]:
    """Names of the declared things the existing set does not have (sorted)."""
    drift: List[str] = []
    if current.type != spec.type:
        drift.append("type")
    if family and current.family != family:
        drift.append("family")
    have = options_from_header(current)
    want = options_from_header(SetInfo(spec.name, spec.type, family, 0, dict(header), None))
    for name in sorted(k for k, v in spec.options.items() if v is not None):
        if name == "hashsize":  # the kernel grows the hash with the set: only smaller drifts
            if have.get(name, 0) < want.get(name, 0):
                drift.append(name)
        elif have.get(name) != want.get(name):
            drift.append(name)
    return drift


# ---------------------------------------------------------------------- applying


def clean_leftover(client: IpsetClient, name: str, check_mode: bool = False) -> Optional[str]:
    """Deal with the temporary set an interrupted rebuild of ``name`` left (call under
    `locked`, so that no rebuild is running); returns a warning for the task, or None.

    A rebuild that changes type or family destroys the old set before it renames the new,
    complete one: if it was stopped between the two, the temporary set is the only copy of
    the entries, so it is renamed into place instead of destroyed.
    """
    temp = temp_name(name)
    if client.get(temp, elements=False) is None:
        return None
    if client.get(name, elements=False) is None:
        if not check_mode:
            client.rename(temp, name)
        return "%s set %r, the complete result of an interrupted rebuild, as %r" % (
            "would restore" if check_mode else "restored",
            temp,
            name,
        )
    if not check_mode:
        client.destroy(temp)
    return "%s set %r, left behind by an interrupted rebuild of %r" % (
        "would remove" if check_mode else "removed",
        temp,
        name,
    )


def rebuild(
    client: IpsetClient,
    name: str,
    settype: str,
    family: Optional[str],
    revision: int,
    header: Dict[str, Any],
    elements: Sequence[Dict[str, Any]],
    swap: bool = True,
) -> None:
    """Build a set beside ``name``, fill it, then put it in the old one's place.

    With ``swap`` (same type and family) the exchange is atomic: rules that reference the set
    never see it missing or half filled. Without it (another type or family; only for sets
    nothing references) the old set is destroyed and the new one renamed. A failure before
    that point destroys the half-built set and leaves the original exactly as it was.
    """
    temp = temp_name(name)
    clean_leftover(client, name)
    client.create(temp, settype, family, revision, header)
    try:
        result = client.add(temp, settype, family, elements)
        if result.error is not None:
            raise _batch_error(result, elements, "while filling the replacement set")
        if swap:
            client.swap(name, temp)
        else:
            client.destroy(name, must_exist=True)
    except BaseException:
        client.destroy(temp)
        raise
    if swap:
        client.destroy(temp)
    else:
        client.rename(temp, name)


def _batch_error(result: BatchResult, elements: Sequence[Dict[str, Any]], when: str) -> ApplyError:
    which = ""
    if result.failed is not None and result.failed < len(elements):
        which = "element %d " % (result.failed + 1)
    return ApplyError("%s%s: %s" % (which, when, result.error))


def fit_extensions(element: Dict[str, Any], header: Mapping[str, Any]) -> Dict[str, Any]:
    """A carried entry's extensions made to fit the new header.

    Extensions the new set was declared without are dropped (they were asked away); an entry
    without a timeout stays permanent (timeout 0) in a set that gains timeout support, instead
    of expiring after the set's default timeout.
    """
    flags = header.get("cadt_flags", 0)
    out = {}
    for key, value in element.items():
        needs = types.EXTENSION_FLAGS.get(key)
        if needs is None or flags & needs[0]:
            out[key] = value
    if "timeout" not in header:
        out.pop("timeout", None)
    elif "timeout" not in out:
        out["timeout"] = 0
    return out


def carry_entries(
    current: SetInfo, settype: str, family: Optional[str], header: Mapping[str, Any]
) -> List[Dict[str, Any]]:
    """The entries of ``current`` as elements of a set of ``settype``/``family``/``header``.

    Raises IpsetInputError naming the first entry that a set of the new type cannot hold,
    so that a rebuild never drops entries silently.
    """
    from ansible_collections.linux.netlink.plugins.module_utils._ipset.parse import (
        parse_entries,  # loaded here: ipset_entry never carries entries (see parse)
    )

    elements = current.elements or []
    if settype == current.type and family == current.family:
        return [fit_extensions(dict(m), header) for m in elements]
    out: List[Dict[str, Any]] = []
    for attrs in elements:
        entry = entry_from_kernel(current.type, current.family, attrs)
        try:
            (parsed,) = parse_entries([entry_text(entry)], settype, family)
        except (IpsetInputError, ValueError) as exc:
            raise IpsetInputError(
                "set %r cannot become %s%s: its member %r does not fit (%s); remove it first"
                % (current.name, settype, " family %s" % family if family else "",
                   entry_text(entry), exc)
            ) from None
        element = dict(parsed.data)
        element.update({k: v for k, v in entry.ext.items() if k not in ("nomatch", "wildcard")})
        out.append(fit_extensions(element, header))
    return out


def apply_set(
    client: IpsetClient, spec: SetSpec, plan: SetPlan, current: Optional[SetInfo]
) -> None:
    """Carry out a plan from `plan_set` (the caller handles check mode)."""
    family = types.type_family(spec.type, spec.family) or None
    if plan.action == "create":
        client.create(spec.name, spec.type, family, plan.revision, plan.header)
    elif plan.action == "destroy":
        client.destroy(spec.name)
    elif plan.action == "rebuild":
        full = client.get(spec.name, elements=True) or current
        if full is None:  # destroyed since it was observed
            raise ApplyError("set %r disappeared while it was being rebuilt" % spec.name)
        retyped = [d for d in plan.drift if d in ("type", "family")]
        if retyped and full.references:
            raise ApplyError(
                "set %r is referenced %d time(s) (by firewall rules or a list:set), so its %s "
                "cannot change: the kernel swaps only sets of the same type and family"
                % (spec.name, full.references, " and ".join(retyped))
            )
        elements = carry_entries(full, spec.type, family, plan.header)
        rebuild(
            client, spec.name, spec.type, family, plan.revision, plan.header, elements,
            swap=not retyped,
        )  # fmt: skip
