# SPDX-License-Identifier: GPL-3.0-or-later
"""wifi_link's and wifi_regdomain's pure planning: observation, plan, prediction, wording.

The link states are the ones the simulated-radio VM's kernel (Linux 6.1) reported through
GET_INTERFACE and GET_SCAN for `iw dev wlan5 connect ln-open`, `ibss join` and `mesh join`
(station: SSID set from the first attempt on, connected only with a BSS in status associated;
IBSS: SSID and channel; mesh: a channel, no mesh ID).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import link as L
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import reg as R
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import Interface
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import OptionError
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.reg import (
    RegDomain,
    Regulatory,
)

AP = b"\x02\x00\x00\x00\x00\x00"
OPEN_IES = bytes([0, 7]) + b"ln-open" + bytes([1, 1, 0x82])
WPA2_IES = (
    bytes([0, 7])
    + b"ln-wpa2"
    + bytes.fromhex("30140100000fac040100000fac040100000fac020c00")  # RSN: CCMP, PSK
)


def iface(iftype="station", ssid=None, freq=None, width=None, up=True) -> Interface:
    return Interface("wlan5", 7, 0x500000001, 5, iftype, "02:00:00:00:05:00", False,
                     freq, width, freq, None, 20.0, ssid, up)  # fmt: skip


def bss(ies=OPEN_IES, status=None, freq=2412, bssid=AP, capability=0x401) -> Dict[str, Any]:
    out = {"bssid": bssid, "frequency": freq, "information_elements": ies}
    out.update(capability=capability, signal_mbm=-3000)
    if status is not None:
        out["status"] = status
    return out


def want(**params: Any) -> L.Want:
    params.setdefault("interface", "wlan5")
    return L.normalise(params)


def steps_of(w: L.Want, i: Interface, results=(), found: Optional[list] = None):
    link = L.observe(i, list(results))
    return [(s.action, s.args) for s in L.plan(w, i, link, found or [])]


# --------------------------------------------------------------------------- observe


def test_a_station_is_connected_only_with_an_associated_bss() -> None:
    trying = L.observe(iface(ssid=b"ln-open"), [bss()])  # the SSID is set while connecting
    assert (trying.connected, trying.ssid, trying.bssid) == (False, b"ln-open", None)
    linked = L.observe(iface(ssid=b"ln-open"), [bss(), bss(status=1)])
    assert L.view(linked) == {
        "interface": "wlan5", "mode": "station", "connected": True, "ssid": "ln-open",
        "bssid": "02:00:00:00:00:00", "frequency": 2412, "width": None,
    }  # fmt: skip


def test_ibss_and_mesh_links() -> None:
    ibss = L.observe(iface("adhoc", b"ln-ibss", 2412, 1), [bss(status=2, bssid=b"\x72" * 6)])
    assert (ibss.connected, ibss.bssid, ibss.frequency, ibss.width) == (
        True, "72:72:72:72:72:72", 2412, "20"
    )  # fmt: skip
    assert L.observe(iface("adhoc"), []).connected is False
    assert L.observe(iface("mesh_point", None, 2412, 1), []).connected is True
    assert L.observe(iface("mesh_point"), []).connected is False


# --------------------------------------------------------------------------- plan


def test_station_connects_and_is_idempotent() -> None:
    w = want(ssid="ln-open")
    assert steps_of(w, iface()) == [
        ("connect", {"ssid": b"ln-open", "bssid": None, "frequency": None})
    ]
    assert steps_of(w, iface(ssid=b"ln-open"), [bss(status=1)]) == []
    assert (
        steps_of(want(ssid="ln-open", frequency=2412), iface(ssid=b"ln-open"), [bss(status=1)])
        == []
    )


def test_station_on_another_network_or_still_trying_disconnects_first() -> None:
    w = want(ssid="ln-open", bssid="02:00:00:00:00:00")
    other = [bss(status=1, bssid=b"\x02\0\0\0\x08\0")]
    assert [a for a, _ in steps_of(w, iface(ssid=b"ln-open"), other)] == ["disconnect", "connect"]
    assert [a for a, _ in steps_of(w, iface(ssid=b"other"))] == ["disconnect", "connect"]


def test_a_network_that_needs_a_key_is_refused() -> None:
    w = want(ssid="ln-wpa2")
    found = L.candidates([bss(WPA2_IES, capability=0x411, freq=2437), bss()], w)
    assert [b["security"] for b in found] == [["WPA2-PSK"]]
    with pytest.raises(OptionError, match="ln-wpa2 needs a key or a handshake .WPA2-PSK.: .*"
                       "use wpa_supplicant or NetworkManager"):  # fmt: skip
        steps_of(w, iface(), found=found)
    wep = L.candidates([bss(bytes([0, 7]) + b"ln-wpa2", capability=0x411)], w)
    assert L.keyed_refusal("ln-wpa2", wep) is not None  # the privacy bit alone: WEP
    assert L.keyed_refusal("ln-open", L.candidates([bss()], want(ssid="ln-open"))) is None
    assert L.keyed_refusal("unknown", []) is None  # nothing known: the kernel decides


def test_absent_leaves_what_the_type_has() -> None:
    assert steps_of(want(state="absent"), iface(ssid=b"x"), [bss(status=1)]) == [("disconnect", {})]
    assert steps_of(want(state="absent"), iface()) == []
    assert steps_of(want(state="absent"), iface("adhoc", b"x", 2412, 1)) == [("leave_ibss", {})]
    assert steps_of(want(state="absent"), iface("mesh_point", None, 2412, 1)) == [
        ("leave_mesh", {})
    ]
    assert steps_of(want(state="absent"), iface("mesh_point")) == []


def test_ibss_join_compares_ssid_frequency_and_width() -> None:
    w = want(ssid="ln-ibss", frequency=2412, width="20")
    chandef = {"channel_width": 1, "center_freq1": 2412}
    assert steps_of(w, iface("adhoc")) == [
        ("join_ibss", {"ssid": b"ln-ibss", "frequency": 2412, "bssid": None, "chandef": chandef})
    ]
    assert steps_of(w, iface("adhoc", b"ln-ibss", 2412, 1)) == []
    assert [a for a, _ in steps_of(w, iface("adhoc", b"ln-ibss", 2412, 0))] == [
        "leave_ibss", "join_ibss"
    ]  # fmt: skip
    with pytest.raises(OptionError, match="frequency: needed for a link of a adhoc interface"):
        steps_of(want(ssid="x"), iface("adhoc"))


def test_mesh_join_and_what_is_not_compared() -> None:
    w = want(mesh_id="ln-mesh", frequency=2412, width="20")
    assert steps_of(w, iface("mesh_point"))[0][0] == "join_mesh"
    # the kernel does not report the mesh ID: a joined mesh on the wanted channel is left alone
    assert steps_of(want(mesh_id="other", frequency=2412), iface("mesh_point", None, 2412, 1)) == []
    with pytest.raises(OptionError, match="mesh_id: needed"):
        steps_of(want(), iface("mesh_point"))


@pytest.mark.parametrize(
    "params, current, text",
    [
        (
            {"mode": "station", "ssid": "x"},
            iface("adhoc"),
            "mode: station, but wlan5 is of type adhoc",
        ),
        ({"ssid": "x"}, iface("monitor"), "wlan5 is of type monitor; wifi_link manages"),
        ({"ssid": "x"}, iface(up=False), "wlan5 is down; bring it up first"),
    ],
)
def test_refusals_name_the_option(params, current, text) -> None:
    with pytest.raises(OptionError, match=text):
        steps_of(want(**params), current)


@pytest.mark.parametrize(
    "params, text",
    [
        ({"ssid": "x" * 33}, "ssid: .* must be 1 to 32 bytes"),
        ({"ssid": ""}, "ssid: .* must be 1 to 32 bytes"),
        ({"mode": "monitor"}, "mode: 'monitor' is not one of station, adhoc, mesh_point"),
        ({"bssid": "01:00:5e:00:00:01"}, "mac: 01:00:5e:00:00:01 is a multicast address"),
        ({"frequency": 3000}, "frequency: 3000 MHz is in no 802.11 band"),
    ],
)
def test_bad_options(params, text) -> None:
    with pytest.raises(OptionError, match=text):
        want(**params)


@pytest.mark.parametrize(
    "freq, width, center",
    [
        (2412, "20_noht", 2412),
        (2412, "40", 2422),  # channel 1: HT40+
        (2452, "40", 2462),  # channel 9: HT40+ (operating class 83)
        (2457, "40", 2447),  # channel 10: HT40- (operating class 84)
        (5180, "40", 5190),  # channels 36+40
        (5200, "80", 5210),  # channels 36-48
        (5500, "160", 5570),  # channels 100-128
        (5745, "80", 5775),  # channels 149-161
        (5955, "80", 5985),  # 6 GHz channels 1-13
    ],
)
def test_chandef_follows_the_channel_plan(freq, width, center) -> None:
    assert L.chandef(freq, width)["center_freq1"] == center


def test_chandef_refuses_what_has_no_block() -> None:
    with pytest.raises(OptionError, match="width: 2412 MHz .channel 1. has no 80 MHz channel"):
        L.chandef(2412, "80")


def test_predict_and_failure_wording() -> None:
    link = L.observe(iface(), [])
    step = L.plan(want(ssid="ln-open", frequency=2412), iface(), link, [])
    after = L.predict(link, step)
    assert (after["connected"], after["ssid"], after["frequency"], after["bssid"]) == (
        True, "ln-open", 2412, None
    )  # fmt: skip
    assert "status code 17 (the AP cannot handle" in L.connect_failure(17, None)
    assert L.connect_failure(1, 0).startswith("the attempt timed out (no open network")


# --------------------------------------------------------------------------- regulatory


def test_country_codes() -> None:
    assert R.normalise_country(" de ") == "DE" and R.normalise_country("00") == "00"
    for bad in ("D3", "DEU", "", "ä1", "98"):
        with pytest.raises(OptionError, match="country: .* is not an ISO 3166-1 alpha-2 code"):
            R.normalise_country(bad)


def test_regdomain_view_and_self_managed_warnings() -> None:
    domains = Regulatory(
        RegDomain("DE", u.NL80211_DFS_ETSI, [], None, False),
        [RegDomain("US", u.NL80211_DFS_FCC, [], 4, True)],
    )
    assert R.view(domains, {4: "phy4"}) == {
        "country": "DE", "dfs_region": "ETSI",
        "radios": [{"phy": "phy4", "country": "US", "dfs_region": "FCC", "self_managed": True}],
    }  # fmt: skip
    (warning,) = R.warnings(domains, {4: "phy4"}, "DE")
    assert warning.startswith("phy4 manages its own regulatory domain (US, self-managed")
    assert R.warnings(domains, {}, "US") == []
    assert "the global regulatory domain is 00 (the world domain)" in R.not_applied("XZ", "00")
