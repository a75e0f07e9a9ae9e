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
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import OptionError, view


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
                "channels": [channel_facts(c) for c in chans],
            }
            for band, chans in phy.bands.items()
        },
        "ciphers": [
            {"name": ie.cipher_suite_name(c), "selector": _selector(c)} for c in phy.cipher_suites
        ],
        "interface_combinations": [combination_facts(c) for c in phy.combinations],
    }


def _selector(suite: int) -> str:
    """A suite selector as iw prints it beside the name: 00-0f-ac:4."""
    return "%02x-%02x-%02x:%d" % (suite >> 24, (suite >> 16) & 0xFF, (suite >> 8) & 0xFF,
                                  suite & 0xFF)  # fmt: skip


def channel_facts(chan: Dict[str, Any]) -> Dict[str, Any]:
    """One channel of a band (model._channel): number, flags, maximum power, DFS state."""
    facts = {
        "frequency": chan.get("freq"),
        "channel": channels.freq_to_channel(chan.get("freq") or 0),
        "disabled": chan.get("disabled", False),
        "no_ir": chan.get("no_ir", False),
        "radar": chan.get("radar", False),
        "max_power_dbm": chan.get("max_tx_power_dbm"),
    }
    for key in ("dfs_state", "dfs_cac_ms"):
        facts[key] = chan.get(key)
    return facts


def _bits(value: int, names: Dict[int, str]) -> List[str]:
    return [names[bit] for bit in sorted(names) if value & (1 << bit)]


def combination_facts(comb: Dict[str, Any]) -> Dict[str, Any]:
    """One NL80211_ATTR_INTERFACE_COMBINATIONS entry: how many interfaces of which types may
    run at once, on how many channels (as `iw list`'s "valid interface combinations")."""
    return {
        "limits": [
            {
                "max": limit.get("max"),
                "types": [u.IFTYPE_NAMES.get(t, str(t)) for t in limit.get("types", [])],
            }
            for limit in comb.get("limits", [])
        ],
        "total": comb.get("maxnum"),
        "channels": comb.get("num_channels"),
        "sta_ap_beacon_interval_match": bool(comb.get("sta_ap_bi_match")),
        "radar_detect_widths": _bits(comb.get("radar_detect_widths", 0), channels.CHAN_WIDTH_NAMES),
        "radar_detect_regions": _bits(comb.get("radar_detect_regions", 0), u.DFS_REGION_NAMES),
        "beacon_interval_min_gcd": comb.get("bi_min_gcd"),
    }


# --------------------------------------------------------------------------- stations

# NL80211_RATE_INFO_*_WIDTH flags -> MHz (none of them: 20 MHz); 80+80 counts as 160, as in
# channels.CHAN_WIDTH_MHZ
_RATE_WIDTHS = (
    ("5_mhz_width", 5), ("10_mhz_width", 10), ("40_mhz_width", 40), ("80_mhz_width", 80),
    ("80p80_mhz_width", 160), ("160_mhz_width", 160), ("320_mhz_width", 320),
)  # fmt: skip
_RATE_FIELDS = ("mcs", "vht_mcs", "vht_nss", "he_mcs", "he_nss", "he_gi", "he_dcm",
                "he_ru_alloc", "eht_mcs", "eht_nss", "eht_gi", "eht_ru_alloc")  # fmt: skip


def rate_facts(rate: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """A decoded NL80211_RATE_INFO nest: ``mbps`` (BITRATE32, else BITRATE; units of 100 kbit/s,
    None when the kernel gave neither), ``width_mhz``, ``short_gi`` and the MCS/NSS/GI fields
    of 802.11n/ac/ax/be (None when absent)."""
    if rate is None:
        return None
    bitrate = rate.get("bitrate32", rate.get("bitrate"))
    width = 20
    for key, mhz in _RATE_WIDTHS:
        if rate.get(key):
            width = mhz
    facts: Dict[str, Any] = {
        "mbps": bitrate / 10.0 if bitrate else None,
        "width_mhz": width,
        "short_gi": bool(rate.get("short_gi")),
    }
    facts.update((key, rate.get(key)) for key in _RATE_FIELDS)
    return facts


def _sta_flags(update: Optional[Any]) -> Dict[str, bool]:
    """struct nl80211_sta_flag_update -> {name: set?} for the flags in its mask (what iw shows)."""
    if not update:
        return {}
    mask, setting = update
    return {
        name: bool(setting & (1 << bit))
        for bit, name in sorted(u.STA_FLAG_NAMES.items())
        if mask & (1 << bit)
    }


def _name_of(names: Sequence[str], value: Optional[int]) -> Optional[str]:
    if value is None:
        return None
    return names[value] if 0 <= value < len(names) else str(value)


def station_facts(reply: Dict[str, Any]) -> Dict[str, Any]:
    """One GET_STATION reply (``mac`` and ``sta_info``) as facts. Counters are the kernel's
    (bytes: the 64-bit ones when given); absent values are None."""
    info = reply.get("sta_info", {})
    bss = info.get("bss_param")
    throughput = info.get("expected_throughput")
    return {
        "mac": format_mac(reply.get("mac", b"")),
        "signal_dbm": info.get("signal"),
        "signal_avg_dbm": info.get("signal_avg"),
        "chain_signal_dbm": info.get("chain_signal"),
        "beacon_signal_avg_dbm": info.get("beacon_signal_avg"),
        "ack_signal_dbm": info.get("ack_signal"),
        "tx_bitrate": rate_facts(info.get("tx_bitrate")),
        "rx_bitrate": rate_facts(info.get("rx_bitrate")),
        "expected_throughput_mbps": None if throughput is None else throughput / 1000.0,
        "inactive_ms": info.get("inactive_time"),
        "connected_s": info.get("connected_time"),
        "associated_at_boottime_ns": info.get("assoc_at_boottime"),
        "rx_bytes": info.get("rx_bytes64", info.get("rx_bytes")),
        "tx_bytes": info.get("tx_bytes64", info.get("tx_bytes")),
        "rx_packets": info.get("rx_packets"),
        "tx_packets": info.get("tx_packets"),
        "tx_retries": info.get("tx_retries"),
        "tx_failed": info.get("tx_failed"),
        "rx_drop_misc": info.get("rx_drop_misc"),
        "beacon_loss": info.get("beacon_loss"),
        "beacon_rx": info.get("beacon_rx"),
        "rx_duration_us": info.get("rx_duration"),
        "tx_duration_us": info.get("tx_duration"),
        "flags": _sta_flags(info.get("sta_flags")),
        "bss": None
        if bss is None
        else {
            "cts_protection": bool(bss.get("cts_prot")),
            "short_preamble": bool(bss.get("short_preamble")),
            "short_slot_time": bool(bss.get("short_slot_time")),
            "dtim_period": bss.get("dtim_period"),
            "beacon_interval_tu": bss.get("beacon_interval"),
        },
        "mesh": None
        if "plink_state" not in info and "llid" not in info
        else {
            "llid": info.get("llid"),
            "plid": info.get("plid"),
            "plink_state": _name_of(u.PLINK_STATE_NAMES, info.get("plink_state")),
            "airtime_link_metric": info.get("airtime_link_metric"),
            "connected_to_gate": _bool_or_none(info.get("connected_to_gate")),
            "connected_to_as": _bool_or_none(info.get("connected_to_as")),
            "local_power_mode": _name_of(u.MESH_POWER_MODE_NAMES, info.get("local_pm")),
            "peer_power_mode": _name_of(u.MESH_POWER_MODE_NAMES, info.get("peer_pm")),
            "nonpeer_power_mode": _name_of(u.MESH_POWER_MODE_NAMES, info.get("nonpeer_pm")),
        },
    }


def _bool_or_none(value: Optional[int]) -> Optional[bool]:
    return None if value is None else bool(value)


def stations_facts(replies: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """A GET_STATION dump as facts, by MAC address."""
    return sorted((station_facts(r) for r in replies), key=lambda s: s["mac"])


# --------------------------------------------------------------------------- link, survey

LINKED = {
    u.NL80211_BSS_STATUS_ASSOCIATED,
    u.NL80211_BSS_STATUS_AUTHENTICATED,
    u.NL80211_BSS_STATUS_IBSS_JOINED,
}
_LINK_COUNTERS = ("rx_bytes", "rx_packets", "tx_bytes", "tx_packets", "connected_s", "inactive_ms")


def link_facts(
    results: Sequence[Dict[str, Any]], stations: Sequence[Dict[str, Any]]
) -> Dict[str, Any]:
    """An interface's link, as `iw dev X link` finds it: the BSS of its scan list (GET_SCAN)
    that carries a status (associated, authenticated, IBSS joined), and the station entry
    (GET_STATION) of that BSSID for signal, bitrates and counters. Not connected: ``connected``
    false and the rest None."""
    bss = next((b for b in results if b.get("status") in LINKED), None)
    facts: Dict[str, Any] = {"connected": False, "status": None, "bssid": None}
    facts.update((key, None) for key in ("ssid", "ssid_hex", "frequency", "channel", "band"))
    facts.update((key, None) for key in ("signal_dbm", "tx_bitrate", "rx_bitrate"))
    facts.update((key, None) for key in _LINK_COUNTERS + ("beacon_interval_tu", "dtim_period"))
    if bss is None:
        return facts
    seen = bss_facts(bss)
    status = bss["status"]
    facts.update({key: seen[key] for key in ("bssid", "ssid", "ssid_hex", "frequency")})
    facts.update({key: seen[key] for key in ("channel", "band", "beacon_interval_tu")})
    facts["status"] = seen["status"]
    facts["connected"] = status != u.NL80211_BSS_STATUS_AUTHENTICATED
    peer = next((s for s in stations_facts(stations) if s["mac"] == seen["bssid"]), None)
    if peer is not None:
        facts.update({key: peer[key] for key in _LINK_COUNTERS})
        facts.update({key: peer[key] for key in ("signal_dbm", "tx_bitrate", "rx_bitrate")})
        if peer["bss"]:
            facts["dtim_period"] = peer["bss"]["dtim_period"]
            facts["beacon_interval_tu"] = peer["bss"]["beacon_interval_tu"]
    return facts


def survey_facts(results: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """A GET_SURVEY dump (decoded NL80211_SURVEY_INFO dicts) as facts, by frequency. Channel
    times are milliseconds; what the driver does not report is None."""
    out = []
    for info in results:
        freq = info.get("frequency", 0)
        where = channels.describe_frequency(freq, info.get("frequency_offset", 0)) if freq else {}
        out.append(
            {
                "frequency": freq,
                "channel": where.get("channel"),
                "in_use": bool(info.get("in_use")),
                "noise_dbm": info.get("noise"),
                "active_ms": info.get("time"),
                "busy_ms": info.get("time_busy"),
                "ext_busy_ms": info.get("time_ext_busy"),
                "rx_ms": info.get("time_rx"),
                "tx_ms": info.get("time_tx"),
                "scan_ms": info.get("time_scan"),
                "bss_rx_ms": info.get("time_bss_rx"),
            }
        )
    return sorted(out, key=lambda s: s["frequency"])


def scan_facts(results: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Facts for a BSS list, strongest signal first."""
    out = [bss_facts(b) for b in results]
    return sorted(out, key=lambda b: (-(b["signal_dbm"] or -1000.0), b["bssid"]))


FACT = "netlink_wifi"  # the one key of ansible_facts every wifi fact lives under

# What the facts can gather beyond radios and interfaces (the module's gather_subset)
SUBSETS = ("scan", "link", "stations", "survey", "regulatory")


def subsets(gather_subset: Sequence[str], trigger: bool = False) -> List[str]:
    """The `SUBSETS` to gather, from gather_subset as ansible.builtin.setup reads its own: names
    add, "!name" removes, "all" is every one, "min" none; only exclusions start from all. A
    triggered scan always gathers the scan. Unknown names are refused, naming the option."""
    names = [str(n).strip() for n in gather_subset or []]
    known = ("all", "min") + SUBSETS
    bad = [n for n in names if n.lstrip("!") not in known]
    if bad:
        raise OptionError(
            "gather_subset: unknown %s (choose from %s, each optionally with a leading !)"
            % (", ".join(bad), ", ".join(known))
        )
    wanted = [n for n in names if not n.startswith("!")]
    chosen = set(SUBSETS) if not wanted and "!all" not in names else set()
    for name in wanted:
        chosen |= set(SUBSETS) if name == "all" else set() if name == "min" else {name}
    for name in names:
        if name.startswith("!") and name[1:] not in ("all", "min"):
            chosen.discard(name[1:])
    if trigger:
        chosen.add("scan")
    return [name for name in SUBSETS if name in chosen]


def check_options(params: Dict[str, Any]) -> List[bytes]:
    """What wifi_scan_facts' argument spec cannot validate, refused before the kernel is asked;
    returns the SSIDs to probe for, as bytes."""
    ssids = [s.encode("utf-8") for s in params["ssids"] or []]
    if any(len(s) > u.IEEE80211_MAX_SSID_LEN for s in ssids):
        raise OptionError("ssids: an SSID is at most %d bytes" % u.IEEE80211_MAX_SSID_LEN)
    if params["passive"] and ssids:
        raise OptionError("ssids: a passive scan sends no probes; drop ssids or passive")
    if any(f <= 0 for f in params["frequencies"] or []):
        raise OptionError("frequencies: MHz, positive numbers such as 2412")
    if params["timeout"] <= 0:
        raise OptionError("timeout: must be more than 0 seconds")
    if not params["trigger"]:
        for option in ("ssids", "frequencies"):
            if params[option]:
                raise OptionError("%s: only with trigger=true" % option)
    subsets(params["gather_subset"])
    return ssids


def host_facts(
    phys: Sequence[Phy] = (),
    interfaces: Sequence[Interface] = (),
    scan: Optional[Dict[str, List[Dict[str, Any]]]] = None,
    unavailable: Optional[str] = None,
    links: Optional[Dict[str, Dict[str, Any]]] = None,
    stations: Optional[Dict[str, List[Dict[str, Any]]]] = None,
    survey: Optional[Dict[str, List[Dict[str, Any]]]] = None,
    regulatory: Optional[Dict[str, Any]] = None,
    gathered: Sequence[str] = (),
) -> Dict[str, Any]:
    """The host's wifi facts, all under `FACT` (never a name a role variable could have).

    ``unavailable`` is why there is no wireless stack (no nl80211): then ``available`` is
    false and the lists are empty, so a fleet of wired hosts gathers facts without failing.
    ``gathered`` names the `SUBSETS` that were read; the others are empty.
    """
    return {
        FACT: {
            "available": unavailable is None,
            "reason": unavailable,
            "gathered": [name for name in SUBSETS if name in gathered],
            "phys": [phy_facts(p) for p in phys],
            "interfaces": [interface_facts(i, phys) for i in interfaces],
            "scan": dict(scan or {}),
            "links": dict(links or {}),
            "stations": dict(stations or {}),
            "survey": dict(survey or {}),
            "regulatory": dict(regulatory or {}),
        }
    }
