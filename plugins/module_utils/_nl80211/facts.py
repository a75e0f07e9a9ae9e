# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: nl80211 objects -> the JSON-friendly facts the modules return.

Pure functions: a `Phy`, an `Interface` or a decoded ``NL80211_BSS_*`` dict in, plain dicts of
str/int/bool/list out. Information elements are decoded by `ie`; channels by `channels`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import channels, ie
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import (
    Interface,
    Phy,
    format_mac,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import view


def _ssid_facts(decoded: Dict[str, Any]) -> Dict[str, Any]:
    return {k: decoded.get(k) for k in ("ssid", "ssid_hex", "hidden")}


def bss_facts(bss: Dict[str, Any]) -> Dict[str, Any]:
    """One scan result (a decoded NL80211_ATTR_BSS) as facts."""
    ies = bss.get("information_elements") or bss.get("beacon_ies") or b""
    capability = bss.get("capability", 0)
    decoded = ie.decode_ies(ies)
    freq = bss.get("frequency", 0)
    where = channels.describe_frequency(freq, bss.get("frequency_offset", 0)) if freq else {}
    status = bss.get("status")
    facts: Dict[str, Any] = {"bssid": format_mac(bss.get("bssid", b""))}
    facts.update(_ssid_facts(decoded))
    facts.update(
        {
            "frequency": freq,
            "channel": where.get("channel"),
            "band": where.get("band"),
            "width_mhz": channels.BSS_CHAN_WIDTH_MHZ.get(bss.get("chan_width", 0)),
            "signal_dbm": bss["signal_mbm"] / 100.0 if "signal_mbm" in bss else None,
            "signal_percent": bss.get("signal_unspec"),
            "last_seen_ms": bss.get("seen_ms_ago"),
            "beacon_interval_tu": bss.get("beacon_interval"),
            "tsf": bss.get("tsf"),
            "capability": capability,
            "capability_flags": [
                name for name, on in ie.decode_capability(capability).items() if on
            ],
            "status": None if status is None else u.BSS_STATUS_NAMES.get(status, str(status)),
            "associated": status == u.NL80211_BSS_STATUS_ASSOCIATED,
            "from_probe_response": bool(bss.get("presp_data")),
            "security": ie.security_summary(decoded, capability),
            "ies": decoded,
        }
    )
    return facts


def interface_facts(iface: Interface, phys: Sequence[Phy] = ()) -> Dict[str, Any]:
    """An interface as facts: the module's view plus channel, width and tx power."""
    facts = view(iface, phys)
    where = channels.describe_frequency(iface.frequency) if iface.frequency else {}
    facts.update(
        {
            "frequency": iface.frequency,
            "channel": where.get("channel"),
            "band": where.get("band"),
            "width": None if iface.width is None else channels.chan_width_name(iface.width),
            "center_freq1": iface.center_freq1,
            "txpower_dbm": iface.txpower_dbm,
        }
    )
    if iface.ssid is not None:
        element = bytes([ie.WLAN_EID_SSID, len(iface.ssid)]) + iface.ssid
        facts.update(_ssid_facts(ie.decode_ies(element)))
    return facts


def phy_facts(phy: Phy) -> Dict[str, Any]:
    """A radio as facts: supported types and the channels of each band."""
    return {
        "name": phy.name,
        "index": phy.index,
        "iftypes": list(phy.iftypes),
        "software_iftypes": list(phy.software_iftypes),
        "max_scan_ssids": phy.max_scan_ssids,
        "bands": {
            band: {
                "frequencies": [c["freq"] for c in chans],
                "disabled": [c["freq"] for c in chans if c.get("disabled")],
            }
            for band, chans in phy.bands.items()
        },
    }


def scan_facts(results: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Facts for a BSS list, strongest signal first."""
    out = [bss_facts(b) for b in results]
    return sorted(out, key=lambda b: (-(b["signal_dbm"] or -1000.0), b["bssid"]))


FACT = "netlink_wifi"  # the one key of ansible_facts every wifi fact lives under


def host_facts(
    phys: Sequence[Phy] = (),
    interfaces: Sequence[Interface] = (),
    scan: Optional[Dict[str, List[Dict[str, Any]]]] = None,
    unavailable: Optional[str] = None,
) -> Dict[str, Any]:
    """The host's wifi facts, all under `FACT` (never a name a role variable could have).

    ``unavailable`` is why there is no wireless stack (no nl80211): then ``available`` is
    false and the lists are empty, so a fleet of wired hosts gathers facts without failing.
    """
    return {
        FACT: {
            "available": unavailable is None,
            "reason": unavailable,
            "phys": [phy_facts(p) for p in phys],
            "interfaces": [interface_facts(i, phys) for i in interfaces],
            "scan": dict(scan or {}),
        }
    }
