#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The wifi demo, inside the simulated-radio VM (demo/run.sh --wifi runs
# `tests/vm/run-in-vm demo/wifi-in-vm.sh`): start the open (wlan0, channel 1) and WPA2-PSK
# (wlan2, channel 6) access points, run demo/wifi.yml twice with ansible-playbook (first run:
# changed; second run: ok, nothing changed) and show what `iw dev` says afterwards.
set -euo pipefail
HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd -- "$HERE/.." && pwd -P)"
[ "${LN_VM:-}" = 1 ] || { echo "run me in the VM: tests/vm/run-in-vm demo/wifi-in-vm.sh" >&2; exit 2; }

"$REPO/tests/vm/guest-setup-hostapd" open:wlan0 wpa2:wlan2
. "$REPO/tests/vm/wifi/guest-python.sh"
ln_wifi_python "$REPO"

for run in first second; do
    echo "=== $run run of demo/wifi.yml"
    "$PY" -m ansible playbook -i localhost, -c local "$HERE/wifi.yml" | tee "/tmp/demo-$run.log"
done
first=$(grep -E '^localhost +:' /tmp/demo-first.log)
second=$(grep -E '^localhost +:' /tmp/demo-second.log)
[[ "$first" =~ changed=[1-9] ]] || { echo "demo: the first run changed nothing" >&2; exit 1; }
[[ "$second" =~ changed=0\ .*failed=0 ]] || { echo "demo: the second run was not ok" >&2; exit 1; }
echo "=== iw dev (the oracle) after the demo"
iw dev
echo "demo: first run changed, second run ok"
