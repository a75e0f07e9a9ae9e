# SPDX-License-Identifier: GPL-3.0-or-later
# ruff: noqa: E501  (the case tables keep one case per line or two; wrapping them hides the data)
"""linux.netlink.ipset's main() against a fake kernel (tests/unit/plugins/modules/conftest.py).

Cases are data: the kernel's sets before, the module arguments, and what must come out
(failed/changed, parts of the result, the kernel's sets after). The real kernel runs the same
scenarios in tests/integration/targets/ipset_module.
"""

from __future__ import annotations

import pytest

pytest.importorskip("ansible")

from ansible_collections.linux.netlink.plugins.modules import ipset  # noqa: E402

IP1 = {"ip": b"\xc0\x00\x02\x01"}

# (id, sets before: name -> FakeIpsetClient.make() kwargs, args,
#  expected: failed, changed, msg (substring), drift, sets after: name -> type or None)
CASES = [
    ("create", {}, {"name": "s", "type": "hash:net", "maxelem": 10},
     dict(changed=True, drift=[], after={"s": "hash:net"})),
    ("create in check mode changes nothing", {}, {"name": "s", "_ansible_check_mode": True},
     dict(changed=True, after={"s": None})),
    ("identical set is ok", {"s": {"settype": "hash:ip", "maxelem": 10}}, {"name": "s", "maxelem": 10},
     dict(changed=False, drift=[], after={"s": "hash:ip"})),
    ("kernel-chosen values are not drift", {"s": {"settype": "hash:ip", "hashsize": 4096}}, {"name": "s"},
     dict(changed=False, drift=[])),
    ("family-less type ignores the default family", {}, {"name": "p", "type": "bitmap:port", "range": "1-100"},
     dict(changed=True, after={"p": "bitmap:port"})),
    ("list:set", {}, {"name": "l", "type": "list:set", "size": 2}, dict(changed=True, after={"l": "list:set"})),
    ("type the kernel lacks", {}, {"name": "m", "type": "hash:mac"},
     dict(failed=True, msg="the running kernel does not support set type hash:mac", after={"m": None})),
    ("bad option", {}, {"name": "s", "type": "hash:net", "bitmask": "255.0.0.0"},
     dict(failed=True, msg="option 'bitmask' is not valid for set type hash:net", after={"s": None})),
    ("name too long", {}, {"name": "n" * 32}, dict(failed=True, msg="must be 1 to 31 bytes long")),
    ("drift is rebuilt", {"s": {"maxelem": 10, "members": [IP1], "references": 1}}, {"name": "s", "maxelem": 20},
     dict(changed=True, drift=["maxelem"], after={"s": "hash:ip"}, members={"s": ["192.0.2.1"]})),
    ("drift in check mode", {"s": {"maxelem": 10}}, {"name": "s", "maxelem": 20, "_ansible_check_mode": True},
     dict(changed=True, drift=["maxelem"], header={"s": {"maxelem": 10}})),
    ("retype of a referenced set fails", {"s": {"references": 1}}, {"name": "s", "type": "hash:net"},
     dict(failed=True, msg="referenced 1 time(s)", after={"s": "hash:ip"})),
    ("retype of an unreferenced set", {"s": {"members": [IP1]}}, {"name": "s", "type": "hash:net"},
     dict(changed=True, drift=["type"], after={"s": "hash:net"}, members={"s": ["192.0.2.1"]})),
    ("absent", {"s": {}}, {"name": "s", "state": "absent"}, dict(changed=True, after={"s": None})),
    ("absent of a missing set is ok", {}, {"name": "s", "state": "absent"}, dict(changed=False)),
    ("absent of a set in use fails", {"s": {"references": 1}}, {"name": "s", "state": "absent"},
     dict(failed=True, msg="in use by a kernel component", after={"s": "hash:ip"})),
]  # fmt: skip


@pytest.mark.parametrize("before, args, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_ipset(kernel, run, before, args, expected):
    for name, spec in before.items():
        kernel.make(name, **spec)
    failed, result = run(ipset, dict(args, _ansible_diff=True))
    assert failed == expected.get("failed", False), result
    if failed:
        assert expected["msg"] in result["msg"]
        assert result.get("changed", False) is False
    else:
        assert result["changed"] == expected["changed"]
        if args["name"] not in before:
            assert result["diff"]["before"] == {}
    if "drift" in expected:
        assert result["drift"] == expected["drift"]
    for name, settype in expected.get("after", {}).items():
        assert (kernel.sets[name].type if name in kernel.sets else None) == settype
    for name, lines in expected.get("members", {}).items():
        assert kernel.saved(name) == lines
    for name, header in expected.get("header", {}).items():
        assert {k: kernel.sets[name].data[k] for k in header} == header
    assert not [n for n in kernel.sets if n.startswith("lnswap-")]  # no temporary set left


def test_rebuild_keeps_references_with_the_name(kernel, run):
    kernel.make("s", maxelem=10, members=[IP1], references=1, timeout=600, cadt_flags=16)
    failed, result = run(ipset, {"name": "s", "maxelem": 20})
    assert not failed and result["set"]["references"] == 1
    assert result["set"]["options"]["timeout"] == 600 and result["set"]["options"]["comment"]
    assert [c[0] for c in kernel.calls] == ["type", "create", "add", "swap", "destroy"]


def test_rename_from_then_twin(kernel, run):
    kernel.make("old", "hash:net", members=[dict(IP1, cidr=32)], maxelem=10)
    slot = kernel.sets["old"].slot
    args = {"name": "new", "rename_from": "old", "type": "hash:net", "_ansible_diff": True}
    failed, check = run(ipset, dict(args, _ansible_check_mode=True))
    assert not failed and check["changed"] and check["renamed_from"] == "old"
    assert sorted(kernel.sets) == ["old"]  # check mode renamed nothing
    failed, result = run(ipset, args)
    assert not failed and result["changed"] and result["renamed_from"] == "old"
    assert sorted(kernel.sets) == ["new"] and kernel.sets["new"].slot == slot
    assert kernel.saved("new") == ["192.0.2.1"]
    assert result["diff"]["before"]["name"] == "old" and result["diff"]["after"]["name"] == "new"
    assert check["diff"]["after"]["name"] == "new" and check["diff"]["before"] == result["diff"]["before"]
    assert result["drift"] == [] and [c[0] for c in kernel.calls].count("rename") == 1
    failed, twin = run(ipset, args)
    assert not failed and not twin["changed"] and "renamed_from" not in twin


def test_rename_from_then_converge(kernel, run):
    kernel.make("old", "hash:ip", members=[IP1], maxelem=10)
    failed, result = run(ipset, {"name": "new", "rename_from": "old", "maxelem": 20})
    assert not failed and result["changed"] and result["drift"] == ["maxelem"]
    assert sorted(kernel.sets) == ["new"] and kernel.sets["new"].data["maxelem"] == 20
    assert kernel.saved("new") == ["192.0.2.1"]


def test_rename_from_when_name_exists_renames_nothing(kernel, run):
    kernel.make("old")
    kernel.make("new")
    failed, result = run(ipset, {"name": "new", "rename_from": "old"})
    assert not failed and not result["changed"] and "renamed_from" not in result
    assert sorted(kernel.sets) == ["new", "old"]


def test_rename_from_when_neither_exists_creates(kernel, run):
    failed, result = run(ipset, {"name": "new", "rename_from": "old"})
    assert not failed and result["changed"] and "renamed_from" not in result
    assert sorted(kernel.sets) == ["new"]


@pytest.mark.parametrize("args, before, message", [
    ({"state": "absent"}, {}, "rename_from is only valid with state=present"),
    ({"rename_from": "x" * 32}, {}, "rename_from"),
    ({}, {"references": 1}, "referenced and cannot be renamed"),
])  # fmt: skip
def test_rename_from_refusals(kernel, run, args, before, message):
    kernel.make("old", **before)
    failed, result = run(ipset, dict({"name": "new", "rename_from": "old"}, **args))
    assert failed and message in result["msg"], result
    assert sorted(kernel.sets) == ["old"]
