#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Inside the simulated-radio VM, called by tests/vm/wifi/guest-run-tests.sh after it sourced
# guest-python.sh (PY, ANSIBLE_* and LN_WIFI_COLLECTIONS set, 9 radios, APs up). The operator's
# path for the wifi facts, with `iw` as the oracle:
#   1. gather_facts with  facts_modules = ansible.builtin.setup, linux.netlink.wifi_scan_facts
#      (ansible.cfg), twice, with the wifi role applied twice in the same play, facts kept in
#      a jsonfile fact cache (facts.yml);
#   2. an ansible.builtin.constructed inventory that groups the host by what its radios can do
#      (wifi_iftype_monitor, ...), read from that cache; a play aimed at such a group
#      (by_capability.yml), the recipe of guide_wifi.rst "fact gathering for inventories";
#   3. the facts read without privilege (setpriv: uid nobody, no capabilities) equal the
#      privileged read and iw (unprivileged.py).
set -u
HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
: "${PY:?source tests/vm/wifi/guest-python.sh first}"
work=/tmp/ln-wifi-field
rm -rf "$work" && mkdir -p "$work/inventory" "$work/facts" || exit 2
export LN_WIFI_ORACLE="${LN_WIFI_ORACLE:-$HERE/../iw_oracle.py}"

cat >"$work/ansible.cfg" <<CFG
[defaults]
inventory = $work/inventory
facts_modules = ansible.builtin.setup, linux.netlink.wifi_scan_facts
fact_caching = jsonfile
fact_caching_connection = $work/facts
fact_caching_timeout = 0
CFG
# No extension: Ansible skips *.ini files in an inventory directory. ansible_facts_parallel=false:
# with two facts modules ansible-core runs them as async jobs, and a job without an async limit
# is killed after ~10 s (async_wrapper); setup alone takes longer than that under TCG.
printf 'radio-guest ansible_connection=local ansible_python_interpreter=%s %s\n' "$PY" \
    ansible_facts_parallel=false >"$work/inventory/10-hosts"
cp "$HERE/../../../integration/targets/wifi_no_radio/constructed.yml" \
    "$work/inventory/20-constructed.yml" || exit 2
export ANSIBLE_CONFIG="$work/ansible.cfg"

rc=0
"$PY" -m ansible playbook "$HERE/facts.yml" || rc=1
echo "+ ansible-inventory --graph (constructed from the fact cache)"
"$PY" -m ansible inventory --graph || rc=1
"$PY" -m ansible playbook "$HERE/by_capability.yml" || rc=1
"$PY" "$HERE/unprivileged.py" || rc=1
exit "$rc"
