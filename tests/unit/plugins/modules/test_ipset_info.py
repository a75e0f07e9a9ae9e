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
