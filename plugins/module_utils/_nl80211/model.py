# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the nl80211 model: radios (`Phy`), interfaces (`Interface`) and
MAC addresses, built from decoded ``NL80211_ATTR_*`` dicts. No socket and no Ansible here, so the
planner and the facts use it without the client.
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional

from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import channels
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u


class Phy(NamedTuple):
    """A wireless radio (wiphy), merged from the split GET_WIPHY dump."""

    index: int
    name: str
    iftypes: List[str]  # the interface types it can create (NL80211_ATTR_SUPPORTED_IFTYPES)
    software_iftypes: List[str]
    bands: Dict[str, List[Dict[str, Any]]]  # band name -> channels (freq MHz, flags)
    max_scan_ssids: int

    @property
    def frequencies(self) -> List[int]:
        return [c["freq"] for chans in self.bands.values() for c in chans if "freq" in c]


class Interface(NamedTuple):
    """A wireless interface (wdev) as GET_INTERFACE reports it, plus its admin state."""

    name: str
    ifindex: int  # 0 for a wdev without a netdev (p2p_device, nan)
    wdev: int
    phy: int  # wiphy index
    type: str  # enum nl80211_iftype, as in uapi.IFTYPE_NAMES
    mac: str
    use_4addr: bool
    frequency: Optional[int]  # MHz, when the interface is on a channel
    width: Optional[int]  # enum nl80211_chan_width
    center_freq1: Optional[int]
    center_freq2: Optional[int]
    txpower_dbm: Optional[float]
    ssid: Optional[bytes]
    up: Optional[bool]  # IFF_UP; None without a netdev
    mesh_id: Optional[bytes] = None  # NL80211_ATTR_MESH_ID, when the kernel reports one


class RegDomain(NamedTuple):
    """A regulatory domain as GET_REG reports it: the global one (``wiphy`` None) or a radio's
    own."""

    alpha2: str  # ISO 3166-1 alpha-2, or 00 (world), 99 (a driver's custom), 98 (intersection)
    dfs_region: str  # enum nl80211_dfs_regions, as in uapi.DFS_REGION_NAMES
    wiphy: Optional[int]
    self_managed: bool  # NL80211_ATTR_WIPHY_SELF_MANAGED_REG: the driver owns it


def format_mac(raw: bytes) -> str:
    return ":".join("%02x" % b for b in raw)


def parse_mac(text: str) -> bytes:
    """'02:00:00:00:01:00' (or with '-') -> 6 bytes; ValueError names what is wrong."""
    parts = text.replace("-", ":").split(":")
    try:
        raw = bytes(int(p, 16) for p in parts if len(p) in (1, 2))
    except ValueError:
        raw = b""
    if len(parts) != 6 or len(raw) != 6:
        raise ValueError("%r is not a MAC address (six hex bytes separated by ':')" % text)
    return raw


# --------------------------------------------------------------------------- decoding


def merge_phy(into: Dict[str, Any], attrs: Dict[str, Any]) -> None:
    """Merge one message of a split wiphy dump: bands and their channel lists accumulate."""
    for key, value in attrs.items():
        if key != "wiphy_bands":
            into[key] = value
            continue
        bands = into.setdefault("wiphy_bands", {})
        for band, band_attrs in value.items():
            have = bands.setdefault(band, {})
            for bkey, bvalue in band_attrs.items():
                if isinstance(bvalue, list):
                    have.setdefault(bkey, []).extend(bvalue)
                else:
                    have[bkey] = bvalue


def _channel(freq: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {"freq": freq.get("freq")}
    for flag in ("disabled", "no_ir", "radar"):
        out[flag] = bool(freq.get(flag))
    if "max_tx_power" in freq:
        out["max_tx_power_dbm"] = freq["max_tx_power"] / 100.0
    return out


def phy_from_attrs(attrs: Dict[str, Any]) -> Phy:
    bands = {
        channels.BAND_NAMES.get(band, str(band)): [_channel(f) for f in battrs.get("freqs", [])]
        for band, battrs in sorted(attrs.get("wiphy_bands", {}).items())
    }
    return Phy(
        index=attrs["wiphy"],
        name=attrs.get("wiphy_name", "phy%d" % attrs["wiphy"]),
        iftypes=[u.IFTYPE_NAMES.get(t, str(t)) for t in attrs.get("supported_iftypes", [])],
        software_iftypes=[u.IFTYPE_NAMES.get(t, str(t)) for t in attrs.get("software_iftypes", [])],
        bands=bands,
        max_scan_ssids=attrs.get("max_num_scan_ssids", 0),
    )


def interface_from_attrs(attrs: Dict[str, Any], up: Optional[bool] = None) -> Interface:
    power = attrs.get("wiphy_tx_power_level")
    return Interface(
        name=attrs.get("ifname", ""),
        ifindex=attrs.get("ifindex", 0),
        wdev=attrs.get("wdev", 0),
        phy=attrs.get("wiphy", -1),
        type=u.IFTYPE_NAMES.get(attrs.get("iftype", 0), "unspecified"),
        mac=format_mac(attrs.get("mac", b"")),
        use_4addr=bool(attrs.get("4addr", 0)),
        frequency=attrs.get("wiphy_freq"),
        width=attrs.get("channel_width"),
        center_freq1=attrs.get("center_freq1"),
        center_freq2=attrs.get("center_freq2"),
        txpower_dbm=None if power is None else power / 100.0,
        ssid=attrs.get("ssid"),
        up=up,
        mesh_id=attrs.get("mesh_id"),
    )


class RadioSettings(NamedTuple):
    """A radio's settings as GET_WIPHY reports them (wifi_phy); None where it reports none."""

    index: int
    name: str
    retry_short: Optional[int]
    retry_long: Optional[int]
    frag_threshold: Optional[int]  # u.THRESHOLD_OFF when off
    rts_threshold: Optional[int]
    antenna_tx: Optional[int]  # bitmaps, reported only by drivers that can set them
    antenna_rx: Optional[int]
    antenna_avail_tx: Optional[int]
    antenna_avail_rx: Optional[int]


def radio_settings_from_attrs(attrs: Dict[str, Any]) -> RadioSettings:
    return RadioSettings(
        index=attrs["wiphy"],
        name=attrs.get("wiphy_name", "phy%d" % attrs["wiphy"]),
        retry_short=attrs.get("wiphy_retry_short"),
        retry_long=attrs.get("wiphy_retry_long"),
        frag_threshold=attrs.get("wiphy_frag_threshold"),
        rts_threshold=attrs.get("wiphy_rts_threshold"),
        antenna_tx=attrs.get("wiphy_antenna_tx"),
        antenna_rx=attrs.get("wiphy_antenna_rx"),
        antenna_avail_tx=attrs.get("wiphy_antenna_avail_tx"),
        antenna_avail_rx=attrs.get("wiphy_antenna_avail_rx"),
    )


def regdomain_from_attrs(attrs: Dict[str, Any]) -> RegDomain:
    region = attrs.get("dfs_region", 0)
    return RegDomain(
        alpha2=attrs.get("reg_alpha2") or u.REG_TYPE_ALPHA2.get(attrs.get("reg_type", -1), ""),
        dfs_region=u.DFS_REGION_NAMES.get(region, str(region)),
        wiphy=attrs.get("wiphy"),
        self_managed=bool(attrs.get("wiphy_self_managed_reg")),
    )
