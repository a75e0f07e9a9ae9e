#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Inside the simulated-radio VM: the molecule scenario of the linux.netlink.wifi role
# (roles/wifi/molecule/default), step by step with ansible-playbook: destroy, syntax, create,
# prepare, converge, idempotence (second converge: changed=0), check (converge --check:
# changed=0), verify (iw dev / ip link as the independent view), destroy.
#
# Not through `molecule test` by default: under TCG, with the root on 9p (cache=none), every
# Python start that imports Ansible is slow, and molecule adds its own (measured: 577 s for
# molecule's destroy+syntax+create+destroy alone). WIFI_ROLE_MOLECULE=1 runs `molecule test`.
#
# Needs at least 4 hwsim radios; starts the open (wlan0) and WPA2-PSK (wlan2) access points
# unless hostapd already runs (as under tests/vm/wifi/guest-run-tests.sh).
#   host:  LN_VM_RADIOS=5 LN_VM_TIMEOUT=1800 tests/vm/run-in-vm tests/vm/wifi-role.sh
#   guest: tests/vm/wifi-role.sh
# Environment: LINUX_NETLINK_ANSIBLE_VENV [/var/tmp/linux-netlink-venvs/core216].
set -uo pipefail
HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd -- "$HERE/../.." && pwd -P)"
SCENARIO="$REPO/roles/wifi/molecule/default"
VENV="${LINUX_NETLINK_ANSIBLE_VENV:-/var/tmp/linux-netlink-venvs/core216}"

now() { cut -d' ' -f1 /proc/uptime; }
log() { printf '[%7.2f] wifi-role: %s\n' "$(now)" "$*"; }
t0=$(now)

[[ "${LN_VM:-}" == 1 ]] || { log "run me inside the VM: tests/vm/run-in-vm $0"; exit 2; }
[[ -x "$VENV/bin/ansible-playbook" ]] || { log "no ansible-playbook in $VENV"; exit 2; }
radios=$(find /sys/class/ieee80211 -mindepth 1 -maxdepth 1 | wc -l)
(( radios >= 4 )) || { log "need at least 4 hwsim radios, found $radios (LN_VM_RADIOS=5)"; exit 2; }

if ! pgrep -x hostapd >/dev/null; then
    log "starting the access points"
    "$HERE/guest-setup-hostapd" open:wlan0 wpa2:wlan2 || exit 2
fi

export PATH="$VENV/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH=/tmp/ln-collections
mkdir -p "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/linux"
ln -sfn "$REPO" "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/linux/netlink"
export ANSIBLE_LOCAL_TEMP=/tmp/ansible-local ANSIBLE_REMOTE_TEMP=/tmp/ansible-remote
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 NO_COLOR=1 PY_COLORS=0
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=0 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3

if [[ "${WIFI_ROLE_MOLECULE:-0}" == 1 ]]; then
    rc=0
    (cd "$REPO/roles/wifi" && molecule test -s default) || rc=$?
    log "molecule test of roles/wifi: rc=$rc in $(awk "BEGIN{printf \"%.1f\", $(now) - $t0}") s"
    exit "$rc"
fi

# What molecule would provide: an ephemeral directory and an inventory with one local host.
export MOLECULE_EPHEMERAL_DIRECTORY=/tmp/ln-wifi-role MOLECULE_SCENARIO_DIRECTORY="$SCENARIO"
mkdir -p "$MOLECULE_EPHEMERAL_DIRECTORY/inventory"
export MOLECULE_INVENTORY_FILE="$MOLECULE_EPHEMERAL_DIRECTORY/inventory/hosts"
printf 'ln-wifi-guest ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n' \
    >"$MOLECULE_INVENTORY_FILE"

failures=()
step() {  # step NAME PLAYBOOK [ARGS...]: run it, keep the output in $out
    local name=$1 playbook=$2 start rc
    shift 2
    start=$(now)
    log "BEGIN $name"
    out=$(cd "$SCENARIO" && ansible-playbook -i "$MOLECULE_INVENTORY_FILE" "$@" "$playbook" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    log "END $name: rc=$rc in $(awk "BEGIN{printf \"%.1f\", $(now) - $start}") s"
    [[ $rc -eq 0 ]] || failures+=("$name (rc=$rc)")
    return "$rc"
}
no_change() {  # no_change NAME: the last step's recap must show changed=0
    if grep -Eq '\bchanged=[1-9]' <<<"$out" || ! grep -Eq '\bchanged=0\b' <<<"$out"; then
        log "FAIL $1: changes reported:"
        grep -E '^(TASK|changed)' <<<"$out" | grep -B1 '^changed' | sed 's/^/    /'
        failures+=("$1 (changes reported)")
    fi
}

step destroy destroy.yml
step syntax converge.yml --syntax-check
if step create create.yml && step prepare prepare.yml && step converge converge.yml; then
    step idempotence converge.yml --diff && no_change idempotence
    step check converge.yml --check --diff && no_change check
    step verify verify.yml -e wifi_verify_check_mode=false
fi
step destroy destroy.yml

log "total $(awk "BEGIN{printf \"%.1f\", $(now) - $t0}") s in the guest"
if [[ ${#failures[@]} -gt 0 ]]; then
    log "FAILED: ${failures[*]}"
    exit 1
fi
log "wifi role scenario passed"
