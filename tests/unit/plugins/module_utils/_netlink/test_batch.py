# SPDX-License-Identifier: GPL-3.0-or-later
"""nfnetlink batches (NFNL_MSG_BATCH_BEGIN/END, NFNL_BATCH_GENID) and extended-ACK offsets."""

from __future__ import annotations

import errno

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, nfnetlink
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import NetlinkError
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NLM_F_ACK,
    NLM_F_CREATE,
    NLM_F_REQUEST,
)

NEWSET = nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_NFTABLES, 9)
NEWSETELEM = nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_NFTABLES, 12)
FRAMES = (nfnetlink.NFNL_MSG_BATCH_BEGIN, nfnetlink.NFNL_MSG_BATCH_END)


def _answer(kernel, refuse=None):
    """The kernel's batch answers: nothing for the frame, an ACK (or ``refuse``) per request."""

    def handler(req):
        if req.type in FRAMES:
            return []
        if refuse is not None and req.type == refuse[0]:
            return [kernel.error(req, refuse[1], msg=refuse[2], offset=refuse[3])]
        return [kernel.ack(req)]

    return handler


def test_batch_begin_golden_bytes(kernel, sock):
    # Captured from `strace -x -e sendmsg nft -f` (nftables 1.0.6) for the frame, plus the
    # NFNL_BATCH_GENID attribute as nft 1.0.7+ writes it and net/netfilter/nfnetlink.c reads
    # it (ntohl(nla_get_be32)).
    kernel.handler = _answer(kernel)
    outcomes = nfnetlink.batch(
        sock, nfnetlink.NFNL_SUBSYS_NFTABLES, [(NEWSET, NLM_F_CREATE, b"\x02\x00\x00\x00")],
        genid=0x1234,
    )
    assert [o.error for o in outcomes] == [None]
    assert len(kernel.datagrams) == 1  # one datagram: the kernel's unit of transaction
    begin, newset, end = kernel.requests
    assert begin.type == 0x10 and begin.flags == NLM_F_REQUEST
    assert begin.payload == bytes.fromhex(
        "00"  # nfgen_family AF_UNSPEC
        "00"  # version NFNETLINK_V0
        "000a"  # res_id htons(NFNL_SUBSYS_NFTABLES)
        "08000100"  # nla_len 8, NFNL_BATCH_GENID (no byte-order flag, as nft sends it)
        "00001234"  # genid, big-endian
    )
    assert newset.flags == NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE
    assert end.type == 0x11 and end.payload == bytes.fromhex("0000000a")
    assert begin.seq < newset.seq < end.seq


def test_batch_without_genid_has_a_bare_begin(kernel, sock):
    kernel.handler = _answer(kernel)
    nfnetlink.batch(sock, nfnetlink.NFNL_SUBSYS_NFTABLES, [(NEWSET, 0, b"\x02\x00\x00\x00")])
    assert kernel.requests[0].payload == bytes.fromhex("0000000a")


def test_batch_refused_message_has_its_outcome(kernel, sock):
    kernel.handler = _answer(kernel, (NEWSETELEM, errno.EEXIST, "", 40))
    outcomes = nfnetlink.batch(
        sock,
        nfnetlink.NFNL_SUBSYS_NFTABLES,
        [(NEWSET, 0, b"\x02\x00\x00\x00"), (NEWSETELEM, 0, b"\x02\x00\x00\x00")],
    )
    assert outcomes[0].error is None
    assert outcomes[1].error.errno == errno.EEXIST and outcomes[1].error.offset == 40


def test_batch_stale_genid_raises(kernel, sock):
    # nfnetlink_rcv_batch answers a stale NFNL_BATCH_GENID with ERESTART on the begin message
    # and nothing else.
    def handler(req):
        if req.type == nfnetlink.NFNL_MSG_BATCH_BEGIN:
            return [kernel.error(req, errno.ERESTART)]
        return []

    kernel.handler = handler
    with pytest.raises(NetlinkError) as info:
        nfnetlink.batch(
            sock, nfnetlink.NFNL_SUBSYS_NFTABLES, [(NEWSET, 0, b"\0\0\0\0")], genid=7,
            command="batch",
        )
    assert info.value.errno == errno.ERESTART


def test_batch_grows_the_send_buffer(kernel, sock):
    kernel.handler = _answer(kernel)
    big = b"\0" * (sock.max_datagram + 1000)
    nfnetlink.batch(sock, nfnetlink.NFNL_SUBSYS_NFTABLES, [(NEWSET, 0, big)])
    assert len(kernel.datagrams) == 1 and sock.max_datagram >= len(kernel.datagrams[0])


# ------------------------------------------------------------------ locate (ext-ACK offsets)

LIST = codec.pack_attr(
    3 | 0x8000,  # NFTA_SET_ELEM_LIST_ELEMENTS, nested
    codec.pack_attr(1 | 0x8000, codec.pack_attr(1, b"\x0a\0\0\x01"))  # element 0
    + codec.pack_attr(1 | 0x8000, codec.pack_attr(1, b"\x0a\0\0\x02")),  # element 1
)
PAYLOAD = b"\x02\x00\x00\x00" + codec.pack_attr(1, b"t\0") + LIST


def test_locate_names_the_element():
    # The kernel points NLMSGERR_ATTR_OFFS at the refused NFTA_LIST_ELEM (NL_SET_BAD_ATTR).
    second = 4 + 8 + 4 + 12  # nfgenmsg, table attr, list header, first element
    assert codec.locate(PAYLOAD, second, 4) == [(3, 1), (1, 1)]
    assert codec.locate(PAYLOAD, second + 6, 4) == [(3, 1), (1, 1), (1, 0)]
    assert codec.locate(PAYLOAD, 4, 4) == [(1, 0)]
    assert codec.locate(PAYLOAD, 1000, 4) == []


def test_locate_stops_at_a_malformed_attribute():
    assert codec.locate(b"\xff\x00\x01\x00", 2) == []
