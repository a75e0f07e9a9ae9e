# SPDX-License-Identifier: GPL-3.0-or-later
"""Bulk ipset speed (issue 4): our module work against `ipset restore` / `ipset save`.

Run through benchmarks/run.sh, which puts this process in a throw-away network namespace and
provides a venv with pyroute2 (for scale only; the collection never needs it). Every timed
case is the median of several runs; each run starts from the same kernel state, prepared
outside the timed region. Exits 0 whether or not a target is met (a missed one says MISSED).
"""

from __future__ import annotations

import argparse
import ast
import gc
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SET = "bench"


def collection_path() -> str:
    """A directory with ansible_collections/linux/netlink -> this repository."""
    key = hashlib.sha1(REPO.encode()).hexdigest()[:12]  # one link per checkout
    base = os.path.join(tempfile.gettempdir(), "linux-netlink-bench-%d-%s" % (os.getuid(), key))
    link = os.path.join(base, "ansible_collections", "linux", "netlink")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if os.path.realpath(link) != REPO:
        tmp = "%s.%d" % (link, os.getpid())
        os.symlink(REPO, tmp)
        os.replace(tmp, link)
    return base


sys.path.insert(0, collection_path())

from ansible_collections.linux.netlink.plugins.module_utils._ipset import client as _client  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import listing as _listing  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import parse as _parse  # noqa: E402

try:  # the module's own manager, with a stand-in for AnsibleModule (needs ansible-core)
    from ansible_collections.linux.netlink.plugins.modules import ipset_entry as _module  # noqa: E402,I001

    PIPELINE = "plugins/modules/ipset_entry.py EntryManager.run() (no AnsibleModule, no fork)"
except ImportError:  # no ansible-core in this interpreter, or no module yet
    _module = None
try:  # else the planner under it
    from ansible_collections.linux.netlink.plugins.module_utils._ipset import entries as _members  # noqa: E402,I001
    from ansible_collections.linux.netlink.plugins.module_utils._ipset import planner as _planner  # noqa: E402,I001

    if _module is None:
        PIPELINE = "members.py: get, desired_entries, current_entries, plan_entries, apply_entries"
except ImportError:  # pragma: no cover - depends on the tree's state
    _members = None
    PIPELINE = "client level: client.get, parse_entries, format_entry per member, client.add/delete"


class StubModule:
    """What EntryManager reads of AnsibleModule."""

    check_mode = False
    _diff = False

    def __init__(self, params: Dict[str, Any]) -> None:
        self.params = params


# --------------------------------------------------------------------------- data


def hosts(count: int, seed: int = 1) -> List[str]:
    """Distinct random IPv4 host addresses (10.0.0.0/8 .. 11.255.255.255)."""
    rng = random.Random(seed)
    picked = rng.sample(range(0x0A000000, 0x0C000000), count)
    return [socket.inet_ntoa(struct.pack("!I", n)) for n in picked]


def networks(count: int, seed: int = 2) -> List[str]:
    """Distinct random CIDRs of prefix /8../32, in canonical form (network address)."""
    rng = random.Random(seed)
    seen = set()
    while len(seen) < count:
        prefix = rng.choice((8, 12, 16, 20, 22, 24, 24, 24, 26, 28, 30, 32, 32, 32))
        address = rng.getrandbits(32) & (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF
        if address >> 24 in (0, 127) or address >> 28 >= 14:
            continue
        seen.add("%s/%d" % (socket.inet_ntoa(struct.pack("!I", address)), prefix))
    return sorted(seen, key=lambda _: rng.random())


def ip_ports(count: int, seed: int = 3) -> List[str]:
    rng = random.Random(seed)
    addresses = hosts(count, seed)
    return [
        "%s,%s:%d" % (a, rng.choice(("tcp", "udp")), rng.randrange(1, 65536)) for a in addresses
    ]


# --------------------------------------------------------------------------- kernel state


def kilo(count: int) -> str:
    return "%dM" % (count // 1000000) if count % 1000000 == 0 else "%dk" % (count // 1000)


def sh(*args: str, stdin: Optional[str] = None, stdout: Any = subprocess.DEVNULL) -> None:
    subprocess.run(args, check=True, stdout=stdout, input=stdin, text=True)


def fresh_set(settype: str, maxelem: int, name: str = SET) -> None:
    subprocess.run(["ipset", "destroy", name], stderr=subprocess.DEVNULL)
    sh("ipset", "create", name, settype, "maxelem", str(maxelem))


def restore_file(path: str, lines: List[str], verb: str = "add") -> str:
    with open(path, "w") as handle:
        handle.writelines("%s %s %s\n" % (verb, SET, line) for line in lines)
    return path


def timed(function: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def median_of(runs: int, setup: Callable[[], Any], function: Callable[[], Any]) -> float:
    samples = []
    for _ in range(runs):
        setup()
        samples.append(timed(function))
    return statistics.median(samples)


def side_by_side(
    runs: int, setup: Callable[[], Any], reference: Callable[[], Any], our: Callable[[], Any]
) -> Tuple[float, float]:
    """Medians of the reference and of ours, run alternately (a load change hits both)."""
    medians = contest(runs, [("ref", setup, reference), ("ours", setup, our)])
    return medians["ref"], medians["ours"]


Contender = Tuple[str, Callable[[], Any], Callable[[], Any]]  # name, setup, timed work


def contest(
    runs: int, contenders: List[Contender], check: Optional[Callable[[str], None]] = None
) -> Dict[str, float]:
    """Median time of each contender, all run in turn within each round (a load change hits
    every one of them). ``check(name)`` runs after every timed run, outside the timed region,
    and raises when the work was not done (so a path that skips work cannot look fast)."""
    samples: Dict[str, List[float]] = {name: [] for name, _, _ in contenders}
    for _ in range(runs):
        for name, setup, work in contenders:
            setup()
            samples[name].append(timed(work))
            if check is not None:
                check(name)
    return {name: statistics.median(times) for name, times in samples.items()}


# --------------------------------------------------------------------------- the check


def check_set(expected: List[str], gone: Sequence[str] = (), sample: int = 8) -> None:
    """The set holds exactly ``len(expected)`` members; a random sample of ``expected`` is in
    it and a sample of ``gone`` is not, as the ``ipset`` CLI sees it (`ipset list -t` for the
    count, `ipset test` per sampled member)."""
    out = subprocess.run(
        ["ipset", "list", SET, "-t"], check=True, capture_output=True, text=True
    ).stdout
    held = int(out.split("Number of entries:")[1].split()[0])
    if held != len(expected):
        raise AssertionError("set %s holds %d members, expected %d" % (SET, held, len(expected)))
    rng = random.Random()
    for member in rng.sample(expected, min(sample, len(expected))):
        if subprocess.run(["ipset", "test", SET, member], capture_output=True).returncode:
            raise AssertionError("ipset test %s %s: not in the set" % (SET, member))
    for member in rng.sample(list(gone), min(sample, len(gone))):
        if not subprocess.run(["ipset", "test", SET, member], capture_output=True).returncode:
            raise AssertionError("ipset test %s %s: still in the set" % (SET, member))


# --------------------------------------------------------------------------- our side


def module_work(client: Any, items: List[str], state: str) -> int:
    """What ipset_entry does between its arguments and its result, without Ansible."""
    if _module is not None:
        params = dict.fromkeys(_module.DEFAULTS)
        params.update(
            set=SET, entries=items, entries_file=None, state=state, atomic=False,
            refresh_timeout=False, netns=None,
        )  # fmt: skip
        result = _module.EntryManager(StubModule(params), client).run()
        return result["added_count"] + result["removed_count"]
    if _members is not None:
        info = client.get(SET, elements=True)
        desired = _planner.desired_entries(info, items)
        current = _planner.current_entries(info)
        plan = _planner.plan_entries(current, desired, state)
        if plan.changed:
            _members.apply_entries(client, info, plan, desired, atomic=False)
        return len(plan.add) + len(plan.delete)
    info = client.get(SET, elements=True)
    desired = _parse.parse_entries(items, info.type, info.family)
    have = {_listing.format_entry(info.type, info.family, m): m for m in info.elements}
    add = [e.data for e in desired if e.key not in have]
    if add:
        client.add(SET, info.type, info.family, add)
    if state == "exact":
        wanted = {e.key for e in desired}
        gone = [m for key, m in have.items() if key not in wanted]
        if gone:
            client.delete(SET, info.type, info.family, gone)
        return len(add) + len(gone)
    return len(add)


def ours(items: List[str], state: str = "present") -> Callable[[], Any]:
    def run() -> None:
        with _client.IpsetClient() as client:
            module_work(client, items, state)

    return run


# --------------------------------------------------------------------------- the module process


def ansible_env(ansible: str, work: str) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANSIBLE_COLLECTIONS_PATH=collection_path(),
        ANSIBLE_LOCAL_TEMP=os.path.join(work, "ansible-tmp"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_PYTHON_INTERPRETER=os.path.join(os.path.dirname(ansible), "python"),
        ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
        ANSIBLE_LOCALHOST_WARNING="False",
    )
    return env


EMPTY = SET + "0"  # stays empty: the module's own start-up is timed against it

HWM_LAUNCHER = """\
import atexit, runpy, sys
def hwm():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                sys.stderr.write("VmHWM %s\\n" % line.split()[1])
atexit.register(hwm)
del sys.argv[0]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


PROFILE_LAUNCHER = """\
import atexit, cProfile, pstats, sys
profile, top = cProfile.Profile(), int(sys.argv[1])
def report():
    profile.disable()
    stats = pstats.Stats(profile, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(top)
atexit.register(report)
del sys.argv[0:2]
profile.enable()
import runpy
runpy.run_path(sys.argv[0], run_name="__main__")
"""


class ModuleProcess:
    """``ipset_entry`` as Ansible runs it on the managed host: the AnsiballZ payload that
    ``ansible`` itself builds (the module and the module_utils it imports, zipped into one
    Python file with the arguments embedded), run as ``/bin/sh -c 'PYTHON AnsiballZ_... &&
    sleep 0'`` like the local connection does.

    The payload is taken once from an ad-hoc ``ansible localhost -m linux.netlink.ipset_entry``
    run with ANSIBLE_KEEP_REMOTE_FILES=1; each case only replaces its embedded arguments
    (``ANSIBALLZ_PARAMS``). Left out is the controller's side (templating, connection, copying
    the file), the same for any module.
    """

    def __init__(self, ansible: str, work: str) -> None:
        self.python = os.path.join(os.path.dirname(ansible), "python")
        self.work = work
        remote_tmp = os.path.join(work, "remote-tmp")
        env = ansible_env(ansible, work)
        env.update(ANSIBLE_KEEP_REMOTE_FILES="1", ANSIBLE_REMOTE_TMP=remote_tmp)
        fresh_set("hash:ip", 65536)
        args = json.dumps({"set": SET, "entries": []})
        subprocess.run(
            [os.path.join(os.path.dirname(ansible), "ansible"), "localhost", "-i", "localhost,",
             "-c", "local", "-m", "linux.netlink.ipset_entry", "-a", args],
            check=True, env=env, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        found = [
            os.path.join(d, f)
            for d, _, files in os.walk(remote_tmp)
            for f in files
            if f == "AnsiballZ_ipset_entry.py"
        ]
        with open(found[0]) as handle:
            self.template = handle.read()
        match = re.search(r"^\s*ANSIBALLZ_PARAMS = (.*)$", self.template, re.M)
        if match is None:
            raise RuntimeError("no ANSIBALLZ_PARAMS in %s" % found[0])
        self.params = json.loads(ast.literal_eval(match.group(1)))
        self.span = match.span(1)
        self.launcher = os.path.join(work, "hwm-launcher.py")
        with open(self.launcher, "w") as handle:
            handle.write(HWM_LAUNCHER)
        fresh_set("hash:ip", 65536, EMPTY)

    def payload(self, name: str, **args: Any) -> str:
        """A copy of the payload with these module arguments (``set`` is SET unless given)."""
        params = json.loads(json.dumps(self.params))
        module_args = params["ANSIBLE_MODULE_ARGS"]
        module_args["set"] = SET
        module_args.update(args)
        path = os.path.join(self.work, "AnsiballZ_ipset_entry_%s.py" % name)
        with open(path, "w") as handle:
            start, end = self.span
            handle.write(self.template[:start] + repr(json.dumps(params)) + self.template[end:])
        return path

    def runner(self, path: str) -> Callable[[], None]:
        def run() -> None:
            done = subprocess.run(
                ["/bin/sh", "-c", "%s %s && sleep 0" % (self.python, path)],
                capture_output=True, text=True,
            )  # fmt: skip
            if done.returncode:
                raise RuntimeError(
                    "module failed (%d): %s%s" % (done.returncode, done.stdout, done.stderr)
                )

        return run

    def empty(self) -> Contender:
        """The module's own start-up: the same payload on an empty set, nothing to do."""
        return ("empty", lambda: None, self.runner(self.payload("empty", set=EMPTY, entries=[])))

    def profile(self, path: str, top: int = 15) -> str:
        """cProfile's top entries (by own time) of one run of the payload, whole process."""
        launcher = os.path.join(self.work, "profile-launcher.py")
        with open(launcher, "w") as handle:
            handle.write(PROFILE_LAUNCHER)
        done = subprocess.run(
            [self.python, launcher, str(top), path], check=True, capture_output=True, text=True
        )
        return done.stderr

    def peak_mib(self, path: str) -> float:
        done = subprocess.run(
            [self.python, self.launcher, path], check=True, capture_output=True, text=True
        )
        return int(done.stderr.split("VmHWM")[-1].split()[0]) / 1024.0


# --------------------------------------------------------------------------- for scale


def per_entry_cli(items: List[str], sample: int) -> float:
    """`ipset add` once per entry, as the shell-out modules do: measured on ``sample``."""
    start = time.perf_counter()
    for item in items[:sample]:
        sh("ipset", "add", SET, *item.split())
    return (time.perf_counter() - start) * len(items) / sample


PYROUTE2_SNIPPET = textwrap.dedent(
    """
    import sys, time
    from pyroute2 import IPSet
    from pyroute2.ipset import PortEntry
    etype, items = sys.argv[1], open(sys.argv[2]).read().split()
    protos = {"tcp": 6, "udp": 17}
    ipset = IPSet()
    start = time.perf_counter()
    for item in items:
        if etype == "ip,port":
            ip, pp = item.split(",")
            proto, port = pp.split(":")
            ipset.add("%s", (ip, PortEntry(int(port), protocol=protos[proto])), etype=etype)
        else:
            ipset.add("%s", item, etype=etype)
    print(time.perf_counter() - start)
    """
    % (SET, SET)
)


def pyroute2(python: str, workdir: str, etype: str, items: List[str], sample: int) -> float:
    """pyroute2's IPSet.add, one request per entry: measured on ``sample``."""
    path = os.path.join(workdir, "pyroute2-items")
    with open(path, "w") as handle:
        handle.write("\n".join(items[:sample]))
    out = subprocess.run(
        [python, "-c", PYROUTE2_SNIPPET, etype, path], check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip()) * len(items) / sample


# --------------------------------------------------------------------------- peak memory


def peak_rss_mib() -> float:
    """The peak resident set of this process since its exec (VmHWM).

    Not ``ru_maxrss``: Linux carries that over from the parent across fork and exec, so a
    child of this (large) benchmark process would report the parent's peak.
    """
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rss_child(settype: str, count: int, kind: str) -> None:
    """In a fresh process: fill the (empty) set with ``count`` entries; print the peak RSS."""
    items = DATA[kind](count)
    base = peak_rss_mib()
    ours(items)()
    print(json.dumps({"peak_mib": peak_rss_mib(), "before_mib": base}))


def peak_memory(settype: str, count: int, kind: str, maxelem: int) -> Tuple[float, float]:
    fresh_set(settype, maxelem)
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", settype, str(count), kind],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["peak_mib"], result["before_mib"]


DATA: Dict[str, Callable[[int], List[str]]] = {
    "hosts": hosts,
    "networks": networks,
    "ip_ports": ip_ports,
}


# --------------------------------------------------------------------------- the table


class Row(NamedTuple):
    case: str
    ours: Optional[float]
    reference: Optional[float]
    reference_name: str
    target: Optional[float]  # the highest passing ratio
    pyroute2: str = "-"
    cli: str = "-"
    note: str = ""
    unit: str = "s"

    @property
    def ratio(self) -> Optional[float]:
        if self.ours is None or not self.reference:
            return None
        return self.ours / self.reference

    @property
    def verdict(self) -> str:
        if self.ratio is None or self.target is None:
            return "n/a"
        return "pass" if self.ratio <= self.target else "MISSED"


def amount(value: Optional[float], unit: str) -> str:
    return (
        "-" if value is None else ("%.3f s" % value if unit == "s" else "%.0f %s" % (value, unit))
    )


def render(rows: List[Row]) -> str:
    head = ("case", "ours", "reference", "ratio", "target", "result", "pyroute2", "per-entry CLI")
    table = [head]
    for row in rows:
        table.append(
            (
                row.case,
                amount(row.ours, row.unit),
                "%s (%s)" % (amount(row.reference, row.unit), row.reference_name),
                "-" if row.ratio is None else "%.2fx" % row.ratio,
                "-" if row.target is None else "<= %gx" % row.target,
                row.verdict,
                row.pyroute2,
                row.cli,
            )
        )
    widths = [max(len(str(line[i])) for line in table) for i in range(len(head))]
    out = []
    for index, line in enumerate(table):
        out.append("| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |")
        if index == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = ["- %s: %s" % (row.case, row.note) for row in rows if row.note]
    return "\n".join(out + ([""] + notes if notes else []))


# --------------------------------------------------------------------------- cases


def operator_rows(case: str, medians: Dict[str, float], reference: str, target: float) -> List[Row]:
    """The module process's rows: its median minus its own start-up on an empty set."""
    rows = []
    for key, how in (("file", "entries_file"), ("list", "entries list")):
        if key in medians:
            note = "module process %.3f s - start-up on an empty set %.3f s" % (
                medians[key],
                medians["empty"],
            )
            rows.append(
                Row("%s, module (%s)" % (case, how), medians[key] - medians["empty"],
                    medians["ref"], reference, target, note=note)
            )  # fmt: skip
    return rows


def module_contenders(
    module: Optional[ModuleProcess], setup: Callable[[], Any], name: str, items: List[str],
    work: str, state: str = "present",
) -> List[Contender]:  # fmt: skip
    """The module process with ``entries_file`` and with ``entries`` as a list, and its
    start-up on an empty set; nothing when there is no module process."""
    if module is None:
        return []
    path = os.path.join(work, "entries-%s.txt" % name)
    with open(path, "w") as handle:
        handle.writelines("%s\n" % item for item in items)
    by_file = module.payload(name + "-file", entries_file=path, entries=[], state=state)
    by_list = module.payload(name + "-list", entries=items, state=state)
    return [
        ("file", setup, module.runner(by_file)),
        ("list", setup, module.runner(by_list)),
        module.empty(),
    ]


def checker(expected: List[str], gone: Sequence[str] = ()) -> Callable[[str], None]:
    def check(name: str) -> None:
        if name != "empty":
            check_set(expected, gone)

    return check


def fill_case(
    name: str, settype: str, items: List[str], runs: int, work: str, target: float,
    module: Optional[ModuleProcess] = None, module_target: float = 0.5,
) -> List[Row]:  # fmt: skip
    maxelem = max(65536, 2 * len(items))
    reference = restore_file(os.path.join(work, "restore-%s" % settype), items)

    def setup() -> None:
        fresh_set(settype, maxelem)

    contenders = [
        ("ref", setup, lambda: sh("ipset", "restore", "-file", reference)),
        ("ours", setup, ours(items)),
    ] + module_contenders(module, setup, "fill", items, work)
    # members of other types are sampled in the CLI's own spelling: count those only
    check = checker(items) if settype == "hash:ip" else counter(len(items))
    medians = contest(runs, contenders, check)
    rows = [Row(name + ", in-process", medians["ours"], medians["ref"], "ipset restore", target)]
    return rows + operator_rows(name, medians, "ipset restore", module_target)


def counter(count: int) -> Callable[[str], None]:
    def check(name: str) -> None:
        out = subprocess.run(["ipset", "save", SET], check=True, capture_output=True, text=True)
        held = out.stdout.count("\nadd ")
        if held != count:
            raise AssertionError("set %s holds %d members, expected %d" % (SET, held, count))

    return check


def noop_case(
    items: List[str], runs: int, work: str, module: Optional[ModuleProcess] = None
) -> List[Row]:
    fresh_set("hash:ip", 4 * len(items))
    sh("ipset", "restore", "-file", restore_file(os.path.join(work, "noop"), items))
    out = os.path.join(work, "saved")

    def setup() -> None:
        pass

    contenders = [
        ("ref", setup, lambda: sh("ipset", "save", SET, "-file", out)),
        ("ours", setup, ours(items)),
    ] + module_contenders(module, setup, "noop", items, work)
    medians = contest(runs, contenders, checker(items))
    name = "2 no-op hash:ip %s (present)" % kilo(len(items))
    rows = [Row(name + ", in-process", medians["ours"], medians["ref"], "ipset save", 3.0)]
    return rows + operator_rows(name, medians, "ipset save", 1.5)


def churn_case(
    items: List[str],
    runs: int,
    work: str,
    module: Optional[ModuleProcess] = None,
    profile: bool = False,
) -> List[Row]:
    changed = len(items) // 100
    fresh = hosts(len(items) + changed, seed=9)
    known = set(items)
    new = [a for a in fresh if a not in known][:changed]
    desired = items[changed:] + new
    full = restore_file(os.path.join(work, "churn-full"), items)
    delta = os.path.join(work, "churn-delta")
    with open(delta, "w") as handle:
        handle.writelines("del %s %s\n" % (SET, a) for a in items[:changed])
        handle.writelines("add %s %s\n" % (SET, a) for a in new)
    saved = os.path.join(work, "churn-saved")

    def reset() -> None:
        fresh_set("hash:ip", 4 * len(items))
        sh("ipset", "restore", "-file", full)

    def reference() -> None:
        sh("ipset", "save", SET, "-file", saved)
        sh("ipset", "restore", "-file", delta)

    contenders = [
        ("ref", reset, reference),
        ("ours", reset, ours(desired, "exact")),
    ] + module_contenders(module, reset, "churn", desired, work, "exact")
    medians = contest(runs, contenders, checker(desired, items[:changed]))
    if module is not None and profile:
        reset()
        print("cProfile of the churn case, module process with entries_file:")
        print(module.profile(os.path.join(work, "AnsiballZ_ipset_entry_churn-file.py")))
        check_set(desired, items[:changed])
    name = "3 churn exact 1%% of %s" % kilo(len(items))
    ref_name = "ipset save + restore of delta"
    rows = [Row(name + ", in-process", medians["ours"], medians["ref"], ref_name, 1.5)]
    return rows + operator_rows(name, medians, ref_name, 1.2)


def scale_rows(
    module: ModuleProcess, big: List[str], fill: Row, count: int, runs: int, work: str
) -> List[Row]:
    """1M members from entries_file against the 100k fill (both module work), and the peak
    memory of the module process filling 100k from entries_file."""
    maxelem = 2 * len(big)
    path = os.path.join(work, "entries-big.txt")
    with open(path, "w") as handle:
        handle.writelines("%s\n" % item for item in big)
    payload = module.payload("big", entries_file=path, entries=[])
    medians = contest(
        runs,
        [("big", lambda: fresh_set("hash:ip", maxelem), module.runner(payload)), module.empty()],
        checker(big),
    )
    rows = [
        Row(
            "4a scale: fill %s vs %s, module (entries_file)" % (kilo(len(big)), kilo(count)),
            medians["big"] - medians["empty"],
            fill.ours,
            "module work, %s fill" % kilo(count),
            11.0,
            note="module process %.3f s - start-up %.3f s; median of %d runs"
            % (medians["big"], medians["empty"], runs),
        )
    ]
    peaks = []
    for _ in range(3):
        fresh_set("hash:ip", maxelem)
        peaks.append(module.peak_mib(os.path.join(work, "AnsiballZ_ipset_entry_fill-file.py")))
    empty = module.peak_mib(module.payload("empty", set=EMPTY, entries=[]))
    rows.append(
        Row(
            "4b peak memory, fill %s, module (entries_file)" % kilo(count),
            statistics.median(peaks),
            100.0,
            "limit",
            1.0,
            unit="MiB",
            note="VmHWM of the AnsiballZ process (median of 3); %.0f MiB on an empty set" % empty,
        )
    )
    return rows


ADHOC_ARGS = {
    "ours": ("linux.netlink.ipset_entry", "set=%s entries=1.2.3.4" % SET),
    "ref": ("ansible.builtin.command", "ipset add %s 1.2.3.4 -exist" % SET),
}


def adhoc_case(runs: int, work: str, ansible: str) -> Row:
    """`ansible localhost -m linux.netlink.ipset_entry` with one entry against `ansible -m
    ansible.builtin.command` running `ipset add -exist` of the same entry (issue 16)."""
    env = ansible_env(ansible, work)
    adhoc = os.path.join(os.path.dirname(ansible), "ansible")

    def run(key: str) -> Callable[[], None]:
        module, args = ADHOC_ARGS[key]
        command = [adhoc, "localhost", "-i", "localhost,", "-c", "local", "-m", module, "-a", args]
        return lambda: subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)

    def setup() -> None:
        fresh_set("hash:ip", 65536)

    medians = contest(
        runs, [("ref", setup, run("ref")), ("ours", setup, run("ours"))], checker(["1.2.3.4"])
    )
    return Row(
        "7 ad-hoc ansible -m, one entry", medians["ours"], medians["ref"],
        "ansible -m command: ipset add -exist", 1.1,
    )  # fmt: skip


PLAYBOOK = """\
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: the task being measured
%s
"""
OUR_TASK = """\
      linux.netlink.ipset_entry:
        set: %s
        entries_file: %s
        state: present
"""
CLI_TASK = """\
      ansible.builtin.command: ipset restore -file %s
"""


def playbook_case(items: List[str], runs: int, work: str, ansible: Optional[str]) -> Row:
    name = "6 ansible-playbook, entries_file %s" % kilo(len(items))
    if ansible is None:
        return Row(name, None, None, "command: ipset restore", 1.3, note="no ansible-playbook")
    if not os.path.exists(os.path.join(REPO, "plugins", "modules", "ipset_entry.py")):
        return Row(
            name,
            None,
            None,
            "command: ipset restore",
            1.3,
            note="plugins/modules/ipset_entry.py does not exist yet",
        )
    entries = os.path.join(work, "entries.txt")
    with open(entries, "w") as handle:
        handle.writelines("%s\n" % a for a in items)
    restore = restore_file(os.path.join(work, "playbook-restore"), items)
    env = ansible_env(ansible, work)
    books = {}
    for key, task in (("ours", OUR_TASK % (SET, entries)), ("cli", CLI_TASK % restore)):
        books[key] = os.path.join(work, "playbook-%s.yml" % key)
        with open(books[key], "w") as handle:
            handle.write(PLAYBOOK % task)

    def play(key: str) -> Callable[[], None]:
        def run() -> None:
            subprocess.run(
                [ansible, "-i", "localhost,", books[key]],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
            )

        return run

    maxelem = 4 * len(items)
    try:
        setup = lambda: fresh_set("hash:ip", maxelem)  # noqa: E731
        medians = contest(
            runs, [("ref", setup, play("cli")), ("ours", setup, play("ours"))], checker(items)
        )
        ref, our = medians["ref"], medians["ours"]
    except subprocess.CalledProcessError as exc:
        return Row(name, None, None, "command: ipset restore", 1.3, note="failed: %s" % exc)
    return Row(name, our, ref, "command: ipset restore", 1.3)


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per case (median)")
    parser.add_argument("--count", type=int, default=100000, help="entries per case")
    parser.add_argument("--scale", type=int, default=1000000, help="entries of the scale case")
    parser.add_argument("--pyroute2-python", help="a python with pyroute2, for scale")
    parser.add_argument(
        "--ansible-playbook", help="ansible-playbook (its venv's ansible and python too)"
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated cases to leave out: "
        "module,noop,churn,scale,types,playbook,adhoc,extras",
    )
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of the module's churn run"
    )
    parser.add_argument("--rss-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        rss_child(args.rss_child[0], int(args.rss_child[1]), args.rss_child[2])
        return 0
    skip = set(filter(None, args.skip.split(",")))
    runs, count = args.runs, args.count
    k = kilo(count)
    work = tempfile.mkdtemp(prefix="linux-netlink-bench-")
    load = os.getloadavg()
    rows: List[Row] = []
    try:
        items = hosts(count)
        module = None
        if args.ansible_playbook and "module" not in skip:
            module = ModuleProcess(args.ansible_playbook, work)
        fills = fill_case("1 fill hash:ip %s" % k, "hash:ip", items, runs, work, 1.25, module)
        if "extras" not in skip:
            fresh_set("hash:ip", 4 * count)
            cli = "~%.0f s (2k entries x%d)" % (per_entry_cli(items, 2000), count // 2000)
            pyr = "-"
            if args.pyroute2_python:
                fresh_set("hash:ip", 4 * count)
                pyr = "~%.1f s (10k x%d)" % (
                    pyroute2(args.pyroute2_python, work, "ip", items, 10000),
                    count // 10000,
                )
            fills[0] = fills[0]._replace(pyroute2=pyr, cli=cli)
        rows.extend(fills)
        print(render(rows), flush=True)
        if "noop" not in skip:
            rows.extend(noop_case(items, runs, work, module))
        if "churn" not in skip:
            rows.extend(churn_case(items, runs, work, module, args.profile))
        if "scale" not in skip:
            big = hosts(args.scale, seed=4)
            scale_runs = max(1, min(runs, 3))
            big_time = median_of(
                scale_runs, lambda: fresh_set("hash:ip", 2 * args.scale), ours(big)
            )
            check_set(big)
            rows.append(
                Row(
                    "4a scale: fill %s vs %s, in-process" % (kilo(args.scale), k),
                    big_time,
                    rows[0].ours,
                    "ours, %s" % k,
                    11.0,
                    note="%s: median of %d runs" % (kilo(args.scale), scale_runs),
                )
            )
            peak, base = peak_memory("hash:ip", count, "hosts", 4 * count)
            note = "VmHWM of a fresh process; %.0f MiB of it before the work" % base
            rows.append(
                Row(
                    "4b peak memory, fill %s, in-process" % k,
                    peak,
                    150.0,
                    "limit",
                    1.0,
                    unit="MiB",
                    note=note + " (interpreter, imports, the entry strings)",
                )
            )
            if module is not None:
                module_fill = [r for r in fills if r.case.endswith("(entries_file)")][0]
                rows.extend(scale_rows(module, big, module_fill, count, scale_runs, work))
        for name, settype, kind, etype in (
            ("5 fill hash:net %s random CIDRs" % k, "hash:net", "networks", "net"),
            ("5 fill hash:ip,port %s" % k, "hash:ip,port", "ip_ports", "ip,port"),
        )[: 0 if "types" in skip else 2]:
            data = DATA[kind](count)
            row = fill_case(name, settype, data, runs, work, 1.5)[0]
            if "extras" not in skip and args.pyroute2_python:
                fresh_set(settype, 4 * count)
                row = row._replace(
                    pyroute2="~%.1f s (10k x%d)"
                    % (pyroute2(args.pyroute2_python, work, etype, data, 10000), count // 10000)
                )
            rows.append(row)
        if "playbook" not in skip:
            rows.append(playbook_case(items, min(runs, 3), work, args.ansible_playbook))
        if "adhoc" not in skip and args.ansible_playbook:
            rows.append(adhoc_case(max(runs, 7), work, args.ansible_playbook))
    finally:
        subprocess.run(["ipset", "destroy", SET], stderr=subprocess.DEVNULL)
        subprocess.run(["ipset", "destroy", EMPTY], stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)
    header = "%s, %d cores, Linux %s, Python %s; ours = %s; medians of %d runs" % (
        platform.processor() or platform.machine(),
        os.cpu_count() or 0,
        platform.release(),
        platform.python_version(),
        PIPELINE,
        runs,
    )
    header += "; load average %.1f at the start, %.1f at the end (other jobs share the CPUs)" % (
        load[0],
        os.getloadavg()[0],
    )
    table = header + "\n\n" + render(rows)
    print("\n" + table)
    if args.markdown:
        with open(args.markdown, "w") as handle:
            handle.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
