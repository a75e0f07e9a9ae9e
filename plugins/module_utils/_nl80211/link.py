# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: pure planning for wifi_link (an interface's link to a network).

Nothing here talks to the kernel. `observe` reads the link from what the kernel reported (the
interface from GET_INTERFACE and its BSS list from GET_SCAN), `normalise` turns module options
into a `Want`, `plan` returns the `Step`s that take the link there, `predict` the check-mode
``after``. A station is connected when its BSS list holds a BSS in status *associated* (the SSID
of GET_INTERFACE alone is set as soon as a connection is attempted); an IBSS member has the SSID
of GET_INTERFACE; a mesh point is joined when it has a channel (Linux 6.1 does not report the
mesh ID of a joined mesh, so the mesh ID is not compared).
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Sequence

from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import channels, facts
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import (
    Interface,
    format_mac,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import (
    OptionError,
    Step,
    normalise_mac,
    normalise_type,
)

MODES = ("station", "adhoc", "mesh_point")
WIDTHS = tuple(channels.WIDTHS)  # 20_noht, 20, 40, 80, 160
WLAN_REASON_DEAUTH_LEAVING = 3  # IEEE 802.11-2020 Table 9-49: the station is leaving

# IEEE 802.11-2020 Table 9-50, status codes (the ones a connection attempt meets).
STATUS_CODES = {
    1: "unspecified failure",
    10: "cannot support all requested capabilities",
    11: "reassociation denied: association cannot be confirmed",
    12: "association denied for a reason outside the scope of the standard",
    13: "the responding station does not support the authentication algorithm",
    14: "authentication frame out of the expected sequence",
    15: "authentication rejected: challenge failure",
    16: "authentication rejected: timeout waiting for the next frame",
    17: "the AP cannot handle additional associated stations",
    18: "association denied: the station does not support all basic rates",
    19: "association denied: no short preamble support",
    25: "association denied: no short slot time support",
    27: "association denied: no HT support",
    30: "association rejected temporarily; try again later",
    31: "robust management frame policy violation",
    32: "unspecified, QoS-related failure",
    33: "association denied: not enough bandwidth at the AP",
    37: "the request has been declined",
    40: "invalid element",
    41: "invalid group cipher",
    42: "invalid pairwise cipher",
    43: "invalid AKMP (the network needs a key management this request did not offer)",
    44: "unsupported RSNE version",
    45: "invalid RSNE capabilities",
    46: "cipher suite rejected because of the security policy",
    53: "invalid PMKID",
    77: "authentication rejected: unsupported finite cyclic group",
    82: "association denied: the AP does not support the station's band",
}


class Want(NamedTuple):
    """Normalised options of wifi_link."""

    interface: str
    state: str = "present"
    mode: Optional[str] = None  # station, adhoc, mesh_point; None: the interface's type
    ssid: Optional[bytes] = None
    bssid: Optional[str] = None
    frequency: Optional[int] = None
    width: Optional[str] = None
    mesh_id: Optional[bytes] = None


class Link(NamedTuple):
    """The link of an interface, as the kernel reports it."""

    interface: str
    mode: str  # the interface type
    connected: bool  # associated / IBSS joined / mesh joined
    ssid: Optional[bytes]  # of a station or IBSS (set from the first connection attempt on)
    bssid: Optional[str]
    frequency: Optional[int]
    width: Optional[str]


# --------------------------------------------------------------------------- normalise


def _text(option: str, value: Optional[str]) -> Optional[bytes]:
    if value is None:
        return None
    raw = value.encode("utf-8")
    longest = u.IEEE80211_MAX_SSID_LEN  # also the mesh ID's
    if not 1 <= len(raw) <= longest:
        raise OptionError("%s: %r must be 1 to %d bytes long" % (option, value, longest))
    return raw


def normalise(params: Dict[str, Any]) -> Want:
    mode = normalise_type(params.get("mode"))
    if mode is not None and mode not in MODES:
        raise OptionError("mode: %r is not one of %s" % (params["mode"], ", ".join(MODES)))
    bssid = normalise_mac(params.get("bssid"))  # lower case; a multicast one is refused
    frequency = params.get("frequency")
    if frequency is not None and channels.freq_to_band(frequency) is None:
        raise OptionError("frequency: %s MHz is in no 802.11 band" % frequency)
    width = params.get("width")
    if width is not None and width not in WIDTHS:
        raise OptionError("width: %r is not one of %s" % (width, ", ".join(WIDTHS)))
    return Want(
        interface=params["interface"],
        state=params.get("state") or "present",
        mode=mode,
        ssid=_text("ssid", params.get("ssid")),
        bssid=bssid,
        frequency=frequency,
        width=width,
        mesh_id=_text("mesh_id", params.get("mesh_id")),
    )


def chandef(frequency: int, width: Optional[str]) -> Dict[str, int]:
    """NL80211_ATTR_CHANNEL_WIDTH and _CENTER_FREQ1 for a control channel and a width, the
    centre from the standard channel plan (`channels.center_freq1`). {} for no width."""
    if width is None:
        return {}
    value = channels.WIDTHS[width]
    try:
        center = channels.center_freq1(frequency, value)
    except ValueError as exc:
        raise OptionError("width: %s" % exc) from None
    return {"channel_width": value, "center_freq1": center}


# --------------------------------------------------------------------------- observe


def observe(iface: Interface, bss_list: Sequence[Dict[str, Any]]) -> Link:
    """The link of ``iface`` from GET_INTERFACE and its GET_SCAN list (decoded NL80211_BSS_*)."""
    status = {
        "station": u.NL80211_BSS_STATUS_ASSOCIATED,
        "adhoc": u.NL80211_BSS_STATUS_IBSS_JOINED,
    }.get(iface.type)
    bss = next((b for b in bss_list if status is not None and b.get("status") == status), None)
    if iface.type == "station":
        connected = bss is not None
    elif iface.type == "adhoc":
        connected = iface.ssid is not None
    else:
        connected = iface.frequency is not None
    width = channels.chan_width_name(iface.width) if iface.width is not None else None
    return Link(
        interface=iface.name,
        mode=iface.type,
        connected=connected,
        ssid=iface.ssid,
        bssid=format_mac(bss["bssid"]) if bss and "bssid" in bss else None,
        frequency=(bss or {}).get("frequency") if iface.type == "station" else iface.frequency,
        width=width if connected else None,
    )


def view(link: Link) -> Dict[str, Any]:
    """What the module shows of a link (and compares in a diff)."""
    return {
        "interface": link.interface,
        "mode": link.mode,
        "connected": link.connected,
        "ssid": None if link.ssid is None else link.ssid.decode("utf-8", "replace"),
        "bssid": link.bssid,
        "frequency": link.frequency,
        "width": link.width,
    }


# --------------------------------------------------------------------------- plan


def candidates(results: Sequence[Dict[str, Any]], want: Want) -> List[Dict[str, Any]]:
    """The known BSSs (decoded GET_SCAN entries) a station connect to ``want`` could pick, as
    facts (with their ``security``)."""
    out = []
    for bss in results:
        seen = facts.bss_facts(bss)
        if want.ssid is None or seen.get("ssid_hex") != want.ssid.hex():
            continue
        if want.bssid and seen["bssid"] != want.bssid:
            continue
        if want.frequency and seen["frequency"] != want.frequency:
            continue
        out.append(seen)
    return out


def keyed_refusal(name: str, found: Sequence[Dict[str, Any]]) -> Optional[str]:
    """The refusal when every known BSS of the network needs a key (or a handshake)."""
    if not found or any(b["security"] == ["open"] for b in found):
        return None
    kinds = sorted({label for b in found for label in b["security"]})
    return (
        "ssid: %s needs a key or a handshake (%s): wifi_link connects open networks only; "
        "use wpa_supplicant or NetworkManager for this network" % (name, ", ".join(kinds))
    )


def connect_failure(status: int, timeout_reason: Optional[int]) -> str:
    """A failed CONNECT result, worded: the IEEE status code and its meaning."""
    if status in (0, 1) and timeout_reason is not None:
        what = u.TIMEOUT_REASON_NAMES.get(timeout_reason, "")
        return "the attempt timed out%s (no open network of that name answered)" % (
            " during " + what if what else ""
        )
    return "refused with IEEE 802.11 status code %d (%s)" % (
        status,
        STATUS_CODES.get(status, "see IEEE 802.11 Table 9-50"),
    )


def _matches(want: Want, link: Link) -> bool:
    if not link.connected or link.mode != want.mode:
        return False
    if want.mode != "mesh_point" and link.ssid != want.ssid:
        return False
    if want.bssid is not None and want.mode != "mesh_point" and link.bssid != want.bssid:
        return False
    if want.frequency is not None and link.frequency != want.frequency:
        return False
    return want.width is None or want.mode == "station" or link.width == want.width


LEAVE = {"station": "disconnect", "adhoc": "leave_ibss", "mesh_point": "leave_mesh"}


def plan(want: Want, iface: Interface, link: Link, found: Sequence[Dict[str, Any]]) -> List[Step]:
    """The steps that take ``link`` to ``want``; [] when nothing is to be done. ``found``: the
    `candidates` of a station connect."""
    if iface.type not in MODES:
        raise OptionError(
            "interface: %s is of type %s; wifi_link manages station, adhoc and mesh_point "
            "interfaces" % (iface.name, iface.type)
        )
    if want.mode is not None and want.mode != iface.type:
        raise OptionError(
            "mode: %s, but %s is of type %s (change its type with linux.netlink.wifi_interface)"
            % (want.mode, iface.name, iface.type)
        )
    want = want._replace(mode=iface.type)
    pending = link.mode == "station" and link.ssid is not None  # an attempt under way
    if want.state == "absent":
        return [Step(LEAVE[link.mode], {})] if link.connected or pending else []
    needed = {"station": ("ssid",), "adhoc": ("ssid", "frequency"), "mesh_point": ("mesh_id",)}
    missing = [o for o in needed[want.mode] if getattr(want, o) is None]
    if missing:
        raise OptionError(
            "%s: needed for a link of a %s interface" % (" and ".join(missing), want.mode)
        )
    if _matches(want, link):
        return []
    if iface.up is False:
        raise OptionError(
            "interface: %s is down; bring it up first (linux.netlink.wifi_interface, up: true)"
            % iface.name
        )
    steps = [Step(LEAVE[link.mode], {})] if link.connected or pending else []
    if want.mode == "station":
        refusal = keyed_refusal((want.ssid or b"").decode("utf-8", "replace"), found)
        if refusal:
            raise OptionError(refusal)
        args = {"ssid": want.ssid, "bssid": want.bssid, "frequency": want.frequency}
        steps.append(Step("connect", args))
    elif want.mode == "adhoc":
        args = {"ssid": want.ssid, "frequency": want.frequency, "bssid": want.bssid}
        args["chandef"] = chandef(want.frequency or 0, want.width)
        steps.append(Step("join_ibss", args))
    else:
        args = {"mesh_id": want.mesh_id, "frequency": want.frequency}
        args["chandef"] = chandef(want.frequency, want.width) if want.frequency else {}
        steps.append(Step("join_mesh", args))
    return steps


def predict(link: Link, steps: Sequence[Step]) -> Dict[str, Any]:
    """The view after ``steps`` (check mode); what only the kernel can know is None."""
    after = view(link)
    for step in steps:
        args = step.args
        if step.action in LEAVE.values():
            after.update(connected=False, ssid=None, bssid=None, frequency=None, width=None)
        else:
            ssid = args.get("ssid")
            after.update(
                connected=True,
                ssid=None if ssid is None else ssid.decode("utf-8", "replace"),
                bssid=args.get("bssid"),
                frequency=args.get("frequency"),
                width=channels.chan_width_name(args["chandef"]["channel_width"])
                if args.get("chandef")
                else None,
            )
    return after
