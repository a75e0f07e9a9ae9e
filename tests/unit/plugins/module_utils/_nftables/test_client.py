# SPDX-License-Identifier: GPL-3.0-or-later
"""NftClient on the fake kernel: the generation, batches, refusals named by element."""

from __future__ import annotations

import errno
import os
import random
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


# --------------------------------------------------------------------------- element dumps


def _walk_dump(walks, per_message):
    """The element lists of the messages nf_tables_dump_set sends (net/netfilter/
    nf_tables_api.c, Linux 6.1 and 6.18): message k walks ``walks[k]`` (the last one again when
    there are fewer) from its start, counts every element it passes, emits those counted at or
    after the skip until ``per_message`` are in (the next one does not fit: -EMSGSIZE), and the
    next message skips up to that count; the message whose walk ends where it was to start is
    the last (sent with an empty list)."""
    out, skip = [], 0
    for k in range(10000):
        walk = walks[min(k, len(walks) - 1)]
        out.append(walk[skip : skip + per_message])
        count = skip + per_message if len(walk) > skip + per_message else len(walk)
        if count == skip:
            return out
        skip = count
    raise AssertionError("the dump does not end")


def _keys(count, seed):
    return [int(i).to_bytes(4, "big") for i in random.Random(seed).sample(range(1 << 32), count)]


def test_a_walk_order_changed_between_messages_is_seen_as_repeats():
    keys = _keys(1000, 1)
    resized = random.Random(2).sample(keys, len(keys))  # the order after a rehash
    dump = [k for msg in _walk_dump([keys, resized], 300) for k in msg]
    found = [(k, 0, C.plain_element(k)) for k in dump]
    missing = len(set(keys) - set(dump))
    assert missing > 0 and len(dump) == len(keys)  # what the kernel does: some never listed
    assert C.repeats(SPEC, found) == missing
    clean = [(k, 0, C.plain_element(k)) for msg in _walk_dump([resized], 300) for k in msg]
    assert C.repeats(SPEC, clean) == 0


def test_a_dump_with_no_repeat_is_complete():
    # The argument in client.py, on generated walks: each walk passes every key at least once
    # (a resize inside a walk starts it again on the new table: the first part of the old
    # order, then the whole new one), the order may change between messages. A dump with no
    # key twice holds every key, and one that misses m keys lists at least m twice.
    rng = random.Random(15)
    for _ in range(300):
        keys = _keys(rng.randint(1, 60), rng.random())
        walks = []
        for _k in range(rng.randint(1, 6)):
            order = rng.sample(keys, len(keys))
            if rng.random() < 0.4:
                order = rng.sample(keys, len(keys))[: rng.randint(0, len(keys))] + order
            walks.append(order)
        dump = [k for msg in _walk_dump(walks, rng.randint(1, 20)) for k in msg]
        found = [(k, 0, C.plain_element(k)) for k in dump]
        missing = len(set(keys) - set(dump))
        assert C.repeats(SPEC, found) >= missing
        if not C.repeats(SPEC, found):
            assert sorted(dump) == sorted(keys)


def test_interval_ends_that_share_a_start_key_are_not_repeats():
    spec = SPEC._replace(flags=("interval",))
    end = u.NFT_SET_ELEM_INTERVAL_END
    # 10.0.0.0/24 and 10.0.1.0/24 without auto-merge: the first's end is the second's start
    found = [(bytes([10, 0, 0, 0]), 0, None), (bytes([10, 0, 1, 0]), end, None),
             (bytes([10, 0, 1, 0]), 0, None), (bytes([10, 0, 2, 0]), end, None)]
    assert C.repeats(spec, found) == 0
    assert C.repeats(spec, found + found[1:2]) == 1
    assert C.repeats(SPEC, found) == 1  # a plain set has no end elements: by key alone


def _element_dump_handler(kernel, dumps, per_message=300):
    """Answers GETSETELEM of SPEC with the n-th of ``dumps`` (the last again), each a list of
    walks for `_walk_dump`, as the kernel lists plain keys (NFTA_LIST_ELEM without
    NLA_F_NESTED, nf_tables_fill_setelem)."""
    sent = []

    def handler(req):
        assert req.type == nfnetlink.msg_type(NFT, u.NFT_MSG_GETSETELEM)
        walks = dumps[min(len(sent), len(dumps) - 1)]
        sent.append(req)
        head = nfnetlink.header(nfnetlink.NFPROTO_IPV4) + codec.encode(
            u.NFTA_SET_ELEM_LIST, {"table": "t", "set": "bl"})
        payloads = []
        for keys in _walk_dump(walks, per_message):
            body = b"".join(codec.pack_attr(1, codec.pack_attr(1 | 0x8000, codec.pack_attr(1, k)))
                            for k in keys)
            payloads.append(head + codec.pack_attr(u.NFTA_SET_ELEM_LIST_ELEMENTS | 0x8000, body))
        return kernel.multipart(req, nfnetlink.msg_type(NFT, u.NFT_MSG_NEWSETELEM), payloads,
                                per_datagram=1)

    kernel.handler = handler
    return sent


def test_a_listing_with_repeats_is_read_again(kernel, client, monkeypatch):
    monkeypatch.setattr(C, "_REREAD_PAUSES", (0.0,) * 5)
    keys = _keys(1000, 3)
    resized = random.Random(4).sample(keys, len(keys))
    sent = _element_dump_handler(kernel, [[keys, resized], [resized]])
    listed = client.elements(SPEC)
    assert len(sent) == 2
    assert sorted(e.key for e in listed) == sorted(keys)
    assert all(e == C.plain_element(e.key) for e in listed)


def test_a_listing_that_keeps_changing_fails_naming_the_set(kernel, client, monkeypatch):
    monkeypatch.setattr(C, "_REREAD_PAUSES", (0.0,) * 5)
    keys = _keys(1000, 5)
    resized = random.Random(6).sample(keys, len(keys))
    sent = _element_dump_handler(kernel, [[keys, resized]])
    with pytest.raises(C.NftError, match=r"^set ip t bl: the kernel's listing of its elements "
                       r"kept changing: 6 listings in a row held an element twice"):
        client.elements(SPEC)
    assert len(sent) == 6
