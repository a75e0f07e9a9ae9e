# SPDX-License-Identifier: GPL-3.0-or-later
"""nftables set speed (issue 15): our element work against `nft -f` / `nft -j list set`.

Run through benchmarks/run_nft.sh, which puts this process in a throw-away network namespace.
Churn is shown against two references: the issue's (`nft -f` of the delta, which reads
nothing) and the like-for-like one (`nft -j list set` then `nft -f` of the delta: `exact` must
learn what the set holds before it knows the delta).
"Ours" is what nft_set_element does without Ansible's process start-up:
manage.ensure_elements() (read the generation, dump the set, parse and plan, one
transaction, build the result), each run on its own NftClient; the fill reads its elements
from a file (``elements_file``, one a line) as `nft -f` does. Every timed case is the median
of several runs; each run starts from the same kernel state, prepared outside the timed region.
Exits 0 whether or not a target is met (a missed one says MISSED).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Callable, List, Optional, Tuple

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)
__import__("conftest")  # the ansible_collections import path, as for the tests
from ansible_collections.linux.netlink.plugins.module_utils._nftables import manage  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._nftables import plan as P  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._nftables.client import (  # noqa: E402
    NftClient,
)


def nft(*args: str, stdin: str = "") -> str:
    proc = subprocess.run(["nft", *args], input=stdin, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(proc.stderr)
    return proc.stdout


def fresh(kind: str) -> None:
    nft("flush", "ruleset")
    flags = "flags interval;" if kind == "interval" else ""
    nft("-f", "-", stdin="table ip b {\n set s { type ipv4_addr; %s }\n}\n" % flags)


def nft_file(elements: List[str], command: str = "add") -> str:
    path = os.path.join(tempfile.gettempdir(), "bench-nft-%d.nft" % os.getpid())
    with open(path, "w") as handle:
        handle.write("%s element ip b s { %s }\n" % (command, ", ".join(elements)))
    return path


def timed(prepare: Callable[[], None], run: Callable[[], object], runs: int,
          expect: Optional[List[str]] = None) -> float:
    out = []
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        run()
        out.append(time.perf_counter() - start)
        if expect is not None:
            check(expect)
    return statistics.median(out)


def check(expect: List[str]) -> None:
    """The work was done: `nft -j list set` holds exactly ``expect`` (the oracle is nft).

    A listing taken right after a 100k fill can miss elements while the kernel resizes the
    hash set (a dump in several messages resumes by counting over a table that is being
    rehashed; seen with nft 1.0.6 on Linux 6.18 after `nft -f` and after ours alike): a
    differing listing is taken again, twice at most, half a second apart."""
    for _attempt in range(2):
        try:
            return _check_once(expect)
        except SystemExit:
            time.sleep(0.5)
    _check_once(expect)


def _check_once(expect: List[str]) -> None:
    listed = json.loads(nft("-j", "list", "set", "ip", "b", "s"))["nftables"]
    elem = [x["set"] for x in listed if "set" in x][0].get("elem", [])
    got = set()
    for e in elem:
        if isinstance(e, dict) and "prefix" in e:
            got.add("%s/%d" % (e["prefix"]["addr"], e["prefix"]["len"]))
        else:
            got.add(str(e))
    want = {e[:-3] if e.endswith("/32") else e for e in expect}
    if got != want:
        raise SystemExit("bench_nft: the set holds %d elements, %d expected (%d differ)"
                         % (len(got), len(want), len(got ^ want)))


def ours(elements: List[str], state: str) -> Callable[[], object]:
    def run() -> object:
        with NftClient() as client:
            return manage.ensure_elements(client, "ip", "b", "s", elements, state, False, False)
    return run


def ours_from_file(path: str) -> Callable[[], object]:
    """nft_set_element with ``elements_file`` (one element a line), as ``nft -f`` reads one."""
    def run() -> object:
        with NftClient() as client:
            return manage.ensure_elements(client, "ip", "b", "s", P.read_elements_file(path),
                                          "present", False, False)
    return run


def hosts(count: int, rng: random.Random) -> List[str]:
    return [str(ipaddress.IPv4Address(a)) for a in rng.sample(range(0x0B000000, 0xDF000000),
                                                               count)]


def prefixes(count: int, rng: random.Random) -> List[str]:
    """Random disjoint prefixes /24../32, one in each of ``count`` distinct /24 blocks (nft
    without auto-merge refuses overlaps)."""
    out = []
    for block in rng.sample(range(0x0B0000, 0xDF0000), count):
        length = rng.randint(24, 32)
        offset = rng.randrange(256) >> (32 - length) << (32 - length)
        out.append("%s/%d" % (ipaddress.IPv4Address((block << 8) | offset), length))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--cases", default="1,2,3,4",
                        help="the cases to time, by number (3 includes 3b), e.g. --cases 1")
    args = parser.parse_args()
    cases = set(args.cases.split(","))
    rng = random.Random(15)
    n = args.count
    rows: List[Tuple[str, float, float, float]] = []

    elements = hosts(n, rng)
    path = nft_file(elements)
    if "1" in cases:
        lines = os.path.join(tempfile.gettempdir(), "bench-nft-lines-%d.txt" % os.getpid())
        with open(lines, "w") as handle:
            handle.write("\n".join(elements) + "\n")
        mine = timed(lambda: fresh("hash"), ours_from_file(lines), args.runs, elements)
        ref = timed(lambda: fresh("hash"), lambda: nft("-f", path), args.runs, elements)
        rows.append(("1 fill %dk ipv4_addr (elements_file)" % (n // 1000), mine, ref, 1.0))

    def filled() -> None:
        fresh("hash")
        nft("-f", path)

    if "2" in cases:
        mine = timed(filled, ours(elements, "present"), args.runs, elements)
        ref = timed(filled, lambda: nft("-j", "list", "set", "ip", "b", "s"), args.runs)
        rows.append(("2 no-op rerun", mine, ref, 3.0))

    if "3" in cases:
        churn = n // 100
        gone, new = elements[:churn], hosts(churn, random.Random(16))
        wanted = elements[churn:] + new
        delta = os.path.join(tempfile.gettempdir(), "bench-nft-delta-%d.nft" % os.getpid())
        with open(delta, "w") as handle:
            handle.write("delete element ip b s { %s }\n" % ", ".join(gone))
            handle.write("add element ip b s { %s }\n" % ", ".join(new))
        mine = timed(filled, ours(wanted, "exact"), args.runs, wanted)
        ref = timed(filled, lambda: nft("-f", delta), args.runs, wanted)
        rows.append(("3 churn 1% exact", mine, ref, 1.5))

        def read_then_delta() -> None:  # what `exact` has to do too: learn the set, send it
            nft("-j", "list", "set", "ip", "b", "s")
            nft("-f", delta)

        like = timed(filled, read_then_delta, args.runs, wanted)
        rows.append(("3b churn 1% exact vs `nft -j list set` + `nft -f` delta", mine, like, 0.0))

        # The floor of any `exact`, even one that knew the set without reading it: it must at
        # least parse the whole wanted list, which the reference (a precomputed delta) never
        # sees. Checked by the count of parsed elements; the kernel is not asked.
        with NftClient() as client:
            spec = client.get_set("ip", "b", "s")
        parsed: List[int] = []
        floor = timed(lambda: None, lambda: parsed.append(len(P.parse_elements(spec, wanted))),
                      args.runs)
        if set(parsed) != {len(wanted)}:
            raise SystemExit("bench_nft: parsed %s elements, %d expected" % (parsed, len(wanted)))
        rows.append(("3c parsing the wanted list alone (no kernel) vs `nft -f` delta",
                     floor, ref, 0.0))

    if "4" in cases:
        nets = prefixes(n, rng)
        npath = nft_file(nets)
        mine = timed(lambda: fresh("interval"), ours(nets, "present"), args.runs, nets)
        ref = timed(lambda: fresh("interval"), lambda: nft("-f", npath), args.runs)
        rows.append(("4 fill %dk prefixes (interval)" % (n // 1000), mine, ref, 1.5))

    print("| case | ours (s) | nft (s) | ratio | target |")
    print("| --- | --- | --- | --- | --- |")
    for name, mine, ref, target in rows:
        ratio = mine / ref
        verdict = ("<= %.1fx %s" % (target, "met" if ratio <= target else "MISSED") if target
                   else "none (shown for comparison)")
        print("| %s | %.3f | %.3f | %.2fx | %s |" % (name, mine, ref, ratio, verdict))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| 5 peak RSS of this process (all cases) | %.0f MiB | | | <= 150 MiB %s |"
          % (peak, "met" if peak <= 150 else "MISSED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
