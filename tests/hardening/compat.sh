#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Compatibility (issue 7): tests/hardening/compat.yml once per (controller ansible-core,
# target Python) pair, each in its own throw-away network namespace, then every pair's task
# results and final `ipset save` compared with the first pair's. Fails on any run that fails
# and on any difference (volatile values removed: initval, memsize, invocation, paths).
#
#   tests/hardening/compat.sh                       as root; the default pairs below
#   PAIRS="core216:3.8 corenew:3.13" tests/hardening/compat.sh
#
# A pair is VENV:PYTHON: a venv under $LINUX_NETLINK_VENVS (core216 = ansible-core 2.16 on
# Python 3.11, corenew = the newest ansible-core on Python 3.13) and a target interpreter,
# /root/.pyenv/versions/<PYTHON>.*/bin/python. ansible-core 2.16 supports targets from Python
# 2.7 (3.8 is the collection's oldest); the newest core (2.21) needs 3.9 on the target, so
# its oldest pair is 3.9. Prints a table (pair, result, seconds) and "compat: OK|FAILED".
set -uo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
VENVS="${LINUX_NETLINK_VENVS:-/var/tmp/linux-netlink-venvs}"
PAIRS="${PAIRS:-core216:3.8 core216:3.11 corenew:3.9 corenew:3.13}"
COLLECTION="${COLLECTION:-$ROOT}"
export LC_ALL=C.UTF-8 LANG=C.UTF-8 ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=False
export ANSIBLE_INVENTORY_UNPARSED_WARNING=False PYTHONDONTWRITEBYTECODE=1

[ "$(id -u)" -eq 0 ] || { echo "compat.sh needs root (namespaces, CAP_NET_ADMIN)" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ln-compat.XXXXXX")"
NAMESPACES=()
cleanup() {
    for ns in "${NAMESPACES[@]}"; do ip netns delete "$ns" 2>/dev/null; done
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/col/ansible_collections/linux"
ln -sfn "$COLLECTION" "$WORK/col/ansible_collections/linux/netlink"
export ANSIBLE_COLLECTIONS_PATH="$WORK/col"

# Results without what legitimately differs between runs.
normalise() { # normalise VENV_PYTHON IN OUT
    "$1" - "$2" "$3" <<'PYEOF'
import json, re, sys
# exception: ansible-core 2.19+ adds "(traceback unavailable)" to every failed result itself
VOLATILE = {"invocation", "initval", "memsize", "warnings", "deprecations", "_ansible_no_log",
            "exception"}
def clean(value):
    if isinstance(value, dict):
        return {k: clean(v) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"/tmp/\S+", "<tmp>", value)
    return value
json.dump(clean(json.load(open(sys.argv[1]))), open(sys.argv[2], "w"), indent=1, sort_keys=True)
PYEOF
}

status=OK first="" table=""
for pair in $PAIRS; do
    venv="$VENVS/${pair%%:*}" want="${pair#*:}"
    target="$(ls -d /root/.pyenv/versions/"$want".*/bin/python 2>/dev/null | head -1)"
    if [ ! -x "$venv/bin/ansible-playbook" ] || [ -z "$target" ]; then
        table+="$(printf '%-16s %-8s %s' "$pair" MISSING "no $venv or no Python $want")"$'\n'
        status=FAILED
        continue
    fi
    ns="ln-compat-$$-$RANDOM"
    ip netns add "$ns" || exit 2
    NAMESPACES+=("$ns")
    start=$SECONDS
    core="$("$venv/bin/python" -c 'import ansible; print(ansible.__version__)')"
    if "$venv/bin/ansible-playbook" -i localhost, "$ROOT/tests/hardening/compat.yml" \
        -e "ns=$ns" -e "out=$WORK/$pair.raw.json" -e "ansible_python_interpreter=$target" \
        >"$WORK/$pair.log" 2>&1; then
        result=ok
        normalise "$venv/bin/python" "$WORK/$pair.raw.json" "$WORK/$pair.json"
        # sorted: a hash set lists its members in an order that depends on its random initval
        ip netns exec "$ns" ipset save | sed -E 's/ initval 0x[0-9a-f]+//' | sort >"$WORK/$pair.save"
        if [ -z "$first" ]; then
            first="$pair"
        elif ! diff -u "$WORK/$first.json" "$WORK/$pair.json" >"$WORK/$pair.diff" \
            || ! diff -u "$WORK/$first.save" "$WORK/$pair.save" >>"$WORK/$pair.diff"; then
            result=DIFFERS
            status=FAILED
            echo "--- $pair differs from $first:"; head -40 "$WORK/$pair.diff"
        fi
    else
        result=FAILED
        status=FAILED
        echo "--- $pair failed:"; grep -E "fatal|FAILED|msg" "$WORK/$pair.log" | head -10
    fi
    table+="$(printf '%-16s %-8s ansible-core %s, target Python %s, %ds' "$pair" "$result" \
        "$core" "$("$target" -c 'import platform; print(platform.python_version())')" \
        $((SECONDS - start)))"$'\n'
done
printf '%s' "$table"
echo "compat: $status"
[ "$status" = OK ]
