# SPDX-License-Identifier: GPL-3.0-or-later
"""The nl80211 client against the real kernel in the simulated-radio VM (mac80211_hwsim).

Run by tests/vm/wifi/guest-run-tests.sh inside the VM (9 radios; access points on phy0, phy2
and phy4); `iw` is the oracle. Not collected by the host's plain pytest run (not in testpaths).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import NetlinkError
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import facts
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (
    Nl80211Client,
    Nl80211Error,
    ScanTimeout,
)

pytestmark = pytest.mark.vm
ORACLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "iw_oracle.py")


def oracle(*args: str):
    out = subprocess.run((sys.executable, ORACLE) + args, check=True, stdout=subprocess.PIPE)
    return json.loads(out.stdout)


@pytest.fixture
def client():
    with Nl80211Client() as c:
        yield c


def test_phys_match_iw(client):
    phys = client.phys()
    # the radios of mac80211_hwsim, as sysfs lists them (LN_VM_RADIOS=9)
    assert [p.name for p in phys] == sorted(
        os.listdir("/sys/class/ieee80211"), key=lambda n: int(n[3:])
    )
    phy1 = client.phy("phy1")
    iw = oracle("phy", "phy1")
    # iw 5.19 does not print the S1G band; everything else must agree, in order
    ours = [
        f
        for band, chans in phy1.bands.items()
        if band != "900MHz"
        for f in [c["freq"] for c in chans]
    ]
    assert ours == iw["frequencies"]
    assert "monitor" in phy1.iftypes and "nan" not in phy1.iftypes


def test_interfaces_match_iw(client):
    keys = ("name", "ifindex", "wdev", "type", "mac", "phy")
    ours = [{k: getattr(i, k) for k in keys} for i in client.interfaces()]
    theirs = [{k: i.get(k) for k in keys} for i in oracle("dev")]
    assert sorted(ours, key=lambda i: i["name"]) == sorted(theirs, key=lambda i: i["name"])


def test_retype_up_interface_restores_admin_state(client):
    iface = client.create(3, "lnvmsta", "station")
    try:
        client.set_up(iface, True)
        iface = client.interface("lnvmsta")
        assert iface.up
        client.set_interface(iface, "monitor", monitor_flags=["fcsfail"])  # EBUSY while up
        after = client.interface("lnvmsta")
        assert (after.type, after.up, after.ifindex) == ("monitor", True, iface.ifindex)
        assert [i["type"] for i in oracle("dev") if i["name"] == "lnvmsta"] == ["monitor"]
    finally:
        client.delete(client.interface("lnvmsta"))
    assert client.interface("lnvmsta") is None


def test_refusals_are_worded(client):
    with pytest.raises(Nl80211Error, match="phy3 cannot create interfaces of type wds"):
        client.create(3, "lnvmwds", "wds")
    with pytest.raises(Nl80211Error, match="already exists"):
        client.create(3, "wlan1", "station")


def test_scan_waits_for_its_own_interface(client):
    wlan1 = client.interface("wlan1")
    if not wlan1.up:
        client.set_up(wlan1, True)
        wlan1 = client.interface("wlan1")
    wanted = {"ln-open", "ln-wpa2", "ln-sae"}
    for _attempt in range(3):  # a short active scan can miss a probe response under TCG
        client.trigger_scan(wlan1, frequencies=[2412, 2437, 2462], timeout=20)
        results = facts.scan_facts(client.scan_results(wlan1))
        if wanted <= {b["ssid"] for b in results}:
            break
    assert wanted <= {b["ssid"] for b in results}
    theirs = oracle("scan", "wlan1")
    assert sorted((b["bssid"], b["frequency"], b["ssid"]) for b in results) == sorted(
        (b["bssid"], b["frequency"], b.get("ssid")) for b in theirs
    )


def test_netns_sees_only_its_phy(client):
    subprocess.run(["ip", "netns", "add", "lnwifi"], check=True)
    try:
        subprocess.run(["iw", "phy", "phy3", "set", "netns", "name", "lnwifi"], check=True)
        with Nl80211Client(netns="lnwifi") as inside:
            assert [i.name for i in inside.interfaces()] == ["wlan3"]
            assert [p.name for p in inside.phys()] == ["phy3"]
            made = inside.create(3, "lnnsmon", "monitor")
            assert made.phy == 3 and inside.interface("lnnsmon") is not None
            inside.delete(made)
        assert "wlan3" not in [i.name for i in client.interfaces()]
    finally:
        subprocess.run(
            ["ip", "netns", "exec", "lnwifi", "iw", "phy", "phy3", "set", "netns", "1"],
            check=False,
        )
        subprocess.run(["ip", "netns", "del", "lnwifi"], check=False)
    assert "wlan3" in [i.name for i in client.interfaces()]


def _up_station(client, name):
    iface = client.interface(name)
    if iface.type != "station":
        client.set_interface(iface, "station")
    if not client.interface(name).up:
        client.set_up(client.interface(name), True)
    return client.interface(name)


def test_busy_radio_then_own_scan(client):
    """A full scan (about 8 s under TCG) is running: our trigger gets EBUSY, waits, scans."""
    wlan1 = _up_station(client, "wlan1")
    with Nl80211Client() as other:  # someone else's full scan, not waited for
        other.request(u.NL80211_CMD_TRIGGER_SCAN, {"ifindex": wlan1.ifindex, "scan_ssids": [b""]})
        with pytest.raises(NetlinkError) as busy:
            other.request(u.NL80211_CMD_TRIGGER_SCAN, {"ifindex": wlan1.ifindex})
        assert busy.value.errno == errno.EBUSY
        started = time.monotonic()
        client.trigger_scan(wlan1, frequencies=[2437], timeout=60)
        assert time.monotonic() - started > 1.0  # it had to wait for the full scan


def test_scan_timeout_is_clear(client):
    wlan1 = _up_station(client, "wlan1")
    with pytest.raises(ScanTimeout, match="timed out waiting for the scan on wlan1"):
        client.trigger_scan(wlan1, timeout=1)  # a full scan takes about 8 s here
    client.trigger_scan(wlan1, frequencies=[2412], timeout=60)  # waits for it, then works


def test_scan_refusals_are_worded(client):
    down = client.interface("wlan3")
    if down.up:
        client.set_up(down, False)
        down = client.interface("wlan3")
    with pytest.raises(Nl80211Error, match=r"wlan3 is down .*\(ENETDOWN\)"):
        client.trigger_scan(down, frequencies=[2412], timeout=5)
    mon = client.create(3, "lnvmmon", "monitor")
    try:
        client.set_up(mon, True)
        with pytest.raises(Nl80211Error, match=r"lnvmmon cannot scan: .*monitor.*\(EOPNOTSUPP\)"):
            client.trigger_scan(client.interface("lnvmmon"), frequencies=[2412], timeout=5)
    finally:
        client.delete(client.interface("lnvmmon"))
