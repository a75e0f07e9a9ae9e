# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: pure planning for wifi_interface (normalise, plan, predict).

Nothing here talks to the kernel: `normalise` turns module options into a `Want`, `plan` compares
it with the interface the kernel reported (an `Interface`, or None) and the radios (`Phy`), and
returns the `Step`s that converge it; `predict` tells what the interface will look like after
them (the check-mode ``after``). The kernel does not report monitor flags or a mesh ID that is
not joined, so those are set when the interface is created or retyped and never compared.
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import (
    Interface,
    Phy,
    format_mac,
    parse_mac,
)

IFNAMSIZ = 16  # linux/if.h, including the NUL
MESH_ID_MAX = 32  # IEEE80211_MAX_MESH_ID_LEN


class Want(NamedTuple):
    """Normalised options of wifi_interface."""

    name: str
    state: str = "present"
    type: Optional[str] = None
    phy: Optional[str] = None  # 'phy0' (a name) or '0' (an index)
    mac: Optional[str] = None  # lower case, ':' separated
    monitor_flags: Optional[Tuple[str, ...]] = None  # sorted, unique; () is "none"
    mesh_id: Optional[str] = None
    use_4addr: Optional[bool] = None
    up: Optional[bool] = None


class Step(NamedTuple):
    """One change: ``action`` is create, delete, set_interface, set_mac or set_up."""

    action: str
    args: Dict[str, Any]


class OptionError(ValueError):
    """An option's value cannot work; the message names the option."""


# --------------------------------------------------------------------------- normalise


def normalise_type(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    name = value.strip().lower().replace("-", "_")
    name = {"managed": "station", "ibss": "adhoc", "mesh": "mesh_point", "mp": "mesh_point"}.get(
        name, name
    )
    if name not in u.IFTYPES:
        raise OptionError(
            "type: %r is not an nl80211 interface type (one of: %s)"
            % (value, ", ".join(sorted(u.IFTYPES)))
        )
    return name


def normalise_mac(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    try:
        raw = parse_mac(value.strip())
    except ValueError as exc:
        raise OptionError("mac: %s" % exc) from None
    if raw[0] & 1:
        raise OptionError("mac: %s is a multicast address" % value)
    return format_mac(raw)


def normalise_flags(values: Optional[Sequence[str]]) -> Optional[Tuple[str, ...]]:
    if values is None:
        return None
    names = sorted({v.strip().lower() for v in values})
    if "none" in names:
        if len(names) > 1:
            raise OptionError("monitor_flags: 'none' cannot be combined with other flags")
        return ()
    unknown = [n for n in names if n not in u.MNTR_FLAGS]
    if unknown:
        raise OptionError(
            "monitor_flags: unknown flag(s) %s (known: none, %s)"
            % (", ".join(unknown), ", ".join(sorted(u.MNTR_FLAGS)))
        )
    return tuple(names)


def normalise_phy(value: Any) -> Optional[str]:
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        raise OptionError("phy: must be a name such as phy0 or an index such as 0")
    return text


def normalise(params: Dict[str, Any]) -> Want:
    """Module options -> Want; OptionError names the offending option."""
    name = params.get("name") or ""
    if not name or len(name.encode("utf-8")) >= IFNAMSIZ or "/" in name or name.strip() != name:
        raise OptionError(
            "name: %r is not a valid interface name (1-%d bytes, no '/' or spaces)"
            % (name, IFNAMSIZ - 1)
        )
    if any(c.isspace() or c == ":" for c in name) or name in (".", ".."):
        raise OptionError("name: %r is not a valid interface name" % name)
    mesh_id = params.get("mesh_id")
    if mesh_id is not None and not 1 <= len(mesh_id.encode("utf-8")) <= MESH_ID_MAX:
        raise OptionError("mesh_id: must be 1 to %d bytes long" % MESH_ID_MAX)
    want = Want(
        name=name,
        state=params.get("state") or "present",
        type=normalise_type(params.get("type")),
        phy=normalise_phy(params.get("phy")),
        mac=normalise_mac(params.get("mac")),
        monitor_flags=normalise_flags(params.get("monitor_flags")),
        mesh_id=mesh_id,
        use_4addr=params.get("use_4addr"),
        up=params.get("up"),
    )
    if want.monitor_flags is not None and want.type not in (None, "monitor"):
        raise OptionError("monitor_flags: only for type monitor, not %s" % want.type)
    if want.mesh_id is not None and want.type not in (None, "mesh_point"):
        raise OptionError("mesh_id: only for type mesh_point, not %s" % want.type)
    return want


# --------------------------------------------------------------------------- plan


def find_phy(spec: str, phys: Sequence[Phy]) -> Phy:
    for phy in phys:
        if phy.name == spec or (spec.isdigit() and phy.index == int(spec)):
            return phy
    known = ", ".join("%s (%d)" % (p.name, p.index) for p in phys) or "none"
    raise OptionError("phy: there is no radio %r (radios: %s)" % (spec, known))


def _check_type(phy: Phy, iftype: str, name: str) -> None:
    if iftype not in phy.iftypes:
        raise OptionError(
            "type: %s cannot create interfaces of type %s (%s can be: %s)"
            % (phy.name, iftype, phy.name, ", ".join(phy.iftypes) or "nothing")
        )


def _create(want: Want, phy: Phy, iftype: str, use_4addr: Optional[bool]) -> Step:
    return Step(
        "create",
        {
            "phy": phy.index,
            "name": want.name,
            "iftype": iftype,
            "mac": want.mac,
            "use_4addr": use_4addr,
            "monitor_flags": want.monitor_flags if iftype == "monitor" else None,
            "mesh_id": want.mesh_id if iftype == "mesh_point" else None,
        },
    )


def plan(want: Want, current: Optional[Interface], phys: Sequence[Phy]) -> List[Step]:
    """The steps that take ``current`` to ``want``; [] when nothing is to be done."""
    if want.state == "absent":
        return [] if current is None else [Step("delete", {})]
    phy = find_phy(want.phy, phys) if want.phy is not None else None
    if current is None:
        if phy is None or want.type is None:
            missing = " and ".join(o for o, v in (("phy", phy), ("type", want.type)) if v is None)
            raise OptionError(
                "%s: needed to create %s, which does not exist" % (missing, want.name)
            )
        _check_type(phy, want.type, want.name)
        steps = [_create(want, phy, want.type, want.use_4addr)]
        if want.up:
            steps.append(Step("set_up", {"up": True}))
        return steps
    if phy is not None and phy.index != current.phy:
        iftype = want.type or current.type
        _check_type(phy, iftype, want.name)
        use_4addr = want.use_4addr if want.use_4addr is not None else current.use_4addr or None
        steps = [Step("delete", {}), _create(want, phy, iftype, use_4addr)]
        up = want.up if want.up is not None else current.up
        if up:
            steps.append(Step("set_up", {"up": True}))
        return steps
    steps = []
    change: Dict[str, Any] = {}
    if want.type is not None and want.type != current.type:
        own = next((p for p in phys if p.index == current.phy), None)
        if own is not None:
            _check_type(own, want.type, want.name)
        change["iftype"] = want.type
        if want.type == "monitor":
            change["monitor_flags"] = want.monitor_flags
        if want.type == "mesh_point":
            change["mesh_id"] = want.mesh_id
    if want.use_4addr is not None and want.use_4addr != current.use_4addr:
        change["use_4addr"] = want.use_4addr
    if change:
        steps.append(Step("set_interface", change))
    if want.mac is not None and want.mac != current.mac:
        steps.append(Step("set_mac", {"mac": want.mac}))
    if want.up is not None and want.up != current.up:
        steps.append(Step("set_up", {"up": want.up}))
    return steps


# --------------------------------------------------------------------------- views


def view(iface: Optional[Interface], phys: Sequence[Phy] = ()) -> Dict[str, Any]:
    """What the module shows of an interface (and compares in a diff)."""
    if iface is None:
        return {}
    names = {p.index: p.name for p in phys}
    return {
        "name": iface.name,
        "ifindex": iface.ifindex,
        "wdev": iface.wdev,
        "phy": names.get(iface.phy, "phy%d" % iface.phy),
        "phy_index": iface.phy,
        "type": iface.type,
        "mac": iface.mac,
        "up": iface.up,
        "use_4addr": iface.use_4addr,
    }


def predict(
    want: Want, current: Optional[Interface], steps: Sequence[Step], phys: Sequence[Phy]
) -> Dict[str, Any]:
    """The view after ``steps`` (for check mode); unknown values (a new ifindex) are None."""
    after = view(current, phys)
    names = {p.index: p.name for p in phys}
    for step in steps:
        args = step.args
        if step.action == "delete":
            after = {}
        elif step.action == "create":
            after = {
                "name": args["name"],
                "ifindex": None,
                "wdev": None,
                "phy": names.get(args["phy"], "phy%d" % args["phy"]),
                "phy_index": args["phy"],
                "type": args["iftype"],
                "mac": args["mac"],
                "up": False if args["iftype"] not in ("p2p_device", "nan") else None,
                "use_4addr": bool(args["use_4addr"]),
            }
        elif step.action == "set_interface":
            after["type"] = args.get("iftype", after.get("type"))
            if "use_4addr" in args:
                after["use_4addr"] = args["use_4addr"]
        elif step.action == "set_mac":
            after["mac"] = args["mac"]
        elif step.action == "set_up":
            after["up"] = args["up"]
    return after
