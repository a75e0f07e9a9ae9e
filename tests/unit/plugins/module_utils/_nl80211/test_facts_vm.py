# SPDX-License-Identifier: GPL-3.0-or-later
"""The station, link, survey, regulatory and radio facts on replies captured in the
simulated-radio VM (fixtures/vm_6_1_facts.py says which kernel and command produced each, and
holds what `iw` printed for the same state). The oracle is iw's text, parsed by the VM tests'
iw_oracle.py, never by our decoder. The client's requests go through nltest's fake kernel.

Counters move between our dump and iw's (iw ran a moment later): for them ours <= iw's.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from typing import Any, Dict, List

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, genetlink
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import facts, reg
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import Nl80211Client
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import (
    Interface,
    merge_phy,
    phy_from_attrs,
)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "_netlink"))
import nltest  # noqa: E402  (the stack's fake kernel)


def _load(name: str, path: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


FIX = _load("vm_6_1_facts", os.path.join(HERE, "fixtures/vm_6_1_facts.py")).FIXTURES
IW = _load("iw_oracle", os.path.join(REPO, "tests/vm/wifi/iw_oracle.py"))
FAMILY_ID = 0x20  # the VM kernel's nl80211 family id (every captured reply has this type)
COUNTERS = ("rx_bytes", "tx_bytes", "rx_packets", "tx_packets", "connected_s")


def decoded(name: str) -> List[Dict[str, Any]]:
    """The captured datagrams' nl80211 messages, decoded (NLMSG_DONE and errors skipped)."""
    out = []
    for data in FIX[name]["replies"]:
        for msg in nltest.split(bytes.fromhex(data)):
            if msg.type == FAMILY_ID:
                out.append(codec.decode(u.NL80211_ATTR, genetlink.unpack(msg)[1]))
    return out


def iw(name: str) -> str:
    return FIX[name]["iw"]


def same_station(ours: Dict[str, Any], theirs: Dict[str, Any]) -> None:
    assert ours["mac"] == theirs["mac"]
    for key in ("signal_dbm", "signal_avg_dbm", "flags", "tx_failed", "tx_retries"):
        assert ours[key] == theirs[key], key
    for key in ("beacon_loss", "beacon_signal_avg_dbm", "llid", "plid", "airtime_link_metric"):
        if key in theirs:
            mine = ours[key] if key in ours else ours["mesh"][key]
            assert mine == theirs[key], key
    for key in ("tx_bitrate", "rx_bitrate"):
        if theirs[key] is None:
            assert ours[key] is None, key
            continue
        for field, value in theirs[key].items():
            assert ours[key][field] == value, (key, field)
    for key in COUNTERS:
        assert 0 <= ours[key] <= theirs[key], key
    if "dtim_period" in theirs:
        assert ours["bss"]["dtim_period"] == theirs["dtim_period"]
        assert ours["bss"]["beacon_interval_tu"] == theirs["beacon_interval_tu"]


@pytest.mark.parametrize(
    "name, peers",
    [
        ("get_station_ap_wlan0", ["02:00:00:00:08:00"]),  # hostapd's AP: its client wlan8
        ("get_station_sta_wlan8", ["02:00:00:00:00:00"]),  # the station: its AP
        ("get_station_mesh_wlan5", ["02:00:00:00:06:00"]),  # a mesh point: its peer
        ("get_station_ibss_wlan5", ["02:00:00:00:06:00"]),  # an IBSS member: its peer
    ],
)
def test_station_dumps_decode_as_iw_prints_them(name: str, peers: List[str]) -> None:
    ours = facts.stations_facts(decoded(name))
    theirs = IW.parse_stations(iw(name))
    assert [s["mac"] for s in ours] == [s["mac"] for s in theirs] == peers
    for mine, other in zip(ours, theirs):
        same_station(mine, other)


def test_mesh_peer_link() -> None:
    (peer,) = facts.stations_facts(decoded("get_station_mesh_wlan5"))
    (theirs,) = IW.parse_stations(iw("get_station_mesh_wlan5"))
    assert peer["mesh"]["plink_state"] == theirs["plink_state"] == "ESTAB"
    assert peer["mesh"]["local_power_mode"] == "ACTIVE"
    assert peer["mesh"]["connected_to_gate"] is False
    (ap_client,) = facts.stations_facts(decoded("get_station_ap_wlan0"))
    assert ap_client["mesh"] is None and ap_client["flags"]["authorized"] is True


@pytest.mark.parametrize(
    "scan, stations",
    [
        ("get_scan_wlan8", "get_station_sta_wlan8"),  # a station associated to ln-open
        ("get_scan_ibss_wlan5", "get_station_ibss_wlan5"),  # an IBSS member
    ],
)
def test_link_is_what_iw_link_shows(scan: str, stations: str) -> None:
    bss = [r["bss"] for r in decoded(scan) if "bss" in r]
    ours = facts.link_facts(bss, decoded(stations))
    theirs = IW.parse_link(iw(scan))
    for key in ("connected", "status", "bssid", "ssid", "frequency"):
        assert ours[key] == theirs[key], key
    for key in ("signal_dbm", "dtim_period", "beacon_interval_tu"):
        if key in theirs:
            assert ours[key] == theirs[key], key
    for key in ("tx_bitrate", "rx_bitrate"):
        if theirs[key] is not None:
            assert ours[key]["mbps"] == theirs[key]["mbps"]
    for key in ("rx_bytes", "rx_packets", "tx_bytes", "tx_packets"):
        if key in theirs:
            assert 0 <= ours[key] <= theirs[key], key


def test_no_link_without_a_bss_status() -> None:
    bss = [dict(r["bss"], status=None) for r in decoded("get_scan_wlan8") if "bss" in r]
    link = facts.link_facts([{k: v for k, v in b.items() if v is not None} for b in bss], [])
    assert link["connected"] is False and link["bssid"] is None and link["tx_bitrate"] is None
    assert IW.parse_link("Not connected.\n") == {
        "connected": False, "status": None, "bssid": None
    }  # fmt: skip


@pytest.mark.parametrize("name", ["get_survey_wlan0", "get_survey_wlan8"])
def test_survey_is_what_iw_survey_dump_shows(name: str) -> None:
    """hwsim reports the channels its radio scanned (wlan8's) and none for hostapd's AP."""
    ours = facts.survey_facts([r["survey_info"] for r in decoded(name) if "survey_info" in r])
    theirs = IW.parse_survey(iw(name))
    keys = ("frequency", "in_use", "noise_dbm", "active_ms", "busy_ms")
    assert [{k: s[k] for k in keys} for s in ours] == [
        {k: s.get(k) for k in keys} for s in theirs
    ]
    assert [s["frequency"] for s in ours] == ([] if name.endswith("wlan0") else [2412, 2437])


def test_regulatory_domain_is_what_iw_reg_get_shows() -> None:
    found = reg.regulatory_from_replies(decoded("get_reg"))
    ours = reg.regulatory_facts(found)
    theirs = IW.parse_reg(iw("get_reg"))
    assert (ours["country"], ours["dfs_region"]) == (theirs["country"], theirs["dfs_region"])
    assert ours["country"] == "00" and ours["dfs_region"] == "unset"
    # iw prints the CAC time of DFS rules only ("N/A" for the others)
    rules = [
        dict(r, flags=sorted(r["flags"]))
        if "DFS" in r["flags"]
        else dict(r, flags=sorted(r["flags"]), dfs_cac_ms=None)
        for r in ours["rules"]
    ]
    assert rules == theirs["rules"]
    assert ours["radios"] == theirs["radios"] == []
    assert FIX["get_reg"]["request"][40:] == ""  # the dump request carries no attribute


def phy8() -> Any:
    merged: Dict[str, Any] = {}
    for attrs in decoded("get_wiphy_phy8"):
        merge_phy(merged, attrs)
    return facts.phy_facts(phy_from_attrs(merged))


def test_radio_channels_power_and_radar_are_what_iw_phy_info_shows() -> None:
    ours = phy8()
    theirs = IW.parse_phyinfo(iw("get_wiphy_phy8"))
    keys = ("frequency", "channel", "disabled", "radar", "no_ir", "max_power_dbm")
    # iw 5.19 prints S1G channels with a negative channel number (the parser skips them) and
    # no power for a disabled channel; channels.py numbers 5910-5925 MHz None where the kernel
    # says 182-185 (182+ are 4910+ MHz in 5 GHz, 5925 is off the 6 GHz raster:
    # test_channels.py), so those numbers are not compared
    mine = [
        dict({k: c[k] for k in keys}, max_power_dbm=None if c["disabled"] else c[keys[-1]])
        for band, data in ours["bands"].items()
        if band != "900MHz"
        for c in data["channels"]
    ]
    ambiguous = (5910, 5915, 5920, 5925)
    assert [c for c in mine if c["channel"] is None] == [
        c for c in mine if c["frequency"] in ambiguous
    ]
    assert mine == [
        dict({k: c[k] for k in keys}, channel=None if c["frequency"] in ambiguous else c["channel"])
        for c in theirs["channels"]
    ]
    radar = [c for data in ours["bands"].values() for c in data["channels"] if c["radar"]]
    assert radar and {c["dfs_state"] for c in radar} == {"usable"}  # no CAC ran in the VM
    assert all(c["dfs_cac_ms"] == 60000 for c in radar)  # the kernel's default CAC time
    others = [c for d in ours["bands"].values() for c in d["channels"] if not c["radar"]]
    assert others and all(c["dfs_state"] is None for c in others)


def test_radio_ciphers_and_combinations_are_what_iw_phy_info_shows() -> None:
    ours = phy8()
    theirs = IW.parse_phyinfo(iw("get_wiphy_phy8"))
    assert [c["selector"] for c in ours["ciphers"]] == theirs["ciphers"]
    assert [c["name"] for c in ours["ciphers"]][:4] == ["WEP-40", "WEP-104", "TKIP", "CCMP-128"]
    combos = [
        {
            "limits": [dict(limit, types=sorted(limit["types"])) for limit in c["limits"]],
            "total": c["total"],
            "channels": c["channels"],
            "sta_ap_beacon_interval_match": c["sta_ap_beacon_interval_match"],
            "radar_detect_widths": sorted(c["radar_detect_widths"]),
        }
        for c in ours["interface_combinations"]
    ]
    assert combos == theirs["combinations"] and combos


# --------------------------------------------------------------------------- the client


class Kernel(nltest.FakeKernel):
    """Answers the nl80211 family lookup, then replays one capture per command."""

    def __init__(self, captures: Dict[int, str]) -> None:
        super().__init__(handler=self.answer)
        self.captures = captures
        self.asked: List[Dict[str, Any]] = []

    def answer(self, req: codec.Message) -> List[nltest.Item]:
        if req.type == genetlink.GENL_ID_CTRL:
            attrs = {"family_id": FAMILY_ID, "family_name": "nl80211", "version": 1,
                     "maxattr": 325, "mcast_groups": []}  # fmt: skip
            payload = genetlink.pack(1, 2, codec.encode(genetlink.CTRL_ATTR, attrs))
            return [self.message(req, genetlink.GENL_ID_CTRL, payload), self.ack(req)]
        command, data = genetlink.unpack(req)
        self.asked.append(dict(codec.decode(u.NL80211_ATTR, data), _cmd=command))
        name = self.captures[command]
        return [self.replay(req, bytes.fromhex(d)) for d in FIX[name]["replies"]]


def wlan(ifindex: int, name: str, iftype: str) -> Interface:
    return Interface(name, ifindex, 0, 8, iftype, "02:00:00:00:08:00", False,
                     None, None, None, None, None, None, True)  # fmt: skip


def test_client_asks_per_interface_and_decodes() -> None:
    kernel = Kernel({
        u.NL80211_CMD_GET_STATION: "get_station_sta_wlan8",
        u.NL80211_CMD_GET_SURVEY: "get_survey_wlan8",
        u.NL80211_CMD_GET_REG: "get_reg",
    })  # fmt: skip
    client = Nl80211Client(socket_factory=kernel, timeout=0.5)
    stations = client.stations(wlan(10, "wlan8", "station"))
    survey = client.survey(wlan(10, "wlan8", "station"))
    regulatory = client.regdomain()
    assert [a["_cmd"] for a in kernel.asked] == [
        u.NL80211_CMD_GET_STATION, u.NL80211_CMD_GET_SURVEY, u.NL80211_CMD_GET_REG
    ]  # fmt: skip
    assert kernel.asked[0] == {"ifindex": 10, "_cmd": u.NL80211_CMD_GET_STATION}
    assert kernel.asked[2] == {"_cmd": u.NL80211_CMD_GET_REG}
    assert [s["mac"] for s in stations] == [b"\x02\x00\x00\x00\x00\x00"]
    assert all("frequency" in s for s in survey)
    assert regulatory.domain is not None and regulatory.domain.country == "00"
    # a wdev without a netdev (p2p_device) has no stations and no survey: nothing is asked
    assert client.stations(wlan(0, "p2p", "p2p_device")) == []
    assert client.survey(wlan(0, "p2p", "p2p_device")) == []
    assert len(kernel.asked) == 3
