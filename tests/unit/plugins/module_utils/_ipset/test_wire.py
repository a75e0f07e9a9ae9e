# SPDX-License-Identifier: GPL-3.0-or-later
"""The fast element encoder and dump decoder (wire) against the generic codec.

Every case compares `wire` with the generic path it replaces, byte for byte or dict for dict:
`reference_pack` below is the client's original `_pack_elements` (generic `codec.encode` per
element), and `codec.decode(IPSET_ATTR_ADT / IPSET_ATTR_CMD)` is the generic decoder.
"""

from __future__ import annotations

import gc
import struct
from typing import Any, Dict, Iterator, List, Sequence, Tuple

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset import wire
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import ProtocolError
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import NLA_F_NESTED
from hypothesis import given, settings
from hypothesis import strategies as st

# --------------------------------------------------------------------------- references


def reference_pack(elements: Sequence[Dict[str, Any]]) -> Iterator[Tuple[int, int, bytes]]:
    """The generic batching wire replaces (client._pack_elements before wire existed)."""
    chunk: List[bytes] = []
    size = start = 0
    for index, element in enumerate(elements):
        body = codec.encode(u.IPSET_ATTR_ELEM, element)
        length = 4 + len(body) + 8
        if chunk and size + length > 0xFFFF - 4:
            yield start, index, b"".join(chunk)
            chunk, size, start = [], 0, index
        lineno = codec.pack_attr(9, codec.U32.encode(index - start + 1))
        chunk.append(codec.pack_attr(7 | NLA_F_NESTED, body + lineno))
        size += length
    if chunk:
        yield start, len(elements), b"".join(chunk)


def outcome(function: Any, *args: Any) -> Tuple[str, Any]:
    """("ok", result) or (exception type name, message): to compare two paths' behaviour."""
    try:
        result = function(*args)
        if isinstance(result, Iterator):
            result = list(result)
        return "ok", result
    except (ValueError, TypeError, ProtocolError, struct.error) as exc:
        return type(exc).__name__, str(exc)


def assert_same_packing(elements: Sequence[Dict[str, Any]]) -> None:
    assert outcome(wire.pack_elements, elements) == outcome(reference_pack, elements)


def generic_adt(data: bytes) -> Dict[str, Any]:
    return codec.decode(u.IPSET_ATTR_ADT_NEST, data)


def generic_message(payload: bytes) -> Dict[str, Any]:
    """What client._decode does with a reply (the generic path)."""
    attrs = codec.decode(u.IPSET_ATTR_CMD, payload, 4)
    attrs["family"] = attrs.get("family", payload[0])
    return attrs


def kernel_adt(elements: Sequence[Dict[str, Any]]) -> bytes:
    """An IPSET_ATTR_ADT payload as the kernel lists elements: DATA nests, no line numbers."""
    return codec.encode(u.IPSET_ATTR_ADT_NEST, {"data": list(elements)})


def ip4(n: int) -> bytes:
    return struct.pack("!I", 0x0A000000 + n)


def ip6(n: int) -> bytes:
    return struct.pack("!QQ", 0x20010DB800000000, n)


# --------------------------------------------------------------------------- encoding

SHAPES = {
    "hash:ip inet": lambda n: {"ip": ip4(n)},
    "hash:ip inet6": lambda n: {"ip": ip6(n)},
    "hash:net": lambda n: {"ip": ip4(n << 8), "cidr": 24},
    "hash:net nomatch": lambda n: {"ip": ip4(n << 8), "cidr": 24, "cadt_flags": 4},
    "hash:ip,port": lambda n: {"ip": ip4(n), "port": n % 65536, "proto": 6},
    "hash:ip,port,ip": lambda n: {"ip": ip4(n), "port": 80, "proto": 17, "ip2": ip4(7)},
    "hash:net,net": lambda n: {"ip": ip4(n), "cidr": 32, "ip2": ip6(n), "cidr2": 64},
    "hash:ip,mark": lambda n: {"ip": ip4(n), "mark": n * 7919},
    "hash:mac": lambda n: {"ether": struct.pack("!HI", 2, n)},
    "hash:net,iface": lambda n: {"ip": ip4(n), "cidr": 24, "iface": "eth%d" % (n % 3)},
    "same-length iface": lambda n: {"ip": ip4(n), "cidr": 24, "iface": "eth0"},
    "list:set": lambda n: {"name": "set%d" % n},
    "ranges": lambda n: {"ip": ip4(n), "ip_to": ip4(n + 9), "port": 1, "port_to": 9, "proto": 6},
    "timeout": lambda n: {"ip": ip4(n), "timeout": 600},
    "counters": lambda n: {"ip": ip4(n), "packets": n, "bytes": n * 1500},
    "comment": lambda n: {"ip": ip4(n), "comment": "host %d" % n},
    "skbinfo": lambda n: {"ip": ip4(n), "skbmark": 1 << 32 | n, "skbprio": 0x10002, "skbqueue": 3},
    "everything at once": lambda n: {
        "ip": ip4(n),
        "port": 22,
        "proto": 6,
        "timeout": 0,
        "packets": 1,
        "bytes": 2,
        "comment": "x" * (n % 255),
        "skbmark": 5,
        "skbprio": 6,
        "skbqueue": 7,
        "cadt_flags": 4,
    },
    "empty element": lambda n: {},
    "extension first": lambda n: {"timeout": 60, "ip": ip4(n)},
}


@pytest.mark.parametrize("count", [1, 2, 2729, 2730, 2731, 5000, 20000])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_pack_equals_generic(shape: str, count: int) -> None:
    """Message boundaries included: hash:ip inet takes 24 bytes, 2730 elements a message."""
    elements = [SHAPES[shape](n) for n in range(count)]
    assert_same_packing(elements)


def test_pack_uniform_batch_goes_column_wise() -> None:
    """The fast path is taken for the commonest batches (else this module is pointless)."""
    for shape in ("hash:ip inet", "hash:net", "hash:ip,port", "timeout", "same-length iface"):
        columns = wire._columns([SHAPES[shape](n) for n in range(10)])
        assert columns is not None and all(c.sizes is None for c in columns), shape
    for shape in ("comment", "everything at once", "list:set"):  # strings of several lengths
        columns = wire._columns([SHAPES[shape](n) for n in range(20)])
        assert columns is not None and any(c.sizes for c in columns), shape
    assert wire._columns(MIXED["keys in another order"]) is None
    assert wire._columns(MIXED["None is skipped"]) is None


MIXED = {
    "keys in another order": [{"ip": ip4(1), "cidr": 24}, {"cidr": 24, "ip": ip4(2)}],
    "inet and inet6": [{"ip": ip4(1)}, {"ip": ip6(2)}],
    "an extra key": [{"ip": ip4(1)}, {"ip": ip4(2), "timeout": 5}],
    "a missing key": [{"ip": ip4(1), "cidr": 8}, {"ip": ip4(2)}],
    "another single key": [{"ip": ip4(1)}, {"name": "x"}],
    "None is skipped": [{"ip": ip4(1), "timeout": None}, {"ip": ip4(2), "timeout": 3}],
    "all None": [{"ip": ip4(1), "timeout": None}] * 3,
    "bytearray address": [{"ip": bytearray(ip4(1))}, {"ip": bytearray(ip4(2))}],
    "memoryview address": [{"ip": memoryview(ip4(1))}],
    "bool and IntEnum-like ints": [{"ip": ip4(1), "cidr": True, "proto": 6}],
    "ether of another length": [{"ether": b"\x01\x02\x03"}, {"ether": b"\x01\x02\x03"}],
    "comment of 255 bytes": [{"ip": ip4(1), "comment": "\u00e9" * 127 + "x"}],
    "one element per message": [{"comment": "c" * 254, "iface": "i" * 15}] * 300,
}


@pytest.mark.parametrize("case", sorted(MIXED))
def test_pack_mixed_batches_equal_generic(case: str) -> None:
    assert_same_packing(MIXED[case])


BAD = {
    "unknown key": [{"ip": ip4(1), "colour": "red"}],
    "unknown key later": [{"ip": ip4(1)}, {"ip": ip4(2), "colour": "red"}],
    "address of 5 bytes": [{"ip": b"12345"}],
    "address as text": [{"ip": "10.0.0.1"}],
    "address as 4 chars": [{"ip": "abcd"}],
    "cidr 256": [{"ip": ip4(1), "cidr": 256}],
    "cidr -1": [{"ip": ip4(1), "cidr": -1}],
    "cidr as float": [{"ip": ip4(1), "cidr": 24.0}],
    "port as text": [{"ip": ip4(1), "port": "80", "proto": 6}],
    "port too big": [{"ip": ip4(1), "port": 65536, "proto": 6}],
    "timeout negative": [{"ip": ip4(1), "timeout": -1}],
    "ether as int": [{"ether": 6}],
    "ether as text": [{"ether": "aa:bb:cc:dd:ee:ff"}],
    "comment as bytes": [{"ip": ip4(1), "comment": b"x"}],
    "comment lone surrogate": [{"ip": ip4(1), "comment": "\ud800"}],
    "bad value among good": [{"ip": ip4(n), "cidr": 24 if n != 700 else 300} for n in range(999)],
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_pack_errors_equal_generic(case: str) -> None:
    """Same exception type and text as the generic encoder."""
    result = outcome(wire.pack_elements, BAD[case])
    assert result[0] != "ok"
    assert result == outcome(reference_pack, BAD[case])


def test_encode_element_equals_generic() -> None:
    for shape in SHAPES.values():
        element = shape(3)
        assert wire.encode_element(element) == codec.encode(u.IPSET_ATTR_ELEM, element)


# --------------------------------------------------------------------------- hypothesis

_INT_RANGES = {"u8": 0xFF, "u32": 0xFFFFFFFF, "be16": 0xFFFF, "be32": 0xFFFFFFFF}
_INT_RANGES["be64"] = 0xFFFFFFFFFFFFFFFF


def value_strategy(attr: codec.Attr, family: int) -> st.SearchStrategy:
    kind = attr.codec
    if kind is u.IPADDR:
        return st.binary(min_size=family, max_size=family)
    if kind.name in _INT_RANGES:
        return st.integers(0, _INT_RANGES[kind.name])
    if kind.name.startswith("binary["):
        return st.binary(min_size=kind.size, max_size=kind.size)
    assert kind is codec.STRZ, kind
    return st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"))


KEYS = sorted(u.IPSET_ATTR_ELEM.by_key)


@st.composite
def uniform_batches(draw: Any) -> List[Dict[str, Any]]:
    """Elements of one shape (the fast path), sometimes spoilt by one odd element."""
    family = draw(st.sampled_from([4, 16]))
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True))
    attrs = [u.IPSET_ATTR_ELEM.by_key[k] for k in keys]
    fixed_strings = draw(st.booleans())
    strategies = []
    for attr in attrs:
        strategy = value_strategy(attr, family)
        if fixed_strings and attr.codec is codec.STRZ:
            strategy = st.just(draw(strategy))  # equal lengths: still column-wise
        strategies.append(strategy)
    element = st.tuples(*strategies).map(lambda values: dict(zip(keys, values)))
    batch = draw(st.lists(element, min_size=1, max_size=40))
    if draw(st.booleans()):
        odd = dict(batch[0])
        key = draw(st.sampled_from(keys))
        odd[key] = draw(st.sampled_from([None, 0, b"\x00" * 16, "s"]))
        batch.insert(draw(st.integers(0, len(batch))), odd)
    return batch


@settings(max_examples=400, deadline=None)
@given(uniform_batches())
def test_hypothesis_pack_equals_generic(batch: List[Dict[str, Any]]) -> None:
    assert_same_packing(batch)


@st.composite
def any_elements(draw: Any) -> List[Dict[str, Any]]:
    family = draw(st.sampled_from([4, 16]))
    result = []
    for _ in range(draw(st.integers(0, 12))):
        keys = draw(st.lists(st.sampled_from(KEYS), max_size=8, unique=True))
        result.append({k: draw(value_strategy(u.IPSET_ATTR_ELEM.by_key[k], family)) for k in keys})
    return result


@settings(max_examples=300, deadline=None)
@given(any_elements())
def test_hypothesis_mixed_pack_equals_generic(batch: List[Dict[str, Any]]) -> None:
    assert_same_packing(batch)


@settings(max_examples=300, deadline=None)
@given(st.one_of(uniform_batches(), any_elements()), st.data())
def test_hypothesis_decode_equals_generic(batch: List[Dict[str, Any]], data: Any) -> None:
    """Kernel-style dumps of any elements, with unknown attributes sprinkled in."""
    batch = [{k: v for k, v in element.items() if v is not None} for element in batch]
    try:
        records = [codec.encode(u.IPSET_ATTR_ELEM, element) for element in batch]
    except ValueError:
        return  # a spoilt value that does not encode: nothing to decode
    if data.draw(st.booleans()):  # attribute types no table knows, in and between records
        unknown = codec.pack_attr(data.draw(st.integers(30, 0x3FFF)), data.draw(st.binary()))
        spot = data.draw(st.integers(0, len(records)))
        records = [r + unknown if i == spot else r for i, r in enumerate(records)]
        records.append(unknown)
    adt = b"".join(codec.pack_attr(7 | NLA_F_NESTED, r) for r in records[: len(batch)])
    adt += b"".join(records[len(batch) :])  # a stray unknown attribute at ADT level
    assert outcome(wire.decode_adt, adt) == outcome(generic_adt, adt)


# --------------------------------------------------------------------------- decoding

# Captured on Linux 6.18.44 (this machine): IpsetClient.sock.dump(IPSET_CMD_LIST, set "w")
# after `ipset create w hash:ip,port counters comment timeout 600`,
# `ipset add w 192.0.2.1,tcp:80 comment web packets 5 bytes 300`,
# `ipset add w 192.0.2.2,udp:53 timeout 0`. One message (flags NLM_F_MULTI).
DUMP_W = bytes.fromhex(
    "020000000500010007000000060002007700000011000300686173683a69702c706f7274000000000500"
    "050002000000050004000700000006000b40000000004c00078008001240000004000800134000010000"
    "050015000c00000008001140e9841313080019400000000008001a40000001cc08001840000000020800"
    "06400000025808000840000000188c000880400007800c00018008000100c00002020600044000350000"
    "050007001100000008000640000000000c00184000000000000000000c00194000000000000000004800"
    "07800c00018008000100c00002010600044000500000050007000600000008000640000002570c001840"
    "000000000000012c0c001940000000000000000508001a0077656200"
)
DUMP_W_DECODED = {
    "protocol": 7,
    "setname": "w",
    "typename": "hash:ip,port",
    "family": 2,
    "revision": 7,
    "index": 0,
    "data": {
        "hashsize": 1024,
        "maxelem": 65536,
        "bucketsize": 12,
        "initval": 3917746963,
        "references": 0,
        "memsize": 460,
        "elements": 2,
        "timeout": 600,
        "cadt_flags": 24,
    },
    "adt": {
        "data": [
            {
                "ip": b"\xc0\x00\x02\x02",
                "port": 53,
                "proto": 17,
                "timeout": 0,
                "bytes": 0,
                "packets": 0,
            },
            {
                "ip": b"\xc0\x00\x02\x01",
                "port": 80,
                "proto": 6,
                "timeout": 599,
                "bytes": 300,
                "packets": 5,
                "comment": "web",
            },
        ]
    },
}
# Same kernel: set "n" after `ipset create n hash:net`, `ipset add n 198.51.100.0/24`,
# `ipset add n 203.0.113.128/25` (uniform records: the struct path).
DUMP_N = bytes.fromhex(
    "020000000500010007000000060002006e0000000d000300686173683a6e6574000000000500050002000000"
    "050004000700000006000b40000100003c00078008001240000004000800134000010000050015000c000000"
    "0800114013585d02080019400000000008001a4000000228080018400000000234000880180007800c000180"
    "08000100cb0071800500030019000000180007800c00018008000100c63364000500030018000000"
)
DUMP_N_MEMBERS = [{"ip": b"\xcb\x00\x71\x80", "cidr": 25}, {"ip": b"\xc6\x33\x64\x00", "cidr": 24}]


def test_captured_dump_decodes() -> None:
    assert wire.decode_message(DUMP_W) == DUMP_W_DECODED == generic_message(DUMP_W)
    assert list(wire.decode_message(DUMP_W)) == list(DUMP_W_DECODED)  # key order too
    decoded = wire.decode_message(DUMP_N)
    assert decoded["adt"]["data"] == DUMP_N_MEMBERS
    assert decoded == generic_message(DUMP_N)


# Captured on Debian 12's Linux 6.1.0-57 (the VM of tests/vm, ipset v7.17) in a fresh network
# namespace: IpsetClient.sock.dump(IPSET_CMD_LIST, set, IPSET_FLAG_LIST_HEADER) after
# `ipset create m hash:ip,mark markmask 255` and
# `ipset create m6 hash:ip,mark family inet6 markmask 0xffff0000`; `ipset save` printed
# "markmask 0x000000ff" and "markmask 0xffff0000". The kernel dumps IPSET_ATTR_MARKMASK in host
# order without NLA_F_NET_BYTEORDER (08000b00 ff000000).
HEADER_MARK = bytes.fromhex(
    "020000000500010007000000060002006d00000011000300686173683a69702c6d61726b0000000005000500"
    "02000000050004000300000006000b4000000000440007800800124000000400080013400001000008000b00"
    "ff000000050015000c00000008001140ac434591080019400000000008001a40000000f80800184000000001"
)
HEADER_MARK6 = bytes.fromhex(
    "020000000500010007000000070002006d36000011000300686173683a69702c6d61726b0000000005000500"
    "0a000000050004000300000006000b4000010000440007800800124000000400080013400001000008000b00"
    "0000ffff050015000c00000008001140130e0f8c080019400000000008001a40000000d80800184000000000"
)
# The same VM: the IPSET_ATTR_DATA payload of the CLI's own create request (strace of
# `ipset create m2 hash:ip,mark markmask 255`): big-endian, with NLA_F_NET_BYTEORDER.
CLI_CREATE_MARKMASK_255 = bytes.fromhex("08000b40000000ff")


@pytest.mark.parametrize(
    "header, markmask", [(HEADER_MARK, 0xFF), (HEADER_MARK6, 0xFFFF0000)], ids=["inet", "inet6"]
)
def test_captured_header_markmask_reads_as_ipset_save(header: bytes, markmask: int) -> None:
    decoded = wire.decode_message(header)
    assert decoded["typename"] == "hash:ip,mark"
    assert decoded["data"]["markmask"] == markmask
    assert decoded == generic_message(header)


def test_create_markmask_encodes_as_the_cli() -> None:
    assert codec.encode(u.IPSET_ATTR_CREATE, {"markmask": 255}) == CLI_CREATE_MARKMASK_255


@pytest.mark.parametrize("dump", [DUMP_W, DUMP_N], ids=["hash:ip,port", "hash:net"])
def test_truncated_dump_raises_as_generic(dump: bytes) -> None:
    """Every cut of a captured reply: the same dict or the same ProtocolError text."""
    raised = 0
    for cut in range(4, len(dump)):
        fast = outcome(wire.decode_message, dump[:cut])
        assert fast == outcome(generic_message, dump[:cut]), cut
        raised += fast[0] == "ProtocolError"
    assert raised > len(dump) // 2


def test_truncated_adt_raises() -> None:
    adt = kernel_adt([{"ip": ip4(n), "cidr": 24} for n in range(50)])
    for cut in (5, 17, len(adt) - 1):
        with pytest.raises(ProtocolError):
            wire.decode_adt(adt[:cut])
        assert outcome(wire.decode_adt, adt[:cut]) == outcome(generic_adt, adt[:cut])


def test_short_integer_raises_longer_one_is_cut() -> None:
    short = codec.pack_attr(7 | NLA_F_NESTED, codec.pack_attr(3, b""))  # a CIDR of 0 bytes
    with pytest.raises(ProtocolError):
        wire.decode_adt(short)
    longer = codec.pack_attr(7 | NLA_F_NESTED, codec.pack_attr(6 | 0x4000, b"\0\0\0\x05\xff"))
    assert wire.decode_adt(longer) == generic_adt(longer) == {"data": [{"timeout": 5}]}


def test_zero_length_attribute_header_raises() -> None:
    record = codec.pack_attr(7 | NLA_F_NESTED, b"\x00\x00\x03\x00" + b"\0" * 8)
    assert outcome(wire.decode_adt, record)[0] == "ProtocolError"
    assert outcome(wire.decode_adt, record) == outcome(generic_adt, record)


ODD_ADTS = {
    "empty": b"",
    "no DATA at all": codec.pack_attr(9, b"\1\0\0\0"),
    "empty records": codec.pack_attr(7 | NLA_F_NESTED, b"") * 5,
    "trailing bytes": kernel_adt([{"ip": ip4(1)}] * 3) + b"\0\0",
    "repeated key": codec.pack_attr(7, codec.pack_attr(3, b"\x08\0\0\0") * 2) * 3,
    "address nest of two": codec.pack_attr(
        7, codec.pack_attr(1 | NLA_F_NESTED, codec.pack_attr(9, b"xx") + codec.pack_attr(1, ip4(5)))
    )
    * 2,
    "inet6 type with 4 bytes": codec.pack_attr(
        7, codec.pack_attr(1 | NLA_F_NESTED, codec.pack_attr(2, ip4(5)))
    )
    * 2,
    "records of mixed layout": kernel_adt([{"ip": ip4(1)}, {"ip": ip6(1)}, {"ip": ip4(2)}]),
    "same size, other headers": kernel_adt([{"ip": ip4(1), "cidr": 8}, {"ip": ip4(2), "proto": 6}]),
    "unaligned record length": codec.pack_attr(7, codec.pack_attr(3, b"\x08"))[:-3] * 1,
}


@pytest.mark.parametrize("case", sorted(ODD_ADTS))
def test_odd_adt_equals_generic(case: str) -> None:
    assert outcome(wire.decode_adt, ODD_ADTS[case]) == outcome(generic_adt, ODD_ADTS[case])


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_large_dump_equals_generic(shape: str) -> None:
    elements = [{k: v for k, v in SHAPES[shape](n).items()} for n in range(3000)]
    adt = kernel_adt(elements)
    assert wire.decode_adt(adt) == generic_adt(adt)


def test_gc_paused_restores_gc() -> None:
    from ansible_collections.linux.netlink.plugins.module_utils._netlink.codec import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_dump_of_one_attribute_is_kept_as_its_column() -> None:
    """Bare members decode to a `wire.OneKey`: equal to the generic list of dicts, built as
    dicts only when read, and joined across replies without building any."""
    addresses = [bytes([10, 0, n >> 8, n & 0xFF]) for n in range(300)]
    adt = kernel_adt([{"ip": a} for a in addresses])
    found = wire.decode_adt(adt)["data"]
    assert isinstance(found, wire.OneKey) and found.values == addresses
    assert found == generic_adt(adt)["data"] and generic_adt(adt)["data"] == found
    assert found != [{"ip": a} for a in addresses[1:]] and found != "x"
    assert list(found) == [{"ip": a} for a in addresses]
    assert found[3] == {"ip": addresses[3]} and found[-1] == {"ip": addresses[-1]}
    assert found[1:3] == [{"ip": addresses[1]}, {"ip": addresses[2]}]
    assert len(found) == 300 and {"ip": addresses[7]} in found
    assert wire.column(found, "ip") is found.values
    assert wire.column([{"ip": b"1"}, {"ip": b"2"}], "ip") == [b"1", b"2"]
    with pytest.raises(KeyError):
        wire.column(found, "cidr")
    joined = wire.joined([found, wire.OneKey("ip", [b"\x01\x02\x03\x04"])])
    assert isinstance(joined, wire.OneKey) and joined.values == addresses + [b"\x01\x02\x03\x04"]
    mixed = wire.joined([found, [{"ip": b"\x01\x02\x03\x04", "cidr": 8}]])
    assert mixed == list(found) + [{"ip": b"\x01\x02\x03\x04", "cidr": 8}]
    assert wire.joined([]) == [] and wire.joined([wire.OneKey("cidr", [1]), found])[0] == {
        "cidr": 1
    }
    # IPv4 addresses stay packed back to back; `words` reads them as host-order integers
    packed = wire.decode_adt(adt)["data"]
    as_ints = [int.from_bytes(a, "big") for a in addresses]
    assert wire.words(packed, "ip") == as_ints == wire.words([{"ip": a} for a in addresses], "ip")
    assert [wire.word_bytes(w) for w in as_ints] == addresses
    assert len(packed) == 300 and packed == found and len(wire.joined([packed, packed])) == 600
    assert wire.words([{"ip": b"\x01\x02\x03\x04"}, {"ip": b"\x01"}], "ip") is None
    assert wire.words([{"ip": b"\x01\x02\x03\x04"}, {"cidr": 8}], "ip") is None
    assert wire.words([{"ip": None}], "ip") is None
    six = [bytes(15) + bytes([n]) for n in range(1, 40)]
    found6 = wire.decode_adt(kernel_adt([{"ip": a} for a in six]))["data"]
    assert isinstance(found6, wire.OneKey) and found6.values == six
    assert wire.words(found6, "ip") is None
