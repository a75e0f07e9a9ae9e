#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Guest script proving the run-in-vm harness: 3 hwsim radios, an open AP on wlan0 and a
# WPA2-PSK AP on wlan2, a 2412/2437 MHz scan from wlan1 with iw (oracle) must see both.
# Usage (host): tests/vm/run-in-vm tests/vm/smoke.sh
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)

fail() {
    echo "VM-SMOKE-FAIL: $*"
    exit 1
}

elapsed() { printf '[%5.1f s] %s\n' "$(awk '{ print $1 }' /proc/uptime)" "$*"; }

[[ "${LN_VM:-}" == 1 ]] || fail "run me inside the VM: tests/vm/run-in-vm $0"

# run-in-vm loads hwsim with LN_VM_RADIOS (default 3); make it exactly 3 here.
radios=$(find /sys/class/ieee80211 -mindepth 1 -maxdepth 1 | wc -l)
if [[ "$radios" != 3 ]]; then
    elapsed "reloading mac80211_hwsim with 3 radios (had $radios)"
    modprobe -r mac80211_hwsim 2>/dev/null || true
    modprobe mac80211_hwsim radios=3
fi
for ifname in wlan0 wlan1 wlan2; do
    [[ -e "/sys/class/net/$ifname/phy80211" ]] || fail "$ifname missing"
done

elapsed "starting hostapd"
"$here/guest-setup-hostapd" open:wlan0 wpa2:wlan2

elapsed "scanning from wlan1"
ip link set wlan1 up
scan=""
for attempt in 1 2 3; do
    if scan=$(timeout 30 iw dev wlan1 scan freq 2412 2437 2>&1); then
        break
    fi
    echo "scan attempt $attempt failed: $scan"
    scan=""
    sleep 1
done
[[ -n "$scan" ]] || fail "no scan result"

# Split the dump into one record per BSS: "bssid|ssid|has_rsn".
bss_table=$(awk '
    /^BSS / { if (b) print b "|" s "|" r; b = substr($2, 1, 17); s = ""; r = 0 }
    /^\tSSID: / { s = substr($0, 8) }
    /^\tRSN:/ { r = 1 }
    END { if (b) print b "|" s "|" r }' <<<"$scan")
echo "$bss_table"
grep -qx '02:00:00:00:00:00|ln-open|0' <<<"$bss_table" || fail "open BSS ln-open not found"
grep -qx '02:00:00:00:02:00|ln-wpa2|1' <<<"$bss_table" || fail "RSN BSS ln-wpa2 not found"

"$here/guest-setup-hostapd" --stop
elapsed "done"
echo "VM-SMOKE-OK"
