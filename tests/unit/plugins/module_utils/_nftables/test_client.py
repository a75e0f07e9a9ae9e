# SPDX-License-Identifier: GPL-3.0-or-later
"""NftClient on the fake kernel: the generation, batches, refusals named by element."""

from __future__ import annotations

import errno
import os
import sys

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, nfnetlink
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_NETFILTER,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables import client as C
from ansible_collections.linux.netlink.plugins.module_utils._nftables import plan as P
from ansible_collections.linux.netlink.plugins.module_utils._nftables import uapi as u

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "_netlink"))
import nltest  # noqa: E402  (the stack's fake kernel, tests/unit/.../_netlink/nltest.py)

NFT = nfnetlink.NFNL_SUBSYS_NFTABLES
SPEC = P.set_spec(dict(family="ip", table="t", name="bl", type="ipv4_addr", map=None,
                       flags=None, timeout=None, gc_interval=None, size=None, policy=None,
                       auto_merge=False, counter=False, comment=None))


@pytest.fixture
def kernel():
    return nltest.FakeKernel()


@pytest.fixture
def client(kernel):
    sock = NetlinkSocket(NETLINK_NETFILTER, timeout=0.2, socket_factory=kernel)
    with C.NftClient(sock=sock) as c:
        yield c


def test_genid(kernel, client):
    # NFT_MSG_GETGEN is answered with NFT_MSG_NEWGEN carrying NFTA_GEN_ID (be32); the shape
    # follows nf_tables_fill_gen_info (net/netfilter/nf_tables_api.c).
    def handler(req):
        assert req.type == nfnetlink.msg_type(NFT, u.NFT_MSG_GETGEN)
        reply = nfnetlink.header(0) + codec.encode(u.NFTA_GEN, {"id": 0x2A, "proc_pid": 1})
        return [kernel.message(req, nfnetlink.msg_type(NFT, u.NFT_MSG_NEWGEN), reply),
                kernel.ack(req)]

    kernel.handler = handler
    assert client.genid() == 0x2A


def _batch_handler(kernel, refuse):
    def handler(req):
        if req.type in (nfnetlink.NFNL_MSG_BATCH_BEGIN, nfnetlink.NFNL_MSG_BATCH_END):
            return []
        return refuse(req) or [kernel.ack(req)]

    return handler


def test_refused_element_is_named_from_the_ext_ack_offset(kernel, client):
    items = [P.parse_element(SPEC, t) for t in ("10.0.0.1", "10.0.0.2", "10.0.0.3")]
    txn = C.Transaction()
    txn.add_elements(SPEC, [i.element for i in items], P.labeller(SPEC))
    payload = txn.messages[0].payload
    # the third element's NFTA_LIST_ELEM: where the kernel's NL_SET_BAD_ATTR points
    third = payload.index(bytes.fromhex("0a000003")) - 12
    offset = 16 + third  # NLMSGERR_ATTR_OFFS counts from the request's nlmsghdr

    def refuse(req):
        if req.type == nfnetlink.msg_type(NFT, u.NFT_MSG_NEWSETELEM):
            return [kernel.error(req, errno.EEXIST, offset=offset)]
        return None

    kernel.handler = _batch_handler(kernel, refuse)
    with pytest.raises(C.NftError) as info:
        client.commit(txn, genid=5)
    assert str(info.value) == (
        "NFT_MSG_NEWSETELEM: set ip t bl: element 10.0.0.3: the element is already in the set "
        "(or overlaps an interval in it) (EEXIST)"
    )
    begin = kernel.requests[0]
    assert codec.decode(nfnetlink.NFNL_BATCH, begin.payload, 4) == {"genid": 5}


def test_stale_generation_fails_cleanly(kernel, client):
    def handler(req):
        if req.type == nfnetlink.NFNL_MSG_BATCH_BEGIN:
            return [kernel.error(req, errno.ERESTART)]
        return []

    kernel.handler = handler
    txn = C.Transaction()
    txn.del_set(SPEC)
    with pytest.raises(C.NftError, match=r"the ruleset changed since it was read \(generation "
                       r"9\); nothing was applied"):
        client.commit(txn, genid=9)


def test_delete_of_a_referenced_set_is_worded(kernel, client):
    def refuse(req):
        return [kernel.error(req, errno.EBUSY)]

    kernel.handler = _batch_handler(kernel, refuse)
    txn = C.Transaction()
    txn.del_set(SPEC)
    with pytest.raises(C.NftError, match=r"^NFT_MSG_DELSET: set ip t bl: it is referenced by "
                       r"a rule .* \(EBUSY\)$"):
        client.commit(txn)


def test_many_elements_are_split_into_messages_of_one_batch(kernel, client):
    kernel.handler = _batch_handler(kernel, lambda req: None)
    elements = [C.Element(key=i.to_bytes(4, "big")) for i in range(10000)]
    txn = C.Transaction()
    txn.add_elements(SPEC, elements, P.labeller(SPEC))
    assert len(txn.messages) > 1
    client.commit(txn)
    assert len(kernel.datagrams) == 1
    for msg in txn.messages:
        for attr_type, payload in codec.iter_attrs(msg.payload, 4):
            if attr_type == u.NFTA_SET_ELEM_LIST_ELEMENTS:
                assert len(payload) + 4 <= 0xFFFF
