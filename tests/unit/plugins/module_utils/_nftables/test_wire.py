# SPDX-License-Identifier: GPL-3.0-or-later
"""Golden bytes: the sets and elements we send are byte for byte what nft 1.0.6 sends.

The vectors are the batches in fixtures/nft_1_0_6.py, captured from ``strace -e write=3
nft -f`` (see there). Each NEWSET nft sent is decoded with our tables, turned into a SetSpec
and encoded again; the result must equal nft's message exactly. Elements likewise.
"""

from __future__ import annotations

import importlib.util
import os

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, nfnetlink
from ansible_collections.linux.netlink.plugins.module_utils._nftables import client as C
from ansible_collections.linux.netlink.plugins.module_utils._nftables import plan as P
from ansible_collections.linux.netlink.plugins.module_utils._nftables import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nftables import udata
from hypothesis import given, settings
from hypothesis import strategies as st

HERE = os.path.dirname(os.path.abspath(__file__))


def _batches():
    path = os.path.join(HERE, "fixtures", "nft_1_0_6.py")
    spec = importlib.util.spec_from_file_location("nft_1_0_6", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return {k: list(codec.iter_messages(bytes.fromhex(v["hex"])))
            for k, v in module.BATCHES.items()}


BATCHES = _batches()
NEWSETS = [(name, m) for name, msgs in BATCHES.items() for m in msgs
           if m.type == nfnetlink.msg_type(10, u.NFT_MSG_NEWSET)]


def test_the_capture_is_one_framed_batch():
    for msgs in BATCHES.values():
        assert msgs[0].type == nfnetlink.NFNL_MSG_BATCH_BEGIN
        assert msgs[0].payload == bytes.fromhex("0000000a")  # res_id NFNL_SUBSYS_NFTABLES
        assert msgs[-1].type == nfnetlink.NFNL_MSG_BATCH_END


@pytest.mark.parametrize("name,msg", NEWSETS, ids=[
    "%s-%s" % (n, codec.decode(u.NFTA_SET, m.payload, 4)["name"]) for n, m in NEWSETS])
def test_newset_is_what_nft_sends(name, msg):
    family = C.FAMILY_NAMES[msg.payload[0]]
    raw = codec.decode(u.NFTA_SET, msg.payload, 4)
    spec = C.spec_from_attrs(family, raw)
    assert spec is not None
    ours = nfnetlink.header(msg.payload[0]) + codec.encode(u.NFTA_SET, C.set_attrs(spec, raw["id"]))
    expected = msg.payload
    if spec.key.is_concat:
        # For a concatenation of plain datatypes nft also writes NFTNL_UDATA_SET_KEY_TYPEOF
        # (a concat expression with no sub-expressions). nft falls back to the kernel's key
        # type without it and lists the set the same (tests/kernel/test_nft_kernel.py
        # compares `nft -j list ruleset`), so we leave it out: the rest must be nft's bytes.
        ud = [(t, v) for t, v in sorted(udata.unpack(raw["userdata"]).items())
              if t != u.NFTNL_UDATA_SET_KEY_TYPEOF]
        assert len(ud) + 1 == len(udata.unpack(raw["userdata"]))
        old = codec.pack_attr(13, raw["userdata"])
        new = codec.pack_attr(13, udata.pack(ud))
        assert old in expected
        expected = expected.replace(old, new)
    assert ours.hex() == expected.hex()


def test_newset_fields_of_a_concatenation():
    # set s (nft1): type ipv4_addr . inet_service; timeout 1h; size 100; counter; comment "hi"
    msg = [m for n, m in NEWSETS if n == "nft1"][0]
    spec = C.spec_from_attrs("ip", codec.decode(u.NFTA_SET, msg.payload, 4))
    assert spec.key.name == "ipv4_addr . inet_service"
    assert spec.key.type_id == (7 << 6) | 13  # TYPE_IPADDR . TYPE_INET_SERVICE
    assert spec.key.length == 8  # each field padded to 4 bytes
    assert (spec.timeout, spec.size, spec.counter, spec.comment) == (3600000, 100, True, "hi")
    assert spec.flags == ("timeout",)


def test_set_userdata_golden():
    # map m (nft1): type mark : verdict; user data as nft wrote it
    msg = [m for n, m in NEWSETS if codec.decode(u.NFTA_SET, m.payload, 4)["name"] == "m"][0]
    assert codec.decode(u.NFTA_SET, msg.payload, 4)["userdata"] == bytes.fromhex(
        "00" "04" "01000000"  # NFTNL_UDATA_SET_KEYBYTEORDER: BYTEORDER_HOST_ENDIAN (mark)
        "01" "04" "00000000"  # NFTNL_UDATA_SET_DATABYTEORDER: BYTEORDER_INVALID (verdict)
        "06" "04" "00000000"  # NFTNL_UDATA_SET_DATA_INTERVAL: 0
    )


def _elements_of(batch, set_name):
    out = []
    for m in BATCHES[batch]:
        if m.type == nfnetlink.msg_type(10, u.NFT_MSG_NEWSETELEM):
            head = codec.decode(u.NFTA_SET_ELEM_LIST, m.payload, 4)
            if head["set"] == set_name:
                for attr_type, payload in codec.iter_attrs(m.payload, 4):
                    if attr_type == u.NFTA_SET_ELEM_LIST_ELEMENTS:
                        out.extend(codec.pack_attr(t | 0x8000, p) for t, p in
                                   codec.iter_attrs(payload))
    return out


def _spec(name, batch=None):
    for n, m in NEWSETS:
        raw = codec.decode(u.NFTA_SET, m.payload, 4)
        if raw["name"] == name and batch in (None, n):
            return C.spec_from_attrs(C.FAMILY_NAMES[m.payload[0]], raw)
    raise KeyError(name)


def _sent_elements(spec, texts):
    txn = C.Transaction()
    items = [P.parse_element(spec, t) for t in texts]
    txn.add_elements(spec, [i.element for i in items], P.labeller(spec))
    (msg,) = txn.messages
    assert msg.payload[4:].startswith(codec.encode(
        u.NFTA_SET_ELEM_LIST, {"table": spec.table, "set": spec.name}))
    for attr_type, payload in codec.iter_attrs(msg.payload, 4):
        if attr_type == u.NFTA_SET_ELEM_LIST_ELEMENTS:
            return [codec.pack_attr(t | 0x8000, p) for t, p in codec.iter_attrs(payload)]
    raise AssertionError("no elements")


def _untyped(wire):
    return [w[:2] + w[4:] for w in wire]  # without the NFTA_LIST_ELEM's number


def test_element_with_timeout_and_comment_is_what_nft_sends():
    spec = _spec("s")
    sent = _sent_elements(spec, [{"key": "10.0.0.1 . 80", "timeout": "10s", "comment": "x"}])
    assert sent == _elements_of("nft1", "s")


def test_intervals_are_what_nft_sends():
    # nft also sends "0.0.0.0 interval end" first; the kernel needs no such element (rbtree
    # and the kernel test without it), so ours starts at the first interval.
    spec = _spec("i")
    wire = _sent_elements(spec, ["10.0.0.0/24", "10.1.0.1-10.1.0.9"])
    captured = _elements_of("nft1", "i")
    assert captured[0] == bytes.fromhex(
        "18000180"  # NFTA_LIST_ELEM, nested
        "08000300" "00000001"  # NFTA_SET_ELEM_FLAGS: NFT_SET_ELEM_INTERVAL_END
        "0c000180"  # NFTA_SET_ELEM_KEY, nested
        "08000100" "00000000"  # NFTA_DATA_VALUE: 0.0.0.0
    )
    assert _untyped(wire) == _untyped(captured[1:])
    assert [w[2:4] for w in wire] == [bytes((n, 0x80)) for n in range(1, 5)]  # numbered 1..4


def test_element_list_decodes_back():
    spec = _spec("i")
    found = C.decode_elements(b"".join(_elements_of("nft1", "i")))
    got = [P.format_element(spec, e) for e in C.join_intervals(spec, found)]
    assert got == ["10.0.0.0/24", "10.1.0.1-10.1.0.9"]


# The accelerated element decoder against the table-driven one (house style 5a): generated
# elements with and without flags and extras, encoded as we send them, then each decoded both
# ways; the kernel's replies have the same layout (fixtures of the hardening tests).
ELEMENT_SPECS = [_spec("s"), _spec("i"), _spec("m")]


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(spec=st.sampled_from(ELEMENT_SPECS), data=st.data())
def test_fast_element_decoder_equals_the_table_driven_one(spec, data):
    key = data.draw(st.binary(min_size=spec.key.length, max_size=spec.key.length))
    element = C.Element(key=key)
    if spec.data is not None:
        element = element._replace(data=data.draw(st.sampled_from([(1, None), (-3, "c")])))
    if "timeout" in spec.flags and data.draw(st.booleans()):
        element = element._replace(timeout=data.draw(st.integers(1, 1 << 40)))
    if data.draw(st.booleans()):
        element = element._replace(comment=data.draw(st.text(max_size=20)))
    flags = data.draw(st.sampled_from([0, 1]))
    wire = C.encode_element(spec, key, flags, element, data.draw(st.integers(1, 300)))
    (fast,) = C.decode_elements(wire)
    slow = C._decode_element(codec.decode(u.NFTA_SET_ELEM, wire, 4))
    assert fast == slow
    assert fast[0] == key and fast[1] == flags
    raw = wire[4:]
    assert (C._decode_fast(raw) is not None) == (not C._has_extras(spec, element))


@settings(max_examples=100, derandomize=True, deadline=None, database=None)
@given(keys=st.lists(st.binary(min_size=4, max_size=4), min_size=1, max_size=20),
       odd=st.integers(-1, 19))
def test_plain_key_lists_read_by_stride_equal_the_general_decoder(keys, odd):
    """A list of bare keys is read by its stride; one element with more falls back."""
    spec = _spec("i")
    wires = [C.encode_element(spec, k, 0, None, n) for n, k in enumerate(keys, 1)]
    if 0 <= odd < len(wires):
        wires[odd] = C.encode_element(spec, keys[odd], 1, None, odd + 1)  # an interval end
    payload = b"".join(wires)
    slow = [C._decode_element(codec.decode(u.NFTA_SET_ELEM, w, 4)) for w in wires]
    assert C.decode_elements(payload) == slow
    assert (C._plain_keys(payload) is None) == (0 <= odd < len(wires))


def test_concatenated_ranges_are_what_nft_sends():
    # set c (nft3): type ipv4_addr . inet_service; flags interval: one element per range,
    # NFTA_SET_ELEM_KEY and NFTA_SET_ELEM_KEY_END, no interval-end elements
    spec = _spec("c", "nft3")
    captured = _elements_of("nft3", "c")
    assert captured[0] == bytes.fromhex(
        "24000180"  # NFTA_LIST_ELEM 1, nested
        "10000180" "0c000100" "0a000000" "00500000"  # NFTA_SET_ELEM_KEY: 10.0.0.0 . 80
        "10000a80" "0c000100" "0affffff" "005a0000"  # NFTA_SET_ELEM_KEY_END: 10.255.255.255 . 90
    )
    assert _sent_elements(spec, ["10.0.0.0/8 . 80-90", "192.168.1.1 . 22"]) == captured
    found = C.decode_elements(b"".join(captured))
    assert [P.format_element(spec, e) for _k, _f, e in found] == [
        "10.0.0.0/8 . 80-90", "192.168.1.1 . 22"]
    txn = C.Transaction()
    txn.del_elements(spec, [e for _k, _f, e in found], P.labeller(spec))
    (msg,) = txn.messages  # a delete names the range by both keys, as nft's delete does
    assert msg.payload.endswith(b"".join(captured))


def test_element_counter_is_what_nft_sends():
    # nft 1.0.6, `add element ip t b { 1.2.3.4 counter }` (nft --debug=mnl): the element's own
    # counter expression; a set without `counter` sends it the same way for us
    spec = C.SetSpec("ip", "t", "b", P.set_spec(dict(
        family="ip", table="t", name="b", type="ipv4_addr")).key)
    assert _sent_elements(spec, [{"key": "1.2.3.4", "counter": True}]) == [bytes.fromhex(
        "24000180"  # NFTA_LIST_ELEM 1, nested
        "0c000180" "08000100" "01020304"  # NFTA_SET_ELEM_KEY { NFTA_DATA_VALUE 1.2.3.4 }
        "14000780"  # NFTA_SET_ELEM_EXPR, nested
        "0c000100" "636f756e74657200"  # NFTA_EXPR_NAME "counter"
        "04000280"  # NFTA_EXPR_DATA, empty: the counter starts at zero
    )]
    # in a set with a counter the kernel gives each element its copy: nothing is sent
    counted = spec._replace(counter=True)
    assert _sent_elements(counted, [{"key": "1.2.3.4", "counter": True}]) == \
        _sent_elements(counted, ["1.2.3.4"]) == [bytes.fromhex("10000180" "0c000180" "08000100"
                                                               "01020304")]
    listed = C.decode_elements(_sent_elements(spec, [{"key": "1.2.3.4", "counter": True}])[0])
    assert listed[0][2].counter == (0, 0)
