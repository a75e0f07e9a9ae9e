#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The README's main job: the collection at work against the real kernel, as root, leaving nothing
# behind.
#
#   demo/run.sh            the ipset and nftables demos (the wifi demo only when asked: it
#                          boots a VM)
#   demo/run.sh --ipset    only the ipset demo
#   demo/run.sh --nft      only the nftables demo
#   demo/run.sh --wifi     only the wifi demo: simulated radios in a VM, a few minutes
#   demo/run.sh --all      the ipset and nftables demos, then the wifi demo
#
# ipset demo: creates a network namespace with a random name, runs demo/ipset.yml in it twice
# with ansible-playbook (first run: changed; second run: ok, nothing changed), prints what the
# `ipset` tool sees in that namespace as an independent view, and removes the namespace whatever
# happens. The host's own network state is never touched.
#
# nftables demo: the same with demo/nftables.yml (sets, a verdict map, their elements), and
# `nft list ruleset` as the independent view.
#
# wifi demo: boots Debian's stock kernel under qemu with mac80211_hwsim (tests/vm/run-in-vm)
# and runs demo/wifi-in-vm.sh there: two access points, demo/wifi.yml twice, `iw dev` after.
#
# Needs: root, iproute2, ipset, nftables, and ansible-core >= 2.16 (taken from PATH, else from the venv of
# tests/install-deps.sh, else installed into $LINUX_NETLINK_VENVS/demo from PyPI). The wifi
# demo also needs the VM's Debian packages (WIFI_PACKAGES); it installs those that are missing.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
CACHE="${LINUX_NETLINK_VENVS:-/var/tmp/linux-netlink-venvs}"
export LC_ALL=C.UTF-8 LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1
export DEBIAN_FRONTEND=noninteractive

say() { printf '\n== %s\n' "$*"; }
die() { printf 'demo: ERROR: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------------------------- prerequisites

ensure_packages() {
    local missing=() cmd pkg
    for cmd in ip:iproute2 ipset:ipset nft:nftables; do
        command -v "${cmd%%:*}" >/dev/null 2>&1 || missing+=("${cmd#*:}")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        say "installing ${missing[*]}"
        apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
    fi
    for pkg in ip ipset nft; do command -v "$pkg" >/dev/null || die "$pkg not found"; done
}

# What tests/vm/run-in-vm and demo/wifi-in-vm.sh use (tests/vm/README.md, "Packages").
WIFI_PACKAGES=(qemu-system-x86 linux-image-amd64 busybox-static hostapd iw wireless-regdb kmod)

ensure_wifi_packages() {
    local missing=() pkg
    for pkg in "${WIFI_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' \
            || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        say "installing ${missing[*]} (the VM of the wifi demo; the running kernel is not changed)"
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
    fi
    command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found"
}

core_ok() { # core_ok ANSIBLE_PLAYBOOK: is it ansible-core >= 2.16?
    "$1" --version 2>/dev/null | head -1 \
        | grep -Eq 'core (2\.(1[6-9]|[2-9][0-9])|[3-9])\.'
}

find_playbook() {
    local candidate
    for candidate in "$(command -v ansible-playbook 2>/dev/null || true)" \
        "$CACHE/core216/bin/ansible-playbook" "$CACHE/demo/bin/ansible-playbook"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ] && core_ok "$candidate"; then
            echo "$candidate"
            return
        fi
    done
    make_venv
}

make_venv() { # a small venv with ansible-core only, on the first Python 3.10-3.13 found
    local python="" p
    for p in /root/.pyenv/versions/3.11*/bin/python python3.11 python3.12 python3.13 python3.10 python3; do
        p="$(command -v "$p" 2>/dev/null || true)"
        [ -n "$p" ] || continue
        if "$p" -c 'import sys, venv; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; then
            python="$p"
            break
        fi
    done
    if [ -z "$python" ]; then
        apt-get update -qq && apt-get install -y -qq python3-venv </dev/null >&2
        python="$(command -v python3)"
    fi
    echo "demo: installing ansible-core into $CACHE/demo (once)" >&2
    rm -rf "$CACHE/demo"
    "$python" -m venv "$CACHE/demo" >&2
    "$CACHE/demo/bin/python" -m pip install -q 'ansible-core>=2.16,<2.17' </dev/null >&2
    echo "$CACHE/demo/bin/ansible-playbook"
}

# ---------------------------------------------------------------------------------- ipset demo

NETNS=""
WORK=""
cleanup() {
    if [ -n "$NETNS" ] && ip netns list 2>/dev/null | grep -qw -- "$NETNS"; then
        ip netns delete "$NETNS" && echo "demo: network namespace $NETNS removed"
    fi
    [ -z "$WORK" ] || rm -rf "$WORK"
}

recap_changed() { # recap_changed LOG: the changed= count of localhost in the PLAY RECAP
    sed -n 's/^localhost *:.* changed=\([0-9]*\).* failed=\([0-9]*\).*/\1 \2/p' "$1" | tail -1
}

run_playbook_demo() { # run_playbook_demo NAME PLAYBOOK ORACLE...: two runs, then the oracle
    local name="$1" book="$2" playbook run log changed failed
    shift 2
    local -a counts=()
    ensure_packages
    playbook="$(find_playbook)"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/linux-netlink-demo.XXXXXX")"
    mkdir -p "$WORK/collections/ansible_collections/linux"
    ln -s "$ROOT" "$WORK/collections/ansible_collections/linux/netlink"
    export ANSIBLE_COLLECTIONS_PATH="$WORK/collections" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
    export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
    export ANSIBLE_RETRY_FILES_ENABLED=false ANSIBLE_FORCE_COLOR="${ANSIBLE_FORCE_COLOR:-0}"

    NETNS="lnl-demo-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
    ip netns add "$NETNS"
    say "network namespace $NETNS created; $("$playbook" --version | head -1)"

    for run in 1 2; do
        say "run $run: ansible-playbook $book -e netns=$NETNS"
        log="$WORK/run$run.log"
        (cd "$ROOT" && "$playbook" -i localhost, "$book" -e "netns=$NETNS") </dev/null \
            | tee "$log"
        read -r changed failed <<<"$(recap_changed "$log")"
        [ "${failed:-1}" = 0 ] || die "run $run failed"
        counts[run]="$changed"
    done

    say "$* (the tool's own view, inside $NETNS)"
    ip netns exec "$NETNS" "$@"

    say "result"
    echo "first run:  changed=${counts[1]}  (the sets and their elements were created)"
    echo "second run: changed=${counts[2]}  (nothing left to do)"
    [ "${counts[1]}" -gt 0 ] || die "the first run changed nothing"
    [ "${counts[2]}" -eq 0 ] || die "the second run was not idempotent (changed=${counts[2]})"
    cleanup
    NETNS="" WORK=""
    echo "$name demo: ok"
}

run_ipset_demo() { run_playbook_demo ipset demo/ipset.yml ipset save; }
run_nft_demo() { run_playbook_demo nftables demo/nftables.yml nft list ruleset; }

# ---------------------------------------------------------------------------------- wifi demo

run_wifi_demo() {
    local vm="$ROOT/tests/vm/run-in-vm" playbook venv runtime rc=0
    [ -x "$vm" ] || die "wifi demo: tests/vm/run-in-vm is missing"
    ensure_wifi_packages
    playbook="$(find_playbook)"
    venv="$(dirname "$(dirname "$playbook")")"
    # The guest runs Ansible from a venv: a system-wide ansible-core gets a venv of its own.
    [ -f "$venv/pyvenv.cfg" ] || venv="$(dirname "$(dirname "$(make_venv)")")"
    # ansible-core for the guest, packed into one tar it unpacks into RAM (tests/vm/wifi/
    # make-runtime.py); under /var/tmp, which the guest sees (its /tmp is its own).
    mkdir -p /var/tmp/linux-netlink-demo
    runtime="$(mktemp /var/tmp/linux-netlink-demo/runtime.XXXXXX)"
    "$venv/bin/python" "$ROOT/tests/vm/wifi/make-runtime.py" "$runtime" \
        || { rm -f "$runtime"; die "packing the guest's Python failed"; }
    say "wifi demo: tests/vm/run-in-vm demo/wifi-in-vm.sh (simulated radios, booting a VM)"
    (cd "$ROOT" && LN_WIFI_RUNTIME="$runtime" LINUX_NETLINK_ANSIBLE_VENV="$venv" \
        LN_VM_PASSENV="LN_WIFI_RUNTIME LINUX_NETLINK_ANSIBLE_VENV" "$vm" demo/wifi-in-vm.sh) \
        </dev/null || rc=$?
    rm -f "$runtime"
    [ "$rc" -eq 0 ] || die "wifi demo failed (exit $rc)"
    echo "wifi demo: ok"
}

main() {
    local ipset=1 nft=1 wifi=0
    case "${1:-}" in
        "") ;;
        --ipset) nft=0 ;;
        --nft) ipset=0 ;;
        --wifi) ipset=0 nft=0 wifi=1 ;;
        --all) wifi=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    [ "$(id -u)" -eq 0 ] || die "run as root (network namespaces and netlink need CAP_NET_ADMIN)"
    [ "$ipset" = 0 ] || run_ipset_demo
    [ "$nft" = 0 ] || run_nft_demo
    [ "$wifi" = 0 ] || run_wifi_demo
    say "what the demo showed"
    [ "$ipset" = 0 ] || echo "ipset: sets and members created by ansible-playbook over netlink," \
        "a second run changed nothing, and the ipset tool saw the same sets"
    [ "$nft" = 0 ] || echo "nftables: sets, a verdict map and their elements created by" \
        "ansible-playbook over netlink, a second run changed nothing, and nft saw the same"
    if [ "$wifi" = 1 ]; then
        echo "wifi: a monitor interface and an up station on simulated radios set by" \
            "ansible-playbook over nl80211, a scan that found the access points, a second run" \
            "that changed nothing, and iw's own view"
    else
        echo "wifi: not run (it boots a VM with simulated radios, a few minutes, and installs" \
            "qemu and Debian's stock kernel when missing): demo/run.sh --wifi"
    fi
}

main "$@"
