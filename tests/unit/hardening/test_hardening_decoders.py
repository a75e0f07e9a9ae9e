# SPDX-License-Identifier: GPL-3.0-or-later
"""Malformed kernel replies, generated (issue 7, bullet 2).

Random bytes and mutations of CAPTURED replies go through every decoder a reply meets on its
way to a module: codec.iter_messages and decode, transport.parse_error, the ipset client's
list (wire.py and, for what wire hands back, the generic codec), what the modules make of the
listed members (sets.describe, planner.current_entries), the nl80211 decoders and the
802.11 element parser. Invariant: only the collection's typed errors (`Error` and its
subclasses such as ProtocolError) come out, never IndexError, KeyError, struct.error or
UnicodeError.

Captured inputs: fixtures/ipset_dumps.py (an IPSET_CMD_LIST dump of eight sets, captured
with tests/hardening/capture_ipset_dumps.py on Linux 6.18), the netlink stack's captured
vectors (tests/unit/plugins/module_utils/_netlink/test_families.py, test_transport.py), the
ipset wire vectors (_ipset/test_wire.py), and the nl80211 VM captures and beacon fixtures
(tests/unit/plugins/module_utils/_nl80211/fixtures) where present.
"""

from __future__ import annotations

import os
import struct
import sys
from typing import Any, Callable, List

import pytest
from _netlink import nltest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import (
    planner,
    sets,
    typetable,
    wire,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import IpsetClient
from ansible_collections.linux.netlink.plugins.module_utils._netlink import (
    codec,
    genetlink,
    nfnetlink,
    rtnetlink,
    transport,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import Error
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_NETFILTER,
    NLMSG_ERROR,
)
from fixtures import ipset_dumps
from hardening import PROPERTY
from hypothesis import given
from hypothesis import strategies as st

HERE = os.path.dirname(os.path.abspath(__file__))
NL80211_FIXTURES = os.path.join(
    os.path.dirname(HERE), "plugins", "module_utils", "_nl80211", "fixtures"
)


def typed(function: Callable[..., Any], *args: Any) -> Any:
    """Call; a typed error is fine (returned), anything else fails the test."""
    try:
        return function(*args)
    except Error as exc:
        return exc


# --------------------------------------------------------------------------- mutations

CAPTURED_IPSET = list(ipset_dumps.DATAGRAMS)


@st.composite
def mutated(draw: st.DrawFn, corpus: List[bytes]) -> bytes:
    """A captured datagram with a few edits: flipped bytes, a length field rewritten, cut,
    a slice repeated or dropped, random bytes inserted."""
    data = bytearray(draw(st.sampled_from(corpus)))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        kind = draw(st.integers(0, 5))
        at = draw(st.integers(0, len(data) - 1))
        if kind == 0:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == 1 and at + 2 <= len(data):  # a length-sized field: nlattr or nlmsghdr
            size = draw(st.sampled_from([0, 1, 3, 4, 5, 7, 8, 0xFFFF, len(data)]))
            struct.pack_into("=H", data, at & ~1, size)
        elif kind == 2:
            del data[at:]
        elif kind == 3:
            end = draw(st.integers(at, len(data)))
            data[at:at] = data[at:end]
        elif kind == 4:
            end = draw(st.integers(at, len(data)))
            del data[at:end]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
    return bytes(data)


# --------------------------------------------------------------------------- generic codec

TABLES = [u.IPSET_ATTR_CMD, u.IPSET_ATTR_ADT_NEST, u.IPSET_ATTR_CREATE, transport.NLMSGERR,
          rtnetlink.IFLA]  # fmt: skip


@PROPERTY
@given(data=st.one_of(st.binary(max_size=200), mutated(CAPTURED_IPSET)))
def test_iter_messages_and_decode(data: bytes) -> None:
    messages = typed(lambda: list(codec.iter_messages(data)))
    if isinstance(messages, Error):
        return
    for msg in messages:
        for table in TABLES:
            typed(codec.decode, table, msg.payload, 4)
        typed(wire.decode_message, msg.payload)


@PROPERTY
@given(payload=st.binary(max_size=120), flags=st.integers(0, 0xFFFF))
def test_parse_error_random(payload: bytes, flags: int) -> None:
    typed(transport.parse_error, codec.Message(NLMSG_ERROR, flags, 1, 1, payload), "X")


CAPTURED_ERRORS = [
    bytes.fromhex(  # EEXIST for `ip link add` with an extended ACK (test_transport.py)
        "6c000000020000010100000037130000effffffff1000000100005060100000037130000000000000000"
        "000000000000000000000000"
    ),
]


@PROPERTY
@given(payload=st.binary(min_size=20, max_size=80), error=st.integers(-(1 << 31), (1 << 31) - 1),
       flags=st.sampled_from([0, 0x100, 0x200, 0x300]))  # fmt: skip
def test_parse_error_structured(payload: bytes, error: int, flags: int) -> None:
    """Well-formed heads with random errnos, echo lengths and TLVs."""
    msg = codec.Message(NLMSG_ERROR, flags, 1, 1, struct.pack("=i", error) + payload)
    result = typed(transport.parse_error, msg, "X")
    if isinstance(result, Error) or result is None:
        return
    str(result)  # the worded message must not raise either (errno out of range, ...)


# --------------------------------------------------------------------------- ipset client


def _replaying(datagrams: List[bytes]) -> nltest.FakeKernel:
    """A kernel answering IPSET_CMD_PROTOCOL properly and IPSET_CMD_LIST with ``datagrams``
    (seq and port id rewritten where the header is still whole)."""
    kernel = nltest.FakeKernel()

    def handler(msg: codec.Message) -> List[nltest.Item]:
        if msg.type & 0xFF == u.IPSET_CMD_PROTOCOL:
            attrs = codec.encode(u.IPSET_ATTR_CMD, {"protocol": 7, "protocol_min": 6})
            body = nfnetlink.header(0) + attrs
            return [kernel.message(msg, msg.type, body), kernel.ack(msg)]
        return [_rewrite(kernel, msg, gram) for gram in datagrams]

    kernel.handler = handler
    return kernel


def _rewrite(kernel: nltest.FakeKernel, req: codec.Message, gram: bytes) -> bytes:
    out = bytearray(gram)
    offset = 0
    while offset + 16 <= len(out):
        length = struct.unpack_from("=I", out, offset)[0]
        struct.pack_into("=II", out, offset + 8, req.seq, kernel.port_id)
        if length < 16:
            break
        offset += codec.align(length)
    return bytes(out)


def _list_and_describe(datagrams: List[bytes]) -> None:
    kernel = _replaying(datagrams)
    kernel.max_wait = 0.2
    sock = NetlinkSocket(NETLINK_NETFILTER, timeout=0.05, socket_factory=kernel)
    with IpsetClient(sock=sock) as client:
        found = typed(client.list)
        if isinstance(found, Error):
            return
        for info in found:
            typed(sets.describe, info, True)
            typed(planner.current_entries, info)


def test_captured_dump_lists_every_set() -> None:
    """The unmutated capture decodes and describes: the fixture is sound."""
    kernel = _replaying(CAPTURED_IPSET)
    sock = NetlinkSocket(NETLINK_NETFILTER, timeout=0.5, socket_factory=kernel)
    with IpsetClient(sock=sock) as client:
        found = {info.name: info for info in client.list()}
    assert sorted(found) == list("abcdefgh")
    assert sets.describe(found["a"], True)["members"] == [
        '192.0.2.1 timeout 0 packets 0 bytes 0 comment "first"',
        "192.0.2.2 timeout 599 packets 5 bytes 300",  # the kernel lists the time left
    ]
    assert sets.describe(found["c"], True)["members"] == [
        "10.0.0.0/8,physdev:eth0", "10.1.0.0/16,eth1 nomatch"
    ]


@PROPERTY
@given(data=st.data())
def test_mutated_dump_through_client(data: st.DataObject) -> None:
    grams = list(CAPTURED_IPSET)
    index = data.draw(st.integers(0, len(grams) - 1), label="datagram")
    grams[index] = data.draw(mutated([grams[index]]), label="mutated")
    _list_and_describe(grams)


# Member attributes as the decoder hands them up (each key with its codec's type), any of
# them missing: a malformed reply, or a member of another type than the header says.
ELEMENT_VALUES = {
    "ip": st.sampled_from([b"\x0a\x00\x00\x01", b"\x20" + b"\x00" * 15]),
    "ip2": st.sampled_from([b"\x0a\x00\x00\x02", b"\x20" + b"\x01" * 15]),
    "cidr": st.integers(0, 255),
    "cidr2": st.integers(0, 255),
    "port": st.integers(0, 0xFFFF),
    "proto": st.integers(0, 255),
    "ether": st.binary(min_size=6, max_size=6),
    "iface": st.text(max_size=16),
    "mark": st.integers(0, 0xFFFFFFFF),
    "name": st.text(max_size=31),
    "cadt_flags": st.integers(0, 0xFFFFFFFF),
    "timeout": st.integers(0, 0xFFFFFFFF),
    "comment": st.text(max_size=8),
}
SET_TYPES = sorted(typetable.SET_TYPES)


@PROPERTY
@given(
    settype=st.sampled_from(SET_TYPES),
    element=st.fixed_dictionaries({}, optional=ELEMENT_VALUES),
)
def test_member_attributes_missing(settype: str, element: dict) -> None:
    """Members described, or refused with a typed error; never a KeyError."""
    info = sets.SetInfo("x", settype, "inet", 0, {}, [element])
    typed(sets.entry_lines, info)
    typed(planner.current_entries, info)


# --------------------------------------------------------------------------- nl80211


def _nl80211_fixtures() -> List[Any]:
    sys.path.insert(0, NL80211_FIXTURES)
    try:
        import vm_6_1  # noqa: F401  (the VM captures; another engineer's, may be absent)
    except ImportError:
        return []
    finally:
        sys.path.remove(NL80211_FIXTURES)
    return [bytes.fromhex(g) for f in vm_6_1.FIXTURES.values() for g in f["replies"]]


CAPTURED_NL80211 = _nl80211_fixtures()


def _nl80211_decode(data: bytes) -> None:
    """What Nl80211Client.phys(), interfaces() and scan_results() and the facts make of the
    replies of one datagram (the same steps, without the socket)."""
    from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import facts, model
    from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as nu

    decoded = []
    for msg in codec.iter_messages(data):
        if msg.type < 0x10:
            continue  # NLMSG_ERROR / DONE: the transport's business, fuzzed above
        _cmd, body = genetlink.unpack(msg)
        decoded.append(codec.decode(nu.NL80211_ATTR, body))
    merged: dict = {}
    for attrs in decoded:
        if "wiphy" in attrs:
            model.merge_phy(merged.setdefault(attrs["wiphy"], {}), attrs)
    phys = [model.phy_from_attrs(merged[i]) for i in sorted(merged)]
    for phy in phys:
        facts.phy_facts(phy)
    for attrs in decoded:
        facts.interface_facts(model.interface_from_attrs(attrs), phys)
    facts.scan_facts([attrs["bss"] for attrs in decoded if "bss" in attrs])


@pytest.mark.skipif(not CAPTURED_NL80211, reason="no nl80211 captures (tests/vm not run yet)")
@PROPERTY
@given(data=st.data())
def test_mutated_nl80211_replies(data: st.DataObject) -> None:
    gram = data.draw(st.one_of(mutated(CAPTURED_NL80211), st.binary(max_size=300)))
    typed(_nl80211_decode, gram)


def _beacons() -> List[bytes]:
    out = []
    for name in sorted(os.listdir(NL80211_FIXTURES)) if os.path.isdir(NL80211_FIXTURES) else []:
        if not name.endswith(".txt"):
            continue
        section, hexdigits = None, []
        with open(os.path.join(NL80211_FIXTURES, name)) as handle:
            for line in handle:
                line = line.split("#", 1)[0].strip()
                if line.startswith("["):
                    section = line
                elif section == "[ies]" and line:
                    hexdigits.append(line.replace(" ", ""))
        if hexdigits:
            out.append(bytes.fromhex("".join(hexdigits)))
    return out


BEACONS = _beacons()


@pytest.mark.skipif(not BEACONS, reason="no 802.11 element fixtures")
@PROPERTY
@given(data=st.one_of(mutated(BEACONS) if BEACONS else st.nothing(), st.binary(max_size=300)),
       capability=st.integers(0, 0xFFFF))  # fmt: skip
def test_mutated_information_elements(data: bytes, capability: int) -> None:
    """ie.decode_ies promises never to raise on any bytes: not even a typed error."""
    from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import facts, ie

    decoded = ie.decode_ies(data)
    ie.security_summary(decoded, capability)
    facts.bss_facts({"information_elements": data, "capability": capability, "bssid": data[:6]})
