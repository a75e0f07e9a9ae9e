# SPDX-License-Identifier: GPL-3.0-or-later
"""Hardening on the running kernel, each test in a fresh namespace (issue 7).

* Bad input: generated options and entries for ipset, ipset_entry and ipset_info, run through
  main() against the real kernel (in a namespace holding sets of several types); a failed
  task leaves `ipset save` byte-identical, and its message names the option or entry.
* A temporary set left by an interrupted rebuild (swap.temp_name) is removed by the next run,
  whether or not that run has anything else to do.
* Privilege: without CAP_NET_ADMIN (setpriv drops it from the bounding and inheritable sets)
  every module fails with "needs CAP_NET_ADMIN (use become: true)". ipset has no read-only
  path without it: nfnetlink checks CAP_NET_ADMIN for every ipset command, listing included
  (nfnetlink_rcv_msg). wifi_scan_facts without a trigger needs no privilege and still works.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from typing import Any, Dict, Sequence

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "unit", "hardening"))
sys.path.insert(0, os.path.join(ROOT, "tests", "unit", "plugins", "module_utils"))

pytestmark = pytest.mark.kernel
# Missing tools fail, never skip: the modules run under ansible-core, the CLIs are the oracles.
_MISSING = [tool for tool in ("ipset", "setpriv") if shutil.which(tool) is None]
try:
    import ansible  # noqa: F401
except ImportError:
    _MISSING.append("ansible-core (the Python package)")
if _MISSING:
    pytest.fail("needs %s (tests/install-deps.sh installs them)" % ", ".join(_MISSING),
                pytrace=False)  # fmt: skip

import modrun  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import (  # noqa: E402
    swap,
    types,
    typetable,
)
from hardening import EXAMPLES  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import COMMENT, GARBAGE, NAME, OPTION_VALUE, entry_item  # noqa: E402

# Sets made with the ipset CLI before the generated runs: (name, create line, members).
SEED = [
    # no timeouts: `ipset save` prints the time left, which would differ a second later
    ("ip4", "hash:ip comment", ["192.0.2.1", "192.0.2.2 comment \"x\""]),
    ("net6", "hash:net family inet6", ["2001:db8::/64"]),
    ("ipport", "hash:ip,port counters", ["192.0.2.1,tcp:80", "192.0.2.1,udp:53"]),
    ("netif", "hash:net,iface", ["10.0.0.0/8,eth0"]),
    ("ports", "bitmap:port range 0-1024", ["22", "80"]),
    ("lst", "list:set", ["ip4"]),
]
KERNEL_EXAMPLES = max(10, EXAMPLES // 3)  # every example is a module run on the kernel
KERNEL = settings(max_examples=KERNEL_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(__import__("hypothesis").HealthCheck))  # fmt: skip


def ipset(netns: str, *args: str, stdin: str = "") -> str:
    proc = subprocess.run(["ip", "netns", "exec", netns, "ipset", *args], input=stdin,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return proc.stdout


def seed(netns: str) -> None:
    lines = []
    for name, create, members in SEED:
        lines.append("create %s %s" % (name, create))
        lines += ["add %s %s" % (name, m) for m in members]
    ipset(netns, "restore", stdin="\n".join(lines) + "\n")


def save(netns: str) -> str:
    return ipset(netns, "save")


def _named(message: str, args: Dict[str, Any]) -> bool:
    keys = [k for k in args if not k.startswith("_")]
    values = [repr(args[k]) for k in ("name", "set") if isinstance(args.get(k), str)]
    values += [repr(v) for v in args.get("names", ()) if isinstance(v, str)]
    return any(k in message for k in keys + values) or message.startswith("entry ")


def _clean(value: Any) -> bool:
    """Top-level strings ansible-core itself refuses (NUL, lone surrogates): not ours."""
    if not isinstance(value, str):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


# --------------------------------------------------------------------------- bad input


_SEEDED = set()


@pytest.fixture
def seeded(netns: str) -> str:
    """A namespace with the SEED sets, shared by every example of one test (hypothesis runs
    the examples inside one call of the test function; each restores what it changed)."""
    if netns not in _SEEDED:
        seed(netns)
        _SEEDED.add(netns)
    return netns


def _check_failed_run(module: str, args: Dict[str, Any], netns: str, mp: Any, tmp: str) -> None:
    if not all(_clean(v) for v in args.values()):
        return
    before = save(netns)
    outcome = modrun.run(module, dict(args, netns=netns), None, mp, tmp)
    if outcome.failed:
        assert _named(outcome.result["msg"], args), (args, outcome.result["msg"])
        assert save(netns) == before, (args, outcome.result["msg"])
    else:  # it did something: put the namespace back as it was for the next example
        restore(netns, before)


def restore(netns: str, saved: str) -> None:
    ipset(netns, "flush")  # empties list:sets too, so that every set can be destroyed
    ipset(netns, "destroy")
    ipset(netns, "restore", stdin=saved)


SEED_NAMES = [name for name, _c, _m in SEED]
SEED_TYPES = {name: create.split()[0] for name, create, _m in SEED}


@KERNEL
@given(
    name=st.one_of(st.sampled_from(SEED_NAMES + ["new1"]), NAME),
    settype=st.one_of(st.sampled_from(sorted(typetable.SET_TYPES)), GARBAGE),
    options=st.dictionaries(st.sampled_from(["timeout", "hashsize", "maxelem", "netmask",
                                             "bitmask", "range", "size", "comment", "counters",
                                             "markmask", "bucketsize"]),
                            OPTION_VALUE, max_size=3),  # fmt: skip
)
def test_ipset_bad_options_leave_the_kernel_alone(
    name: str, settype: str, options: Dict[str, Any], seeded: str, monkeypatch: Any, tmp_path: Any
) -> None:
    args = dict(options, name=name, type=settype)
    _check_failed_run("ipset", args, seeded, monkeypatch, str(tmp_path))


@KERNEL
@given(data=st.data())
def test_ipset_entry_bad_entries_leave_the_kernel_alone(
    data: st.DataObject, seeded: str, monkeypatch: Any, tmp_path: Any
) -> None:
    setname = data.draw(st.sampled_from(SEED_NAMES), label="set")
    dims = typetable.SET_TYPES[SEED_TYPES[setname]].dims
    args: Dict[str, Any] = {
        "set": setname,
        "entries": data.draw(st.lists(entry_item(dims), min_size=1, max_size=4), label="entries"),
        "state": data.draw(st.sampled_from(["present", "absent", "exact"]), label="state"),
        "atomic": data.draw(st.booleans(), label="atomic"),
    }
    if data.draw(st.booleans(), label="with a default"):
        key = data.draw(st.sampled_from(["timeout", "comment", "skbqueue", "nomatch"]))
        args[key] = data.draw(st.one_of(OPTION_VALUE, COMMENT))
    _check_failed_run("ipset_entry", args, seeded, monkeypatch, str(tmp_path))


PINNED_FAILURES = [
    # a member the set cannot hold, after good ones: refused before anything is sent
    ("ipset_entry", {"set": "ip4", "entries": ["192.0.2.10", "192.0.2.11 skbmark 0x1"]}),
    ("ipset_entry", {"set": "ipport", "entries": ["192.0.2.9,tcp:1", "192.0.2.9,tcp:1 timeout 5"]}),
    ("ipset_entry", {"set": "ports", "entries": ["23", "2000"]}),  # outside the bitmap's range
    ("ipset_entry", {"set": "net6", "entries": ["2001:db8:1::/48", "10.0.0.0/8"]}),
    ("ipset_entry", {"set": "ip4", "entries": ["192.0.2.1"], "state": "exact", "atomic": True,
                     "comment": "c" * 256}),  # fmt: skip
    ("ipset", {"name": "ip4", "type": "hash:ip", "timeout": 2147484}),
    ("ipset", {"name": "ports", "type": "bitmap:port", "range": "0-70000"}),
    ("ipset", {"name": "x" * 32, "type": "hash:ip"}),
]


@pytest.mark.parametrize("module,args", PINNED_FAILURES, ids=[str(a)[:50] for _m, a in
                                                               PINNED_FAILURES])  # fmt: skip
def test_pinned_failures_leave_ipset_save_identical(
    module: str, args: Dict[str, Any], netns: str, monkeypatch: Any, tmp_path: Any
) -> None:
    seed(netns)
    before = save(netns)
    outcome = modrun.run(module, dict(args, netns=netns), None, monkeypatch, str(tmp_path))
    assert outcome.failed, outcome
    assert _named(outcome.result["msg"], args), outcome.result["msg"]
    assert save(netns) == before


# --------------------------------------------------------------------------- leftovers


@pytest.mark.parametrize("module", ["ipset", "ipset_entry"])
def test_leftover_temp_set_is_cleaned_by_the_next_run(
    module: str, netns: str, monkeypatch: Any, tmp_path: Any
) -> None:
    """A rebuild killed between filling its temporary set and the swap leaves that set behind;
    the next run of either module, even one with nothing else to do, removes it."""
    seed(netns)
    temp = swap.temp_name("ip4")
    ipset(netns, "create", temp, "hash:ip", "comment")
    ipset(netns, "add", temp, "198.51.100.1")
    args: Dict[str, Any] = (
        {"name": "ip4", "type": "hash:ip", "comment": True}
        if module == "ipset"
        else {"set": "ip4", "entries": ["192.0.2.1"]}
    )
    outcome = modrun.run(module, dict(args, netns=netns), None, monkeypatch, str(tmp_path))
    assert not outcome.failed, outcome
    assert temp not in ipset(netns, "list", "-n").split()


def test_rebuild_stopped_after_destroying_the_old_set_is_restored(
    netns: str, monkeypatch: Any, tmp_path: Any
) -> None:
    """A change of type destroys the old set before renaming the new, complete one. A run
    stopped between the two leaves only the temporary set: the next run renames it into
    place (the members survive) instead of destroying the only copy."""
    temp = swap.temp_name("moved")
    ipset(netns, "create", temp, "hash:net")
    ipset(netns, "add", temp, "198.51.100.0/24")
    outcome = modrun.run(
        "ipset", {"name": "moved", "type": "hash:net", "netns": netns}, None, monkeypatch,
        str(tmp_path),
    )  # fmt: skip
    assert not outcome.failed, outcome
    assert outcome.result["changed"] is True
    assert ipset(netns, "save", "moved").splitlines()[1:] == ["add moved 198.51.100.0/24"]
    assert temp not in ipset(netns, "list", "-n").split()


# --------------------------------------------------------------------------- privilege

SETPRIV = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin", "--"]


def _run_module(netns: str, module: str, args: Dict[str, Any], tmp_path: Any,
                prefix: Sequence[str] = SETPRIV) -> Dict:  # fmt: skip
    """The module file run as Ansible runs it (python module.py ARGS_FILE), inside the
    namespace, by default with CAP_NET_ADMIN dropped."""
    collections = tmp_path / "col"
    if not collections.exists():
        (collections / "ansible_collections" / "linux").mkdir(parents=True)
        (collections / "ansible_collections" / "linux" / "netlink").symlink_to(ROOT)
    argsfile = tmp_path / "args.json"
    argsfile.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    path = os.path.join(ROOT, "plugins", "modules", module + ".py")
    env = dict(os.environ, PYTHONPATH=str(collections))
    proc = subprocess.run(["ip", "netns", "exec", netns, *prefix, sys.executable, path,
                           str(argsfile)], capture_output=True, text=True, env=env,
                          timeout=60)  # fmt: skip
    assert proc.stdout.strip(), proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


_run_unprivileged = _run_module


def test_setpriv_really_drops_cap_net_admin(netns: str) -> None:
    proc = subprocess.run(["ip", "netns", "exec", netns] + SETPRIV + ["ipset", "list"],
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode != 0 and "not permitted" in proc.stderr.lower(), proc


@pytest.mark.parametrize(
    "module,args",
    [
        ("ipset", {"name": "s", "type": "hash:ip"}),
        ("ipset_entry", {"set": "ip4", "entries": ["192.0.2.9"]}),
        ("ipset_info", {}),
        ("ipset_info", {"names": ["ip4"], "members": True}),
    ],
)
def test_without_cap_net_admin_the_message_says_become(
    module: str, args: Dict[str, Any], netns: str, tmp_path: Any
) -> None:
    seed(netns)
    before = save(netns)
    result = _run_unprivileged(netns, module, args, tmp_path)
    assert result.get("failed"), result
    assert "needs CAP_NET_ADMIN (use become: true)" in result["msg"], result["msg"]
    assert "Traceback" not in json.dumps(result)
    assert save(netns) == before


def test_wifi_scan_facts_without_trigger_needs_no_privilege(netns: str, tmp_path: Any) -> None:
    """Reading interfaces and cached scan results is allowed to anyone: the same answer with
    and without CAP_NET_ADMIN (on a host without cfg80211, available=false both ways)."""
    privileged = _run_module(netns, "wifi_scan_facts", {}, tmp_path, prefix=())
    unprivileged = _run_module(netns, "wifi_scan_facts", {}, tmp_path)
    for result in (privileged, unprivileged):
        result.pop("invocation", None)
    assert unprivileged == privileged
    assert "CAP_NET_ADMIN" not in json.dumps(unprivileged)
    # A host without nl80211 answers available=false, never a failure (with radios: the VM's
    # tests/vm/wifi/field/unprivileged.py, iw as the oracle).
    assert not privileged.get("failed"), privileged
    assert "netlink_wifi" in unprivileged["ansible_facts"]


# --------------------------------------------------------------------------- CLI as oracle

# The unit test's pinned bad entries, given to `ipset add`: the CLI refuses every entry in
# PINNED and takes every one in REFUSED_BY_DESIGN (refused by this collection on purpose).
# Not given to the CLI: entries that are not text (int, lone surrogates: the CLI takes bytes,
# Ansible gives text), empty ones (no argument at all), and types this machine's kernel lacks
# (hash:ip,mark, hash:mac: `ipset add` needs the set in the kernel to parse its entry).
from test_hardening_entries import PINNED, REFUSED_BY_DESIGN  # noqa: E402

_NO_CLI_TYPES = ("hash:ip,mark", "hash:mac")
_CREATE_OPTIONS = {"timeout": "timeout 0", "comment": "comment", "skbmark": "skbinfo",
                   "skbqueue": "skbinfo", "bitmap:port": "range 0-65535"}  # fmt: skip


def _cli_form(settype: str, family: str, item: Any) -> Any:
    """(create words, add words) for `item`, or None when the CLI cannot be given it."""
    if isinstance(item, dict):
        words = [item["entry"]] + [w for k, v in item.items() if k != "entry" for w in (k, str(v))]
    else:
        words = item.split() if isinstance(item, str) else []
    if not words or settype in _NO_CLI_TYPES or not all(_clean(w) for w in words):
        return None
    create = [settype] + (["family", family] if family else [])
    for key, option in _CREATE_OPTIONS.items():
        if key in words or key == settype:
            create += option.split()
    return create, words


CLI_CASES = [
    (case, refused) for cases, refused in ((PINNED, True), (REFUSED_BY_DESIGN, False))
    for case in cases if _cli_form(*case) is not None
]  # fmt: skip


def test_cli_oracle_covers_the_pinned_entries() -> None:
    assert len(CLI_CASES) == 21, [c for c, _r in CLI_CASES]


@pytest.mark.parametrize("case,refused", CLI_CASES, ids=[repr(c[2])[:40] for c, _r in CLI_CASES])
def test_pinned_bad_entries_as_the_cli_takes_them(case: Any, refused: bool, netns: str) -> None:
    create, words = _cli_form(*case)
    ipset(netns, "create", "p", *create)
    proc = subprocess.run(["ip", "netns", "exec", netns, "ipset", "add", "p", *words],
                          capture_output=True, text=True)  # fmt: skip
    assert (proc.returncode != 0) is refused, (words, proc.stderr)


# The unit tests' fake kernels (tests/unit/plugins/modules/conftest.py, tests/unit/hardening/
# fakeipset.py) take a new set's revision and the header values the kernel picks from
# typetable.SET_TYPES[...].revision_max and types.kernel_defaults. Here the CLI checks both: a set
# created with no options, as `ipset list -t` shows it. Types the running kernel lacks cannot
# be checked here; only the five issue 12 names (the VM's stock kernel has them) may be absent.
KERNEL_MAY_LACK = {"hash:mac", "hash:ip,mac", "hash:ip,mark", "hash:net,net", "hash:net,port,net"}
_NEEDS = {"bitmap:ip": ["range", "10.0.0.0/24"], "bitmap:ip,mac": ["range", "10.0.0.0/24"],
          "bitmap:port": ["range", "0-1024"]}  # fmt: skip


def test_fake_kernel_tables_match_what_the_cli_sees(netns: str) -> None:
    lacking, seen = set(), {}
    for name in sorted(typetable.SET_TYPES):
        made = subprocess.run(["ip", "netns", "exec", netns, "ipset", "create", "t", name,
                               *_NEEDS.get(name, [])], capture_output=True, text=True)  # fmt: skip
        if made.returncode != 0:
            assert "not supported" in made.stderr, (name, made.stderr)
            lacking.add(name)
            continue
        lines = dict(line.split(": ", 1) for line in ipset(netns, "list", "-t", "t").splitlines()
                     if ": " in line)  # fmt: skip
        words = lines["Header"].split()
        header = {k: int(v) for k, v in zip(words[::2], words[1::2]) if v.isdigit()}
        header = {k: v for k, v in header.items() if k in types.KERNEL_CHOSEN}
        seen[name] = (int(lines["Revision"]), header)
        ipset(netns, "destroy", "t")
    assert lacking <= KERNEL_MAY_LACK, lacking
    expected = {name: (typetable.SET_TYPES[name].revision_max, types.kernel_defaults(name))
                for name in seen}  # fmt: skip
    assert seen == expected
