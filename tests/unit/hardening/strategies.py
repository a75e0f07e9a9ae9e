# SPDX-License-Identifier: GPL-3.0-or-later
"""Hypothesis strategies for bad (and nearly good) input: entries, names, option values.

Each dimension of a set type gets fragments that are valid, nearly valid (off by one, out of
range, backwards, wrong family) and plain wrong (garbage, unicode, empty). Entries join the
fragments of a type with commas, sometimes with a dimension too many or too few, sometimes
followed by save-style options with bad values.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Text that tends to break parsers: unicode digits and letters, separators, controls, quotes.
NASTY = st.sampled_from(
    ["", " ", ",", "/", "-", ":", "\x00", "\n", '"', "'", "\\", "١٢", "٣", "ä", "é", "\u200b",
     "\ud800", "😀", "0x", "-1", "00", "1e3", "nan", "∞", "ǅ", "İ", "ﬁ", "\t", "%s", "{}"]
)  # fmt: skip
GARBAGE = st.one_of(
    st.text(max_size=12),
    st.text(alphabet="0123456789abcdefABCDEF.:/-x,", max_size=24),
    NASTY,
    st.lists(NASTY, min_size=1, max_size=4).map("".join),
)

_V4 = st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: "%d.%d.%d.%d" % t)
_V4_BAD = st.one_of(
    st.tuples(*[st.integers(0, 999)] * 4).map(lambda t: "%d.%d.%d.%d" % t),
    st.tuples(*[st.integers(0, 255)] * 3).map(lambda t: "%d.%d.%d" % t),
    st.just("1.2.3.4.5"),
    st.just("01.2.3.4"),
)
_V6 = st.sampled_from(["::1", "2001:db8::1", "::", "fe80::1%eth0", "2001:db8::/64",
                       "::ffff:1.2.3.4", "2001:db8:0:0:0:0:0:0:1", "2001:db8::g"])  # fmt: skip
CIDR = st.one_of(st.integers(-1, 130).map(str), st.just(""), st.just("٣٢"), st.just("+8"))
ADDRESS = st.one_of(_V4, _V4_BAD, _V6)
IP = st.one_of(
    ADDRESS,
    st.tuples(ADDRESS, CIDR).map("/".join),
    st.tuples(ADDRESS, ADDRESS).map("-".join),  # ranges, backwards half the time
    GARBAGE,
)
PROTO = st.sampled_from(["tcp", "udp", "sctp", "udplite", "icmp", "icmpv6", "ipv6-icmp", "gre",
                         "TCP", "foo", "0", "6", "256", "", "17"])  # fmt: skip
PORT_NUM = st.one_of(
    st.integers(-1, 70000).map(str), st.sampled_from(["http", "ssh", "nosuchsvc", "0x50", "080"])
)
PORT = st.one_of(
    PORT_NUM,
    st.tuples(PROTO, PORT_NUM).map(":".join),
    st.tuples(PROTO, PORT_NUM, PORT_NUM).map(lambda t: "%s:%s-%s" % t),
    st.tuples(st.just("icmp"), st.sampled_from(["ping", "echo-reply", "3/4", "256/1", "x/y"]))
    .map(":".join),
    GARBAGE,
)
MAC = st.one_of(
    st.lists(st.integers(0, 300).map("%x".__mod__), min_size=5, max_size=7).map(":".join),
    GARBAGE,
)
MARK = st.one_of(
    st.integers(-1, 1 << 33).map(str), st.integers(0, 1 << 33).map(hex), GARBAGE
)
NAME = st.one_of(
    st.text(min_size=0, max_size=40),
    st.integers(0, 40).map(lambda n: "n" * n),
    st.integers(0, 20).map(lambda n: "é" * n),  # two bytes a character: over the byte limit
    GARBAGE,
)
IFACE = st.one_of(NAME, NAME.map("physdev:".__add__))
DIMENSION = {"ip": IP, "net": IP, "port": PORT, "mac": MAC, "mark": MARK, "iface": IFACE,
             "set": NAME}  # fmt: skip

INTEGER = st.one_of(
    st.integers(-(1 << 40), 1 << 40),
    st.sampled_from([0, -1, 1, 255, 256, 65535, 65536, 2147483, 2147484, (1 << 32) - 1, 1 << 32,
                     (1 << 64) - 1, 1 << 64]),
)  # fmt: skip
OPTION_VALUE = st.one_of(INTEGER, INTEGER.map(str), GARBAGE, st.booleans(), st.none())
COMMENT = st.one_of(
    st.text(max_size=300), st.integers(250, 300).map(lambda n: "c" * n), NASTY, INTEGER
)


def tail_options() -> st.SearchStrategy[str]:
    """Save-style options after an entry, with good and bad values."""
    word = st.sampled_from(["timeout", "comment", "skbmark", "skbprio", "skbqueue", "packets",
                            "bytes", "nomatch", "wildcard", "before", "after",
                            "bogus"])  # fmt: skip
    value = st.one_of(INTEGER.map(str), GARBAGE.map(lambda t: '"%s"' % t), st.just(""))
    pair = st.tuples(word, value).map(" ".join)
    return st.lists(st.one_of(pair, word), max_size=3).map(" ".join)


@st.composite
def entry_text(draw: st.DrawFn, dims: tuple) -> str:
    """An entry for a type with ``dims``: sometimes a dimension too many or too few."""
    count = len(dims) + draw(st.sampled_from([0, 0, 0, 0, -1, 1]))
    parts = [draw(DIMENSION[dims[i] if i < len(dims) else "ip"]) for i in range(max(count, 0))]
    text = ",".join(parts)
    if draw(st.integers(0, 4)) == 0:
        text += " " + draw(tail_options())
    return text


@st.composite
def entry_item(draw: st.DrawFn, dims: tuple) -> object:
    """An item of the module's ``entries``: a string, a dict, or something else entirely."""
    kind = draw(st.integers(0, 9))
    if kind < 6:
        return draw(entry_text(dims))
    if kind < 9:
        item = {"entry": draw(st.one_of(entry_text(dims), INTEGER, st.none()))}
        for key in draw(st.lists(st.sampled_from(["timeout", "comment", "skbmark", "skbprio",
                                                  "skbqueue", "nomatch", "before", "bogus"]),
                                 max_size=2)):  # fmt: skip
            item[key] = draw(st.one_of(OPTION_VALUE, COMMENT))
        return item
    return draw(st.one_of(INTEGER, st.none(), st.lists(st.integers(), max_size=2)))
