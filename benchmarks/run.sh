#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Bulk ipset benchmark (issues 4 and 16), in a throw-away network namespace:
#
#     sudo benchmarks/run.sh [--runs 5] [--skip scale,playbook,adhoc,extras] [--markdown FILE]
#
# Each case is timed in-process and as the module process Ansible runs (its AnsiballZ
# payload, with entries_file and with an entries list), beside the ipset CLI, in one run.
# Needs root (namespaces, ipset) and the `ipset` tool (the reference). pyroute2 is installed
# only into the benchmark's own venv ($LINUX_NETLINK_BENCH_VENV, default
# /var/tmp/linux-netlink-bench-venv), never as a collection dependency. Target 6 uses the
# ansible-playbook of tests/install-deps.sh's venvs when present, else installs ansible-core
# into the benchmark venv; bench.py runs on that venv's Python, so that the module's own
# manager class (which imports ansible-core) is what targets 1-5 time. Prints a table; exits 0
# even when a target is MISSED.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${LINUX_NETLINK_BENCH_VENV:-/var/tmp/linux-netlink-bench-venv}"

if [[ "${LINUX_NETLINK_BENCH_INSIDE:-0}" != 1 ]]; then
    if [[ "$(id -u)" != 0 ]]; then
        echo "run.sh: needs root (network namespace, ipset)" >&2
        exit 1
    fi
    command -v ipset >/dev/null || { apt-get update -qq && apt-get install -y -qq ipset; }
    if [[ ! -x "$VENV/bin/python" ]]; then
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/python" -c "import pyroute2" 2>/dev/null \
        || "$VENV/bin/pip" install -q --disable-pip-version-check pyroute2
    ANSIBLE_PLAYBOOK=""
    PATHS_ENV="${LINUX_NETLINK_VENVS:-/var/tmp/linux-netlink-venvs}/paths.env"
    if [[ -f "$PATHS_ENV" ]]; then
        # shellcheck disable=SC1090
        source "$PATHS_ENV"
        for venv in "${VENV_CORE216:-}" "${VENV_CORENEW:-}"; do
            if [[ -n "$venv" && -x "$venv/bin/ansible-playbook" ]]; then
                ANSIBLE_PLAYBOOK="$venv/bin/ansible-playbook"
                break
            fi
        done
    fi
    if [[ -z "$ANSIBLE_PLAYBOOK" ]]; then
        [[ -x "$VENV/bin/ansible-playbook" ]] \
            || "$VENV/bin/pip" install -q --disable-pip-version-check "ansible-core>=2.16"
        ANSIBLE_PLAYBOOK="$VENV/bin/ansible-playbook"
    fi
    # bench.py runs on the ansible venv's Python: the module's manager imports ansible-core.
    BENCH_PYTHON="$(dirname "$ANSIBLE_PLAYBOOK")/python"
    export LINUX_NETLINK_BENCH_INSIDE=1 ANSIBLE_PLAYBOOK BENCH_PYTHON
    exec unshare --net -- "$0" "$@"
fi

ip link set lo up 2>/dev/null || true
exec "$BENCH_PYTHON" "$HERE/bench.py" \
    --pyroute2-python "$VENV/bin/python" --ansible-playbook "$ANSIBLE_PLAYBOOK" "$@"
