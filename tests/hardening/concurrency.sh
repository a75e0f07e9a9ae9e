#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Concurrency (issue 7): PARALLEL ansible-playbook runs of concurrency.yml at once, ROUNDS
# times, against one throw-away network namespace. Before every round the namespace is pushed
# off the declared state (a set recreated with other options, stray members, a set missing,
# the temporary set an interrupted rebuild leaves); one round kills a run in the middle of
# an atomic rebuild. Passes when every run (but the killed one) succeeded, no temporary set
# is left, and `ipset save` equals the reference the `ipset` CLI itself builds from the same
# declaration in a fresh namespace (`ipset restore`, below; initval and the kernel-grown
# hashsize aside), with every member counted and commented.
#
#   tests/hardening/concurrency.sh            as root, from anywhere
#   PARALLEL=6 ROUNDS=4 ENTRIES=20000 tests/hardening/concurrency.sh
#   VENV=/var/tmp/linux-netlink-venvs/corenew tests/hardening/concurrency.sh
#   COLLECTION=/path/to/a/checkout tests/hardening/concurrency.sh   (default: this checkout)
#
# Prints one line per round and a summary line "concurrency: N runs, ... OK|FAILED".
set -uo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)"
VENV="${VENV:-/var/tmp/linux-netlink-venvs/core216}"
PARALLEL="${PARALLEL:-5}"
ROUNDS="${ROUNDS:-4}"
ENTRIES="${ENTRIES:-5000}"
export LC_ALL=C.UTF-8 LANG=C.UTF-8 ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=False
export ANSIBLE_INVENTORY_UNPARSED_WARNING=False PYTHONDONTWRITEBYTECODE=1

[ "$(id -u)" -eq 0 ] || { echo "concurrency.sh needs root (namespaces, CAP_NET_ADMIN)" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ln-concurrency.XXXXXX")"
NS="ln-conc-$$-$RANDOM"
REF="ln-concref-$$-$RANDOM"
cleanup() {
    ip netns delete "$NS" 2>/dev/null
    ip netns delete "$REF" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/col/ansible_collections/linux"
COLLECTION="${COLLECTION:-$ROOT}"
ln -sfn "$COLLECTION" "$WORK/col/ansible_collections/linux/netlink"
export ANSIBLE_COLLECTIONS_PATH="$WORK/col" ANSIBLE_LOCAL_TEMP="$WORK/tmp"
PY="$VENV/bin/python"

# The published list: ENTRIES distinct /30 networks.
"$PY" - "$ENTRIES" >"$WORK/entries.txt" <<'PYEOF'
import sys
for n in range(int(sys.argv[1])):
    print("10.%d.%d.%d/30" % (n >> 14 & 255, n >> 6 & 255, (n & 63) << 2))
PYEOF
# A much bigger list for the run that is killed mid-rebuild (so it is still filling the set).
"$PY" - 400000 >"$WORK/big.txt" <<'PYEOF'
import sys
for n in range(int(sys.argv[1])):
    print("172.%d.%d.%d" % (16 + (n >> 16 & 15), n >> 8 & 255, n & 255))
PYEOF
TEMP="$(PYTHONPATH="$WORK/col" "$PY" -c 'from ansible_collections.linux.netlink.plugins.module_utils._ipset.swap import temp_name; print(temp_name("c_net"))')"

playbook() { # playbook NS LOG [extra args]
    local ns="$1" log="$2"
    shift 2
    "$VENV/bin/ansible-playbook" -i localhost, "$ROOT/tests/hardening/concurrency.yml" \
        -e "ns=$ns" -e "entries_file=$WORK/entries.txt" \
        -e "ansible_python_interpreter=$PY" "$@" >"$log" 2>&1
}
in_ns() { ip netns exec "$1" "${@:2}"; }
# initval is random; hashsize is grown by the kernel as a set fills (how far depends on the
# order the members arrived in), and neither is declared state.
normal_save() { in_ns "$1" ipset save | sed -E 's/ initval 0x[0-9a-f]+//; s/ hashsize [0-9]+//' | sort; }

perturb() { # push the namespace off the declared state, a different way each round
    case $(($1 % 3)) in
    0) in_ns "$NS" ipset create "$TEMP" hash:net comment -exist ;;  # an interrupted rebuild's leftover
    1) in_ns "$NS" ipset flush c_list 2>/dev/null
       in_ns "$NS" ipset destroy c_net 2>/dev/null
       in_ns "$NS" ipset create c_net hash:net hashsize 64        # drift: no comment, small
       in_ns "$NS" ipset add c_net 203.0.113.0/24 ;;               # a stray member
    2) in_ns "$NS" ipset add -exist c_port 198.51.100.9,tcp:9     # stray members
       in_ns "$NS" ipset del -exist c_net 10.0.0.0/30
       in_ns "$NS" ipset create "$TEMP" hash:ip -exist ;;           # leftover of another type
    esac
}

# The reference: concurrency.yml's declaration, written for the ipset CLI (the oracle).
reference() {
    echo "create c_net hash:net family inet hashsize 2048 maxelem 65536 comment"
    sed 's/.*/add c_net & comment "published"/' "$WORK/entries.txt"
    echo "create c_port hash:ip,port family inet"
    printf 'add c_port %s\n' 192.0.2.1,tcp:80 192.0.2.1,tcp:443 192.0.2.2,udp:53 192.0.2.3,icmp:ping
    echo "create c_list list:set"
    printf 'add c_list %s\n' c_net c_port
}
ip netns add "$NS" && ip netns add "$REF" || exit 2
reference | in_ns "$REF" ipset restore || { echo "ipset restore of the reference failed"; exit 1; }
normal_save "$REF" >"$WORK/expected.save"
# the reference itself, counted: every published network once, each with its comment
if ! { [ "$(grep -c '^add c_net .* comment "published"$' "$WORK/expected.save")" -eq "$ENTRIES" ] \
    && [ "$(grep -c '^add c_port ' "$WORK/expected.save")" -eq 4 ] \
    && [ "$(grep -c '^add c_list ' "$WORK/expected.save")" -eq 2 ]; }; then
    echo "the CLI reference does not hold $ENTRIES + 4 + 2 members"
    exit 1
fi

runs=0 failed=0 killed=0
for round in $(seq 1 "$ROUNDS"); do
    [ "$round" -gt 1 ] && perturb $((round + 2))  # rounds 2, 3, 4: drift, strays, leftover
    pids=()
    for i in $(seq 1 "$PARALLEL"); do
        playbook "$NS" "$WORK/round$round.run$i.log" & pids+=($!)
    done
    if [ "$round" -eq 2 ]; then
        # A run converging a big list, killed while it fills the replacement set.
        # setsid: its own process group, so that exactly it and its children are killed
        setsid "$VENV/bin/ansible" localhost -i localhost, -c local -m linux.netlink.ipset_entry \
            -a "set=c_net entries_file=$WORK/big.txt state=exact atomic=true netns=$NS" \
            -e "ansible_python_interpreter=$PY" >"$WORK/round$round.killed.log" 2>&1 &
        victim=$!
        # until its temporary set exists (it is filling it); it first waits for the namespace's
        # lock behind this round's five runs, which takes minutes on a loaded machine: <= 180 s
        for _ in $(seq 1 3600); do
            in_ns "$NS" ipset list -n 2>/dev/null | grep -qx "$TEMP" && break
            sleep 0.05
        done
        if in_ns "$NS" ipset list -n 2>/dev/null | grep -qx "$TEMP"; then
            midway="its temporary set existed"
        else
            midway="before its temporary set existed: NOT mid-rebuild"
            failed=$((failed + 1))
            tail -5 "$WORK/round$round.killed.log"
        fi
        kill -KILL -- "-$victim" 2>/dev/null
        wait "$victim" 2>/dev/null
        killed=$((killed + 1))
    fi
    bad=0
    for i in "${!pids[@]}"; do
        runs=$((runs + 1))
        if ! wait "${pids[$i]}"; then
            bad=$((bad + 1))
            echo "--- round $round run $((i + 1)) failed:"
            grep -E "FAILED|fatal|msg" "$WORK/round$round.run$((i + 1)).log" | head -5
        fi
    done
    failed=$((failed + bad))
    echo "round $round: $PARALLEL runs, $bad failed$([ "$round" -eq 2 ] && echo ", 1 killed ($midway)")"
done

# One more run after the kill: it must clean up and converge.
playbook "$NS" "$WORK/final.log" || { failed=$((failed + 1)); echo "final run failed"; tail -5 "$WORK/final.log"; }
runs=$((runs + 1))
status=OK
if in_ns "$NS" ipset list -n | grep -q '^lnswap-'; then
    echo "a temporary set is left: $(in_ns "$NS" ipset list -n | grep '^lnswap-')"
    status=FAILED
fi
if ! diff -u "$WORK/expected.save" <(normal_save "$NS"); then
    echo "the namespace is not in the declared state (diff above: CLI reference, actual)"
    status=FAILED
fi
members="$(in_ns "$NS" ipset list c_net | sed -n 's/^Number of entries: //p')"
[ "$members" = "$ENTRIES" ] || { echo "c_net holds $members members, not $ENTRIES"; status=FAILED; }
[ "$failed" -eq 0 ] || status=FAILED
echo "concurrency: $runs runs ($PARALLEL parallel x $ROUNDS rounds + 1), $killed killed mid-rebuild, $failed failed, ansible-core $("$PY" -c 'import ansible; print(ansible.__version__)'): $status"
[ "$status" = OK ]
