# SPDX-License-Identifier: GPL-3.0-or-later
# ruff: noqa: E501  (the tables quote whole entries and messages; splitting them hides the text)
"""Unit tests for _ipset.entries, planner and entries_file: the entry planner, diffs, entries files,
fit checks, apply.

No kernel, no Ansible. "Current" members are built from ``ipset save`` lines (parsed with
parse.parse_entries, which the entry tests check against the kernel's canonical form); the
save lines in READ_FILE were printed by ipset v7.17 on Linux 6.18.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import entries as M
from ansible_collections.linux.netlink.plugins.module_utils._ipset import entries_file as EF
from ansible_collections.linux.netlink.plugins.module_utils._ipset import planner as P
from ansible_collections.linux.netlink.plugins.module_utils._ipset import swap as SW
from ansible_collections.linux.netlink.plugins.module_utils._ipset import types as T
from ansible_collections.linux.netlink.plugins.module_utils._ipset import typetable as TT
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (
    BatchResult,
    SetInfo,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.errmsg import IpsetError
from ansible_collections.linux.netlink.plugins.module_utils._ipset.parse import parse_entries
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import NetlinkError
from hypothesis import given, settings
from hypothesis import strategies as st


def current(lines: Sequence[str], settype: str = "hash:net", family: Optional[str] = "inet"):
    """The planner's view of a set holding ``lines`` (in this order)."""
    return {e.key: e for e in parse_entries(lines, settype, family)}


def plan(have: Sequence[str], want: Sequence[Any], state: str, refresh: bool = False,
         settype: str = "hash:net", family: Optional[str] = "inet") -> Tuple[List[str], List[str], int]:  # fmt: skip
    result = P.plan_entries(current(have, settype, family), parse_entries(want, settype, family), state, refresh)
    return M.lines(result.add), M.lines(result.delete), result.updated


# (id, current members, desired, state, refresh) -> (added, removed, updated)
PLANS = [
    ("present adds what is missing", ["10.0.0.0/8"], ["10.0.0.0/8", "192.0.2.0/24"], "present", False,
     (["192.0.2.0/24"], [], 0)),
    ("present compares the canonical form", ["10.0.0.0/24", "192.0.2.7"], ["10.0.0.5/24", "192.0.2.7/32"], "present", False,
     ([], [], 0)),
    ("a range is its CIDR blocks", ["10.9.0.0/29"], ["10.9.0.0-10.9.0.9"], "present", False,
     (["10.9.0.8/31"], [], 0)),
    ("present never removes", ["10.0.0.0/8", "172.16.0.0/12"], ["10.0.0.0/8"], "present", False,
     ([], [], 0)),
    ("absent removes what is there", ["10.0.0.0/8", "172.16.0.0/12"], ["10.0.0.0/8", "192.0.2.0/24"], "absent", False,
     ([], ["10.0.0.0/8"], 0)),
    ("absent ignores extensions", ['10.0.0.0/8 comment "x"'], ["10.0.0.0/8"], "absent", False,
     ([], ["10.0.0.0/8"], 0)),
    ("exact adds and removes", ["10.0.0.0/8", "172.16.0.0/12"], ["10.0.0.0/8", "192.0.2.0/24"], "exact", False,
     (["192.0.2.0/24"], ["172.16.0.0/12"], 0)),
    ("exact of nothing empties", ["10.0.0.0/8"], [], "exact", False, ([], ["10.0.0.0/8"], 0)),
    ("a new comment is an update", ["10.0.0.0/8"], ['10.0.0.0/8 comment "x"'], "present", False,
     (['10.0.0.0/8 comment "x"'], [], 1)),
    ("another comment is an update", ['10.0.0.0/8 comment "x"'], [{"entry": "10.0.0.0/8", "comment": "y"}], "present", False,
     (['10.0.0.0/8 comment "y"'], [], 1)),
    ("a comment taken away is an update", ['10.0.0.0/8 comment "x"'], ["10.0.0.0/8"], "exact", False,
     (["10.0.0.0/8"], [], 1)),
    ("nomatch is an update", ["10.0.0.0/8"], ["10.0.0.0/8 nomatch"], "present", False,
     (["10.0.0.0/8 nomatch"], [], 1)),
    ("skbinfo is an update", ["10.0.0.0/8 skbmark 0x10"], ["10.0.0.0/8 skbmark 0x10/0xff"], "present", False,
     (["10.0.0.0/8 skbmark 0x10/0xff"], [], 1)),
    ("the same skbmark written differently", ["10.0.0.0/8 skbmark 0x10"], ["10.0.0.0/8 skbmark 0x10/0xffffffff"], "present", False,
     ([], [], 0)),
    ("a remaining timeout is not a change", ["10.0.0.0/8 timeout 99"], ["10.0.0.0/8 timeout 600"], "present", False,
     ([], [], 0)),
    ("refresh re-adds entries that give a timeout", ["10.0.0.0/8 timeout 99", "10.1.0.0/16 timeout 5"],
     ["10.0.0.0/8 timeout 600", "10.1.0.0/16"], "present", True, (["10.0.0.0/8"], [], 1)),
    ("counters are not compared", ["10.0.0.0/8 packets 5 bytes 300"], ["10.0.0.0/8 packets 0 bytes 0"], "present", False,
     ([], [], 0)),
]  # fmt: skip


@pytest.mark.parametrize("have, want, state, refresh, expected", [p[1:] for p in PLANS],
                         ids=[p[0] for p in PLANS])  # fmt: skip
def test_plan_entries(have, want, state, refresh, expected):
    assert plan(have, want, state, refresh) == expected


# list:set: before/after compare as "somewhere before/after" the named member set
LIST_PLANS = [
    ("in place", ["a", "b", "c"], ["a", "b,before,c"], ([], 0)),
    ("after, already after", ["a", "b", "c"], ["c,after,a"], ([], 0)),
    ("after but before", ["a", "b", "c"], ["b,after,c"], (["b"], 1)),
    ("before but after", ["a", "b", "c"], [{"entry": "c", "before": "a"}], (["c"], 1)),
    ("several before one set converge", ["b", "c", "a"], ["b,before,a", "c,before,a"], ([], 0)),
    ("reference not a member: left to the kernel", ["a", "b"], ["b,before,z"], ([], 0)),
]  # fmt: skip


@pytest.mark.parametrize("have, want, expected", [p[1:] for p in LIST_PLANS], ids=[p[0] for p in LIST_PLANS])
def test_plan_entries_list_set_position(have, want, expected):
    result = P.plan_entries(current(have, "list:set", None), parse_entries(want, "list:set", None), "present")
    assert ([e.key for e in result.move], result.updated) == expected
    assert [e.key for e in result.add] == expected[0]


def test_diff_lines_show_wanted_state_only():
    have = current(['10.0.0.0/8 timeout 5 packets 1 bytes 2 comment "x"', "10.1.0.0/16 timeout 7"])
    result = P.plan_entries(have, parse_entries(["10.2.0.0/16 timeout 9", '10.0.0.0/8 comment "y"'], "hash:net", "inet"), "exact")
    assert P.diff_lines(have, result) == (
        '10.0.0.0/8 comment "x"\n10.1.0.0/16\n',
        '10.0.0.0/8 comment "y"\n10.2.0.0/16\n',
    )
    empty = P.plan_entries({}, [], "exact")
    assert P.diff_lines({}, empty) == ("", "")


# `ipset save` of three sets, as ipset v7.17 printed it (Linux 6.18), then hand-edited lines
# that `ipset restore` v7.17 took the same way (checked with the CLI: short forms, -exist, -!).
SAVE = (
    "create bl hash:net family inet hashsize 1024 maxelem 65536 timeout 0 comment bucketsize 12 initval 0x1e78cf88\n"
    'add bl 10.0.0.0/24 timeout 0 comment "office # 2"\n'
    "add bl 192.0.2.7 timeout 0\n"
    "create f2b-sshd hash:ip family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x5f0c7a1b\n"
    "add f2b-sshd 203.0.113.5\n"
    "add f2b-sshd 203.0.113.6\n"
    "create web hash:ip,port family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x0e3a7d2c\n"
    "add web 192.0.2.1,tcp:443\n"
)

READ_FILE = [
    ("plain lines, comments, blanks", "bl", "# list\n\n10.0.0.1\n  10.0.0.2/32  \n#x\n", ["10.0.0.1", "10.0.0.2/32"], 0, ()),
    ("ipset save output of one set",
     "bl", SAVE.split("create f2b")[0], ['10.0.0.0/24 timeout 0 comment "office # 2"', "192.0.2.7 timeout 0"], 0, ()),
    ("ipset save of three sets: only the named one", "bl", SAVE,
     ['10.0.0.0/24 timeout 0 comment "office # 2"', "192.0.2.7 timeout 0"], 3, ("f2b-sshd", "web")),
    ("the set in the middle", "f2b-sshd", SAVE, ["203.0.113.5", "203.0.113.6"], 3, ("bl", "web")),
    ("a create line alone: the set is empty", "web", SAVE.replace("add web 192.0.2.1,tcp:443\n", ""), [], 4, ("bl", "f2b-sshd")),
    ("restore's global options anywhere, short forms, spaces",
     "bl", "-N bl hash:net -exist\nadd -exist bl 10.0.0.1\n-A bl 10.0.0.2 -!\nadd  bl   10.0.0.3  -q\n"
     '-exist add bl 10.0.0.4 comment "-exist  two"\nadd x 10.9.9.9 -exist\n  # indented\n',
     ["10.0.0.1", "10.0.0.2", "10.0.0.3", '10.0.0.4 comment "-exist  two"'], 1, ("x",)),
    ("plain lines beside other sets count for the named set", "bl", "10.0.0.1\nadd other 10.0.0.2\n", ["10.0.0.1"], 1, ("other",)),
    ("one-word entries named like commands (list:set members)", "l", "flush\nadd\n", ["flush", "add"], 0, ()),
    ("an empty file", "bl", "", [], 0, ()),
]  # fmt: skip


@pytest.mark.parametrize("name, text, entries, skipped, others", [r[1:] for r in READ_FILE], ids=[r[0] for r in READ_FILE])
def test_read_entries_file(tmp_path, name, text, entries, skipped, others):
    path = tmp_path / "entries"
    path.write_text(text, encoding="utf-8")
    settype = {"bl": "hash:net", "f2b-sshd": "hash:ip", "web": "hash:ip,port", "l": "list:set"}[name]
    assert EF.read_entries_file(str(path), name, settype) == (entries, skipped, others)


def test_read_entries_file_warning(tmp_path):
    path = tmp_path / "save"
    path.write_text(SAVE, encoding="utf-8")
    read = EF.read_entries_file(str(path), "web", "hash:ip,port")
    assert read.warning("/f", "web") == "entries_file '/f': took only the lines of set 'web'; skipped 4 entries of bl, f2b-sshd"
    path.write_text("add web 1.2.3.4,80\nadd bl 10.0.0.1\n", encoding="utf-8")
    assert EF.read_entries_file(str(path), "web", "hash:ip,port").warning("/f", "web").endswith("skipped 1 entry of bl")
    path.write_text("add web 1.2.3.4,80\n", encoding="utf-8")
    assert EF.read_entries_file(str(path), "web", "hash:ip,port").warning("/f", "web") is None


READ_ERRORS = [
    ("no line of the named set", "gone", SAVE, r"^entries_file '\S+' holds no line of set 'gone'; the sets it holds: bl, f2b-sshd, web$"),
    ("the named set created with another type", "bl", SAVE.replace("hash:net", "hash:ip"),
     r"^entries_file '\S+' line 1 creates set 'bl' as hash:ip, but the set is hash:net$"),
    ("an add line without entry", "bl", "add bl\n", r"line 'add bl' has no entry$"),
    ("a create line without type", "bl", "create bl -exist\n", r"line 'create bl -exist' has no set type$"),
    ("another command", "bl", "add bl 10.0.0.1\nflush bl\n", r"line 2: 'flush bl': only the create and add lines of ipset save are taken$"),
    ("another command of another set", "bl", "add bl 10.0.0.1\ndel x 10.0.0.2\n", r"line 2: 'del x 10.0.0.2': only"),
]  # fmt: skip


@pytest.mark.parametrize("name, text, message", [r[1:] for r in READ_ERRORS], ids=[r[0] for r in READ_ERRORS])
def test_read_entries_file_refused(tmp_path, name, text, message):
    path = tmp_path / "entries"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TT.IpsetInputError, match=message):
        EF.read_entries_file(str(path), name, "hash:net")


def test_read_entries_file_errors(tmp_path):
    with pytest.raises(TT.IpsetInputError, match=r"^entries_file '/nonexistent/x' cannot be read: No such file or directory$"):
        EF.read_entries_file("/nonexistent/x", "bl", "hash:ip")
    bad = tmp_path / "latin1"
    bad.write_bytes(b"10.0.0.1 comment \"\xe9\"\n")
    with pytest.raises(TT.IpsetInputError, match="is not UTF-8"):
        EF.read_entries_file(str(bad), "bl", "hash:ip")


# ------------------------------------------------------------------ check_fit

COMMENT, COUNTERS, SKBINFO = T.IPSET_FLAG_WITH_COMMENT, T.IPSET_FLAG_WITH_COUNTERS, T.IPSET_FLAG_WITH_SKBINFO


def header(settype: str, data: Dict[str, Any], family: Optional[str] = "inet") -> SetInfo:
    return SetInfo("s", settype, family, 0, data, [])


FIT = [
    ("timeout without support", header("hash:ip", {}), ["10.0.0.1", "10.0.0.2 timeout 5"],
     "entry '10.0.0.2': set 's' was created without timeout support"),
    ("comment without support", header("hash:ip", {"timeout": 0}), ["10.0.0.1 timeout 5", '10.0.0.2 comment "c"'],
     "entry '10.0.0.2': set 's' was created without comment support"),
    ("counters without support", header("hash:ip", {"cadt_flags": COMMENT}), ["10.0.0.1 packets 1 bytes 2"],
     "entry '10.0.0.1': set 's' was created without counters"),
    ("skbinfo without support", header("hash:ip", {"cadt_flags": COUNTERS}), ["10.0.0.1 skbqueue 2"],
     "entry '10.0.0.1': set 's' was created without skbinfo support"),
    ("outside a bitmap:ip range", header("bitmap:ip", {"ip": b"\xc0\x00\x02\x00", "ip_to": b"\xc0\x00\x02\xff"}),
     ["192.0.2.9", "192.0.3.1"], "entry '192.0.3.1': outside the range of set 's' (192.0.2.0-192.0.2.255)"),
    ("list:set placed next to a non-member", SetInfo("l", "list:set", None, 3, {}, [{"name": "a"}]),
     ["b", "c,before,b", "a,after,z"], "entry 'a': the set named in after ('z') is not in list:set 'l'"),
    ("outside a bitmap:port range", header("bitmap:port", {"port": 0, "port_to": 1024}, None),
     ["22", "tcp:2000"], "entry '2000': outside the range of set 's' (0-1024)"),
]  # fmt: skip


@pytest.mark.parametrize("info, items, message", [f[1:] for f in FIT], ids=[f[0] for f in FIT])
def test_check_fit(info, items, message):
    with pytest.raises(TT.IpsetInputError) as exc:
        P.check_fit(info, P.desired_entries(info, items))
    assert str(exc.value) == message


def test_check_fit_accepts_what_the_set_supports():
    info = header("bitmap:ip", {"ip": b"\xc0\x00\x02\x00", "ip_to": b"\xc0\x00\x02\xff", "timeout": 0,
                                "cadt_flags": COMMENT | COUNTERS | SKBINFO})  # fmt: skip
    P.check_fit(info, P.desired_entries(info, ['192.0.2.0 timeout 5 comment "a" packets 1 bytes 2 skbmark 0x1', "192.0.2.255"]))


# ------------------------------------------------------------------ the bulk planner

# Few distinct addresses, many spellings: lists that overlap, repeat, and differ in case.
HOSTS = {
    "inet": st.sampled_from(["192.0.2.%d" % n for n in range(1, 9)] + ["198.51.100.1"]),
    "inet6": st.sampled_from(
        ["2001:db8::%x" % n for n in range(1, 6)] + ["2001:DB8::1", "2001:0db8:0:0::2", "::ffff:192.0.2.1"]
    ),
}


@st.composite
def bulk_cases(draw: Any) -> Tuple[str, List[str], List[str], str]:
    family = draw(st.sampled_from(sorted(HOSTS)))
    have = draw(st.lists(HOSTS[family], max_size=12))
    want = draw(st.lists(HOSTS[family], max_size=12))
    return family, have, want, draw(st.sampled_from(M.STATES))


def kernel_set(have: Sequence[str], family: str, data: Optional[Dict[str, Any]] = None) -> SetInfo:
    """A listed hash:ip set holding ``have``, members as the kernel lists them (with a timeout)."""
    members = [dict(e.data, timeout=600) for e in parse_entries(have, "hash:ip", family)]
    return SetInfo("s", "hash:ip", family, 6, {"timeout": 0, **(data or {})}, members)


@settings(max_examples=300, deadline=None)
@given(bulk_cases())
def test_plan_bare_hosts_equals_plan_entries(case: Tuple[str, List[str], List[str], str]) -> None:
    family, have, want, state = case
    info = kernel_set(have, family)
    general = P.plan_entries(P.current_entries(info), P.desired_entries(info, want), state)
    bulk = M._plan_bare_hosts(info, want, state)
    assert bulk is not None
    assert [e.key for e in bulk.add] == [e.key for e in general.add]  # the user's order
    assert [e.data for e in bulk.add] == [e.data for e in general.add]
    assert M.lines(bulk.delete) == M.lines(general.delete)
    assert sorted(map(M.element, bulk.delete), key=repr) == sorted(
        ({"ip": e.data["ip"]} for e in general.delete), key=repr
    )
    assert bulk.updated == general.updated == 0


BULK_DECLINES = [
    ("a network", kernel_set([], "inet"), ["192.0.2.1", "192.0.2.0/24"]),
    ("a range", kernel_set([], "inet"), ["192.0.2.1-192.0.2.3"]),
    ("options", kernel_set([], "inet"), ["192.0.2.1 timeout 5"]),
    ("a dict", kernel_set([], "inet"), [{"entry": "192.0.2.1"}]),
    ("spaces", kernel_set([], "inet"), [" 192.0.2.1"]),
    ("the zero address", kernel_set([], "inet"), ["0.0.0.0"]),
    ("the zero address (inet6)", kernel_set([], "inet6"), ["::"]),
    ("a leading zero", kernel_set([], "inet"), ["192.0.2.01"]),
    ("the other family", kernel_set([], "inet6"), ["192.0.2.1"]),
    ("a set with comments", kernel_set([], "inet", {"cadt_flags": COMMENT}), ["192.0.2.1"]),
    ("a set with skbinfo", kernel_set([], "inet", {"cadt_flags": SKBINFO}), ["192.0.2.1"]),
    ("a set with a netmask", kernel_set([], "inet", {"netmask": 24}), ["192.0.2.1"]),
    ("a set with a bitmask", kernel_set([], "inet", {"bitmask": b"\xff\xff\xff\0"}), ["192.0.2.1"]),
    ("another type", SetInfo("s", "hash:net", "inet", 7, {}, []), ["192.0.2.1"]),
]  # fmt: skip


@pytest.mark.parametrize("info, items", [c[1:] for c in BULK_DECLINES], ids=[c[0] for c in BULK_DECLINES])
def test_plan_bare_hosts_leaves_the_rest_to_the_general_path(info, items):
    assert M._plan_bare_hosts(info, items, "present") is None


def test_plan_bare_hosts_takes_counters_and_a_full_netmask():
    info = kernel_set(["192.0.2.1"], "inet", {"cadt_flags": COUNTERS, "netmask": 32})
    plan_ = M._plan_bare_hosts(info, ["192.0.2.2", "192.0.2.1", "192.0.2.2"], "exact")
    assert plan_ is not None and M.lines(plan_.add) == ["192.0.2.2"] and plan_.delete == []


# ------------------------------------------------------------------ apply


class FakeClient:
    """Records add/delete batches; refuses the element at ``fail_at`` of the first add."""

    def __init__(self, fail_at: Optional[int] = None) -> None:
        self.calls: List[Tuple[str, List[Dict[str, Any]]]] = []
        self.fail_at = fail_at

    def _batch(self, verb: str, elements: Sequence[Dict[str, Any]]) -> BatchResult:
        self.calls.append((verb, list(elements)))
        if self.fail_at is None or verb != "add":
            return BatchResult([(0, len(elements))], None, None)
        error = IpsetError(NetlinkError(u.IPSET_ERR_HASH_FULL, "IPSET_CMD_ADD", "", b""), u.IPSET_CMD_ADD, "s", "hash:ip")
        return BatchResult([(0, self.fail_at)] if self.fail_at else [], error, self.fail_at)

    def add(self, name, settype, family, elements):
        return self._batch("add", elements)

    def delete(self, name, settype, family, elements):
        return self._batch("del", elements)


def test_apply_adds_then_deletes():
    info = SetInfo("s", "hash:ip", "inet", 6, {}, [])
    have = current(["10.0.0.9"], "hash:ip")
    want = parse_entries(["10.0.0.1"], "hash:ip", "inet")
    client = FakeClient()
    M.apply_entries(client, info, P.plan_entries(have, want, "exact"), want, atomic=False)  # type: ignore[arg-type]
    assert client.calls == [("add", [{"ip": b"\x0a\x00\x00\x01"}]), ("del", [{"ip": b"\x0a\x00\x00\x09"}])]


def test_apply_moves_list_members_without_their_placement_first():
    info = SetInfo("l", "list:set", None, 3, {}, [])
    have = current(["a", "b", "c"], "list:set", None)
    want = parse_entries(["b,after,c"], "list:set", None)
    client = FakeClient()
    M.apply_entries(client, info, P.plan_entries(have, want, "present"), want, atomic=False)  # type: ignore[arg-type]
    assert client.calls == [("del", [{"name": "b"}]), ("add", [{"name": "b", "nameref": "c"}])]


def test_partial_failure_says_what_was_applied_and_that_it_changed():
    info = SetInfo("s", "hash:ip", "inet", 6, {}, [])
    want = parse_entries(["10.0.0.1", "10.0.0.2", "10.0.0.3"], "hash:ip", "inet")
    client = FakeClient(fail_at=2)
    with pytest.raises(SW.ApplyError) as exc:
        M.apply_entries(client, info, P.plan_entries({}, want, "present"), want, atomic=False)  # type: ignore[arg-type]
    assert str(exc.value) == (
        "entry '10.0.0.3': set 's': the set is full (maxelem reached) [IPSET_CMD_ADD]; 2 of 3 "
        "entries were added before the error, the others were not"
    )
    assert exc.value.result == {"changed": True, "added": ["10.0.0.1", "10.0.0.2"], "added_count": 2}


# What a task of bare addresses for a plain hash:ip set loads (issue 16): the module's imports
# and the bulk planner, not the general planner, the entries file reader, the entry parser,
# the listing formatter, the protocol names, nor what only ipset and ipset_info use. Run in a fresh interpreter: this one has loaded them all.
_LOADED = """
import sys
from ansible_collections.linux.netlink.plugins.modules import ipset_entry
from ansible_collections.linux.netlink.plugins.module_utils._ipset import entries
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import SetInfo

info = SetInfo("s", "hash:ip", "inet", 6, {}, [{"ip": bytes([10, 0, 0, 1])}])
planned = entries.plan(info, ["10.0.0.1", "10.0.0.2"], "exact", {})
print(entries.lines(planned.plan.add), entries.lines(planned.plan.delete))
print(" ".join(sorted(m.rsplit(".", 1)[1] for m in sys.modules if "netlink.plugins.module_utils._" in m)))
"""


def test_a_bare_address_task_loads_only_what_it_uses():
    import os
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run(
        [sys.executable, "-c", _LOADED], check=True, capture_output=True, text=True, env=env
    ).stdout.splitlines()
    assert out[0] == "['10.0.0.2'] []"  # the plan was made (the bulk planner's answer)
    loaded = set(out[1].split())
    assert {"entries", "client", "wire", "swap", "typetable", "entry"} <= loaded
    assert not loaded & {
        "parse", "dimensions", "listing", "names", "sets", "types", "planner", "entries_file"
    }, loaded  # fmt: skip
