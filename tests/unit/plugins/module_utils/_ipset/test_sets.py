# SPDX-License-Identifier: GPL-3.0-or-later
# ruff: noqa: E501  (the tables quote whole error messages; splitting them hides the text)
"""Unit tests for _ipset.sets: describing sets, planning (drift), rebuild headers, apply.

No kernel, no Ansible. Set headers are written the way IpsetClient.list() decodes them (the
header's IPSET_ATTR_DATA as a dict); the values were observed with ``ipset save`` (ipset
v7.17) on Linux 6.18 in a throw-away namespace, e.g.
  create x hash:net family inet hashsize 1024 maxelem 65536 timeout 0 comment bucketsize 12 initval 0x1e78cf88
  create a bitmap:ip range 10.0.0.0-10.0.255.255 netmask 30
  create g list:set size 4            (asked: size 2)
  create e hash:ip ... bitmask 255.255.0.255
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import sets as S
from ansible_collections.linux.netlink.plugins.module_utils._ipset import swap as SW
from ansible_collections.linux.netlink.plugins.module_utils._ipset import types as T
from ansible_collections.linux.netlink.plugins.module_utils._ipset import typetable as TT
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (
    BatchResult,
    SetInfo,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.errmsg import IpsetError
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import NetlinkError

COMMENT = T.IPSET_FLAG_WITH_COMMENT
COUNTERS = T.IPSET_FLAG_WITH_COUNTERS
SKBINFO = T.IPSET_FLAG_WITH_SKBINFO
# what the kernel lists for a hash:* set created without hashsize/maxelem/bucketsize
HASH_DEFAULTS = {"hashsize": 1024, "maxelem": 65536, "bucketsize": 12, "initval": 0x1E78CF88}
STATS = {"references": 0, "memsize": 456, "elements": 0}


def info(settype: str, data: Dict[str, Any], family: Optional[str] = "inet", revision: int = 7,
         members: Optional[List[Dict[str, Any]]] = None, name: str = "x") -> SetInfo:  # fmt: skip
    return SetInfo(name, settype, family, revision, dict(data, **STATS), members)


def spec(settype: str = "hash:ip", family: Optional[str] = "inet", **options: Any) -> S.SetSpec:
    opts = {name: None for name in T.CREATE_OPTIONS}
    opts.update(options)
    return S.SetSpec("x", settype, family, opts)


# ------------------------------------------------------------------ options_from_header

OPTIONS_FROM_HEADER = [
    (
        "hash:net, comment, timeout 0",
        info("hash:net", dict(HASH_DEFAULTS, timeout=0, cadt_flags=COMMENT)),
        {"timeout": 0, "hashsize": 1024, "maxelem": 65536, "bucketsize": 12,
         "counters": False, "comment": True, "skbinfo": False, "forceadd": False,
         "initval": "0x1e78cf88"},
    ),
    (
        "bitmap:ip range and netmask",
        info("bitmap:ip", {"ip": b"\x0a\x00\x00\x00", "ip_to": b"\x0a\x00\xff\xff", "netmask": 30}, revision=3),
        {"range": "10.0.0.0-10.0.255.255", "netmask": 30, "counters": False, "comment": False,
         "skbinfo": False, "forceadd": False},
    ),
    (
        "bitmap:port range, counters",
        info("bitmap:port", {"port": 1000, "port_to": 2000, "cadt_flags": COUNTERS}, None, 3),
        {"range": "1000-2000", "counters": True, "comment": False, "skbinfo": False, "forceadd": False},
    ),
    (
        "hash:ip bitmask",
        info("hash:ip", dict(HASH_DEFAULTS, bitmask=b"\xff\xff\x00\xff"), revision=6),
        {"hashsize": 1024, "maxelem": 65536, "bucketsize": 12, "initval": "0x1e78cf88",
         "bitmask": "255.255.0.255", "counters": False, "comment": False, "skbinfo": False,
         "forceadd": False},
    ),
    (
        "list:set size",
        info("list:set", {"size": 8}, None, 3),
        {"size": 8, "counters": False, "comment": False, "skbinfo": False, "forceadd": False},
    ),
]  # fmt: skip


@pytest.mark.parametrize("current, expected", [c[1:] for c in OPTIONS_FROM_HEADER],
                         ids=[c[0] for c in OPTIONS_FROM_HEADER])  # fmt: skip
def test_options_from_header(current, expected):
    assert S.options_from_header(current) == expected


def test_describe_family_less_type_and_members():
    members = [{"port": 1010}, {"port": 1000}]
    found = S.describe(info("bitmap:port", {"port": 1000, "port_to": 2000}, None, 3, members), True)
    assert found["family"] is None
    assert found["members"] == ["1000", "1010"]  # sorted, save syntax
    assert found["options"]["range"] == "1000-2000"
    assert found["references"] == 0 and found["memsize"] == 456


def test_describe_members_with_extensions():
    members = [{"ip": b"\xc0\x00\x02\x01", "timeout": 99, "comment": "a", "packets": 1, "bytes": 60}]
    found = S.describe(info("hash:ip", dict(HASH_DEFAULTS, timeout=0), members=members), True)
    assert found["members"] == ['192.0.2.1 timeout 99 packets 1 bytes 60 comment "a"']
    assert "members" not in S.describe(info("hash:ip", HASH_DEFAULTS, members=members), False)


# ------------------------------------------------------------------ plan_set

HASH_IP = info("hash:ip", HASH_DEFAULTS, revision=6)
HASH_IP_COMMENT = info("hash:ip", dict(HASH_DEFAULTS, cadt_flags=COMMENT), revision=6)
GROWN = info("hash:ip", dict(HASH_DEFAULTS, hashsize=4096), revision=6)
BITMAP_16 = info("bitmap:ip", {"ip": b"\x0a\x00\x00\x00", "ip_to": b"\x0a\x00\xff\xff"}, revision=3)
PORTS = info("bitmap:port", {"port": 1000, "port_to": 2000}, None, 3)
LIST4 = info("list:set", {"size": 4}, None, 3)
NET6 = info("hash:net", HASH_DEFAULTS, "inet6")

# (id, spec, current, kernel revision) -> (action, drift, revision)
PLANS: List[Tuple[str, S.SetSpec, Optional[SetInfo], int, Tuple[str, List[str], int]]] = [
    ("missing set is created", spec(), None, 6, ("create", [], 6)),
    ("newest revision both know", spec(), None, 9, ("create", [], 6)),
    ("older kernel, options it has", spec(comment=True), None, 4, ("create", [], 4)),
    ("kernel-chosen values are not drift", spec(), HASH_IP, 6, ("none", [], 6)),
    ("hashsize rounded like the kernel", spec(hashsize=1000), HASH_IP, 6, ("none", [], 6)),
    ("hashsize the kernel grew past is not drift", spec(hashsize=64), GROWN, 6, ("none", [], 6)),
    ("larger hashsize than the kernel's is drift", spec(hashsize=8192), GROWN, 6, ("rebuild", ["hashsize"], 6)),
    ("maxelem given and different", spec(maxelem=1000), HASH_IP, 6, ("rebuild", ["maxelem"], 6)),
    ("bucketsize 11 is 12", spec(bucketsize=11), HASH_IP, 6, ("none", [], 6)),
    ("flag not given is not compared", spec(), HASH_IP_COMMENT, 6, ("none", [], 6)),
    ("flag true on a set that has it", spec(comment=True), HASH_IP_COMMENT, 6, ("none", [], 6)),
    ("flag false on a set that has it", spec(comment=False), HASH_IP_COMMENT, 6, ("rebuild", ["comment"], 6)),
    ("flag false on a set without it", spec(comment=False), HASH_IP, 6, ("none", [], 6)),
    ("flag true on a set without it", spec(comment=True), HASH_IP, 6, ("rebuild", ["comment"], 6)),
    ("range as CIDR", spec("bitmap:ip", range="10.0.0.0/16"), BITMAP_16, 3, ("none", [], 3)),
    ("range as from-to", spec("bitmap:ip", range="10.0.0.0-10.0.255.255"), BITMAP_16, 3, ("none", [], 3)),
    ("range CIDR with host bits", spec("bitmap:ip", range="10.0.7.9/16"), BITMAP_16, 3, ("none", [], 3)),
    ("range narrower", spec("bitmap:ip", range="10.0.0.0/24"), BITMAP_16, 3, ("rebuild", ["range"], 3)),
    ("port range", spec("bitmap:port", None, range="1000-2000"), PORTS, 3, ("none", [], 3)),
    ("port range wider", spec("bitmap:port", None, range="1000-3000"), PORTS, 3, ("rebuild", ["range"], 3)),
    ("list:set size below the minimum", spec("list:set", None, size=2), LIST4, 3, ("none", [], 3)),
    ("type change", spec("hash:net"), HASH_IP, 7, ("rebuild", ["type"], 7)),
    ("family change", spec("hash:net", "inet"), NET6, 7, ("rebuild", ["family"], 7)),
    ("type, family and an option", spec("hash:ip", "inet", maxelem=10), NET6, 6,
     ("rebuild", ["type", "family", "maxelem"], 6)),
]  # fmt: skip


@pytest.mark.parametrize("declared, current, kernel, expected", [p[1:] for p in PLANS],
                         ids=[p[0] for p in PLANS])  # fmt: skip
def test_plan_set(declared, current, kernel, expected):
    plan = S.plan_set(declared, current, kernel)
    assert (plan.action, plan.drift, plan.revision) == expected


def test_plan_set_absent_destroys_what_exists_whatever_its_options():
    declared = S.SetSpec("x", None, None, {})  # absent needs no type
    assert S.plan_set(declared, None, 0, "absent") == S.SetPlan("none", [], 0, {})
    assert S.plan_set(declared, HASH_IP, 0, "absent") == S.SetPlan("destroy", [], 0, {})
    assert S.plan_set(spec(bitmask="255.0.0.255"), HASH_IP, 0, "absent").action == "destroy"


def test_header_drift_is_idempotent_with_its_own_result():
    declared = spec("hash:net", maxelem=2000, comment=True, timeout=600, hashsize=100)
    plan = S.plan_set(declared, None, 7)
    created = info("hash:net", dict(plan.header, initval=1, bucketsize=12))
    assert S.plan_set(declared, created, 7).action == "none"


REVISION_ERRORS = [
    ("hash:ip bitmask on revision 5", spec(bitmask="255.255.0.255"), 5,
     "option 'bitmask' needs revision 6 of set type hash:ip; this kernel supports up to revision 5"),
    ("hash:net comment on revision 3", spec("hash:net", comment=True), 3,
     "option 'comment' needs revision 4 of set type hash:net; this kernel supports up to revision 3"),
    ("two options", spec("hash:ip", bucketsize=4, bitmask="255.0.0.255"), 4,
     "option 'bitmask', 'bucketsize' needs revision 6 of set type hash:ip; this kernel supports up to revision 4"),
]  # fmt: skip


@pytest.mark.parametrize("declared, kernel, message", [r[1:] for r in REVISION_ERRORS],
                         ids=[r[0] for r in REVISION_ERRORS])  # fmt: skip
def test_plan_set_revision_too_low(declared, kernel, message):
    with pytest.raises(TT.IpsetInputError) as exc:
        S.plan_set(declared, None, kernel)
    assert str(exc.value) == message


def test_plan_set_bad_option_names_it():
    with pytest.raises(TT.IpsetInputError, match="option 'bitmask' is not valid for set type hash:net"):
        S.plan_set(spec("hash:net", bitmask="255.255.255.0"), None, 7)


# ------------------------------------------------------------------ rebuild header

TIMED = info("hash:net", dict(HASH_DEFAULTS, hashsize=4096, timeout=600, cadt_flags=COMMENT | COUNTERS))
MASKED = info("hash:ip", dict(HASH_DEFAULTS, netmask=24), revision=6)

# (id, spec, current) -> header of the replacement set (initval is never carried: random)
REBUILD_HEADERS = [
    ("one option changed, the rest kept", spec("hash:net", maxelem=1000), TIMED,
     {"maxelem": 1000, "timeout": 600, "hashsize": 4096, "bucketsize": 12, "cadt_flags": COMMENT | COUNTERS}),
    ("flag declared away, others kept", spec("hash:net", comment=False), TIMED,
     {"maxelem": 65536, "timeout": 600, "hashsize": 4096, "bucketsize": 12, "cadt_flags": COUNTERS}),
    ("declared values win", spec("hash:net", timeout=60, hashsize=64), TIMED,
     {"maxelem": 65536, "timeout": 60, "hashsize": 64, "bucketsize": 12, "cadt_flags": COMMENT | COUNTERS}),
    ("netmask kept in the same family", spec("hash:ip", maxelem=10), MASKED,
     {"maxelem": 10, "netmask": 24, "hashsize": 1024, "bucketsize": 12}),
    ("netmask replaced by a declared bitmask", spec("hash:ip", bitmask="255.0.0.255"), MASKED,
     {"bitmask": b"\xff\x00\x00\xff", "maxelem": 65536, "hashsize": 1024, "bucketsize": 12}),
    ("netmask dropped with the family", spec("hash:ip", "inet6"), MASKED,
     {"maxelem": 65536, "hashsize": 1024, "bucketsize": 12}),
    ("options the new type lacks are dropped", spec("list:set", None), TIMED,
     {"timeout": 600, "cadt_flags": COMMENT | COUNTERS}),
]  # fmt: skip


@pytest.mark.parametrize("declared, current, expected", [r[1:] for r in REBUILD_HEADERS],
                         ids=[r[0] for r in REBUILD_HEADERS])  # fmt: skip
def test_rebuild_header(declared, current, expected):
    family = TT.type_family(declared.type, declared.family) or None
    header = T.normalise_create_options(declared.type, family, declared.options)
    assert S.rebuild_header(declared, family, header, current) == expected


FIT = [
    ("comment dropped with comment support", {"ip": b"1234", "comment": "a", "packets": 1, "bytes": 2},
     {"cadt_flags": COUNTERS}, {"ip": b"1234", "packets": 1, "bytes": 2}),
    ("counters dropped", {"ip": b"1234", "packets": 1, "bytes": 2}, {}, {"ip": b"1234"}),
    ("skbinfo kept", {"ip": b"1234", "skbmark": 5, "skbprio": 6, "skbqueue": 7}, {"cadt_flags": SKBINFO},
     {"ip": b"1234", "skbmark": 5, "skbprio": 6, "skbqueue": 7}),
    ("permanent member stays permanent", {"ip": b"1234"}, {"timeout": 600}, {"ip": b"1234", "timeout": 0}),
    ("remaining timeout kept", {"ip": b"1234", "timeout": 99}, {"timeout": 600}, {"ip": b"1234", "timeout": 99}),
    ("timeout dropped without support", {"ip": b"1234", "timeout": 99}, {}, {"ip": b"1234"}),
]  # fmt: skip


@pytest.mark.parametrize("element, header, expected", [f[1:] for f in FIT], ids=[f[0] for f in FIT])
def test_fit_extensions(element, header, expected):
    assert S.fit_extensions(element, header) == expected


def test_carry_members_converts_and_names_what_does_not_fit():
    current = info("hash:ip", HASH_DEFAULTS, members=[{"ip": b"\x0a\x01\x01\x01", "comment": "c"}])
    assert S.carry_entries(current, "hash:net", "inet", {"cadt_flags": COMMENT}) == [
        {"ip": b"\x0a\x01\x01\x01", "cidr": 32, "comment": "c"}
    ]
    with pytest.raises(TT.IpsetInputError) as exc:
        S.carry_entries(current, "hash:net", "inet6", {})
    assert str(exc.value) == (
        "set 'x' cannot become hash:net family inet6: its member '10.1.1.1' does not fit "
        "(entry '10.1.1.1': 10.1.1.1 is an IPv4 address but the set family is inet6); remove it first"
    )


# ------------------------------------------------------------------ apply, with a fake client


class FakeClient:
    """Records the calls apply_set/rebuild make; ``sets`` are what get() returns."""

    def __init__(self, sets: Dict[str, SetInfo], add_error: Optional[IpsetError] = None) -> None:
        self.sets = dict(sets)
        self.calls: List[Tuple[Any, ...]] = []
        self.add_error = add_error

    def get(self, name: str, elements: bool = True) -> Optional[SetInfo]:
        return self.sets.get(name)

    def create(self, name, settype, family, revision, data):
        self.calls.append(("create", name, settype, family, revision, data))

    def destroy(self, name, must_exist=False):
        self.calls.append(("destroy", name))

    def add(self, name, settype, family, elements):
        self.calls.append(("add", name, list(elements)))
        if self.add_error:
            return BatchResult([], self.add_error, 0)
        return BatchResult([(0, len(elements))], None, None)

    def swap(self, name, other):
        self.calls.append(("swap", name, other))

    def rename(self, name, new_name):
        self.calls.append(("rename", name, new_name))


def test_rebuild_swaps_and_keeps_members():
    members = [{"ip": b"\xc0\x00\x02\x01"}]
    current = info("hash:ip", dict(HASH_DEFAULTS, references=1), members=members)
    client = FakeClient({"x": current})
    declared = spec(maxelem=10)
    plan = S.plan_set(declared, current, 6)
    S.apply_set(client, declared, plan, current)  # type: ignore[arg-type]
    temp = SW.temp_name("x")
    assert client.calls == [
        ("create", temp, "hash:ip", "inet", 6, {"maxelem": 10, "hashsize": 1024, "bucketsize": 12}),
        ("add", temp, members),
        ("swap", "x", temp),
        ("destroy", temp),
    ]


def test_rebuild_of_another_type_renames_when_unreferenced():
    current = info("hash:ip", HASH_DEFAULTS, members=[{"ip": b"\xc0\x00\x02\x01"}])
    client = FakeClient({"x": current})
    declared = spec("hash:net")
    S.apply_set(client, declared, S.plan_set(declared, current, 7), current)  # type: ignore[arg-type]
    temp = SW.temp_name("x")
    assert [c[0] for c in client.calls] == ["create", "add", "destroy", "rename"]
    assert client.calls[2:] == [("destroy", "x"), ("rename", temp, "x")]


def test_retype_of_a_referenced_set_fails_and_changes_nothing():
    current = SetInfo("x", "hash:ip", "inet", 6, dict(HASH_DEFAULTS, references=2), [])
    client = FakeClient({"x": current})
    declared = spec("hash:net")
    with pytest.raises(SW.ApplyError) as exc:
        S.apply_set(client, declared, S.plan_set(declared, current, 7), current)  # type: ignore[arg-type]
    assert str(exc.value) == (
        "set 'x' is referenced 2 time(s) (by firewall rules or a list:set), so its type cannot "
        "change: the kernel swaps only sets of the same type and family"
    )
    assert client.calls == []


def test_failed_fill_destroys_the_temporary_set():
    error = IpsetError(NetlinkError(u.IPSET_ERR_HASH_FULL, "IPSET_CMD_ADD", "", b""), u.IPSET_CMD_ADD, "t", "hash:ip")
    current = info("hash:ip", HASH_DEFAULTS, members=[{"ip": b"\xc0\x00\x02\x01"}])
    client = FakeClient({"x": current}, add_error=error)
    declared = spec(maxelem=10)
    with pytest.raises(SW.ApplyError, match="^element 1 while filling the replacement set: "):
        S.apply_set(client, declared, S.plan_set(declared, current, 6), current)  # type: ignore[arg-type]
    assert client.calls[-1] == ("destroy", SW.temp_name("x"))
    assert not any(c[0] == "swap" for c in client.calls)


def test_kernel_revision_names_a_missing_type():
    class NoType:
        def type_revisions(self, settype, family):
            raise IpsetError(NetlinkError(u.IPSET_ERR_FIND_TYPE, "IPSET_CMD_TYPE", "", b""), u.IPSET_CMD_TYPE)

    with pytest.raises(TT.IpsetInputError) as exc:
        S.kernel_revision(NoType(), "hash:ip,mark", "inet")  # type: ignore[arg-type]
    assert str(exc.value) == (
        "the running kernel does not support set type hash:ip,mark (it is not built in and its "
        "module ip_set_hash_ipmark is not loaded or not available)"
    )


def test_check_name():
    assert SW.check_name("a" * 31) == "a" * 31
    with pytest.raises(TT.IpsetInputError, match="must be 1 to 31 bytes long"):
        SW.check_name("a" * 32)
    with pytest.raises(TT.IpsetInputError, match="must be 1 to 31 bytes long"):
        SW.check_name("")
