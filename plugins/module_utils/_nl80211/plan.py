# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: pure planning for wifi_interface (normalise, plan, predict).

Nothing here talks to the kernel: `normalise` turns module options into a `Want`, `plan` compares
it with the interface the kernel reported (an `Interface`, or None) and the radios (`Phy`), and
returns the `Step`s that converge it; `predict` tells what the interface will look like after
them (the check-mode ``after``). The kernel does not report monitor flags or a mesh ID that is
not joined, so those are set when the interface is created or retyped and never compared.
The channel, transmit power and power save are compared with what the kernel reports (see
`_txpower_differs` for what a transmit power setting is compared by).
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import IFNAMSIZ
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import channels
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import (
    Interface,
    Phy,
    format_mac,
    parse_mac,
)


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
    frequency: Optional[int] = None  # MHz
    width: Optional[int] = None  # enum nl80211_chan_width; None: only the frequency compared
    center_freq1: Optional[int] = None  # MHz; derived from the channel plan when not given
    txpower: Optional[Tuple[str, Optional[int]]] = None  # ("auto", None), ("limit", dBm), ...
    power_save: Optional[bool] = None


class Step(NamedTuple):
    """One change: ``action`` is create, delete, set_interface, set_mac, set_up, set_channel,
    set_txpower or set_power_save."""

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


def _integer(option: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise OptionError("%s: %r is not a whole number" % (option, value))
    try:
        number = float(value)
    except ValueError:
        raise OptionError("%s: %r is not a whole number" % (option, value)) from None
    if number != int(number):
        raise OptionError("%s: %r is not a whole number" % (option, value))
    return int(number)


def normalise_channel(
    frequency: Any, width: Any, center: Any
) -> Tuple[Optional[int], Optional[int], Optional[int]]:
    """(frequency, width, center_frequency1) options -> (MHz, enum nl80211_chan_width, MHz);
    the centre is derived from the standard channel plan when a width is given without it."""
    if frequency is None:
        for option, value in (("width", width), ("center_frequency1", center)):
            if value is not None:
                raise OptionError("%s: needs frequency" % option)
        return None, None, None
    freq = _integer("frequency", frequency)
    if freq <= 0 or channels.freq_to_channel(freq) is None:
        raise OptionError("frequency: %s MHz is not the centre of a 20 MHz channel" % frequency)
    if width is None:
        if center is not None:
            raise OptionError("center_frequency1: needs width")
        return freq, None, None
    name = str(width).strip().lower()
    if name not in channels.WIDTHS:
        raise OptionError("width: %r is not one of %s" % (width, ", ".join(channels.WIDTHS)))
    code = channels.WIDTHS[name]
    if center is None:
        try:
            return freq, code, channels.center_freq1(freq, code)
        except ValueError as exc:
            raise OptionError("center_frequency1: cannot be derived (%s); give it" % exc) from None
    centre = _integer("center_frequency1", center)
    half = channels.CHAN_WIDTH_MHZ[code] // 2
    offset = abs(centre - freq)
    if (half == 10 and offset) or (half > 10 and (offset > half - 10 or (offset - 10) % 20)):
        raise OptionError(
            "center_frequency1: %d MHz is not the centre of a %s MHz channel holding %d MHz"
            % (centre, name, freq)
        )
    return freq, code, centre


def normalise_txpower(value: Any) -> Optional[Tuple[str, Optional[int]]]:
    """'auto' or {mode: limit|fixed, dbm: N} -> ("auto", None) / (mode, N)."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() == "auto":
        return ("auto", None)
    if not isinstance(value, dict):
        raise OptionError("txpower: %r is neither 'auto' nor {mode: limit|fixed, dbm: N}" % value)
    unknown = sorted(set(value) - {"mode", "dbm"})
    if unknown:
        raise OptionError("txpower: unknown key(s) %s (mode, dbm)" % ", ".join(unknown))
    mode = str(value.get("mode", "")).strip().lower()
    if mode == "auto":
        if value.get("dbm") is not None:
            raise OptionError("txpower: mode auto takes no dbm")
        return ("auto", None)
    if mode not in ("limit", "fixed"):
        raise OptionError("txpower: mode %r is not one of auto, limit, fixed" % value.get("mode"))
    if value.get("dbm") is None:
        raise OptionError("txpower: mode %s needs dbm" % mode)
    return (mode, _integer("txpower.dbm", value["dbm"]))


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
    longest = u.IEEE80211_MAX_MESH_ID_LEN
    if mesh_id is not None and not 1 <= len(mesh_id.encode("utf-8")) <= longest:
        raise OptionError("mesh_id: must be 1 to %d bytes long" % longest)
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
        txpower=normalise_txpower(params.get("txpower")),
        power_save=params.get("power_save"),
    )
    freq, width, centre = normalise_channel(
        params.get("frequency"), params.get("width"), params.get("center_frequency1")
    )
    want = want._replace(frequency=freq, width=width, center_freq1=centre)
    if want.frequency is not None and want.type not in (None, "monitor"):
        raise OptionError(_CHANNEL_OWNERS % want.type)
    if want.monitor_flags is not None and want.type not in (None, "monitor"):
        raise OptionError("monitor_flags: only for type monitor, not %s" % want.type)
    if want.mesh_id is not None and want.type not in (None, "mesh_point"):
        raise OptionError("mesh_id: only for type mesh_point, not %s" % want.type)
    return want


# --------------------------------------------------------------------------- plan

_CHANNEL_OWNERS = (
    "frequency: only a monitor interface is tuned by this module, not %s (the kernel keeps "
    "the channel of an ap, p2p_go or mesh_point interface for when its BSS starts and reports "
    "none before; stations, IBSS and mesh take theirs when they join: see wifi_link)"
)


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


def plan(
    want: Want,
    current: Optional[Interface],
    phys: Sequence[Phy],
    power_save: Optional[bool] = None,
) -> List[Step]:
    """The steps that take ``current`` to ``want``; [] when nothing is to be done.
    ``power_save``: what NL80211_CMD_GET_POWER_SAVE reported (read when it is wanted)."""
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
        return steps + _plan_radio_settings(want, None, [phy], None, steps)
    if phy is not None and phy.index != current.phy:
        iftype = want.type or current.type
        _check_type(phy, iftype, want.name)
        use_4addr = want.use_4addr if want.use_4addr is not None else current.use_4addr or None
        steps = [Step("delete", {}), _create(want, phy, iftype, use_4addr)]
        up = want.up if want.up is not None else current.up
        if up:
            steps.append(Step("set_up", {"up": True}))
        return steps + _plan_radio_settings(want, None, [phy], None, steps)
    steps = _plan_interface(want, current, phys)
    steps += _plan_radio_settings(want, current, phys, power_save, steps)
    return steps


def _plan_interface(want: Want, current: Interface, phys: Sequence[Phy]) -> List[Step]:
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
    joined = current.mesh_id if current.type == "mesh_point" else None
    if want.mesh_id is not None and joined is not None and joined != want.mesh_id.encode():
        raise OptionError(
            "mesh_id: %s is in mesh %r, not %r; the kernel keeps the ID of a joined mesh: "
            "leave it and join again (linux.netlink.wifi_link)"
            % (want.name, joined.decode("utf-8", "replace"), want.mesh_id)
        )
    if change:
        steps.append(Step("set_interface", change))
    if want.mac is not None and want.mac != current.mac:
        steps.append(Step("set_mac", {"mac": want.mac}))
    if want.up is not None and want.up != current.up:
        steps.append(Step("set_up", {"up": want.up}))
    return steps


def _channel_max_dbm(phys: Sequence[Phy], phy: int, freq: Optional[int]) -> Optional[float]:
    for radio in phys:
        if radio.index == phy:
            for chans in radio.bands.values():
                for chan in chans:
                    if chan.get("freq") == freq:
                        return chan.get("max_tx_power_dbm")
    return None


def _txpower_differs(
    wanted: Tuple[str, Optional[int]], level: Optional[float], max_dbm: Optional[float]
) -> bool:
    """The kernel reports only the current level (NL80211_ATTR_WIPHY_TX_POWER_LEVEL), not the
    setting. fixed: differs unless the level is dbm; limit: unless the level is at most dbm;
    auto: when the level is below the channel's maximum (NL80211_FREQUENCY_ATTR_MAX_TX_POWER),
    and not compared when either is unknown."""
    mode, dbm = wanted
    if mode == "auto":
        return level is not None and max_dbm is not None and level < max_dbm
    if level is None:
        return True
    return level != dbm if mode == "fixed" else level > dbm  # type: ignore[operator]


def _plan_radio_settings(
    want: Want,
    current: Optional[Interface],
    phys: Sequence[Phy],
    power_save: Optional[bool],
    steps: Sequence[Step],
) -> List[Step]:
    """Transmit power, channel and power save, after the interface steps. The power goes
    first: mac80211 applies a radio's new level when it next tunes."""
    out = []
    iftype = next((s.args["iftype"] for s in steps if "iftype" in s.args), None)
    iftype = iftype or (current.type if current else None)
    up = next((s.args["up"] for s in reversed(steps) if s.action == "set_up"), None)
    if up is None:
        up = bool(current and current.up)
    fresh = current is None or any(s.action == "create" for s in steps)
    if want.txpower is not None:
        level = None if fresh or current is None else current.txpower_dbm
        freq = want.frequency or (current.frequency if current else None)
        phy = current.phy if current else (phys[0].index if phys else -1)
        if fresh and want.txpower[0] == "auto":
            pass  # a new interface starts with the automatic setting
        elif fresh or _txpower_differs(want.txpower, level, _channel_max_dbm(phys, phy, freq)):
            mode, dbm = want.txpower
            out.append(
                Step("set_txpower", {"mode": mode, "dbm": dbm, "radio": iftype == "monitor"})
            )
    if want.frequency is not None:
        if iftype != "monitor":
            raise OptionError(_CHANNEL_OWNERS % iftype)
        if not up:
            raise OptionError(
                "frequency: the kernel tunes a monitor interface only while it is up; add up: true"
            )
        width = channels.NL80211_CHAN_WIDTH_20_NOHT if want.width is None else want.width
        centre = want.frequency if want.width is None else want.center_freq1
        same = not fresh and current is not None and current.frequency == want.frequency
        if same and want.width is not None:
            same = (current.width, current.center_freq1) == (want.width, want.center_freq1)
        if not same:
            out.append(
                Step(
                    "set_channel",
                    {"frequency": want.frequency, "width": width, "center_freq1": centre},
                )
            )
    if want.power_save is not None and (fresh or power_save != want.power_save):
        out.append(Step("set_power_save", {"enabled": want.power_save}))
    return out


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
    want: Want,
    current: Optional[Interface],
    steps: Sequence[Step],
    phys: Sequence[Phy],
    base: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """The view after ``steps`` (for check mode); unknown values (a new ifindex) are None.
    ``base``: what the module shows of ``current`` (default: `view`)."""
    after = dict(base) if base is not None else view(current, phys)
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
        elif step.action == "set_channel":
            where = channels.describe_frequency(args["frequency"])
            after.update(
                frequency=args["frequency"],
                channel=where["channel"],
                band=where["band"],
                width=channels.chan_width_name(args["width"]),
                center_freq1=args["center_freq1"],
            )
        elif step.action == "set_txpower":
            after["txpower_dbm"] = None if args["mode"] == "auto" else float(args["dbm"])
        elif step.action == "set_power_save":
            after["power_save"] = args["enabled"]
    return after
