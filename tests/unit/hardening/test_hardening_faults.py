# SPDX-License-Identifier: GPL-3.0-or-later
"""Kernel faults injected through the fake socket (issue 7, bullet 3).

The fake ipset kernel (`fakeipset`) refuses an element in the middle of a batch, drops dump
replies (ENOBUFS), flags dumps interrupted (NLM_F_DUMP_INTR), answers with a wrong sequence
number, truncates replies, or has recvmsg interrupted (EINTR). Each must end in the right
result or a clear error, and what `IpsetClient` and ipset_entry report as applied must be
exactly what the fake kernel applied.
"""

from __future__ import annotations

import errno
from typing import Any, Dict, List

import fakeipset
import pytest
from _netlink import nltest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (
    IpsetClient,
    iter_indexes,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (
    DumpInterrupted,
    ProtocolError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_NETFILTER,
)
from hardening import PROPERTY
from hypothesis import given
from hypothesis import strategies as st

LIST = u.IPSET_CMD_LIST


def client(kernel: fakeipset.FakeIpset, sndbuf: int = 4 << 20) -> IpsetClient:
    sock = NetlinkSocket(NETLINK_NETFILTER, timeout=0.2, sndbuf=sndbuf, socket_factory=kernel)
    return IpsetClient(sock=sock)


def ip(n: int) -> bytes:
    return (0x0A000000 + n).to_bytes(4, "big")


def elements(count: int) -> List[Dict[str, Any]]:
    return [{"ip": ip(n)} for n in range(count)]


# --------------------------------------------------------------------------- errno mid-batch


@PROPERTY
@given(
    count=st.integers(1, 6000),
    refused=st.data(),
    sndbuf=st.sampled_from([16 << 10, 64 << 10, 4 << 20]),  # 1 or many messages a datagram
    add=st.booleans(),
)
def test_errno_mid_batch_reports_exactly_what_was_applied(
    count: int, refused: st.DataObject, sndbuf: int, add: bool
) -> None:
    bad = refused.draw(st.integers(0, count - 1), label="refused element")
    kernel = fakeipset.FakeIpset()
    target = kernel.add_set("s", "hash:ip")
    if not add:
        for element in elements(count):
            target.members[fakeipset.identity(element)] = dict(element)
    kernel.refuse(lambda cmd, e: e["ip"] == ip(bad), u.IPSET_ERR_HASH_FULL)
    batch = elements(count)
    with client(kernel, sndbuf) as c:
        run = c.add if add else c.delete
        result = run("s", "hash:ip", "inet", batch)
    applied = {key for _cmd, _set, key in kernel.applied}
    reported = {fakeipset.identity(batch[i]) for i in iter_indexes(result.applied)}
    assert reported == applied
    assert result.failed == bad
    assert result.error is not None and "full" in str(result.error)


def test_whole_message_refused_reports_nothing_of_it() -> None:
    """An error without a line number (the message as a whole): none of its elements."""
    kernel = fakeipset.FakeIpset()
    kernel.add_set("s", "hash:ip")
    kernel.fail_message(1, errno.ENOMEM)
    batch = elements(5000)
    with client(kernel, 16 << 10) as c:
        result = c.add("s", "hash:ip", "inet", batch)
    applied = {key for _cmd, _set, key in kernel.applied}
    reported = {fakeipset.identity(batch[i]) for i in iter_indexes(result.applied)}
    assert reported == applied and result.failed is None
    assert "out of memory" in str(result.error)


# --------------------------------------------------------------------------- through the module

try:
    import ansible  # noqa: F401  (the module tests need ansible-core; the py38 venv has none)
    import modrun
except ImportError:
    modrun = None


@pytest.mark.skipif(modrun is None, reason="needs ansible-core")
@pytest.mark.parametrize("refused_at", [0, 1, 2500, 4999])
@pytest.mark.parametrize("phase", ["add", "del"])
def test_ipset_entry_reports_what_the_kernel_applied(
    refused_at: int, phase: str, monkeypatch: Any, tmp_path: Any
) -> None:
    """state=exact, not atomic: adds then deletes. A refusal in either phase: the task fails,
    and added/removed (and their counts) are exactly what the kernel applied."""
    kernel = fakeipset.FakeIpset()
    target = kernel.add_set("s", "hash:ip")
    old = [{"ip": (0x0B000000 + n).to_bytes(4, "big")} for n in range(5000)]
    for element in old:
        target.members[fakeipset.identity(element)] = dict(element)
    wanted = ["10.0.%d.%d" % divmod(n, 256) for n in range(5000)]
    victim = wanted[refused_at] if phase == "add" else "11.0.%d.%d" % divmod(refused_at, 256)
    kernel.refuse(lambda cmd, e: cmd == phase and e["ip"] == _packed(victim), errno.ENOMEM)
    outcome = modrun.run("ipset_entry", {"set": "s", "entries": wanted, "state": "exact"},
                         kernel, monkeypatch, str(tmp_path))  # fmt: skip
    assert outcome.failed and victim in outcome.result["msg"], outcome.result["msg"]
    added = [k for cmd, _s, k in kernel.applied if cmd == "add"]
    removed = [k for cmd, _s, k in kernel.applied if cmd == "del"]
    assert outcome.result.get("added_count", 0) == len(added)
    assert outcome.result.get("removed_count", 0) == len(removed)
    assert len(outcome.result.get("added", [])) == min(len(added), 1000)
    assert len(outcome.result.get("removed", [])) == min(len(removed), 1000)


def _packed(text: str) -> bytes:
    return bytes(int(part) for part in text.split("."))


# --------------------------------------------------------------------------- dumps


def _on_list(kernel: fakeipset.FakeIpset, faults: List[str]) -> None:
    """Apply the next fault of ``faults`` to each IPSET_CMD_LIST answer (then none)."""

    def rewrite(msg: codec.Message, replies: List[Any]) -> List[Any]:
        if msg.type & 0xFF != LIST or not faults:
            return replies
        fault = faults.pop(0)
        if fault == "enobufs":
            return [nltest.enobufs()]
        if fault == "intr":
            return list(kernel.multipart(msg, msg.type, _payloads(replies), intr="done"))
        if fault == "eintr":
            return [InterruptedError()] + replies
        if fault == "stale":  # a late answer to an earlier request comes first: ignored
            return [_reseq(replies[0], msg.seq - 1)] + replies
        if fault == "future":
            return [_reseq(replies[0], msg.seq + 7)]
        if fault == "truncated":
            return [replies[0][: len(replies[0]) - 6]]
        if fault == "msg_trunc":
            return [nltest.Datagram(replies[0], flags=0x20)]  # MSG_TRUNC
        raise AssertionError(fault)

    kernel.on_reply = rewrite


def _payloads(replies: List[bytes]) -> List[bytes]:
    return [m.payload for gram in replies for m in nltest.split(gram) if m.type != 3]


def _reseq(gram: bytes, seq: int) -> bytes:
    out = bytearray(gram)
    offset = 0
    for msg in nltest.split(gram):
        out[offset + 8 : offset + 12] = seq.to_bytes(4, "little")
        offset += codec.align(16 + len(msg.payload))
    return bytes(out)


def _kernel_with_members(count: int = 700) -> fakeipset.FakeIpset:
    kernel = fakeipset.FakeIpset()
    target = kernel.add_set("s", "hash:ip")
    for element in elements(count):
        target.members[fakeipset.identity(element)] = dict(element)
    return kernel


@pytest.mark.parametrize(
    "faults",
    [["enobufs"], ["enobufs"] * 3, ["intr"], ["intr", "intr"], ["eintr"], ["stale"]],
    ids=["enobufs", "enobufs-x3", "dump-intr", "dump-intr-x2", "eintr", "stale-seq"],
)
def test_dump_faults_are_retried(faults: List[str]) -> None:
    kernel = _kernel_with_members()
    with client(kernel) as c:
        _on_list(kernel, faults)
        info = c.get("s")
    assert info is not None and len(info.elements) == 700
    assert not faults, "every fault was delivered"


@pytest.mark.parametrize(
    "faults,error,text",
    [
        (["enobufs"] * 6, DumpInterrupted, "ENOBUFS"),
        (["intr"] * 6, DumpInterrupted, "NLM_F_DUMP_INTR"),
        (["future"], ProtocolError, "never sent"),
        (["truncated"], ProtocolError, "truncated netlink header|claims"),
        (["msg_trunc"], ProtocolError, "larger than"),
    ],
    ids=["enobufs-forever", "dump-intr-forever", "future-seq", "truncated", "msg-trunc"],
)
def test_dump_faults_fail_clearly(faults: List[str], error: type, text: str) -> None:
    kernel = _kernel_with_members()
    with client(kernel) as c:
        _on_list(kernel, faults)
        with pytest.raises(error, match=text):
            c.get("s")


def test_enobufs_on_a_write_says_the_outcome_is_unknown() -> None:
    kernel = fakeipset.FakeIpset()
    kernel.add_set("s", "hash:ip")

    def rewrite(msg: codec.Message, replies: List[Any]) -> List[Any]:
        return [nltest.enobufs()] if msg.type & 0xFF == u.IPSET_CMD_ADD else replies

    kernel.on_reply = rewrite
    with client(kernel) as c, pytest.raises(ProtocolError, match="unknown"):
        c.add("s", "hash:ip", "inet", elements(10))
