#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Operator's path on a host without wifi: ansible-playbook with gather_facts and
#   facts_modules = ansible.builtin.setup, linux.netlink.wifi_scan_facts
# (ANSIBLE_FACTS_MODULES), and the wifi role. `iw list` is the oracle that the host has no
# nl80211; the target fails (never skips) on a host that has one: run the VM tests there.
set -eux
cd "$(dirname "$0")"
out="${OUTPUT_DIR:-$(mktemp -d)}"
export ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_RETRY_FILES_ENABLED=0
printf 'wired ansible_connection=local ansible_python_interpreter=%s\n' "$(command -v python)" \
    >"$out/inventory"

if iw list >"$out/iw.txt" 2>&1 || ! grep -q 'nl80211 not found' "$out/iw.txt"; then
    cat "$out/iw.txt"
    echo "this host has a wireless stack (iw list above): the no-radio target needs one without" >&2
    exit 1
fi

# Facts also go to a jsonfile cache, read back by the constructed inventory of guide_wifi.rst's
# "fact gathering for inventories" (tests/vm/wifi/field/ uses it with radios): no wifi_ group here.
export ANSIBLE_CACHE_PLUGIN=jsonfile ANSIBLE_CACHE_PLUGIN_CONNECTION="$out/facts"
ANSIBLE_FACTS_MODULES="ansible.builtin.setup, linux.netlink.wifi_scan_facts" \
    ansible-playbook -i "$out/inventory" facts.yml "$@"
mkdir -p "$out/inventory.d"
cp "$out/inventory" "$out/inventory.d/10-hosts"
cp constructed.yml "$out/inventory.d/20-constructed.yml"
ansible-inventory -i "$out/inventory.d" --graph | tee "$out/graph.txt"
grep -q -- '--wired' "$out/graph.txt"
if grep -q 'wifi_' "$out/graph.txt"; then echo "a host without wifi is in a wifi group" >&2; exit 1; fi
ansible-inventory -i "$out/inventory.d" --host wired >"$out/wired.json"
python -c 'import json, sys; f = json.load(open(sys.argv[1]))["netlink_wifi"]
assert f["available"] is False and f["phys"] == [], f' "$out/wired.json"

# wifi_link and wifi_regdomain fail with the clear message.
ansible-playbook -i "$out/inventory" no_stack.yml "$@"

# wifi_no_radio=fail: the play fails, with the message that names the host and the cause.
if ansible-playbook -i "$out/inventory" role.yml -e wifi_no_radio=fail "$@" >"$out/fail.txt" 2>&1
then
    cat "$out/fail.txt"
    echo "wifi_no_radio=fail passed on a host without a radio" >&2
    exit 1
fi
cat "$out/fail.txt"
grep -q 'linux.netlink.wifi: wired has no radio (no wireless stack' "$out/fail.txt"
grep -Eq 'wired +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=1' "$out/fail.txt"
if grep -q 'nl80211' <(grep -v 'no wireless stack: the kernel has no nl80211' "$out/fail.txt"); then
    echo "an nl80211 error other than the clear message" >&2
    exit 1
fi

# wifi_no_radio=skip (the default) is in facts.yml, twice in one play; and given explicitly:
ansible-playbook -i "$out/inventory" role.yml -e wifi_no_radio=skip "$@" | tee "$out/skip.txt"
grep -Eq 'wired +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$out/skip.txt"

# The drop-in adds to what other files list: NetworkManager itself is the oracle.
venvs="${LINUX_NETLINK_VENVS:-/var/tmp/linux-netlink-venvs}"
nm="${LINUX_NETLINK_NM:-$venvs/network-manager/usr/sbin/NetworkManager}"
[ -x "$nm" ] || { echo "no NetworkManager binary at $nm: run tests/install-deps.sh" >&2; exit 1; }
ansible-playbook -i "$out/inventory" networkmanager.yml -e "nm_binary=$nm" -e "nm_root=$out/nm" "$@"
