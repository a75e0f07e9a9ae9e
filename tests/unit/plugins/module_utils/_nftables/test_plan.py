# SPDX-License-Identifier: GPL-3.0-or-later
"""Datatypes, element parsing and element plans, as tables (the text forms are nft's)."""

from __future__ import annotations

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._nftables import plan as P
from ansible_collections.linux.netlink.plugins.module_utils._nftables import types as T
from ansible_collections.linux.netlink.plugins.module_utils._nftables.types import (
    NftInputError,
)
from hypothesis import given, settings
from hypothesis import strategies as st

BASE = dict(family="inet", table="t", name="s", map=None, flags=None, timeout=None,
            gc_interval=None, size=None, policy=None, auto_merge=False, counter=False,
            comment=None)


def spec(**kw):
    params = dict(BASE)
    params.update(kw)
    return P.set_spec(params)


# (type, input, wire hex, nft's text)
VALUES = [
    ("ipv4_addr", "192.0.2.1", "c0000201", "192.0.2.1"),
    ("ipv6_addr", "2001:DB8::1", "20010db8000000000000000000000001", "2001:db8::1"),
    ("ether_addr", "02:00:5E:10:00:01", "02005e100001", "02:00:5e:10:00:01"),
    ("inet_proto", "tcp", "06", "tcp"),
    ("inet_proto", "17", "11", "udp"),
    ("inet_service", "443", "01bb", "443"),
    ("mark", "0x10", "10000000", "0x00000010"),  # host byte order (x86: little-endian)
    ("ifname", "eth0", "65746830" + "00" * 12, "eth0"),
    ("ipv4_addr . inet_service", "10.0.0.1 . 80", "0a000001" "00500000", "10.0.0.1 . 80"),
    ("inet_proto . ifname", "tcp . lo", "06000000" "6c6f" + "00" * 14, "tcp . lo"),
]


@pytest.mark.parametrize("ktype,text,wire,shown", VALUES)
def test_values_round_trip(ktype, text, wire, shown):
    key = T.key_type(ktype)
    assert T.parse_value(key, text).hex() == wire
    assert T.format_value(key, bytes.fromhex(wire)) == shown
    assert T.parse_value(key, shown).hex() == wire


@pytest.mark.parametrize("ktype,text,message", [
    ("ipv4_addr", "300.0.0.1", "'300.0.0.1' is not an IPv4 address"),
    ("inet_service", "70000", "out of range for a port number"),
    ("inet_service", "\u0668\u0660", "is not a port number"),  # Arabic-Indic 80
    ("ether_addr", "02:00", "is not an Ethernet address"),
    ("ifname", "a" * 16, "is not an interface name"),
    ("ipv4_addr . inet_service", "10.0.0.1", "has 1 fields, the type ipv4_addr . inet_service"),
])
def test_bad_values(ktype, text, message):
    with pytest.raises(NftInputError, match=message):
        T.parse_value(T.key_type(ktype), text)


def test_unknown_type_is_named():
    with pytest.raises(NftInputError, match="type: unknown datatype 'ipv4'"):
        spec(type="ipv4")


@pytest.mark.parametrize("text,shown", [
    ("10.0.0.0/24", "10.0.0.0/24"), ("10.0.0.7/24", "10.0.0.0/24"),
    ("10.0.0.0-10.0.0.255", "10.0.0.0/24"), ("10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9"),
    ("10.0.0.1", "10.0.0.1"), ("0.0.0.0/0", "0.0.0.0/0"),
])
def test_intervals_shown_as_nft_does(text, shown):
    s = spec(type="ipv4_addr", flags=["interval"])
    assert P.format_element(s, P.parse_element(s, text).element) == shown


@pytest.mark.parametrize("value,ms", [(10, 10000), ("1h30m", 5400000), ("500ms", 500),
                                      ("1d", 86400000), ("90", 90000)])
def test_times(value, ms):
    assert P.parse_time(value, "timeout") == ms


def test_time_text():
    assert P.format_time(5400000) == "1h30m" and P.format_time(10500) == "10s500ms"
    with pytest.raises(NftInputError, match="timeout: '1x' is not a time"):
        P.parse_time("1x", "timeout")


def _plan(s, current, wanted, state):
    cur = [P.parse_element(s, c).element for c in current]
    items = [P.parse_element(s, w) for w in wanted]
    plan = P.plan_elements(s, cur, items, state)
    return sorted(P.labels(s, plan.delete)), sorted(P.labels(s, plan.add))


INTERVAL_PLANS = [
    # auto_merge, current, wanted, state, (delete, add)
    (True, ["10.0.0.0/24"], ["10.0.1.0/24"], "present", (["10.0.0.0/24"], ["10.0.0.0/23"])),
    (True, ["10.0.0.0/24"], ["10.0.0.5"], "present", ([], [])),
    (True, [], ["10.0.0.1-10.0.0.5", "10.0.0.6"], "present", ([], ["10.0.0.1-10.0.0.6"])),
    (False, [], ["10.0.0.1-10.0.0.5", "10.0.0.6"], "present",
     ([], ["10.0.0.1-10.0.0.5", "10.0.0.6"])),
    (True, ["10.0.0.0/23"], ["10.0.0.128/25"], "absent",
     (["10.0.0.0/23"], ["10.0.0.0/25", "10.0.1.0/24"])),
    (True, ["10.0.0.0/24"], ["10.0.0.0/24"], "absent", (["10.0.0.0/24"], [])),
    (False, ["10.0.0.0/24", "10.9.0.0/16"], ["10.0.0.0/25"], "exact",
     (["10.0.0.0/24", "10.9.0.0/16"], ["10.0.0.0/25"])),
    (False, ["10.0.0.0/24"], ["10.0.0.0-10.0.0.255"], "exact", ([], [])),
]


@pytest.mark.parametrize("merge,current,wanted,state,expected", INTERVAL_PLANS)
def test_interval_plans(merge, current, wanted, state, expected):
    s = spec(type="ipv4_addr", flags=["interval"], auto_merge=merge)
    assert _plan(s, current, wanted, state) == expected


def test_overlap_without_auto_merge_names_both():
    s = spec(type="ipv4_addr", flags=["interval"])
    with pytest.raises(NftInputError, match="element 10.0.0.5 overlaps element 10.0.0.0/24"):
        _plan(s, ["10.0.0.0/24"], ["10.0.0.5"], "present")


def test_map_plans_replace_changed_data():
    s = spec(type="inet_service", map="verdict")
    assert _plan(s, ["22 : accept", "80 : drop"], ["22 : drop"], "present") == (
        ["22 : accept"], ["22 : drop"])
    assert _plan(s, ["22 : accept", "80 : drop"], ["22 : accept"], "exact") == (
        ["80 : drop"], [])
    assert _plan(s, ["22 : accept"], ["22 : accept"], "present") == ([], [])


def test_timeouts_compare_with_the_set_default():
    s = spec(type="ipv4_addr", timeout="1h")
    current = [P.parse_element(s, "10.0.0.1").element]  # listed without its own timeout
    assert _plan(s, ["10.0.0.1"], [{"key": "10.0.0.1", "timeout": 3600}], "present") == ([], [])
    assert P.plan_elements(s, current, [P.parse_element(s, {"key": "10.0.0.1",
                                                            "timeout": "5m"})], "present").changed


@pytest.mark.parametrize("kw,element,message", [
    ({"type": "ipv4_addr"}, "10.0.0.1 : accept", "element 10.0.0.1: a set .not a map. takes"),
    ({"type": "ipv4_addr", "map": "verdict"}, "10.0.0.1", "element 10.0.0.1: the map needs"),
    ({"type": "ipv4_addr", "map": "verdict"}, "10.0.0.1 : jump", "jump needs one chain"),
    ({"type": "ipv4_addr"}, {"key": "10.0.0.1", "timeout": 5}, "the set has no timeout flag"),
    ({"type": "ipv4_addr"}, "10.0.0.0/24", "'10.0.0.0/24' is not an IPv4 address"),
])
def test_bad_elements_are_named(kw, element, message):
    with pytest.raises(NftInputError, match=message):
        P.parse_element(spec(**kw), element)


def test_set_options_checked():
    with pytest.raises(NftInputError, match="auto_merge: needs flags: interval"):
        spec(type="ipv4_addr", auto_merge=True)
    with pytest.raises(NftInputError, match="interval needs a key type ordered"):
        spec(type="mark", flags=["interval"])
    assert spec(type="ipv4_addr", timeout=60).flags == ("timeout",)


def test_set_differences_and_carry():
    a = spec(type="ipv4_addr", flags=["interval"])
    b = spec(type="ipv4_addr", flags=["interval"], size=10, comment="x")
    assert P.set_differences(a, b) == ["size", "comment"]
    elements = [P.parse_element(a, "10.0.0.0/24").element]
    assert P.carry_elements(a, b, elements) == elements
    plain = spec(type="ipv4_addr")
    with pytest.raises(NftInputError, match="holds the range 10.0.0.0/24"):
        P.carry_elements(a, plain, elements)
    with pytest.raises(NftInputError, match="another type"):
        P.carry_elements(a, spec(type="ipv6_addr"), elements)


def test_options_not_given_are_not_compared():
    current = spec(type="ipv4_addr", flags=["interval"], size=10, comment="kept")
    desired = spec(type="ipv4_addr", timeout="1m")
    merged = P.converge_spec(current, desired, {"type", "timeout"})
    assert merged.comment == "kept" and merged.size == 10
    assert merged.flags == ("interval", "timeout") and merged.timeout == 60000
    assert P.set_differences(current, merged) == ["flags", "timeout"]
    assert P.set_differences(current, P.converge_spec(current, spec(type="ipv4_addr"),
                                                      {"type"})) == []


# Concatenated ranges (pipapo): each element is the box from its first to its last key.
CONCAT_RANGES = [
    # input, (first key hex, last key hex), nft's text
    ("10.0.0.0/8 . 80-90", ("0a000000" "00500000", "0affffff" "005a0000"), "10.0.0.0/8 . 80-90"),
    ("192.168.1.1 . 22", ("c0a80101" "00160000", "c0a80101" "00160000"), "192.168.1.1 . 22"),
    ("10.0.0.7/8 . ssh", ("0a000000" "00160000", "0affffff" "00160000"), "10.0.0.0/8 . 22"),
    ("10.0.0.1-10.0.0.3 . 0-65535",
     ("0a000001" "00000000", "0a000003" "ffff0000"), "10.0.0.1-10.0.0.3 . 0-65535"),
]


@pytest.mark.parametrize("text,wire,shown", CONCAT_RANGES)
def test_concatenated_ranges_as_nft_stores_and_prints_them(text, wire, shown):
    s = spec(type="ipv4_addr . inet_service", flags=["interval"])
    element = P.parse_element(s, text).element
    assert (element.key.hex(), element.last.hex()) == wire
    assert P.format_element(s, element) == shown


CONCAT_PLANS = [
    # current, wanted, state, (delete, add)
    ([], ["10.0.0.0/8 . 80-90", "1.2.3.4 . 22"], "present",
     ([], ["1.2.3.4 . 22", "10.0.0.0/8 . 80-90"])),
    (["10.0.0.0/8 . 80-90"], ["10.0.0.0/8 . 80-90"], "present", ([], [])),
    (["10.0.0.0/8 . 80-90"], ["10.0.0.0/8 . 91-100"], "present", ([], ["10.0.0.0/8 . 91-100"])),
    (["10.0.0.0/8 . 80-90", "1.2.3.4 . 22"], ["1.2.3.4 . 22"], "exact",
     (["10.0.0.0/8 . 80-90"], [])),
    (["10.0.0.0/8 . 80-90", "1.2.3.4 . 22"], ["10.0.0.0/8 . 80-90", "9.9.9.9 . 9"], "absent",
     (["10.0.0.0/8 . 80-90"], [])),
    (["10.0.0.0/8 . 80-90"], ["10.0.0.0/8 . 85-95"], "exact",
     (["10.0.0.0/8 . 80-90"], ["10.0.0.0/8 . 85-95"])),
]


@pytest.mark.parametrize("current,wanted,state,expected", CONCAT_PLANS)
def test_concatenated_range_plans(current, wanted, state, expected):
    s = spec(type="ipv4_addr . inet_service", flags=["interval"])
    assert _plan(s, current, wanted, state) == expected


@pytest.mark.parametrize("current,wanted,state,message", [
    ([], ["10.0.0.0/8 . 80-90", "10.1.0.0/16 . 90-100"], "exact",
     "element 10.1.0.0/16 . 90-100 overlaps element 10.0.0.0/8 . 80-90 .ranges"),
    (["10.0.0.0/8 . 80-90"], ["10.0.0.1 . 85"], "present",
     "element 10.0.0.1 . 85 overlaps element 10.0.0.0/8 . 80-90 in the set .* kept whole"),
    (["10.0.0.0/8 . 80-90"], ["10.0.0.0/8 . 80-85"], "absent",
     "element 10.0.0.0/8 . 80-85 overlaps element 10.0.0.0/8 . 80-90 in the set .* removed"),
])
def test_concatenated_ranges_that_share_a_key_are_refused(current, wanted, state, message):
    s = spec(type="ipv4_addr . inet_service", flags=["interval"])
    with pytest.raises(NftInputError, match=message):
        _plan(s, current, wanted, state)


def test_concatenated_ranges_that_only_meet_in_one_field_are_disjoint():
    s = spec(type="ipv4_addr . inet_service", flags=["interval"])
    assert _plan(s, [], ["10.0.0.0/8 . 80", "10.0.0.0/8 . 81", "11.0.0.0/8 . 80"], "exact")[1] \
        == ["10.0.0.0/8 . 80", "10.0.0.0/8 . 81", "11.0.0.0/8 . 80"]


def test_concatenated_interval_options():
    with pytest.raises(NftInputError, match="auto_merge: ranges of a concatenated key"):
        spec(type="ipv4_addr . inet_service", flags=["interval"], auto_merge=True)
    s = spec(type="ipv4_addr . mark", flags=["interval"])
    with pytest.raises(NftInputError, match="element 10.0.0.1 . 1-2: '1-2' is not a mark"):
        P.parse_element(s, "10.0.0.1 . 1-2")
    assert P.format_element(s, P.parse_element(s, "10.0.0.0/24 . 7").element) == \
        "10.0.0.0/24 . 0x00000007"


def test_counters_compare_by_presence_never_by_value():
    s = spec(type="ipv4_addr")
    listed = P.parse_element(s, {"key": "10.0.0.1", "counter": True}).element._replace(
        counter=(7, 700))  # as the kernel lists it after traffic
    items = [P.parse_element(s, {"key": "10.0.0.1", "counter": True})]
    assert not P.plan_elements(s, [listed], items, "exact").changed
    plain = P.plan_elements(s, [listed], [P.parse_element(s, "10.0.0.1")], "exact")
    assert (P.labels(s, plain.delete), P.labels(s, plain.add)) == (
        ["10.0.0.1 counter"], ["10.0.0.1"])
    assert P.parse_element(s, "10.0.0.1 counter").element == items[0].element  # nft syntax
    with pytest.raises(NftInputError, match="element 10.0.0.1: counter: 'yes' is not true"):
        P.parse_element(s, {"key": "10.0.0.1", "counter": "yes"})
    every = spec(type="ipv4_addr", counter=True)  # every element has one: asking changes nothing
    assert not P.plan_elements(every, [listed], [P.parse_element(every, "10.0.0.1")],
                               "exact").changed
    assert P.format_element(every, listed) == "10.0.0.1"


def test_recreated_elements_keep_their_own_counter():
    old, new = spec(type="ipv4_addr"), spec(type="ipv4_addr", size=10)
    own = P.parse_element(old, {"key": "10.0.0.1", "counter": True}).element._replace(
        counter=(3, 30))
    assert P.carry_elements(old, new, [own])[0].counter == (0, 0)
    counted = spec(type="ipv4_addr", counter=True)
    assert P.carry_elements(counted, new, [own])[0].counter is None  # it was the set's


def test_elements_file_lines_comments_and_commas(tmp_path):
    path = tmp_path / "blocklist.txt"
    path.write_text("# blocklist\n10.0.0.1\n\n  10.0.0.2 ,\n10.0.0.3, # web\n2001:db8::1,\n"
                    "10.0.0.4 . 80\n   \n#\n", encoding="utf-8")
    assert P.read_elements_file(str(path)) == ["10.0.0.1", "10.0.0.2 ", "10.0.0.3",
                                               "2001:db8::1", "10.0.0.4 . 80"]
    with pytest.raises(NftInputError, match="^path: cannot read .*nope"):
        P.read_elements_file(str(tmp_path / "nope"))


@settings(max_examples=300)
@given(st.lists(st.text(alphabet=" \t#,.:0a\u00e9\r", max_size=12), max_size=8))
def test_elements_file_is_read_line_by_line(tmp_path_factory, lines):
    # What the file means, one line at a time: what precedes a "#", stripped, trailing
    # commas dropped, empty lines skipped (the whole-file steps of read_elements_file must
    # give the same for any text).
    path = tmp_path_factory.mktemp("f") / "elements.txt"
    text = "\n".join(lines)
    path.write_bytes(text.encode("utf-8"))
    expected = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().rstrip(",")
        if line:
            expected.append(line)
    assert P.read_elements_file(str(path)) == expected
