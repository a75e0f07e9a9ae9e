#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What `iw` (the test oracle) says, as JSON, for the VM playbooks and tests to compare with.

    iw_oracle.py dev  -> [{name, ifindex, wdev, mac, type, phy}]   (`iw dev`)
    iw_oracle.py scan DEV -> [{bssid, frequency, ssid, rsn, wpa}]    (`iw dev DEV scan dump`)
    iw_oracle.py phy PHY -> {name, frequencies, iftypes}           (`iw phy PHY info`)
    iw_oracle.py phys -> [{name, frequencies, iftypes}]             (`iw list`, every radio)
    iw_oracle.py stations DEV -> [{mac, signal_dbm, ...}]          (`iw dev DEV station dump`)
    iw_oracle.py link DEV -> {connected, status, bssid, ssid, ...}  (`iw dev DEV link`)
    iw_oracle.py survey DEV -> [{frequency, noise_dbm, ...}]       (`iw dev DEV survey dump`)
    iw_oracle.py reg -> {country, dfs_region, rules, radios}       (`iw reg get`)
    iw_oracle.py phyinfo PHY -> {channels, ciphers, combinations}  (`iw phy PHY info`)

Each parse_* function takes iw's text, so unit tests parse the text captured with the replies.

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


# --------------------------------------------------------------------------- stations, link


def _num(text: str):
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return float(text)


def parse_bitrate(text: str) -> dict:
    """iw's "54.0 MBit/s", "65.0 MBit/s MCS 7 40MHz short GI", "... VHT-MCS 9 80MHz VHT-NSS 2",
    "... HE-MCS 11 HE-NSS 2 HE-GI 0 HE-DCM 0"."""
    m = re.match(r"([\d.]+) MBit/s", text.strip())
    out = {"mbps": float(m.group(1)) if m else None, "short_gi": "short GI" in text}
    width = re.search(r" (5|10|40|80|80P80|160|320)MHz", text)
    out["width_mhz"] = {"80P80": 160}.get(width.group(1), int(width.group(1))) if width else 20
    for word, key in (("MCS", "mcs"), ("VHT-MCS", "vht_mcs"), ("VHT-NSS", "vht_nss"),
                      ("HE-MCS", "he_mcs"), ("HE-NSS", "he_nss"), ("HE-GI", "he_gi"),
                      ("HE-DCM", "he_dcm"), ("EHT-MCS", "eht_mcs"), ("EHT-NSS", "eht_nss"),
                      ("EHT-GI", "eht_gi")):  # fmt: skip
        found = re.search(r"(?:^| )%s (\d+)" % re.escape(word), text)
        out[key] = int(found.group(1)) if found else None
    return out


_STA_NUMBERS = {
    "inactive time": "inactive_ms", "rx bytes": "rx_bytes", "rx packets": "rx_packets",
    "tx bytes": "tx_bytes", "tx packets": "tx_packets", "tx retries": "tx_retries",
    "tx failed": "tx_failed", "beacon loss": "beacon_loss", "beacon rx": "beacon_rx",
    "rx drop misc": "rx_drop_misc", "signal avg": "signal_avg_dbm",
    "beacon signal avg": "beacon_signal_avg_dbm", "connected time": "connected_s",
    "tx duration": "tx_duration_us", "rx duration": "rx_duration_us",
    "mesh llid": "llid", "mesh plid": "plid", "mesh airtime link metric": "airtime_link_metric",
    "last ack signal": "ack_signal_dbm",
}  # fmt: skip
_STA_FLAGS = {
    "authorized": "authorized", "authenticated": "authenticated", "associated": "associated",
    "WMM/WME": "wme", "MFP": "mfp", "TDLS peer": "tdls_peer",
}  # fmt: skip


def parse_stations(text: str) -> list:
    out = []
    for raw in text.splitlines():
        m = re.match(r"Station ([0-9a-f:]{17})", raw)
        if m:
            out.append({"mac": m.group(1), "flags": {}, "tx_bitrate": None, "rx_bitrate": None})
            continue
        if not out or ":" not in raw:
            continue
        key, _, value = raw.strip().partition(":")
        value = value.strip()
        sta = out[-1]
        if key in _STA_NUMBERS:
            sta[_STA_NUMBERS[key]] = _num(value.split()[0])
        elif key == "signal":
            sta["signal_dbm"] = int(value.split()[0])
            chains = re.search(r"\[([-\d, ]+)\]", value)
            chain = [int(c) for c in chains.group(1).split(",")] if chains else None
            sta["chain_signal_dbm"] = chain
        elif key in ("tx bitrate", "rx bitrate"):
            sta[key.replace(" ", "_")] = parse_bitrate(value)
        elif key in _STA_FLAGS:
            sta["flags"][_STA_FLAGS[key]] = value == "yes"
        elif key == "preamble":
            sta["flags"]["short_preamble"] = value == "short"
        elif key == "mesh plink":
            sta["plink_state"] = value
        elif key == "expected throughput":
            sta["expected_throughput_mbps"] = float(value.rstrip("Mbps"))
        elif key == "DTIM period":
            sta["dtim_period"] = int(value)
        elif key == "beacon interval":
            sta["beacon_interval_tu"] = int(value)
    return sorted(out, key=lambda s: s["mac"])


def parse_link(text: str) -> dict:
    first = text.strip().splitlines()[0] if text.strip() else ""
    m = re.match(r"(Connected to|Authenticated with|Joined IBSS) ([0-9a-f:]{17})", first)
    if not m:
        return {"connected": False, "status": None, "bssid": None}
    status = {"Connected to": "associated", "Authenticated with": "authenticated",
              "Joined IBSS": "ibss_joined"}[m.group(1)]  # fmt: skip
    out = {"connected": status != "authenticated", "status": status, "bssid": m.group(2),
           "tx_bitrate": None, "rx_bitrate": None}  # fmt: skip
    for raw in text.splitlines()[1:]:
        key, _, value = raw.strip().partition(":")
        value = value.strip()
        if key == "SSID":
            out["ssid"] = value
        elif key == "freq":
            out["frequency"] = int(float(value))
        elif key in ("RX", "TX"):
            nums = re.match(r"(\d+) bytes \((\d+) packets\)", value)
            out[key.lower() + "_bytes"] = int(nums.group(1))
            out[key.lower() + "_packets"] = int(nums.group(2))
        elif key == "signal":
            out["signal_dbm"] = int(value.split()[0])
        elif key in ("rx bitrate", "tx bitrate"):
            out[key.replace(" ", "_")] = parse_bitrate(value)
        elif key == "dtim period":
            out["dtim_period"] = int(value)
        elif key == "beacon int":
            out["beacon_interval_tu"] = int(value)
    return out


# --------------------------------------------------------------------------- survey, reg

_SURVEY_TIMES = {
    "channel active time": "active_ms", "channel busy time": "busy_ms",
    "extension channel busy time": "ext_busy_ms", "channel receive time": "rx_ms",
    "channel transmit time": "tx_ms", "channel scan time": "scan_ms",
}  # fmt: skip


def parse_survey(text: str) -> list:
    out = []
    for raw in text.splitlines():
        key, _, value = raw.strip().partition(":")
        value = value.strip()
        if key == "frequency":
            out.append({"frequency": int(value.split()[0]), "in_use": "[in use]" in value})
        elif not out:
            continue
        elif key == "noise":
            out[-1]["noise_dbm"] = int(value.split()[0])
        elif key in _SURVEY_TIMES:
            out[-1][_SURVEY_TIMES[key]] = int(value.split()[0])
    return sorted(out, key=lambda s: s["frequency"])


# The UAPI header defines NL80211_RRF_PASSIVE_SCAN as NL80211_RRF_NO_IR: iw 5.19 still prints
# the old word when the rule does not also carry the old NO_IBSS bit.
_RULE_FLAG_ALIASES = {"PASSIVE-SCAN": "NO-IR", "NO-IBSS": "NO-IR"}
_RULE = re.compile(
    r"\(([\d.]+) - ([\d.]+) @ ([\d.]+)\), \((N/A|[\d.]+), ([\d.]+)\), \((N/A|\d+) ?(?:ms)?\)"
    r"(?:, (.*))?$"
)


def parse_reg(text: str) -> dict:
    """`iw reg get`: the global domain, then one per radio ("phy#3" or "phy#3 (self-managed)")."""
    domains, current = [], None
    for raw in text.splitlines():
        line = raw.strip()
        head = re.match(r"(global|phy#(\d+))( \(self-managed\))?$", line)
        if head:
            current = {"index": None if head.group(2) is None else int(head.group(2)),
                       "self_managed": bool(head.group(3)), "rules": []}  # fmt: skip
            domains.append(current)
            continue
        country = re.match(r"country (\S+): DFS-(\S+)", line)
        if country and current is not None:
            region = country.group(2)  # iw: DFS-UNSET, DFS-FCC, DFS-ETSI, DFS-JP
            current["country"], current["dfs_region"] = country.group(1), (
                "unset" if region == "UNSET" else region
            )
            continue
        rule = _RULE.match(line)
        if rule and current is not None:
            flags = [f.strip() for f in (rule.group(7) or "").split(",") if f.strip()]
            current["rules"].append({
                "start_mhz": _num(rule.group(1)), "end_mhz": _num(rule.group(2)),
                "max_bandwidth_mhz": _num(rule.group(3)),
                "max_antenna_gain_dbi": 0.0 if rule.group(4) == "N/A" else float(rule.group(4)),
                "max_eirp_dbm": float(rule.group(5)),
                "dfs_cac_ms": None if rule.group(6) == "N/A" else int(rule.group(6)),
                "flags": sorted({_RULE_FLAG_ALIASES.get(f, f) for f in flags}),
            })  # fmt: skip
    glob = next((d for d in domains if d["index"] is None), {})
    return {
        "country": glob.get("country"),
        "dfs_region": glob.get("dfs_region"),
        "rules": glob.get("rules", []),
        "radios": [d for d in domains if d["index"] is not None],
    }


# --------------------------------------------------------------------------- phy details

_WIDTHS = {"20 MHz (no HT)": "20_noht", "20 MHz": "20", "40 MHz": "40", "80 MHz": "80",
           "80+80 MHz": "80p80", "160 MHz": "160", "5 MHz": "5", "10 MHz": "10",
           "320 MHz": "320"}  # fmt: skip


def parse_phyinfo(text: str) -> dict:
    """`iw phy PHY info`: every channel (frequency, disabled, max power, radar, DFS state), the
    cipher suites (their selectors), and the valid interface combinations."""
    channels = []
    for raw in text.splitlines():
        m = re.match(r"\s+\* (\d+)(?:\.\d+)? MHz \[(\d+)\](.*)$", raw)
        if m:
            rest = m.group(3)
            power = re.search(r"\(([-\d.]+) dBm\)", rest)
            channels.append({
                "frequency": int(m.group(1)), "channel": int(m.group(2)),
                "disabled": "(disabled)" in rest, "radar": "radar detection" in rest,
                "no_ir": "no IR" in rest, "max_power_dbm": float(power.group(1)) if power else None,
                "dfs_state": None,
            })  # fmt: skip
            continue
        state = re.match(r"\s+DFS state: (\S+)", raw)
        if state and channels:
            channels[-1]["dfs_state"] = state.group(1)
    ciphers = []
    block = re.search(r"\tSupported Ciphers:\n((?:\t\t\* .*\n)+)", text)
    for line in block.group(1).splitlines() if block else []:
        sel = re.search(r"\(([0-9a-f]{2}-[0-9a-f]{2}-[0-9a-f]{2}:\d+)\)", line)
        ciphers.append(sel.group(1) if sel else line.strip("\t* "))
    combinations = []
    block = re.search(r"\tvalid interface combinations:\n((?:\t\t .*\n)+)", text)
    for combo in re.split(r"\n?\t\t \* ", block.group(1)) if block else []:
        if not combo.strip():
            continue
        limits = [
            {"max": int(m.group(2)),
             "types": sorted(IW_TYPES.get(t.strip(), t.strip()) for t in m.group(1).split(","))}
            for m in re.finditer(r"#\{ ([^}]*) \} <= (\d+)", combo)
        ]  # fmt: skip
        total = re.search(r"total <= (\d+)", combo)
        chans = re.search(r"#channels <= (\d+)", combo)
        widths = re.search(r"radar detect widths: \{ ([^}]*) \}", combo)
        combinations.append({
            "limits": limits,
            "total": int(total.group(1)) if total else None,
            "channels": int(chans.group(1)) if chans else None,
            "sta_ap_beacon_interval_match": "STA/AP BI must match" in combo,
            "radar_detect_widths": sorted(_WIDTHS.get(w.strip(), w.strip())
                                          for w in widths.group(1).split(",")) if widths else [],
        })  # fmt: skip
    return {"channels": channels, "ciphers": ciphers, "combinations": combinations}


def main(argv: list) -> int:
    if len(argv) >= 1 and argv[0] == "dev":
        result = dev()
    elif len(argv) == 2 and argv[0] == "scan":
        result = scan(argv[1])
    elif len(argv) == 2 and argv[0] == "phy":
        result = phy(argv[1])
    elif argv == ["phys"]:
        result = phys()
    elif len(argv) == 2 and argv[0] == "stations":
        result = parse_stations(iw("dev", argv[1], "station", "dump"))
    elif len(argv) == 2 and argv[0] == "link":
        result = parse_link(iw("dev", argv[1], "link"))
    elif len(argv) == 2 and argv[0] == "survey":
        result = parse_survey(iw("dev", argv[1], "survey", "dump"))
    elif argv == ["reg"]:
        result = parse_reg(iw("reg", "get"))
    elif len(argv) == 2 and argv[0] == "phyinfo":
        result = parse_phyinfo(iw("phy", argv[1], "info"))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
