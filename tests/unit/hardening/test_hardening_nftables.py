# SPDX-License-Identifier: GPL-3.0-or-later
"""nf_tables: malformed kernel replies and bad input, generated (issue 15, as issue 7).

* Mutations of CAPTURED replies (fixtures/nft_dumps.py, written by
  tests/hardening/capture_nft_dumps.py on Linux 6.18 with nft 1.0.6) are replayed to the
  NftClient: the generation, tables, sets, elements, the rules' set references, and what the
  modules make of them (manage.describe, render, element_data). Only typed errors come out.
* Generated element strings and dictionaries for every key type, and generated set options:
  only NftInputError, naming the element or option; what is accepted is formatted and parsed
  back to the same element (a second run would change nothing).
"""

from __future__ import annotations

import struct
from typing import Any, Dict, List

from _netlink import nltest
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import Error
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_NETFILTER,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables import client as C
from ansible_collections.linux.netlink.plugins.module_utils._nftables import manage as M
from ansible_collections.linux.netlink.plugins.module_utils._nftables import plan as P
from ansible_collections.linux.netlink.plugins.module_utils._nftables import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nftables.types import (
    NftInputError,
)
from fixtures import nft_dumps
from hardening import PROPERTY
from hypothesis import given
from hypothesis import strategies as st
from test_hardening_decoders import _rewrite, mutated

REPLIES = {name: [bytes.fromhex(h) for h in grams] for name, grams in nft_dumps.REPLIES.items()}
CORPUS = [gram for grams in REPLIES.values() for gram in grams]


def _kernel(replies: Dict[str, List[bytes]]) -> nltest.FakeKernel:
    kernel = nltest.FakeKernel()
    kernel.max_wait = 0.2

    def handler(msg: codec.Message) -> List[nltest.Item]:
        command = msg.type & 0xFF
        name = {u.NFT_MSG_GETGEN: "GETGEN", u.NFT_MSG_GETTABLE: "GETTABLE",
                u.NFT_MSG_GETSET: "GETSET", u.NFT_MSG_GETRULE: "GETRULE"}.get(command)
        if command == u.NFT_MSG_GETSETELEM:
            head = codec.decode(u.NFTA_SET_ELEM_LIST, msg.payload, 4)
            name = "GETSETELEM " + head.get("set", "")
        return [_rewrite(kernel, msg, gram) for gram in replies.get(name or "", [])]

    kernel.handler = handler
    return kernel


def _everything(replies: Dict[str, List[bytes]]) -> Dict[str, Any]:
    sock = NetlinkSocket(NETLINK_NETFILTER, timeout=0.05, socket_factory=_kernel(replies))
    with C.NftClient(sock=sock) as client:
        result = M.gather(client, "", "", [], True)
        result["references"] = client.references("inet", "t")
        return result


def test_captured_replies_read_back_as_nft_made_them() -> None:
    """The unmutated capture decodes: the fixture is sound, and the reader agrees with nft."""
    found = _everything(REPLIES)
    sets = {s["name"]: s for s in found["sets"]}
    assert found["tables"] == [{"family": "inet", "name": "t"}]
    assert sets["a"]["elements"] == ["10.0.0.0/8", "192.0.2.1-192.0.2.9", "198.51.100.7"]
    assert sets["a"]["auto_merge"] and sets["a"]["comment"] == "nets"
    assert sets["b"]["type"] == "ipv4_addr . inet_service" and sets["b"]["counter"]
    assert sets["b"]["elements"] == ["10.0.0.1 . 80 timeout 10m comment \"web\"", "10.0.0.2 . 22"]
    assert sets["c"]["elements"] == ["22 : accept", "23 : drop"]
    assert sets["d"]["elements"] == ["02:00:00:00:00:01 : 0x00000010"]
    assert sets["e"]["elements"] == ["2001:db8::1"]
    assert sets["f"]["elements"] == ["10.0.0.0/8 . 80-90", "192.0.2.1 . 22"]
    assert [e["counter"] for e in sets["f"]["element_data"]] == [
        {"packets": 0, "bytes": 0}, {"packets": 0, "bytes": 0}]
    assert list(found["references"]) == ["a"]


@PROPERTY
@given(name=st.sampled_from(sorted(REPLIES)), data=st.data())
def test_mutated_replies_give_typed_errors_only(name: str, data: st.DataObject) -> None:
    replies = dict(REPLIES)
    replies[name] = [data.draw(mutated(REPLIES[name]))]
    try:
        _everything(replies)
    except Error:
        pass


@PROPERTY
@given(data=st.one_of(st.binary(max_size=200), mutated(CORPUS)))
def test_decoders_on_random_bytes(data: bytes) -> None:
    try:
        messages = list(codec.iter_messages(data))
    except Error:
        return
    for msg in messages:
        for table in (u.NFTA_SET, u.NFTA_SET_ELEM_LIST, u.NFTA_TABLE, u.NFTA_RULE, u.NFTA_GEN):
            try:
                raw = codec.decode(table, msg.payload, 4)
            except Error:
                continue
            if table is u.NFTA_SET:
                try:
                    C.spec_from_attrs("inet", raw)
                except Error:
                    pass


# --------------------------------------------------------------------------- bad input

BASE = dict(family="inet", table="t", name="s", map=None, flags=None, timeout=None,
            gc_interval=None, size=None, policy=None, auto_merge=False, counter=False,
            comment=None)
SPECS = [
    P.set_spec(dict(BASE, **kw)) for kw in (
        {"type": "ipv4_addr"}, {"type": "ipv6_addr", "flags": ["interval"]},
        {"type": "ipv4_addr", "flags": ["interval"], "auto_merge": True},
        {"type": "ether_addr"}, {"type": "inet_proto"}, {"type": "inet_service", "timeout": 60},
        {"type": "mark"}, {"type": "ifname"}, {"type": "ipv4_addr . inet_service"},
        {"type": "inet_service", "map": "verdict"}, {"type": "ipv4_addr", "map": "mark"},
        {"type": "ipv4_addr . inet_service", "flags": ["interval"]},
        {"type": "inet_proto . mark", "flags": ["interval"]},
    )
]
TOKENS = ["10.0.0.1", "10.0.0.0/8", "10.0.0.5-10.0.0.1", "1.2.3.4-1.2.3.9", "::1", "2001:db8::/32",
          "02:00:5e:10:00:01", "tcp", "80", "65536", "-1", "0x10", "eth0", "a" * 16, " . ",
          " : ", "accept", "jump x", "drop", "١٢", "\ud800", "\0", "/33", "/-1", "-", ""]


@st.composite
def element(draw: st.DrawFn) -> Any:
    text = "".join(draw(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)),
                                 max_size=4)))
    if draw(st.booleans()):
        return text
    return {"key": text,
            "value": draw(st.one_of(st.none(), st.sampled_from(TOKENS), st.integers())),
            "timeout": draw(st.one_of(st.none(), st.integers(-5, 10 ** 6),
                                      st.sampled_from(["1h", "10x", "5ms", ""]))),
            "comment": draw(st.one_of(st.none(), st.text(max_size=140))),
            "counter": draw(st.one_of(st.booleans(), st.sampled_from(["yes", 1])))}


@PROPERTY
@given(spec=st.sampled_from(SPECS), raw=element())
def test_bad_elements_are_named_and_good_ones_round_trip(spec: C.SetSpec, raw: Any) -> None:
    try:
        item = P.parse_element(spec, raw)
    except NftInputError as exc:
        assert str(exc).startswith("element ")
        return
    text = P.format_element(spec, item.element)
    if item.element.comment or (item.element.timeout and item.element.timeout != spec.timeout):
        return  # the listed form carries them after the key; the dictionary form is the input
    again = P.parse_element(spec, text).element
    assert again == item.element._replace(timeout=0, comment="")
    C.wire_elements(spec, item.element)  # encodes


@PROPERTY
@given(options=st.fixed_dictionaries({}, optional={
    "type": st.sampled_from(["ipv4_addr", "ipv4", "mark . ifname", "verdict", "", " . "]),
    "map": st.sampled_from(["verdict", "ipv6_addr", "bogus"]),
    "flags": st.lists(st.sampled_from(["interval", "timeout", "constant", "dynamic", "x"])),
    "timeout": st.sampled_from(["1h", "x", "-3", 10]),
    "size": st.integers(-1, 1 << 33),
    "policy": st.sampled_from(["memory", "speed"]),
    "auto_merge": st.booleans(),
    "comment": st.text(max_size=140),
    "table": st.sampled_from(["t", "", "bad name", "x" * 300]),
    "family": st.sampled_from(["inet", "ip", "ipv4"]),
}))
def test_bad_set_options_are_named(options: Dict[str, Any]) -> None:
    params = dict(BASE)
    params.update(options)
    try:
        spec = P.set_spec(params)
    except NftInputError as exc:
        assert str(exc).split(":")[0] in ("type", "map", "flags", "timeout", "size", "policy",
                                          "auto_merge", "comment", "table", "family", "name")
        return
    codec.encode(u.NFTA_SET, C.set_attrs(spec, 1))


def test_struct_of_a_verdict_code_is_signed() -> None:
    raw = codec.decode(u.NFTA_VERDICT, codec.pack_attr(1, struct.pack("!i", u.NFT_JUMP)))
    assert raw == {"code": u.NFT_JUMP}


@PROPERTY
@given(spec=st.sampled_from(SPECS), raws=st.lists(element(), max_size=4))
def test_bulk_parse_equals_one_by_one(spec: C.SetSpec, raws: List[Any]) -> None:
    """parse_elements' plain-key path and parse_element agree, errors included."""
    try:
        one = [P.parse_element(spec, raw) for raw in raws]
    except NftInputError as exc:
        try:
            P.parse_elements(spec, raws)
        except NftInputError as bulk:
            assert str(bulk) == str(exc)
            return
        raise AssertionError("the bulk path took what parse_element refused") from None
    assert P.parse_elements(spec, raws) == one
