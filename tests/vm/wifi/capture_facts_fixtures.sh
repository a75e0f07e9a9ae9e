#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Inside the simulated-radio VM (tests/vm/run-in-vm, LN_VM_RADIOS=9): start ln-open on wlan0 and
# rewrite the facts fixtures (tests/vm/wifi/capture_facts_fixtures.py says what is captured).
#   LN_VM_RADIOS=9 tests/vm/run-in-vm tests/vm/wifi/capture_facts_fixtures.sh
set -eu
HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
"$HERE/../guest-setup-hostapd" open:wlan0
rc=0
/usr/bin/python3 "$HERE/capture_facts_fixtures.py" || rc=$?
"$HERE/../guest-setup-hostapd" --stop
exit "$rc"
