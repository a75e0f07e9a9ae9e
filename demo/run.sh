#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The README's main job: the collection at work against the real kernel, as root, leaving nothing
# behind.
#
#   demo/run.sh            the ipset demo, then the wifi demo when demo/wifi-in-vm.sh exists
#   demo/run.sh --ipset    only the ipset demo
#   demo/run.sh --wifi     only the wifi demo (simulated radios in a VM; fails if it is missing)
#
# ipset demo: creates a network namespace with a random name, runs demo/ipset.yml in it twice
# with ansible-playbook (first run: changed; second run: ok, nothing changed), prints what the
# `ipset` tool sees in that namespace as an independent view, and removes the namespace whatever
# happens. The host's own network state is never touched.
#
# Needs: root, iproute2, ipset, and ansible-core >= 2.16 (taken from PATH, else from the venv of
# tests/install-deps.sh, else installed into $LINUX_NETLINK_VENVS/demo from PyPI).
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
CACHE="${LINUX_NETLINK_VENVS:-/var/tmp/linux-netlink-venvs}"
export LC_ALL=C.UTF-8 LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1
export DEBIAN_FRONTEND=noninteractive

say() { printf '\n== %s\n' "$*"; }
die() { printf 'demo: ERROR: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------------------------- prerequisites

ensure_packages() {
    local missing=() cmd pkg
    for cmd in ip:iproute2 ipset:ipset; do
        command -v "${cmd%%:*}" >/dev/null 2>&1 || missing+=("${cmd#*:}")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        say "installing ${missing[*]}"
        apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
    fi
    for pkg in ip ipset; do command -v "$pkg" >/dev/null || die "$pkg not found"; done
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
    # None yet: a small venv with ansible-core only, on the first Python 3.10-3.13 found.
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

run_ipset_demo() {
    local playbook run log changed failed
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
        say "run $run: ansible-playbook demo/ipset.yml -e netns=$NETNS"
        log="$WORK/run$run.log"
        (cd "$ROOT" && "$playbook" -i localhost, demo/ipset.yml -e "netns=$NETNS") </dev/null \
            | tee "$log"
        read -r changed failed <<<"$(recap_changed "$log")"
        [ "${failed:-1}" = 0 ] || die "run $run failed"
        counts[run]="$changed"
    done

    say "ipset save (the ipset tool's own view, inside $NETNS)"
    ip netns exec "$NETNS" ipset save

    say "result"
    echo "first run:  changed=${counts[1]}  (the sets and members were created)"
    echo "second run: changed=${counts[2]}  (nothing left to do)"
    [ "${counts[1]}" -gt 0 ] || die "the first run changed nothing"
    [ "${counts[2]}" -eq 0 ] || die "the second run was not idempotent (changed=${counts[2]})"
    echo "ipset demo: ok"
}

# ---------------------------------------------------------------------------------- wifi demo

run_wifi_demo() {
    local vm="$ROOT/tests/vm/run-in-vm" script="$ROOT/demo/wifi-in-vm.sh"
    [ -x "$vm" ] || die "wifi demo: tests/vm/run-in-vm is missing"
    [ -f "$script" ] || die "wifi demo: demo/wifi-in-vm.sh is missing"
    say "wifi demo: tests/vm/run-in-vm demo/wifi-in-vm.sh (simulated radios, booting a VM)"
    (cd "$ROOT" && "$vm" demo/wifi-in-vm.sh) </dev/null
    echo "wifi demo: ok"
}

main() {
    local ipset=1 wifi=auto
    case "${1:-}" in
        "") ;;
        --ipset) wifi=0 ;;
        --wifi) ipset=0 wifi=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    [ "$(id -u)" -eq 0 ] || die "run as root (network namespaces and netlink need CAP_NET_ADMIN)"
    [ "$ipset" = 0 ] || run_ipset_demo
    if [ "$wifi" = auto ]; then
        if [ -f "$ROOT/demo/wifi-in-vm.sh" ]; then wifi=1; else
            echo "demo: no wifi part yet (demo/wifi-in-vm.sh is not there)"
            wifi=0
        fi
    fi
    [ "$wifi" = 0 ] || run_wifi_demo
}

main "$@"
