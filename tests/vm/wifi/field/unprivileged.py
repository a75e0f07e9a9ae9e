#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Inside the simulated-radio VM (field.sh): linux.netlink.wifi_scan_facts read without any
privilege answers what the privileged read and `iw` answer.

The module file is run as Ansible runs it (``python MODULE ARGS_FILE``), once as root and once
under ``setpriv`` as uid/gid nobody with every capability dropped (CAP_NET_ADMIN included),
which is proven by `iw` refusing a scan trigger under the same setpriv. Compared: the radios
(names and interface modes, with `iw list`), the interfaces (name, ifindex, type, MAC, with
`iw dev`) and the cached scan results (BSSIDs per interface, privileged vs unprivileged); and a
triggered scan without the capability fails with the "needs CAP_NET_ADMIN" message.
For the link, station, survey and regulatory facts, wlan8 (phy8) is made a station of ln-open
with `iw connect` first (set-up, not a module of ours) and disconnected and downed at the end:
the unprivileged read must show the same link, the same stations on both ends, the same
survey and regulatory domain as the privileged read, and the link and domain `iw` shows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.environ.get("LN_WIFI_ORACLE") or os.path.join(HERE, "..", "iw_oracle.py")
COLLECTIONS = os.environ.get("LN_WIFI_COLLECTIONS", "/tmp/ln-collections")
MODULE = os.path.join(COLLECTIONS, "ansible_collections/linux/netlink/plugins/modules",
                      "wifi_scan_facts.py")  # fmt: skip
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
          "--bounding-set=-all", "--no-new-privs"]  # fmt: skip


def run_module(args: Dict[str, Any], prefix: Sequence[str] = ()) -> Dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"ANSIBLE_MODULE_ARGS": args}, f)
    os.chmod(f.name, 0o644)
    try:
        env = dict(os.environ, PYTHONPATH=COLLECTIONS, HOME="/tmp")
        proc = subprocess.run([*prefix, sys.executable, MODULE, f.name], capture_output=True,
                              text=True, timeout=120, cwd="/", env=env)  # fmt: skip
    finally:
        os.unlink(f.name)
    if not proc.stdout.strip():
        raise SystemExit("no output from the module: %s" % proc.stderr)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result.pop("invocation", None)
    return result


def oracle(*args: str) -> Any:
    return json.loads(subprocess.run([sys.executable, ORACLE, *args], check=True,
                                     capture_output=True, text=True).stdout)  # fmt: skip


def interfaces(facts: Dict[str, Any]) -> List[Dict[str, Any]]:
    keys = ("name", "ifindex", "type", "mac")
    return sorted(({k: i[k] for k in keys} for i in facts["interfaces"]), key=lambda i: i["name"])


def main() -> int:
    problems: List[str] = []

    def check(ok: bool, what: str, detail: Any = "") -> None:
        print("%s %s%s" % ("ok  " if ok else "FAIL", what, "" if ok else ": %s" % (detail,)))
        if not ok:
            problems.append(what)

    refused = subprocess.run([*NOBODY, "iw", "dev", "wlan1", "scan", "trigger"],
                             capture_output=True, text=True)  # fmt: skip
    check(refused.returncode != 0 and "not permitted" in (refused.stdout + refused.stderr),
          "setpriv drops CAP_NET_ADMIN: iw cannot trigger a scan under it",
          refused.stdout + refused.stderr)  # fmt: skip
    ident = subprocess.run([*NOBODY, "sh", "-c", "id -u; grep CapEff /proc/self/status"],
                           capture_output=True, text=True).stdout.split()  # fmt: skip
    check(
        ident[:1] == ["65534"] and ident[-1:] == ["0000000000000000"],
        "setpriv runs as nobody with no effective capability",
        ident,
    )

    subprocess.run(["ip", "link", "set", "wlan8", "up"], check=True)
    subprocess.run(["iw", "dev", "wlan8", "connect", "ln-open", "2412"], check=True)
    for _ in range(100):
        if "Connected to" in subprocess.run(["iw", "dev", "wlan8", "link"], capture_output=True,
                                            text=True).stdout:  # fmt: skip
            break
        time.sleep(0.3)
    # a scan from wlan8's radio: mac80211_hwsim reports survey data for the channels it visited
    subprocess.run(["iw", "dev", "wlan8", "scan", "freq", "2412", "2437"], capture_output=True,
                   check=True)  # fmt: skip
    try:
        return compare(check, problems)
    finally:
        subprocess.run(["iw", "dev", "wlan8", "disconnect"], capture_output=True)
        subprocess.run(["ip", "link", "set", "wlan8", "down"], capture_output=True)


def stable(stations: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """What of a station list does not move between two reads a second apart."""
    keys = ("mac", "signal_dbm", "flags", "bss", "mesh")
    return [{k: s[k] for k in keys} for s in stations]


def compare(check: Callable[..., None], problems: List[str]) -> int:
    root = run_module({})
    nobody = run_module({}, NOBODY)
    check(not nobody.get("failed"), "the unprivileged read succeeds", nobody.get("msg"))
    if nobody.get("failed") or root.get("failed"):
        return 1
    ours, theirs = root["ansible_facts"]["netlink_wifi"], nobody["ansible_facts"]["netlink_wifi"]
    check(theirs["available"] is True, "available without privilege")
    check(theirs["phys"] == ours["phys"], "radios: unprivileged == privileged")
    check(interfaces(theirs) == interfaces(ours), "interfaces: unprivileged == privileged")
    bss = {k: sorted(b["bssid"] for b in v) for k, v in ours["scan"].items()}
    bss_nobody = {k: sorted(b["bssid"] for b in v) for k, v in theirs["scan"].items()}
    check(bss_nobody == bss, "cached scan results: unprivileged == privileged",
          (bss_nobody, bss))  # fmt: skip
    check(theirs["gathered"] == ours["gathered"] == ["scan", "link", "stations", "survey",
                                                     "regulatory"],
          "every subset gathered without privilege", theirs["gathered"])  # fmt: skip
    link_keys = ("connected", "status", "bssid", "ssid", "frequency", "signal_dbm")
    links = {k: {f: v[f] for f in link_keys} for k, v in ours["links"].items()}
    links_nobody = {k: {f: v[f] for f in link_keys} for k, v in theirs["links"].items()}
    check(links_nobody == links and links.get("wlan8", {}).get("connected") is True,
          "links: unprivileged == privileged (wlan8 connected)", (links_nobody, links))  # fmt: skip
    sta = {k: stable(v) for k, v in ours["stations"].items()}
    sta_nobody = {k: stable(v) for k, v in theirs["stations"].items()}
    check(sta_nobody == sta and bool(sta.get("wlan0")) and bool(sta.get("wlan8")),
          "stations (AP wlan0 and station wlan8): unprivileged == privileged",
          (sta_nobody, sta))  # fmt: skip
    survey_keys = ("frequency", "in_use", "noise_dbm", "active_ms", "busy_ms")
    survey = {k: [{f: c[f] for f in survey_keys} for c in v] for k, v in ours["survey"].items()}
    survey_nobody = {k: [{f: c[f] for f in survey_keys} for c in v]
                     for k, v in theirs["survey"].items()}  # fmt: skip
    check(survey_nobody == survey and bool(survey.get("wlan8")),
          "survey: unprivileged == privileged", (survey_nobody, survey))  # fmt: skip
    check(theirs["regulatory"] == ours["regulatory"] and bool(ours["regulatory"]["rules"]),
          "regulatory domain: unprivileged == privileged",
          (theirs["regulatory"], ours["regulatory"]))  # fmt: skip

    iw_phys = {p["name"]: p["iftypes"] for p in oracle("phys")}
    mine = {p["name"]: sorted(p["iftypes"]) for p in theirs["phys"]}
    check(bool(iw_phys) and mine == iw_phys, "radios and their interface modes == iw list",
          (mine, iw_phys))  # fmt: skip
    iw_dev = [i for i in oracle("dev") if i.get("ifindex")]
    iw_view = sorted(({k: i.get(k) for k in ("name", "ifindex", "type", "mac")} for i in iw_dev),
                     key=lambda i: i["name"])  # fmt: skip
    check(interfaces(theirs) == iw_view, "interfaces == iw dev", (interfaces(theirs), iw_view))
    iw_link = oracle("link", "wlan8")
    mine_link = {k: theirs["links"]["wlan8"][k] for k in ("bssid", "ssid", "frequency")}
    check(mine_link == {k: iw_link.get(k) for k in ("bssid", "ssid", "frequency")},
          "the unprivileged link of wlan8 == iw dev wlan8 link", (mine_link, iw_link))  # fmt: skip
    iw_sta = [s["mac"] for s in oracle("stations", "wlan0")]
    mine_sta = [s["mac"] for s in theirs["stations"]["wlan0"]]
    check(mine_sta == iw_sta, "the unprivileged stations of wlan0 == iw dev wlan0 station dump",
          (mine_sta, iw_sta))  # fmt: skip
    iw_reg = oracle("reg")
    mine_reg = theirs["regulatory"]
    check((mine_reg["country"], mine_reg["dfs_region"], len(mine_reg["rules"]))
          == (iw_reg["country"], iw_reg["dfs_region"], len(iw_reg["rules"])),
          "the unprivileged regulatory domain == iw reg get", (mine_reg, iw_reg))  # fmt: skip

    scan = run_module({"interface": "wlan1", "trigger": True, "frequencies": [2412]}, NOBODY)
    check(
        bool(scan.get("failed")) and "needs CAP_NET_ADMIN" in scan.get("msg", ""),
        "a triggered scan without the capability says it needs CAP_NET_ADMIN",
        scan,
    )

    print("unprivileged: %d problem(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
