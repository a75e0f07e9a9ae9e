# SPDX-License-Identifier: GPL-3.0-or-later
"""linux.netlink.wifi_scan_facts's main() on a kernel without a wireless stack.

The kernel is nltest's fake socket answering the generic netlink controller's
CTRL_CMD_GETFAMILY "nl80211" with ENOENT, which is what Linux answers for a family that is not
registered (genl_ctrl_getfamily -> -ENOENT; the host kernel of the test machines does exactly
this, see tests/integration/targets/wifi_no_radio for the same on the real kernel). The real
client and facts code run against it.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
from typing import Any, Dict, Tuple

import pytest

pytest.importorskip("ansible")

from ansible.module_utils import basic  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._netlink import genetlink  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import facts  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (  # noqa: E402
    Nl80211Client,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import OptionError  # noqa: E402
from ansible_collections.linux.netlink.plugins.modules import wifi_scan_facts  # noqa: E402

from conftest import (  # noqa: E402
    AnsibleExitJson,
    AnsibleFailJson,
    _exit_json,
    _fail_json,
    module_args,
)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "module_utils", "_netlink"))
import nltest  # noqa: E402

NO_STACK = "no wireless stack: the kernel has no nl80211"


class NoNl80211(nltest.FakeKernel):
    """A kernel whose generic netlink controller does not know nl80211 (no cfg80211)."""

    def __init__(self) -> None:
        super().__init__(handler=self.answer)
        self.asked = []

    def answer(self, req: Any) -> list:
        assert req.type == genetlink.GENL_ID_CTRL, "only the controller may be asked"
        self.asked.append(req.type)
        return [self.error(req, errno.ENOENT)]


def run(monkeypatch: Any, args: Dict[str, Any]) -> Tuple[bool, Dict[str, Any], NoNl80211]:
    kernel = NoNl80211()
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    monkeypatch.setattr(
        wifi_scan_facts, "Nl80211Client", functools.partial(Nl80211Client, socket_factory=kernel)
    )
    with module_args(args):
        try:
            wifi_scan_facts.main()
        except AnsibleExitJson as exc:
            return False, exc.args[0], kernel
        except AnsibleFailJson as exc:
            return True, exc.args[0], kernel
    raise AssertionError("the module returned without exit_json or fail_json")


@pytest.mark.parametrize("args", [{}, {"netns": None}, {"flush": True}, {"passive": True}])
def test_no_options_on_a_host_without_wifi_is_a_fact_not_a_failure(
    monkeypatch: Any, args: Dict[str, Any]
) -> None:
    failed, result, kernel = run(monkeypatch, args)
    assert not failed, result
    assert kernel.asked, "the module never asked the kernel"
    assert result["changed"] is False
    assert result["scanned"] == []
    assert list(result["ansible_facts"]) == ["netlink_wifi"]
    facts = result["ansible_facts"]["netlink_wifi"]
    assert facts["available"] is False
    assert facts["reason"].startswith(NO_STACK)
    assert (facts["phys"], facts["interfaces"], facts["scan"]) == ([], [], {})


@pytest.mark.parametrize(
    "args,option",
    [
        ({"interface": "wlan0"}, "interface"),
        ({"trigger": True}, "trigger"),
        ({"interface": "wlan0", "trigger": True, "frequencies": [2412]}, "interface"),
    ],
)
def test_a_request_that_needs_a_radio_fails_and_names_the_option(
    monkeypatch: Any, args: Dict[str, Any], option: str
) -> None:
    failed, result, _ = run(monkeypatch, args)
    assert failed, result
    assert result["msg"].startswith("%s: %s" % (option, NO_STACK)), result["msg"]
    assert "ansible_facts" not in result


def test_bad_options_are_refused_before_the_kernel_is_asked(monkeypatch: Any) -> None:
    failed, result, kernel = run(monkeypatch, {"ssids": ["x"]})
    assert failed and result["msg"] == "ssids: only with trigger=true"
    assert kernel.asked == []


@pytest.mark.parametrize(
    "subset", [["all"], ["min"], ["!all"], ["stations", "survey"], ["!survey"], ["regulatory"]]
)
def test_a_host_without_wifi_answers_after_one_request_whatever_is_gathered(
    monkeypatch: Any, subset: list
) -> None:
    """The fleet path: gather_facts on a wired host asks the controller once, then stops."""
    failed, result, kernel = run(monkeypatch, {"gather_subset": subset})
    assert not failed, result
    assert kernel.asked == [genetlink.GENL_ID_CTRL]
    facts = result["ansible_facts"]["netlink_wifi"]
    assert facts["available"] is False and facts["gathered"] == []
    assert (facts["links"], facts["stations"], facts["survey"], facts["regulatory"]) == (
        {}, {}, {}, {}
    )  # fmt: skip


def test_an_unknown_subset_is_refused_before_the_kernel_is_asked(monkeypatch: Any) -> None:
    failed, result, kernel = run(monkeypatch, {"gather_subset": ["stations", "!radios", "x"]})
    assert failed
    assert result["msg"] == (
        "gather_subset: unknown !radios, x (choose from all, min, scan, link, stations, survey, "
        "regulatory, each optionally with a leading !)"
    )
    assert kernel.asked == []

# ----------------------------------------------------------------- wifi_scan_facts' options

SCAN = {"ssids": None, "passive": False, "frequencies": None, "timeout": 30.0, "trigger": False,
        "gather_subset": ["all"]}  # fmt: skip


@pytest.mark.parametrize(
    "given,option",
    [
        ({"trigger": True, "ssids": ["x" * 33]}, "ssids"),
        ({"trigger": True, "ssids": ["x"], "passive": True}, "ssids"),
        ({"trigger": True, "frequencies": [0]}, "frequencies"),
        ({"timeout": 0}, "timeout"),
        ({"ssids": ["x"]}, "ssids"),
        ({"frequencies": [2412]}, "frequencies"),
        ({"gather_subset": ["radios"]}, "gather_subset"),
    ],
)
def test_scan_options_are_refused_naming_the_option(given: Dict[str, Any], option: str) -> None:
    with pytest.raises(OptionError, match="^%s: " % option):
        facts.check_options(dict(SCAN, **given))


def test_scan_options_give_the_ssids_as_bytes() -> None:
    ssids = facts.check_options(dict(SCAN, trigger=True, ssids=["é" * 16, "ln-open"]))
    assert ssids == ["é".encode() * 16, b"ln-open"]


@pytest.mark.parametrize(
    "subset, trigger, chosen",
    [
        (["all"], False, ["scan", "link", "stations", "survey", "regulatory"]),
        (["min"], False, []),
        (["!all"], False, []),
        (["!all", "link"], False, ["link"]),
        (["!survey"], False, ["scan", "link", "stations", "regulatory"]),
        (["!survey", "!stations"], False, ["scan", "link", "regulatory"]),
        (["stations", "link"], False, ["link", "stations"]),
        (["all", "!scan"], False, ["link", "stations", "survey", "regulatory"]),
        (["min", "survey"], False, ["survey"]),
        (["min"], True, ["scan"]),  # a triggered scan is always read
        ([], False, ["scan", "link", "stations", "survey", "regulatory"]),
    ],
)
def test_gather_subset_reads_as_setup_does(subset: list, trigger: bool, chosen: list) -> None:
    assert facts.subsets(subset, trigger) == chosen


# --------------------------------------------------------------------------- with radios

FACTS_DIR = os.path.join(os.path.dirname(__file__), "..", "module_utils", "_nl80211")
sys.path.insert(0, FACTS_DIR)
import test_facts_vm as captured  # noqa: E402  (the VM captures and their decoder)
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, rtnetlink  # noqa: E402,I001
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (  # noqa: E402
    NETLINK_ROUTE,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u  # noqa: E402

WLAN0, WLAN8 = 2, 10  # the ifindexes the VM gave them (in the captured replies)
BY_COMMAND = {  # (command, ifindex or None) -> the capture that answers it
    (u.NL80211_CMD_GET_WIPHY, None): "get_wiphy_phy8",
    (u.NL80211_CMD_GET_SCAN, WLAN8): "get_scan_wlan8",
    (u.NL80211_CMD_GET_STATION, WLAN8): "get_station_sta_wlan8",
    (u.NL80211_CMD_GET_STATION, WLAN0): "get_station_ap_wlan0",
    (u.NL80211_CMD_GET_SURVEY, WLAN8): "get_survey_wlan8",
    (u.NL80211_CMD_GET_SURVEY, WLAN0): "get_survey_wlan0",
    (u.NL80211_CMD_GET_REG, None): "get_reg",
}


class Radios(nltest.FakeKernel):
    """wlan0 (an AP, phy0) and wlan8 (its station, phy8): GET_INTERFACE is built here, every
    other nl80211 answer is the VM's captured reply; rtnetlink says both are up."""

    def __init__(self) -> None:
        super().__init__(handler=self.answer)
        self.asked: list = []
        self.current = None

    @property
    def port_id(self) -> int:
        return (self.current or self.socket).port_id

    def receive(self, sock: Any, data: bytes) -> None:
        self.current = sock
        super().receive(sock, data)

    def answer(self, req: Any) -> list:
        if self.current.protocol == NETLINK_ROUTE:
            links = [rtnetlink.IFINFOMSG.pack(0, 1, i, 1, 0) for i in (WLAN0, WLAN8)]
            return list(self.multipart(req, rtnetlink.RTM_NEWLINK, links))
        if req.type == genetlink.GENL_ID_CTRL:
            attrs = {"family_id": captured.FAMILY_ID, "family_name": "nl80211", "version": 1,
                     "maxattr": 325, "mcast_groups": []}  # fmt: skip
            payload = genetlink.pack(1, 2, codec.encode(genetlink.CTRL_ATTR, attrs))
            return [self.message(req, genetlink.GENL_ID_CTRL, payload), self.ack(req)]
        command, data = genetlink.unpack(req)
        ifindex = codec.decode(u.NL80211_ATTR, data).get("ifindex")
        self.asked.append((u.COMMAND_NAMES[command], ifindex))
        if command == u.NL80211_CMD_GET_INTERFACE:
            ifaces = [
                {"ifindex": WLAN0, "ifname": "wlan0", "wiphy": 0, "iftype": u.NL80211_IFTYPE_AP,
                 "wdev": 1, "mac": bytes.fromhex("020000000000")},
                {"ifindex": WLAN8, "ifname": "wlan8", "wiphy": 8,
                 "iftype": u.NL80211_IFTYPE_STATION, "wdev": 8 << 32 | 1,
                 "mac": bytes.fromhex("020000000800")},
            ]  # fmt: skip
            parts = [genetlink.pack(u.NL80211_CMD_NEW_INTERFACE, 1, codec.encode(u.NL80211_ATTR, i))
                     for i in ifaces]  # fmt: skip
            return list(self.multipart(req, captured.FAMILY_ID, parts))
        name = BY_COMMAND.get((command, ifindex))
        if name is None:  # wlan0's scan list: empty
            return list(self.multipart(req, captured.FAMILY_ID, []))
        return [self.replay(req, bytes.fromhex(d)) for d in captured.FIX[name]["replies"]]


def run_radios(monkeypatch: Any, args: Dict[str, Any]) -> Tuple[Dict[str, Any], Radios]:
    kernel = Radios()
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    monkeypatch.setattr(
        wifi_scan_facts, "Nl80211Client", functools.partial(Nl80211Client, socket_factory=kernel)
    )
    with module_args(args), pytest.raises(AnsibleExitJson) as info:
        wifi_scan_facts.main()
    return info.value.args[0], kernel


def test_every_subset_from_the_captured_replies(monkeypatch: Any) -> None:
    result, kernel = run_radios(monkeypatch, {})
    wifi = result["ansible_facts"]["netlink_wifi"]
    assert wifi["gathered"] == ["scan", "link", "stations", "survey", "regulatory"]
    link = wifi["links"]["wlan8"]  # only the station has a link
    assert list(wifi["links"]) == ["wlan8"]
    theirs = captured.IW.parse_link(captured.iw("get_scan_wlan8"))
    assert (link["bssid"], link["ssid"], link["signal_dbm"]) == (
        theirs["bssid"], theirs["ssid"], theirs["signal_dbm"]
    )  # fmt: skip
    assert [s["mac"] for s in wifi["stations"]["wlan0"]] == ["02:00:00:00:08:00"]
    assert [s["mac"] for s in wifi["stations"]["wlan8"]] == ["02:00:00:00:00:00"]
    assert [s["frequency"] for s in wifi["survey"]["wlan8"]] == [2412, 2437]
    assert wifi["regulatory"]["country"] == "00" and wifi["regulatory"]["radios"] == []
    assert [p["name"] for p in wifi["phys"]] == ["phy8"]
    # one GET_REG in all; scan, station and survey dumps per interface
    assert kernel.asked.count(("NL80211_CMD_GET_REG", None)) == 1
    assert ("NL80211_CMD_GET_STATION", WLAN0) in kernel.asked


def test_link_alone_reads_only_what_the_link_needs(monkeypatch: Any) -> None:
    result, kernel = run_radios(monkeypatch, {"gather_subset": ["link"]})
    wifi = result["ansible_facts"]["netlink_wifi"]
    assert wifi["gathered"] == ["link"] and wifi["links"]["wlan8"]["connected"] is True
    assert (wifi["scan"], wifi["stations"], wifi["survey"], wifi["regulatory"]) == ({}, {}, {}, {})
    asked = [a for a in kernel.asked if a[0] not in ("NL80211_CMD_GET_INTERFACE",
                                                     "NL80211_CMD_GET_WIPHY")]  # fmt: skip
    # the station's scan list and its AP's station entry; nothing for the AP wlan0
    assert asked == [("NL80211_CMD_GET_SCAN", WLAN8), ("NL80211_CMD_GET_STATION", WLAN8)]
