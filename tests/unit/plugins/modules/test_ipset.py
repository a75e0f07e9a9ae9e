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
