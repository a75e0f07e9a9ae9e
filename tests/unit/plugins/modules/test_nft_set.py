# SPDX-License-Identifier: GPL-3.0-or-later
"""linux.netlink.nft_set's main() against a fake nf_tables kernel (conftest.py here).

The real NftClient runs over `FakeNftKernel`; each test says what the kernel holds afterwards
and which batches were sent. The real kernel runs the same scenarios in tests/kernel and
tests/integration/targets/nft_set.
"""

from __future__ import annotations

import pytest

pytest.importorskip("ansible")

from ansible_collections.linux.netlink.plugins.modules import nft_set  # noqa: E402

SET = {"family": "inet", "table": "filter", "name": "blocklist", "type": "ipv4_addr",
       "flags": ["interval"], "comment": "managed"}


def test_create_check_mode_diff_and_converge(nft_kernel, nft_run):
    failed, result = nft_run(nft_set, dict(SET, create_table=True, _ansible_check_mode=True,
                                           _ansible_diff=True))
    assert not failed and result["changed"]
    assert result["diff"]["before"] == {} and result["diff"]["after"]["name"] == "blocklist"
    assert nft_kernel.sets == {} and nft_kernel.batches == []  # check mode sent nothing

    failed, result = nft_run(nft_set, dict(SET, create_table=True))
    assert not failed and result["changed"]
    assert nft_kernel.batches == [["NFT_MSG_NEWTABLE", "NFT_MSG_NEWSET"]]
    assert result["set"]["comment"] == "managed" and result["set"]["flags"] == ["interval"]

    failed, result = nft_run(nft_set, dict(SET, create_table=True))
    assert not failed and not result["changed"] and result["drift"] == []
    assert len(nft_kernel.batches) == 1  # nothing sent the second time


def test_missing_table_fails_naming_it(nft_kernel, nft_run):
    failed, result = nft_run(nft_set, SET)
    assert failed
    assert result["msg"] == "table: inet filter does not exist (create_table: true creates it)"
    assert nft_kernel.batches == []


@pytest.mark.parametrize("options,message", [
    ({"type": "ipv4"}, "type: unknown datatype 'ipv4'"),
    ({"flags": ["interval"], "type": "mark"}, "flags: interval needs a key type ordered"),
    ({"timeout": "10x"}, "timeout: '10x' is not a time"),
    ({"comment": "x" * 129}, "comment: longer than 128 bytes"),
    ({"name": "bad name"}, "name: 'bad name' is not a valid nftables name"),
    ({"type": "ipv4_addr . inet_service", "auto_merge": True},
     "auto_merge: ranges of a concatenated key are not merged"),
])
def test_bad_options_are_named_and_nothing_is_sent(nft_kernel, nft_run, options, message):
    nft_kernel.nft("inet", "filter", "other", type="ipv4_addr")
    failed, result = nft_run(nft_set, dict(SET, **options))
    assert failed and message in result["msg"]
    assert nft_kernel.batches == []


def test_a_changed_option_recreates_the_set_with_its_elements(nft_kernel, nft_run):
    nft_kernel.nft("inet", "filter", "blocklist", ["10.0.0.0/8", "192.0.2.1"], type="ipv4_addr",
                   flags=["interval"], comment="managed")
    failed, result = nft_run(nft_set, dict(SET, size=100, _ansible_check_mode=True))
    assert not failed and result["changed"] and result["drift"] == ["size"]
    assert nft_kernel.batches == []
    failed, result = nft_run(nft_set, dict(SET, size=100, _ansible_diff=True))
    assert not failed and result["changed"] and result["recreated_with"] == 2
    assert nft_kernel.batches == [["NFT_MSG_DELSET", "NFT_MSG_NEWSET", "NFT_MSG_NEWSETELEM"]]
    assert result["diff"]["before"]["size"] == 0 and result["diff"]["after"]["size"] == 100
    assert nft_kernel.listed("inet", "filter", "blocklist") == ["10.0.0.0/8", "192.0.2.1"]
    failed, result = nft_run(nft_set, dict(SET, size=100))
    assert not failed and not result["changed"]


def test_a_referenced_set_is_neither_recreated_nor_deleted(nft_kernel, nft_run):
    nft_kernel.nft("inet", "filter", "blocklist", ["10.0.0.1"], references=1, type="ipv4_addr",
                   flags=["interval"], comment="managed")
    failed, result = nft_run(nft_set, dict(SET, size=10))
    assert failed and "is referenced by a rule (chain input handle 1)" in result["msg"]
    assert "cannot change size" in result["msg"]
    failed, result = nft_run(nft_set, {"table": "filter", "name": "blocklist", "state": "absent"})
    assert failed and "a set in use cannot be deleted" in result["msg"]
    assert nft_kernel.batches == []
    assert nft_kernel.listed("inet", "filter", "blocklist") == ["10.0.0.1"]


def test_absent_deletes_once(nft_kernel, nft_run):
    nft_kernel.nft("inet", "filter", "blocklist", type="ipv4_addr")
    args = {"table": "filter", "name": "blocklist", "state": "absent"}
    failed, result = nft_run(nft_set, dict(args, _ansible_check_mode=True))
    assert not failed and result["changed"] and nft_kernel.sets
    failed, result = nft_run(nft_set, args)
    assert not failed and result["changed"] and result["diff"]["after"] == {}
    assert nft_kernel.sets == {}
    failed, result = nft_run(nft_set, args)
    assert not failed and not result["changed"]


def test_a_concurrent_change_fails_cleanly(nft_kernel, nft_run):
    nft_kernel.nft("inet", "filter", "other", type="ipv4_addr")

    def someone_else(kernel):  # `nft add ...` between our read and our write
        kernel.genid += 1

    nft_kernel.before_batch = someone_else
    failed, result = nft_run(nft_set, SET)
    assert failed and "the ruleset changed since it was read" in result["msg"]
    assert list(nft_kernel.sets) == [(1, "filter", "other")]  # nothing applied
