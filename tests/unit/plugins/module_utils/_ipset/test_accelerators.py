# SPDX-License-Identifier: GPL-3.0-or-later
"""Every accelerator in _ipset.accelerators.ACCELERATORS against its general path.

For each row, the public function runs twice on the same generated input: as shipped, and
with the accelerator replaced by one that always declines (so the general path answers).
Results must be equal, and an input one side rejects the other must reject with the same
error. A row needs a driver here (how to call the public function, and inputs that reach
both paths); a row without one fails.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import tempfile
from typing import Any

from ansible_collections.linux.netlink.plugins.module_utils._ipset.accelerators import (
    ACCELERATORS,
)
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from accelerator_walk import Drivers, walk  # noqa: E402

PACKAGE = "ansible_collections.linux.netlink.plugins.module_utils._ipset."

# ------------------------------------------------------------------ read_entries_file

# Lines as they occur in entry files, and near misses of the one-word form.
LINES = st.sampled_from(
    [
        "10.0.0.1", "192.0.2.7/32", "2001:db8::1", "10.0.0.1,tcp:80", "10.0.0.0/8,eth0",
        "#x", "# a comment", "add bl 10.0.0.2", "add bl", "add", "create bl hash:ip",
        "add other 10.0.0.8", "create other hash:net", "-exist", "COMMIT", "flush",
        "10.0.0.3 timeout 5", '10.0.0.4 comment "a b"', "", " ", "\t10.0.0.5", "10.0.0.6 ",
        "caf\u00e9", "10.0.0.7\u00a0", "\u0661\u0660.0.0.1",
    ]
)  # fmt: skip
ENDS = st.sampled_from(
    ["\n", "\n", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85",
     "\u2028", "\u2029", ""]
)  # fmt: skip
TEXT = st.one_of(
    st.lists(st.tuples(LINES, ENDS), max_size=12).map(lambda p: "".join(a + b for a, b in p)),
    st.lists(st.sampled_from(["10.0.0.1", "10.0.0.22", "::1", "x"]), max_size=12).map(
        lambda words: "".join(w + "\n" for w in words)
    ),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)
FILE = st.one_of(TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=40))


def read_entries_file(module: Any, data: bytes) -> Any:
    # the same path for both sides: it is part of the error messages compared
    path = os.path.join(tempfile.gettempdir(), "linux-netlink-accel-%d" % os.getpid())
    with open(path, "wb") as handle:
        handle.write(data)
    try:
        return module.read_entries_file(path, "bl", "hash:ip")
    finally:
        os.unlink(path)


# ------------------------------------------------------------------ parse_entries

# Items each fast parser reads, and near misses of them: the short and octal forms, Unicode
# digits, leading zeros, out-of-range numbers, the zero address, other families, options.
HOSTS4 = [
    "10.0.0.1", "192.0.2.255", "0.0.0.0", "10.1", "010.0.0.1", "10.0.0.01", "1.2.3.4.5",
    "\u0661\u0660.0.0.1", "10.0.0.1-10.0.0.3", "10.0.0.1 timeout 5", " 10.0.0.1", "10.0.0.1 ",
    "", "x", "::1", "::", "2001:db8::1", "2001:DB8:0::1", "::ffff:10.0.0.1",
]  # fmt: skip
NETS4 = [
    "10.0.0.0/8", "10.0.0.1/24", "10.0.0.1/32", "10.0.0.1/0", "10.0.0.1/33", "10.0.0.1/024",
    "10.0.0.1/08", "10.0.0.1/", "10.0.0.1/\u0662\u0664", "10.0.0.1/\uff12", "10.0.0.1/1",
    "10.0.0.1/ 8", "10.0.0.1/+8", "10.0.0.1/-8", "10.1/16", "2001:db8::/32",
]  # fmt: skip
PORTS4 = [
    "10.0.0.1,tcp:80", "10.0.0.1,udp:0", "10.0.0.1,sctp:65535", "10.0.0.1,udplite:65536",
    "10.0.0.1,tcp:080", "10.0.0.1,tcp:00", "10.0.0.1,TCP:80", "10.0.0.1,tcp:\u0668\u0660",
    "10.0.0.1,tcp:http", "10.0.0.1,icmp:ping", "10.0.0.1,80", "0.0.0.0,tcp:80",
    "10.0.0.1,tcp:1-3", "10.1,tcp:80", "2001:db8::1,tcp:80", "10.0.0.1,tcp:123456",
    "10.0.0.1,tcp:+80", "10.0.0.1,tcp: 80", "10.0.0.1,tcp:8\u0660", "10.0.0.1/32,tcp:80",
]  # fmt: skip
ITEMS = {"hash:ip": HOSTS4, "hash:net": HOSTS4 + NETS4, "hash:ip,port": HOSTS4[:3] + PORTS4}
DEFAULTS = [{}, {}, {}, {"timeout": 5}, {"comment": "x"}, {"nomatch": True}, {"netmask": 24}]


@st.composite
def parse_cases(draw: Any) -> Any:
    settype = draw(st.sampled_from(sorted(ITEMS)))
    one = st.sampled_from(ITEMS[settype])
    as_dict = st.builds(lambda e: {"entry": e}, one)
    items = draw(st.lists(st.one_of(one, one, one, st.text(max_size=12), as_dict), max_size=4))
    family = draw(st.sampled_from(["inet", "inet", "inet6"]))
    return settype, family, items, draw(st.sampled_from(DEFAULTS))


PARSE = parse_cases()


def parse_entries(module: Any, data: Any) -> Any:
    settype, family, items, options = data
    options = dict(options)
    netmask = options.pop("netmask", None)
    return module.parse_entries(items, settype, family, netmask=netmask, defaults=options)


# ------------------------------------------------------------------ entries.plan

HOSTS = st.sampled_from(
    ["192.0.2.1", "192.0.2.2", "192.0.2.3", "10.1", "0.0.0.0", "192.0.2.0/31", "2001:db8::1",
     "2001:DB8::1", "::", "192.0.2.4 timeout 5"]
)  # fmt: skip
PLAN = st.tuples(
    st.sampled_from(["inet", "inet6"]),
    st.lists(st.sampled_from(["192.0.2.1", "192.0.2.2", "2001:db8::1", "2001:db8::2"]),
             max_size=4),
    st.lists(HOSTS, max_size=6),
    st.sampled_from(["present", "absent", "exact"]),
    st.sampled_from([{}, {"comment": None}, {"timeout": 5}, {"refresh_timeout": True},
                     {"atomic": True}]),
    st.sampled_from([{}, {"netmask": 24}, {"cadt_flags": 16}, {"cadt_flags": 1}]),
    st.booleans(),  # the members as a dump of bare addresses decodes them (a wire.OneKey)
)  # fmt: skip


def plan(module: Any, data: Any) -> Any:
    from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi, wire
    from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import SetInfo
    from ansible_collections.linux.netlink.plugins.module_utils._ipset.parse import (
        parse_entries as parse,
    )
    from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec

    family, have, want, state, options, create, bare = data
    listed = [dict(e.data, timeout=600) for e in parse(have, "hash:ip", family)
              if len(e.data["ip"]) == (16 if family == "inet6" else 4)]  # fmt: skip
    if bare and listed:
        dump = codec.encode(uapi.IPSET_ATTR_ADT_NEST, {"data": [{"ip": m["ip"]} for m in listed]})
        listed = wire.decode_adt(dump)["data"]
        assert isinstance(listed, wire.OneKey)
    info = SetInfo("s", "hash:ip", family, 6, dict({"timeout": 0}, **create), listed)
    made = module.plan(info, want, state, options).plan
    # what is sent and what the module reports; deletes go in address order on one side
    return (
        made.changed, made.updated, [(e.key, e.data, e.ext) for e in made.add],
        module.lines(made.add), module.lines(made.delete),
        sorted(e.data["ip"] for e in made.delete),
    )  # fmt: skip


# ------------------------------------------------------------------ wire.decode_adt

# Elements as a kernel dump lists them: mostly one shape per dump (the accelerator's case),
# sometimes mixed shapes, families or variable-size attributes, sometimes cut short.
VALUES = {
    "ip": st.one_of(st.binary(min_size=4, max_size=4), st.binary(min_size=16, max_size=16)),
    "cidr": st.integers(0, 255),
    "port": st.integers(0, 0xFFFF),
    "proto": st.integers(0, 255),
    "timeout": st.integers(0, 0xFFFFFFFF),
    "cadt_flags": st.integers(0, 0xFFFFFFFF),
    "ether": st.binary(min_size=6, max_size=6),
    "packets": st.integers(0, (1 << 64) - 1),
    "comment": st.text("ab ", max_size=3),
    "iface": st.text("eth0", min_size=1, max_size=4),
}


@st.composite
def adt_cases(draw: Any) -> bytes:
    from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi
    from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec

    keys = draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=4, unique=True))
    element = st.fixed_dictionaries({k: VALUES[k] for k in keys})
    same = draw(st.lists(element, min_size=1, max_size=5))
    if draw(st.booleans()):  # the same values, so that the layout repeats exactly
        same = [same[0]] * len(same)
    other = draw(st.lists(st.fixed_dictionaries({"ip": VALUES["ip"]}), max_size=2))
    data = codec.encode(uapi.IPSET_ATTR_ADT_NEST, {"data": same + other})
    cut = draw(st.sampled_from([None, None, None, 1, 3, 4, 7]))
    return data if cut is None else data[:-cut]


def decode_adt(module: Any, data: bytes) -> Any:
    return module.decode_adt(data)


# ------------------------------------------------------------------ format_entry, keys_from_kernel

ADDRESS = st.one_of(
    st.binary(min_size=4, max_size=4), st.binary(min_size=16, max_size=16), st.binary(max_size=5)
)
MEMBER = st.one_of(
    st.fixed_dictionaries({"ip": ADDRESS}),
    st.fixed_dictionaries({"ip": ADDRESS, "cidr": st.integers(0, 130)}),
    st.fixed_dictionaries(
        {"ip": ADDRESS, "proto": st.sampled_from([1, 6, 17, 47, 58, 132, 136, 255]),
         "port": st.integers(0, 0xFFFF)}
    ),
    st.fixed_dictionaries({"ip": st.none()}),
    st.just({}),
)  # fmt: skip
FORMATTED = st.tuples(st.sampled_from(["hash:ip", "hash:net", "hash:ip,port", "bitmap:ip"]),
                      st.sampled_from(["inet", "inet6"]), MEMBER)  # fmt: skip
KEYED = st.tuples(st.sampled_from(["hash:ip", "hash:net", "hash:ip,port"]),
                  st.sampled_from(["inet", "inet6"]), st.lists(MEMBER, max_size=4))  # fmt: skip


def format_entry(module: Any, data: Any) -> Any:
    # a malformed member: both sides raise one of these, which key_from_kernel reports as a
    # ProtocolError naming the member; which of the three is the same kind of error
    try:
        return module.format_entry(*data)
    except (KeyError, TypeError, ValueError):
        return "malformed"


def keys_from_kernel(module: Any, data: Any) -> Any:
    return module.keys_from_kernel(*data)


# ------------------------------------------------------------------ the walk

DRIVERS: Drivers = {
    (("entries_file", "read_entries_file")): (read_entries_file, FILE),
    ("parse", "parse_entries"): (parse_entries, PARSE),
    (("entries", "plan")): (plan, PLAN),
    ("listing", "format_entry"): (format_entry, FORMATTED),
    ("listing", "keys_from_kernel"): (keys_from_kernel, KEYED),
    ("wire", "decode_adt"): (decode_adt, adt_cases()),
}


(
    test_row_is_a_private_accelerator_of_its_public_function,
    test_accelerator_equals_general_path,
) = walk(PACKAGE, ACCELERATORS, DRIVERS, max_examples=400)


def test_every_accelerator_has_a_row() -> None:
    """A ``_fast_*`` function in any _ipset module without a row in the table fails here."""
    rows = {(row.module, row.fast) for row in ACCELERATORS}
    folder = os.path.dirname(importlib.import_module(PACKAGE + "accelerators").__file__)
    found = set()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            module = importlib.import_module(PACKAGE + name[:-3])
            for attr, value in vars(module).items():
                if attr.startswith("_fast_") and inspect.isfunction(value):
                    found.add((name[:-3], attr))
    assert found, "no accelerator found: the scan is broken"
    assert found <= rows, "accelerators without a row: %s" % sorted(found - rows)


def test_a_plain_blocklist_takes_the_accelerator() -> None:
    """So that the walk above compares two paths, not the general path with itself."""
    from ansible_collections.linux.netlink.plugins.module_utils._ipset import entries_file

    assert entries_file._one_word_lines("10.0.0.1\n192.0.2.0/24\n\n2001:db8::1") == [
        "10.0.0.1",
        "192.0.2.0/24",
        "2001:db8::1",
    ]
    assert entries_file._one_word_lines("10.0.0.1\r\n") is None
    assert entries_file._one_word_lines("# list\n10.0.0.1\n") is None
