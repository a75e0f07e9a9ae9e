# SPDX-License-Identifier: GPL-3.0-or-later
# ruff: noqa: E501  (the case tables keep one case per line or two; wrapping them hides the data)
"""linux.netlink.ipset_entry's main() against a fake kernel (conftest.py in this directory).

Each case: the set before (type, header, members as ``ipset save`` lines), the module
arguments, and what must come out: failed/changed, added/removed, and the members the kernel
holds afterwards in save syntax. The real kernel runs these scenarios in
tests/integration/targets/ipset_entry.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest

pytest.importorskip("ansible")

from ansible_collections.linux.netlink.plugins.module_utils._ipset.parse import (  # noqa: E402
    parse_entries,
)
from ansible_collections.linux.netlink.plugins.modules import ipset_entry  # noqa: E402

COMMENT = 16  # IPSET_FLAG_WITH_COMMENT


def elements(lines: List[str], settype: str, family: Optional[str] = "inet") -> List[Dict[str, Any]]:
    out = []
    for entry in parse_entries(lines, settype, family):
        out.append(dict(entry.data, **entry.ext))
    return out


# (id, set: make() kwargs + "lines", args, expected: failed, msg, changed, added, removed, after)
CASES = [
    ("present adds, canonical", {"settype": "hash:net", "lines": ["10.0.0.0/8"]},
     {"entries": ["10.0.0.5/8", "192.0.2.7/32"]},
     dict(changed=True, added=["192.0.2.7"], removed=[], after=["10.0.0.0/8", "192.0.2.7"])),
    ("present of what is there", {"settype": "hash:net", "lines": ["10.0.0.0/8"]}, {"entries": ["10.1.2.3/8"]},
     dict(changed=False, added=[], after=["10.0.0.0/8"])),
    ("absent", {"settype": "hash:net", "lines": ["10.0.0.0/8", "10.1.0.0/16"]},
     {"entries": ["10.1.0.0/16", "10.2.0.0/16"], "state": "absent"},
     dict(changed=True, removed=["10.1.0.0/16"], after=["10.0.0.0/8"])),
    ("exact", {"settype": "hash:ip", "lines": ["10.0.0.1", "10.0.0.2"]}, {"entries": ["10.0.0.2", "10.0.0.3"], "state": "exact"},
     dict(changed=True, added=["10.0.0.3"], removed=["10.0.0.1"], after=["10.0.0.2", "10.0.0.3"])),
    ("exact atomic", {"settype": "hash:ip", "lines": ["10.0.0.1"], "references": 1},
     {"entries": ["10.0.0.3"], "state": "exact", "atomic": True},
     dict(changed=True, added=["10.0.0.3"], removed=["10.0.0.1"], after=["10.0.0.3"])),
    ("atomic needs exact: runtime members are never swapped away", {"settype": "hash:ip", "lines": ["10.0.0.1"]},
     {"entries": ["10.0.0.3"], "state": "present", "atomic": True},
     dict(failed=True, msg="atomic: true needs state: exact (the set swapped in would hold only the entries given, and members added by others would be lost)", after=["10.0.0.1"])),
    ("check mode changes nothing", {"settype": "hash:ip", "lines": ["10.0.0.1"]},
     {"entries": ["10.0.0.3"], "state": "exact", "_ansible_check_mode": True},
     dict(changed=True, added=["10.0.0.3"], removed=["10.0.0.1"], after=["10.0.0.1"])),
    ("comment change is a change", {"settype": "hash:ip", "cadt_flags": COMMENT, "lines": ['10.0.0.1 comment "a"']},
     {"entries": [{"entry": "10.0.0.1", "comment": "b"}]},
     dict(changed=True, added=['10.0.0.1 comment "b"'], after=['10.0.0.1 comment "b"'])),
    ("task-level comment default", {"settype": "hash:ip", "cadt_flags": COMMENT, "lines": []},
     {"entries": ["10.0.0.1", '10.0.0.2 comment "own"'], "comment": "dflt"},
     dict(changed=True, after=['10.0.0.1 comment "dflt"', '10.0.0.2 comment "own"'])),
    ("remaining timeout is no change", {"settype": "hash:ip", "timeout": 600, "lines": ["10.0.0.1 timeout 99"]},
     {"entries": ["10.0.0.1 timeout 600"]}, dict(changed=False, after=["10.0.0.1 timeout 99"])),
    ("refresh_timeout", {"settype": "hash:ip", "timeout": 600, "lines": ["10.0.0.1 timeout 99"]},
     {"entries": ["10.0.0.1 timeout 600"], "refresh_timeout": True}, dict(changed=True, after=["10.0.0.1 timeout 600"])),
    ("one bad entry changes nothing", {"settype": "hash:ip", "lines": ["10.0.0.1"]},
     {"entries": ["10.0.0.2", "10.0.0.300", "10.0.0.4"]},
     dict(failed=True, msg="entry '10.0.0.300': invalid IPv4 address", after=["10.0.0.1"])),
    ("an extension the set lacks changes nothing", {"settype": "hash:ip", "lines": []},
     {"entries": ["10.0.0.2", {"entry": "10.0.0.3", "timeout": 5}]},
     dict(failed=True, msg="entry '10.0.0.3': set 's' was created without timeout support", after=[])),
    ("outside a bitmap range changes nothing", {"settype": "bitmap:port", "family": None, "port": 0, "port_to": 1024, "lines": []},
     {"entries": ["22", "2000"]}, dict(failed=True, msg="entry '2000': outside the range of set 's' (0-1024)", after=[])),
    ("numbers from YAML are entries too", {"settype": "bitmap:port", "family": None, "port": 0, "port_to": 1024, "lines": []},
     {"entries": [22, {"entry": 80, "comment": None}, "tcp:81"]}, dict(changed=True, after=["22", "80", "81"])),
    ("bitmap:ip,mac: an address is the member, whatever its MAC", {"settype": "bitmap:ip,mac", "ip": bytes([10, 0, 0, 0]), "ip_to": bytes([10, 0, 0, 255]), "lines": ["10.0.0.1,AA:BB:CC:DD:EE:FF", "10.0.0.2"]},
     {"entries": ["10.0.0.1", "10.0.0.2"], "state": "exact"}, dict(changed=False, after=["10.0.0.1,AA:BB:CC:DD:EE:FF", "10.0.0.2"])),
    ("bitmap:ip,mac: exact atomic keeps the kernel's MACs", {"settype": "bitmap:ip,mac", "ip": bytes([10, 0, 0, 0]), "ip_to": bytes([10, 0, 0, 255]), "lines": ["10.0.0.1,AA:BB:CC:DD:EE:FF", "10.0.0.2"]},
     {"entries": ["10.0.0.1", "10.0.0.3"], "state": "exact", "atomic": True},
     dict(changed=True, added=["10.0.0.3"], removed=["10.0.0.2"], after=["10.0.0.1,AA:BB:CC:DD:EE:FF", "10.0.0.3"])),
    ("bitmap:ip,mac: another MAC is a change", {"settype": "bitmap:ip,mac", "ip": bytes([10, 0, 0, 0]), "ip_to": bytes([10, 0, 0, 255]), "lines": ["10.0.0.1,AA:BB:CC:DD:EE:FF"]},
     {"entries": ["10.0.0.1,0:0:0:0:0:1", "10.0.0.2,0:0:0:0:0:2"]},
     dict(changed=True, added=["10.0.0.1,00:00:00:00:00:01", "10.0.0.2,00:00:00:00:00:02"], after=["10.0.0.1,00:00:00:00:00:01", "10.0.0.2,00:00:00:00:00:02"])),
    ("bitmap:ip,mac: absent by address", {"settype": "bitmap:ip,mac", "ip": bytes([10, 0, 0, 0]), "ip_to": bytes([10, 0, 0, 255]), "lines": ["10.0.0.1,AA:BB:CC:DD:EE:FF", "10.0.0.2"]},
     {"entries": ["10.0.0.1"], "state": "absent"}, dict(changed=True, removed=["10.0.0.1"], after=["10.0.0.2"])),
    ("absent validates as present does", {"settype": "hash:ip,port", "lines": ["10.0.0.1,tcp:80"]},
     {"entries": ["10.0.0.1,tcp:80", "0.0.0.0,80"], "state": "absent"},
     dict(failed=True, msg="entry '0.0.0.0,80': the zero address cannot be stored in a hash:ip,port set", after=["10.0.0.1,tcp:80"])),
    ("absent outside a bitmap range fails", {"settype": "bitmap:port", "family": None, "port": 0, "port_to": 1024, "lines": ["22"]},
     {"entries": ["22", "2000"], "state": "absent"}, dict(failed=True, msg="entry '2000': outside the range of set 's' (0-1024)", after=["22"])),
    ("list:set placement", {"settype": "list:set", "family": None, "lines": ["a", "b", "c"]},
     {"entries": ["a,after,c"]}, dict(changed=True, added=["a"], order=["b", "c", "a"])),
]  # fmt: skip


@pytest.mark.parametrize("before, args, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_ipset_entry(kernel, run, before, args, expected):
    spec = dict(before)
    lines = spec.pop("lines")
    if spec["settype"] == "list:set":
        for name in lines:
            kernel.make(name)
    kernel.make("s", members=elements(lines, spec["settype"], spec.get("family", "inet")), **spec)
    failed, result = run(ipset_entry, dict(args, set="s", _ansible_diff=True))
    assert failed == expected.get("failed", False), result
    if failed:
        assert expected["msg"] in result["msg"]
        assert result.get("changed", False) is False
    else:
        assert result["changed"] == expected["changed"]
        for key in ("added", "removed"):
            if key in expected:
                assert result[key] == expected[key]
                assert result[key + "_count"] == len(expected[key])
    if "after" in expected:
        assert kernel.saved("s") == sorted(expected["after"])
        if not failed:
            assert result["entries"] == len(expected["after"])
    if "order" in expected:
        assert list(kernel.sets["s"].members) == expected["order"]
    assert not [n for n in kernel.sets if n.startswith("lnswap-")]


def test_missing_set(run):
    failed, result = run(ipset_entry, {"set": "nope", "entries": ["10.0.0.1"]})
    assert failed and result["msg"] == "set 'nope' does not exist: create it with linux.netlink.ipset"


def test_diff_and_idempotency_twin(kernel, run):
    kernel.make("s", "hash:net", members=elements(["10.0.0.0/8"], "hash:net"))
    args = {"set": "s", "entries": ["10.1.0.0/16", "10.0.0.0/8"], "state": "exact", "_ansible_diff": True}
    failed, first = run(ipset_entry, args)
    assert not failed and first["diff"] == {"before": "10.0.0.0/8\n", "after": "10.0.0.0/8\n10.1.0.0/16\n"}
    failed, second = run(ipset_entry, args)
    assert not failed and not second["changed"]
    assert second["diff"] == {"before": "10.0.0.0/8\n10.1.0.0/16\n", "after": "10.0.0.0/8\n10.1.0.0/16\n"}


def test_diff_of_a_list_of_addresses(kernel, run):
    """A hash:ip set given bare addresses is planned on the addresses alone; --diff still
    shows the members before and after."""
    kernel.make("s", members=elements(["10.0.0.1", "10.0.0.2"], "hash:ip"))
    args = {"set": "s", "entries": ["10.0.0.3", "10.0.0.1"], "state": "exact", "_ansible_diff": True}
    failed, result = run(ipset_entry, args)
    assert not failed and result["added"] == ["10.0.0.3"] and result["removed"] == ["10.0.0.2"]
    assert result["diff"] == {"before": "10.0.0.1\n10.0.0.2\n", "after": "10.0.0.1\n10.0.0.3\n"}
    assert kernel.saved("s") == ["10.0.0.1", "10.0.0.3"]


def test_entries_file(kernel, run, tmp_path):
    path = tmp_path / "list"
    path.write_text("# x\ncreate s hash:ip\nadd s 10.0.0.1\n10.0.0.2\n", encoding="utf-8")
    kernel.make("s")
    failed, result = run(ipset_entry, {"set": "s", "entries_file": str(path), "entries": ["10.0.0.3"]})
    assert not failed and result["added"] == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    assert result["entries_file_skipped"] == 0
    assert kernel.saved("s") == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]


SAVE_OF_TWO = "create o hash:ip\nadd o 10.9.0.1\nadd o 10.9.0.2\ncreate s hash:ip\nadd s 10.0.0.1 -exist\n"


@pytest.mark.parametrize("text, expected", [
    (SAVE_OF_TWO, dict(changed=True, entries_file_skipped=2, after=["10.0.0.1"])),
    (SAVE_OF_TWO.replace("create s hash:ip", "create s hash:net"),
     dict(failed=True, msg="entries_file %r line 4 creates set 's' as hash:net, but the set is hash:ip")),
    ("create o hash:ip\nadd o 10.9.0.1\n", dict(failed=True, msg="entries_file %r holds no line of set 's'; the sets it holds: o")),
], ids=["only the named set's lines", "another type", "only other sets"])  # fmt: skip
def test_entries_file_of_several_sets(kernel, run, tmp_path, text, expected):
    """An `ipset save` of several sets: exact from it keeps the set to its own lines; a file
    that cannot be this set's fails and changes nothing."""
    path = tmp_path / "save"
    path.write_text(text, encoding="utf-8")
    kernel.make("s", members=elements(["10.0.0.7"], "hash:ip"))
    failed, result = run(ipset_entry, {"set": "s", "entries_file": str(path), "state": "exact"})
    assert failed == expected.get("failed", False), result
    if failed:
        assert result["msg"] == expected["msg"] % str(path) and not result.get("changed")
        assert kernel.saved("s") == ["10.0.0.7"]
    else:
        assert result["entries_file_skipped"] == expected["entries_file_skipped"]
        assert result["changed"] and kernel.saved("s") == expected["after"]
