# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: sets as users declare them, and how to converge the kernel.

Observe (`IpsetClient.get`) -> normalise (`types.normalise_create_options`) -> plan
(`plan_set`) -> apply (`apply_set`). The kernel cannot change a set's create options in
place, so a set that drifted is rebuilt beside the old one and swapped in atomically
(`swap.rebuild`), keeping its entries and the firewall rules that reference it. What
converging a set's entries needs too (names, the rebuild, leftovers) is in `swap`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, NamedTuple, Optional

from ansible_collections.linux.netlink.plugins.module_utils._ipset import types, typetable
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (
    IpsetClient,
    SetInfo,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.entry import (
    entry_text,
    format_extensions,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.errmsg import IpsetError
from ansible_collections.linux.netlink.plugins.module_utils._ipset.listing import (
    entry_from_kernel,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.swap import (
    ApplyError,
    ip_text,
    range_text,
    rebuild,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.typetable import IpsetInputError


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


# ---------------------------------------------------------------------- describing sets


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
    span = range_text(data)
    if span is not None:
        out["range"] = span
    return out


def describe(info: SetInfo, members: bool = False) -> Dict[str, Any]:
    """A set as modules return it: type, family, revision, options, counts, entries."""
    result: Dict[str, Any] = {
        "name": info.name,
        "type": info.type,
        "family": info.family if typetable.get_type(info.type).families else None,
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
    for name, settype in sorted(typetable.SET_TYPES.items()):
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
    module = typetable.get_type(settype).source.rsplit(".", 1)[0]
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
    settype = typetable.get_type(spec.type)
    family = typetable.type_family(spec.type, spec.family) or None
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
    accepted = typetable.get_type(spec.type).options
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

def fit_extensions(element: Dict[str, Any], header: Mapping[str, Any]) -> Dict[str, Any]:
    """A carried entry's extensions made to fit the new header.

    Extensions the new set was declared without are dropped (they were asked away); an entry
    without a timeout stays permanent (timeout 0) in a set that gains timeout support, instead
    of expiring after the set's default timeout.
    """
    flags = header.get("cadt_flags", 0)
    out = {}
    for key, value in element.items():
        needs = typetable.EXTENSION_FLAGS.get(key)
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
    family = typetable.type_family(spec.type, spec.family) or None
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
