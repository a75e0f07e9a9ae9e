# SPDX-License-Identifier: GPL-3.0-or-later
"""Every accelerator in _nftables.accelerators.ACCELERATORS against its general path.

The walk of tests/unit/plugins/module_utils/_ipset/test_accelerators.py, for the nft table:
for each row the public function runs twice on the same generated input, as shipped and with
the accelerator replaced by one that always declines. Results must be equal, and an input one
side rejects the other must reject with the same error. A row without a driver fails.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._nftables import client as C
from ansible_collections.linux.netlink.plugins.module_utils._nftables import plan as P
from ansible_collections.linux.netlink.plugins.module_utils._nftables import types as T
from ansible_collections.linux.netlink.plugins.module_utils._nftables.accelerators import (
    ACCELERATORS,
)
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from accelerator_walk import Drivers, walk  # noqa: E402

PACKAGE = "ansible_collections.linux.netlink.plugins.module_utils._nftables."


def _spec(key: str, flags: Tuple[str, ...] = (), data: str = "") -> C.SetSpec:
    return C.SetSpec(
        "ip",
        "t",
        "s",
        T.key_type(key),
        T.key_type(data) if data else None,
        flags,
        timeout=5000 if "timeout" in flags else 0,
    )


SPECS = st.sampled_from([
    _spec("ipv4_addr"), _spec("ipv6_addr"), _spec("inet_service"), _spec("ether_addr"),
    _spec("ifname"), _spec("ipv4_addr", ("timeout",)), _spec("ipv4_addr", ("interval",)),
    _spec("ipv4_addr", (), "mark"), _spec("inet_service", ("interval",)),
])  # fmt: skip
# a few keys per size, so that plans see the same key on both sides
KEYS = st.one_of(
    st.sampled_from([b"\x0a\x00\x00\x01", b"\x0a\x00\x00\x02", b"\xc0\x00\x02\x07",
                     b"\x00\x50", b"\x01\xbb", b"\x00" * 16, b"\x01" * 16, b"\x02" * 6]),
    st.binary(min_size=1, max_size=18),
)  # fmt: skip


@st.composite
def elements(draw: Any, keys: Any = KEYS) -> C.Element:
    element = C.plain_element(draw(keys))
    if draw(st.integers(0, 3)) == 0:  # mostly bare keys
        element = element._replace(**draw(st.fixed_dictionaries({}, optional={
            "last": KEYS, "data": st.sampled_from([b"\0\0\0\1", (1, None)]),
            "timeout": st.sampled_from([0, 5000, 7000]), "expires": st.integers(0, 9),
            "comment": st.sampled_from(["", "x"]), "counter": st.just((1, 2)),
        })))  # fmt: skip
    return element


ELEMENT_LISTS = st.lists(elements(), max_size=12)

# ------------------------------------------------------------------ drivers


def element_bodies(module: Any, data: Any) -> Any:
    spec, base, repeat, delete = data
    return module.element_bodies(spec, base * repeat, delete)


def decode_elements(module: Any, data: Any) -> Any:
    return module.decode_elements(data)


@st.composite
def dump_payloads(draw: Any) -> bytes:
    spec = draw(SPECS)
    wires = [
        C.encode_element(spec, e.key, draw(st.sampled_from([0, 0, 0, 1])), e, n)
        for n, e in enumerate(draw(ELEMENT_LISTS), 1)
    ]
    payload = b"".join(wires)
    if payload and draw(st.integers(0, 4)) == 0:  # a damaged reply
        at = draw(st.integers(0, len(payload) - 1))
        payload = payload[:at] + draw(st.binary(max_size=3)) + payload[at + 1 :]
    return payload


def plan_elements(module: Any, data: Any) -> Any:
    spec, current, wanted, state = data
    items = [
        P.Item(P.format_element(spec, e) if len(e.key) == spec.key.length else "?", e)
        for e in wanted
    ]
    return module.plan_elements(spec, current, items, state)


def _sized(spec: C.SetSpec) -> Any:
    size = spec.key.length
    return st.one_of(KEYS.filter(lambda k: len(k) == size), st.binary(min_size=size, max_size=size))


@st.composite
def plans(draw: Any) -> Any:
    spec = draw(SPECS.filter(lambda s: "interval" not in s.flags))
    keys = _sized(spec)
    current = draw(st.lists(elements(keys), max_size=10))
    wanted = draw(
        st.lists(
            st.one_of(st.sampled_from(current or [C.plain_element(b"")]), elements(keys)),
            max_size=10,
        )
    )
    wanted = [e for e in wanted if len(e.key) == spec.key.length]
    return spec, current, wanted, draw(st.sampled_from(["present", "absent", "exact"]))


def parse_elements(module: Any, data: Any) -> Any:
    spec, raws = data
    return module.parse_elements(spec, raws)


TEXTS = st.one_of(
    st.sampled_from(["10.0.0.1", " 192.0.2.7 ", "2001:db8::1", "::", "10.0.0.300", "1.2.3",
                     "10.0.0.1\0", "\ud800", "10.0.0.1 : accept", "10.0.0.0/8", "", "0x10",
                     "255.255.255.255", "::ffff:1.2.3.4", "١.٢.٣.٤"]),
    st.text(max_size=12),
    st.builds(str, st.ip_addresses()),
    st.integers(0, 9),
    st.just({"key": "10.0.0.1"}),
)  # fmt: skip
ADDRESS_SPECS = st.sampled_from([
    _spec("ipv4_addr"), _spec("ipv6_addr"), _spec("ipv4_addr", ("timeout",)),
    _spec("ipv4_addr", ("interval",)), _spec("ipv4_addr", (), "mark"), _spec("inet_service"),
    _spec("ipv4_addr")._replace(counter=True), _spec("ipv6_addr . inet_service"),
])  # fmt: skip


def labels(module: Any, data: Any) -> Any:
    spec, items = data
    return module.labels(spec, items)


DRIVERS: Drivers = {
    ("client", "element_bodies"): (
        element_bodies,
        st.tuples(SPECS, ELEMENT_LISTS, st.sampled_from([1, 2, 700, 2400]), st.booleans()),
    ),
    ("client", "decode_elements"): (decode_elements, dump_payloads()),
    ("plan", "plan_elements"): (plan_elements, plans()),
    ("plan", "parse_elements"): (parse_elements, st.one_of(
        st.tuples(ADDRESS_SPECS, st.lists(TEXTS, max_size=8)),
        *[st.tuples(st.just(_spec(key)), st.lists(st.builds(
            lambda a, pad: pad + str(a) + pad, st.ip_addresses(v=v),
            st.sampled_from(["", " ", "\t"])), min_size=1, max_size=8).flatmap(
                lambda good: st.sampled_from([good, good + ["10.0.0.300"], [1] + good])))
          for key, v in (("ipv4_addr", 4), ("ipv6_addr", 6))])),
    ("plan", "labels"): (labels, st.one_of(
        st.tuples(ADDRESS_SPECS, ELEMENT_LISTS),
        *[st.tuples(st.just(_spec(key)), st.lists(elements(st.binary(min_size=n, max_size=n)),
                                                  min_size=1, max_size=8))
          for key, n in (("ipv4_addr", 4), ("ipv6_addr", 16))])),
}

# ------------------------------------------------------------------ the walk


(
    test_row_is_a_private_accelerator_of_its_public_function,
    test_accelerator_equals_general_path,
) = walk(PACKAGE, ACCELERATORS, DRIVERS, max_examples=300)


def test_uniform_batches_take_the_accelerators() -> None:
    """So that the walk above compares two paths, not the general path with itself."""
    spec = _spec("ipv4_addr")
    keys = [C.plain_element(bytes([10, 0, n // 256, n % 256])) for n in range(6000)]
    bodies = C._uniform_bodies(spec, keys, False)
    assert bodies is not None and len(bodies) == 2  # 5455 elements of 16 bytes a message
    assert C._plain_keys(bodies[1][0]) == [e.key for e in keys[len(bodies[0][1]) :]]
    items = [P.Item("x", e) for e in keys[10:]]
    plan = P._plain_plan(spec, keys[:100], items, "exact")
    assert plan is not None and plan.delete == keys[:10] and plan.add == keys[100:]
    assert C._uniform_bodies(spec, [keys[0]._replace(comment="x")], False) is None
    texts = ["10.0.%d.%d" % (n // 256, n % 256) for n in range(6000)]
    assert P._address_texts(spec, texts) == [P.Item(t, e) for t, e in zip(texts, keys)]
    assert P._address_labels(spec, keys) == texts
    assert P._address_texts(spec, texts + ["10.0.0.300"]) is None
    assert P._address_labels(spec, keys + [keys[0]._replace(comment="x")]) is None
    assert P._plain_plan(_spec("ipv4_addr", ("timeout",)), keys, items, "exact") is None
