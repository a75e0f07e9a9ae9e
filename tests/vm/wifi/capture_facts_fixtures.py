#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Capture the nl80211 replies behind the station, link, survey and regulatory facts in the
simulated-radio VM, with what `iw` printed for the same state, as golden unit-test fixtures.

Run inside the guest as root (9 radios, hostapd "ln-open" on wlan0, channel 1):

    tests/vm/run-in-vm tests/vm/wifi/capture_facts_fixtures.sh

Set-up (iw only, never a module of ours): wlan8 becomes a station of ln-open (`iw connect`);
wlan5 and wlan6 form an open mesh, then an IBSS (`iw ... mesh join` / `ibss join`), so that
GET_STATION is captured on an AP, a station, a mesh point and an IBSS member. Every datagram
the kernel sent to the client's socket is recorded (hex); `iw`'s own text for the same state
is stored beside it, verbatim, as the oracle (parsed by tests/vm/wifi/iw_oracle.py, never by
our decoder). Writes tests/unit/plugins/module_utils/_nl80211/fixtures/vm_6_1_facts.py.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path[:0] = [REPO, HERE]
import conftest  # noqa: E402,F401,I001  (makes ansible_collections.linux.netlink importable)
from capture_fixtures import Recorder, capture, write  # noqa: E402

from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (  # noqa: E402
    Nl80211Client,
)

OUT = os.path.join(REPO, "tests/unit/plugins/module_utils/_nl80211/fixtures/vm_6_1_facts.py")

# enum nl80211_commands values, spelled out so that this script does not depend on the
# uapi.py it provides fixtures for (/usr/include/linux/nl80211.h, 6.1)
GET_STATION, GET_REG, GET_SURVEY = 17, 31, 50


def sh(*args: str, check: bool = True) -> str:
    proc = subprocess.run(args, capture_output=True, text=True)
    if check and proc.returncode:
        raise SystemExit("%s: %s" % (" ".join(args), proc.stderr or proc.stdout))
    return proc.stdout


def wait_for(what: str, probe, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return
        time.sleep(0.3)
    raise SystemExit("timed out waiting for %s" % what)


def ifindex(name: str) -> int:
    with open("/sys/class/net/%s/ifindex" % name) as fh:
        return int(fh.read())


def main() -> None:
    rec = Recorder()
    client = Nl80211Client(socket_factory=rec)
    genl = client.sock._sock.number  # type: ignore[attr-defined]
    fixtures = {}

    def take(key: str, command: int, attrs: dict, what: str, iw_args: list) -> None:
        mark = rec.mark()
        client.dump(command, attrs)
        fixtures[key] = dict(capture(rec, mark, genl), command=what, iw=sh("iw", *iw_args),
                             iw_command="iw " + " ".join(iw_args))  # fmt: skip

    # wlan8: a station of ln-open (the VM's facts radio)
    sh("ip", "link", "set", "wlan8", "up")
    sh("iw", "dev", "wlan8", "connect", "ln-open", "2412")
    wait_for("wlan8 to associate", lambda: "Connected to" in sh("iw", "dev", "wlan8", "link"))
    time.sleep(1.5)  # a few beacons: the station's counters and bitrates are filled in
    take("get_station_ap_wlan0", GET_STATION, {"ifindex": ifindex("wlan0")},
         "NL80211_CMD_GET_STATION dump on wlan0 (hostapd ln-open, wlan8 associated)",
         ["dev", "wlan0", "station", "dump"])  # fmt: skip
    take("get_station_sta_wlan8", GET_STATION, {"ifindex": ifindex("wlan8")},
         "NL80211_CMD_GET_STATION dump on wlan8 (station of ln-open)",
         ["dev", "wlan8", "station", "dump"])  # fmt: skip
    take("get_scan_wlan8", u.NL80211_CMD_GET_SCAN, {"ifindex": ifindex("wlan8")},
         "NL80211_CMD_GET_SCAN dump on wlan8 (associated to ln-open); iw: link",
         ["dev", "wlan8", "link"])  # fmt: skip
    # a scan from wlan8's radio: mac80211_hwsim reports survey data for the channels it visited
    sh("iw", "dev", "wlan8", "scan", "freq", "2412", "2437")
    take(
        "get_survey_wlan0",
        GET_SURVEY,
        {"ifindex": ifindex("wlan0")},
        "NL80211_CMD_GET_SURVEY dump on wlan0 (hostapd's AP on channel 1)",
        ["dev", "wlan0", "survey", "dump"],
    )
    take(
        "get_survey_wlan8",
        GET_SURVEY,
        {"ifindex": ifindex("wlan8")},
        "NL80211_CMD_GET_SURVEY dump on wlan8",
        ["dev", "wlan8", "survey", "dump"],
    )
    take("get_reg", GET_REG, {}, "NL80211_CMD_GET_REG dump (no attributes)", ["reg", "get"])
    take("get_wiphy_phy8", u.NL80211_CMD_GET_WIPHY, {"split_wiphy_dump": True, "wiphy": 8},
         "NL80211_CMD_GET_WIPHY dump, NL80211_ATTR_SPLIT_WIPHY_DUMP, NL80211_ATTR_WIPHY=8",
         ["phy", "phy8", "info"])  # fmt: skip
    sh("iw", "dev", "wlan8", "disconnect")

    # wlan5 + wlan6: an open mesh, then an IBSS
    for dev in ("wlan5", "wlan6"):
        sh("ip", "link", "set", dev, "down")
        sh("iw", "dev", dev, "set", "type", "mp")
        sh("ip", "link", "set", dev, "up")
        sh("iw", "dev", dev, "mesh", "join", "ln-mesh", "freq", "2412")
    wait_for("the mesh peering", lambda: "ESTAB" in sh("iw", "dev", "wlan5", "station", "dump"))
    time.sleep(1.0)
    take("get_station_mesh_wlan5", GET_STATION, {"ifindex": ifindex("wlan5")},
         "NL80211_CMD_GET_STATION dump on wlan5 (open mesh ln-mesh with wlan6)",
         ["dev", "wlan5", "station", "dump"])  # fmt: skip
    for dev in ("wlan5", "wlan6"):
        sh("iw", "dev", dev, "mesh", "leave")
        sh("ip", "link", "set", dev, "down")
        sh("iw", "dev", dev, "set", "type", "ibss")
        sh("ip", "link", "set", dev, "up")
        sh("iw", "dev", dev, "ibss", "join", "ln-ibss", "2412", "fixed-freq", "02:00:00:00:05:00")
    wait_for("the IBSS peer", lambda: "Station" in sh("iw", "dev", "wlan5", "station", "dump"))
    time.sleep(1.0)
    take("get_station_ibss_wlan5", GET_STATION, {"ifindex": ifindex("wlan5")},
         "NL80211_CMD_GET_STATION dump on wlan5 (IBSS ln-ibss with wlan6)",
         ["dev", "wlan5", "station", "dump"])  # fmt: skip
    take("get_scan_ibss_wlan5", u.NL80211_CMD_GET_SCAN, {"ifindex": ifindex("wlan5")},
         "NL80211_CMD_GET_SCAN dump on wlan5 (IBSS joined); iw: link",
         ["dev", "wlan5", "link"])  # fmt: skip
    for dev in ("wlan5", "wlan6"):
        sh("iw", "dev", dev, "ibss", "leave")
        sh("ip", "link", "set", dev, "down")
        sh("iw", "dev", dev, "set", "type", "managed")
    client.close()

    header = (
        "# SPDX-License-Identifier: GPL-3.0-or-later\n"
        '"""nl80211 replies behind the station/link/survey/regulatory facts, captured in the\n'
        "simulated-radio VM (generated; do not edit).\n\n"
        "Kernel: Debian %s (%s), mac80211_hwsim radios=9; %s.\n"
        "Produced by: tests/vm/run-in-vm tests/vm/wifi/capture_facts_fixtures.sh on %s.\n"
        "Each entry: the command, the request as sent (hex), every datagram the kernel answered\n"
        "(hex, as received), and 'iw': what `iw_command` printed for the same state, verbatim\n"
        "(the oracle, parsed by tests/vm/wifi/iw_oracle.py).\n"
        '"""\n\n'
        % (
            platform.release(),
            platform.version(),
            sh("iw", "--version").strip(),
            time.strftime("%Y-%m-%d"),
        )  # fmt: skip
    )
    write(OUT, header, fixtures)
    for key, fix in fixtures.items():
        print("==== %s: %s\n%s" % (key, fix["iw_command"], fix["iw"]))


if __name__ == "__main__":
    main()
