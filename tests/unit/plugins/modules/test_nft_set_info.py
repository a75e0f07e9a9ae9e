# SPDX-License-Identifier: GPL-3.0-or-later
"""linux.netlink.nft_set_info's main() against a fake nf_tables kernel (conftest.py here)."""

from __future__ import annotations

import pytest

pytest.importorskip("ansible")

from ansible_collections.linux.netlink.plugins.modules import nft_set_info  # noqa: E402


def test_tables_sets_and_elements(nft_kernel, nft_run):
    nft_kernel.nft("inet", "filter", "blocklist", ["10.0.0.0/24", "192.0.2.1"],
                   type="ipv4_addr", flags=["interval"], auto_merge=True)
    nft_kernel.nft("inet", "filter", "ports", ["22 : accept"], type="inet_service",
                   map="verdict", counter=True)
    nft_kernel.nft("ip", "other", "own", [{"key": "10.0.0.1", "counter": True}],
                   type="ipv4_addr")
    failed, result = nft_run(nft_set_info, {"elements": True})
    assert not failed and result["changed"] is False
    assert result["tables"] == [{"family": "inet", "name": "filter"},
                                {"family": "ip", "name": "other"}]
    sets = {s["name"]: s for s in result["sets"]}
    assert sets["blocklist"]["elements"] == ["10.0.0.0/24", "192.0.2.1"]
    assert sets["blocklist"]["auto_merge"] and sets["blocklist"]["flags"] == ["interval"]
    assert "auto-merge" in sets["blocklist"]["nft"]
    assert sets["ports"]["kind"] == "map" and sets["ports"]["counter"]
    assert sets["ports"]["element_data"] == [
        {"key": "22", "value": "accept", "counter": {"packets": 0, "bytes": 0}}]
    assert sets["own"]["element_data"] == [
        {"key": "10.0.0.1", "counter": {"packets": 0, "bytes": 0}}]
    assert result["genid"] == nft_kernel.genid
    assert nft_kernel.batches == []


def test_filtered_without_elements(nft_kernel, nft_run):
    nft_kernel.nft("inet", "filter", "a", ["10.0.0.1"], type="ipv4_addr")
    nft_kernel.nft("inet", "filter", "b", type="ipv6_addr")
    failed, result = nft_run(nft_set_info, {"family": "inet", "table": "filter", "names": ["b"]})
    assert not failed
    assert [s["name"] for s in result["sets"]] == ["b"]
    assert "elements" not in result["sets"][0]


def test_a_set_of_a_type_not_managed_is_listed_as_unsupported(nft_kernel, nft_run):
    nft_kernel.nft("inet", "filter", "a", type="ipv4_addr")
    nft_kernel.sets[(1, "filter", "a")]["key_type"] = 0x3F  # a datatype this client lacks
    failed, result = nft_run(nft_set_info, {})
    assert not failed
    assert result["sets"] == [{"family": "inet", "table": "filter", "name": "a",
                               "supported": False}]


def test_bad_family_is_named(nft_run):
    failed, result = nft_run(nft_set_info, {"family": "ipv4"})
    assert failed and "family" in result["msg"]
