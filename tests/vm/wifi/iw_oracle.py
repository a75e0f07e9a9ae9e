#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What `iw` (the test oracle) says, as JSON, for the VM playbooks and tests to compare with.

    iw_oracle.py dev  -> [{name, ifindex, wdev, mac, type, phy}]   (`iw dev`)
    iw_oracle.py scan DEV -> [{bssid, frequency, ssid, rsn, wpa}]    (`iw dev DEV scan dump`)
    iw_oracle.py phy PHY -> {name, frequencies, iftypes}           (`iw phy PHY info`)
    iw_oracle.py phys -> [{name, frequencies, iftypes}]             (`iw list`, every radio)

Types are translated from iw's words to enum nl80211_iftype names (managed -> station, ...).
Only the oracle's own output is parsed here; nothing of the collection is imported.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

IW_TYPES = {
    "managed": "station", "AP": "ap", "AP/VLAN": "ap_vlan", "WDS": "wds", "monitor": "monitor",
    "mesh point": "mesh_point", "IBSS": "adhoc", "P2P-client": "p2p_client", "P2P-GO": "p2p_go",
    "P2P-device": "p2p_device", "outside context of a BSS": "ocb", "NAN": "nan",
}  # fmt: skip


def iw(*args: str) -> str:
    return subprocess.run(("iw",) + args, check=True, stdout=subprocess.PIPE, text=True).stdout


def dev() -> list:
    out, phy = [], None
    for line in iw("dev").splitlines():
        line = line.strip()
        m = re.match(r"phy#(\d+)$", line)
        if m:
            phy = int(m.group(1))
            continue
        m = re.match(r"(?:Interface|Unnamed/non-netdev interface) ?(\S*)", line)
        if m:
            out.append({"name": m.group(1), "phy": phy, "ifindex": 0, "use_4addr": False})
            continue
        key, _, value = line.partition(" ")
        if not out:
            continue
        if key in ("ifindex", "wdev"):
            out[-1][key] = int(value, 0)
        elif key == "addr":
            out[-1]["mac"] = value
        elif key == "type":
            out[-1]["type"] = IW_TYPES.get(value, value)
        elif key == "4addr:":
            out[-1]["use_4addr"] = value == "on"
        elif key == "channel":
            m = re.search(r"\((\d+) MHz\)", value)
            out[-1]["frequency"] = int(m.group(1)) if m else None
    return sorted(out, key=lambda i: (i["phy"], i["name"]))


def scan(device: str) -> list:
    out = []
    for raw in iw("dev", device, "scan", "dump").splitlines():
        m = re.match(r"BSS ([0-9a-f:]{17})", raw)
        if m:
            out.append({"bssid": m.group(1), "rsn": False, "wpa": False})
            continue
        line = raw.strip()
        if not out:
            continue
        if line.startswith("freq:"):
            out[-1]["frequency"] = int(float(line.split()[1]))
        elif line.startswith("SSID:"):
            out[-1]["ssid"] = line[len("SSID:") :].strip()
        elif line.startswith("RSN:"):
            out[-1]["rsn"] = True
        elif line.startswith("WPA:"):
            out[-1]["wpa"] = True
    return sorted(out, key=lambda b: b["bssid"])


def _phy(name: str, text: str) -> dict:
    freqs = [int(m.group(1)) for m in re.finditer(r"\* (\d+)(?:\.\d+)? MHz \[\d+\]", text)]
    # "Supported interface modes:" then one "* MODE" line each (the hardware's iftypes).
    modes = re.search(r"\n\tSupported interface modes:\n((?:\t\t \* .*\n)+)", text)
    iftypes = (
        []
        if not modes
        else [IW_TYPES.get(m.strip(), m.strip()) for m in re.findall(r"\* (.*)", modes.group(1))]
    )
    return {"name": name, "frequencies": freqs, "iftypes": sorted(iftypes)}


def phy(name: str) -> dict:
    return _phy(name, iw("phy", name, "info"))


def phys() -> list:
    parts = re.split(r"^Wiphy (\S+)\n", iw("list"), flags=re.M)
    return [_phy(name, text + "\n") for name, text in zip(parts[1::2], parts[2::2])]


def main(argv: list) -> int:
    if len(argv) >= 1 and argv[0] == "dev":
        result = dev()
    elif len(argv) == 2 and argv[0] == "scan":
        result = scan(argv[1])
    elif len(argv) == 2 and argv[0] == "phy":
        result = phy(argv[1])
    elif argv == ["phys"]:
        result = phys()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
