# SPDX-License-Identifier: GPL-3.0-or-later
"""linux.netlink.ipset_info's main() against a fake kernel (conftest.py in this directory)."""

from __future__ import annotations

import pytest

pytest.importorskip("ansible")

from ansible_collections.linux.netlink.plugins.modules import ipset_info  # noqa: E402


def test_all_sets_and_types(kernel, run):
    kernel.make("a", "hash:net", maxelem=10, references=2)
    kernel.make("p", "bitmap:port", None, port=1, port_to=100, members=[{"port": 22}])
    failed, result = run(ipset_info, {})
    assert not failed and result["changed"] is False
    assert sorted(result["sets"]) == ["a", "p"]
    assert result["sets"]["a"]["options"]["maxelem"] == 10
    assert result["sets"]["a"]["references"] == 2
    assert result["sets"]["p"]["family"] is None and "members" not in result["sets"]["p"]
    assert result["types"]["hash:mac"] == {"supported": False}
    assert result["types"]["hash:net"] == {"supported": True, "revision_min": 0, "revision_max": 7}
    assert result["protocol"] == 7


def test_named_with_members_and_missing(kernel, run):
    kernel.make("p", "bitmap:port", None, port=1, port_to=100, members=[{"port": 80}, {"port": 22}])
    failed, result = run(ipset_info, {"names": ["p", "nope"], "members": True, "types": False})
    assert not failed
    assert result["sets"]["p"]["members"] == ["22", "80"]
    assert result["missing"] == ["nope"]
    assert "types" not in result


def test_bad_name_fails(run):
    failed, result = run(ipset_info, {"names": ["x" * 40]})
    assert failed and "must be 1 to 31 bytes long" in result["msg"]


def test_index_and_test(kernel, run):
    kernel.make("a", "hash:net")
    kernel.make("b", "hash:ip", members=[{"ip": bytes([10, 0, 0, 1])}])
    failed, result = run(ipset_info, {"names": ["b"], "test": ["10.0.0.1", "010.0.0.2", "10.1",
                                                                 "10.0.0.0/31"], "types": False})
    assert not failed, result
    assert result["sets"]["b"]["index"] == 1
    assert result["test_results"] == [
        {"entry": "10.0.0.1", "match": True},
        {"entry": "010.0.0.2", "match": False},
        {"entry": "10.1", "match": True},  # 10.0.0.1, as the ipset CLI reads it
        {"entry": "10.0.0.0/31", "match": False},  # 10.0.0.0 is not there: not every host
    ]
    assert "members" not in result["sets"]["b"]


@pytest.mark.parametrize("args, message", [
    ({"names": [], "test": ["10.0.0.1"]}, "test needs exactly one set in names, got 0"),
    ({"names": ["b", "b"], "test": ["10.0.0.1"]}, "test needs exactly one set in names, got 2"),
    ({"names": ["nope"], "test": ["10.0.0.1"]}, "test: set 'nope' does not exist"),
    ({"names": ["b"], "test": ["10.0.0.1", "10.0.0.300"]}, "entry '10.0.0.300': invalid IPv4"),
])  # fmt: skip
def test_test_refusals_ask_nothing(kernel, run, args, message):
    kernel.make("b", "hash:ip")
    failed, result = run(ipset_info, dict(args, types=False))
    assert failed and message in result["msg"]
    assert ("test", "b") not in kernel.calls
