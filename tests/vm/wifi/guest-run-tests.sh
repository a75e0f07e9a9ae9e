#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Inside the simulated-radio VM (started by tests/vm/run-tests through tests/vm/run-in-vm, as
# root, mac80211_hwsim loaded with 9 radios): start the access points, then run every VM test of
# the wifi modules in this one boot: the ansible-playbook integration playbooks and the pytest
# tests of the nl80211 client; and tests/vm/ipset/ipset_types.yml (ipset types the host
# lacks). Exits non-zero when anything failed or could not run; nothing is skipped silently. With --capture, also rewrite the golden fixtures of the unit tests;
# --capture-only does only that.
set -u
HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd -- "$HERE/../../.." && pwd -P)"
CAPTURE=0 TESTS=1
case "${1:-}" in
    --capture) CAPTURE=1 ;;
    --capture-only) CAPTURE=1 TESTS=0 ;;
    "") ;;
    *) echo "usage: $0 [--capture | --capture-only]" >&2; exit 2 ;;
esac

failures=()
t0=$(cut -d' ' -f1 /proc/uptime)
now() { cut -d' ' -f1 /proc/uptime; }
log() { printf '[%7.2f] wifi-vm: %s\n' "$(now)" "$*"; }
run() {  # run NAME COMMAND...: record a failure instead of stopping
    local name=$1 start rc
    shift
    start=$(now)
    log "BEGIN $name"
    "$@"
    rc=$?
    log "END $name: rc=$rc in $(awk "BEGIN{printf \"%.1f\", $(now) - $start}") s"
    [ "$rc" -eq 0 ] || failures+=("$name (rc=$rc)")
}

# --- the radios and the access points -------------------------------------------------------
nradios=$(ls /sys/class/ieee80211 2>/dev/null | wc -l)
if [ "$nradios" -ne 9 ]; then
    log "FATAL: need 9 mac80211_hwsim radios, found $nradios (LN_VM_RADIOS=9)"
    exit 2
fi
# ln-open (channel 1) on phy0, ln-wpa2 (6) on phy2, ln-sae (11, WPA3-SAE) on phy4. Each group
# of tests owns its radios and leaves them as it found them:
#   phy1, phy3  wifi_interface, wifi_scan_facts, the client's pytest tests, field/
#   phy5, phy6  wifi_link (station to ln-open, IBSS and mesh between the two)
#   phy7        wifi_phy (rename, netns move and back, thresholds, antennas)
#   phy8        a station of ln-open, for the station/link facts
run hostapd "$REPO/tests/vm/guest-setup-hostapd" open:wlan0 wpa2:wlan2 sae:wlan4
[ "${#failures[@]}" -eq 0 ] || { log "FATAL: access points did not start"; exit 2; }
iw dev | sed 's/^/  iw: /'

# --- Python, Ansible and the collection in the guest's RAM ------------------------------------
# The real interpreter of $LINUX_NETLINK_ANSIBLE_VENV with ansible-core and pytest, packed by
# run-tests (tests/vm/wifi/make-runtime.py): every import over 9p costs a host round trip.
start=$(now)
. "$HERE/guest-python.sh"
ln_wifi_python "$REPO" || { log "FATAL: could not set up Python and Ansible in the guest"; exit 2; }
log "runtime ready in $(awk "BEGIN{printf \"%.1f\", $(now) - $start}") s ($PY)"
export LN_WIFI_ORACLE="$HERE/iw_oracle.py"
for playbook in "$HERE"/playbooks/*.yml; do
    [ "$TESTS" = 1 ] || break
    run "playbook $(basename "$playbook")" "$PY" -m ansible playbook -i localhost, -c local \
        "$playbook"
done

# --- ipset: the set types the host kernel lacks, on this stock kernel (tests/vm/ipset) ----------
[ "$TESTS" = 1 ] && run "playbook ipset_types.yml" "$PY" -m ansible playbook -i localhost, \
    -c local "$REPO/tests/vm/ipset/ipset_types.yml"

# --- pytest: the client against the real kernel ----------------------------------------------
[ "$TESTS" = 1 ] && run "pytest client" "$PY" -m pytest -p no:cacheprovider -m vm -rA -q \
    --rootdir "$REPO" -c "$REPO/pyproject.toml" "$HERE/test_client_vm.py"

# --- the operator's path: gather_facts + the role twice, fact cache, constructed inventory,
# the unprivileged read (tests/vm/wifi/field/field.sh)
[ "$TESTS" = 1 ] && run "field: facts, role, inventory, unprivileged" \
    env PY="$PY" LN_WIFI_COLLECTIONS="$LN_WIFI_COLLECTIONS" "$HERE/field/field.sh"

if [ "$CAPTURE" = 1 ]; then
    run "capture fixtures" "$PY" "$HERE/capture_fixtures.py"
fi

log "total $(awk "BEGIN{printf \"%.1f\", $(now) - $t0}") s in the guest"
if [ "${#failures[@]}" -gt 0 ]; then
    log "FAILED: ${failures[*]}"
    exit 1
fi
log "all wifi VM tests passed"
