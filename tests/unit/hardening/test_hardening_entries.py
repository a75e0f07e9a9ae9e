# SPDX-License-Identifier: GPL-3.0-or-later
"""Generated bad input for the entry parser, every set type and family (issue 7, bullet 1).

For entries in every form (`strategies.entry_item`) `parse_entries` either returns entries
or raises `IpsetInputError` naming the entry; nothing else comes out. What it accepts must
survive the way to the kernel and back: it encodes to attributes, and the key formatted from
those attributes (what the next run reads back from the kernel) is the key it parsed, so a
second run is idempotent.
"""

from __future__ import annotations

from typing import Any

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import typetable, wire
from ansible_collections.linux.netlink.plugins.module_utils._ipset.listing import (
    entry_from_kernel,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.parse import (
    parse_entries,
)
from hardening import PROPERTY
from hypothesis import given
from hypothesis import strategies as st
from strategies import entry_item

CASES = [
    (name, family)
    for name, settype in sorted(typetable.SET_TYPES.items())
    for family in (settype.families or ("",))
]


def _check(settype: str, family: str, item: Any) -> bool:
    """True when the parser accepted `item` (and it survived the way to the kernel and back),
    False when it refused it with a message naming the entry."""
    fam = family or None
    try:
        entries = parse_entries([item], settype, fam, max_expand=256)
    except typetable.IpsetInputError as exc:
        message = str(exc)
        assert message.startswith("entry "), message
        if isinstance(item, str):
            assert item in message, (item, message)
        return False
    for entry in entries:
        element = dict(entry.data)
        element.update((k, v) for k, v in entry.ext.items() if k not in ("nomatch", "wildcard"))
        wire.encode_element(element)  # raises ValueError if the kernel could not be sent it
        back = entry_from_kernel(settype, fam, entry.data)
        assert back.key == entry.key, (item, entry)
    return True


@pytest.mark.parametrize("settype,family", CASES, ids=["%s-%s" % c for c in CASES])
@PROPERTY
@given(data=st.data())
def test_entry_input_is_typed_and_named(settype: str, family: str, data: st.DataObject) -> None:
    item = data.draw(entry_item(typetable.SET_TYPES[settype].dims), label="item")
    _check(settype, family, item)


# Cases the generator found or that are worth pinning: (type, family, item), each refused.
# The ipset CLI refuses every one it can be given too: tests/kernel/test_hardening_kernel.py
# runs `ipset add` with each (CLI_FORMS there), on the types this kernel has. Two kinds are
# refused by this collection only, on purpose, and are pinned in REFUSED_BY_DESIGN below.
PINNED = [
    ("hash:ip", "inet", "10.0.0.0/33"),
    ("hash:ip", "inet", "10.0.0.0/٣"),  # a unicode digit is a digit to str.isdigit()
    ("hash:net", "inet", "10.0.0.0/٢٤"),
    ("hash:net", "inet", "0.0.0.0-255.255.255.255"),
    ("hash:ip,port", "inet", "10.0.0.1,tcp:٨٠"),
    ("hash:ip,port", "inet", "10.0.0.1,tcp:70000"),
    ("hash:ip,port", "inet", "10.0.0.1,icmp:256/1"),
    ("hash:ip,port", "inet6", "::1,icmp:ping"),
    ("bitmap:port", "", "٨٠"),
    ("bitmap:port", "", "70000"),
    ("hash:ip,mark", "inet", "10.0.0.1,0x100000000"),
    ("hash:ip,mark", "inet", "10.0.0.1,-1"),
    ("hash:net,iface", "inet", "10.0.0.0/8,eth0eth0eth0eth0x"),  # 16 bytes: IFNAMSIZ - 1 is 15
    ("hash:net,iface", "inet", "10.0.0.0/8,éééééééé"),  # 16 bytes in 8 characters
    ("list:set", "", "s" * 32),
    ("list:set", "", "é" * 16),
    ("hash:mac", "", "00:11:22:33:44:5g"),
    ("hash:ip", "inet", "10.0.0.1 timeout 2147484"),
    ("hash:ip", "inet", "10.0.0.1 timeout ١"),
    ("hash:ip", "inet", '10.0.0.1 comment "%s"' % ("c" * 256)),
    ("hash:ip", "inet", {"entry": "10.0.0.1", "comment": "é" * 128}),
    ("hash:ip", "inet", {"entry": "10.0.0.1", "timeout": -1}),
    ("hash:ip", "inet", {"entry": "10.0.0.1", "skbqueue": 65536}),
    ("hash:ip", "inet", ""),
    ("hash:ip", "inet", " "),
    ("hash:ip", "inet", 17),
    ("hash:ip", "inet", "\ud800"),
    # lone surrogates (JSON can carry them) in names and comments: not encodable, so refused
    ("list:set", "", "\ud800"),
    ("hash:net,iface", "inet", "10.0.0.0/8,eth\udcff"),
    ("hash:ip", "inet", {"entry": "10.0.0.1", "comment": "\ud800"}),
    ("list:set", "", {"entry": "a", "before": "\ud800"}),
]


# Refused here although `ipset add` (v7.17, Linux 6.18) takes it: a skbmark mask wider than 32
# bits, which the CLI silently truncates ("0x1/0x100000000" is stored as 0x1/0x0). Backwards
# ranges, once here, are taken as the CLI takes them (the kernel swaps the ends; see
# tests/kernel/test_ipset_cli_forms.py). The kernel test checks the CLI still takes this one.
REFUSED_BY_DESIGN = [
    ("hash:ip", "inet", {"entry": "10.0.0.1", "skbmark": "0x1/0x100000000"}),
]


@pytest.mark.parametrize("settype,family,item", PINNED + REFUSED_BY_DESIGN,
                         ids=[repr(p[2])[:40] for p in PINNED + REFUSED_BY_DESIGN])  # fmt: skip
def test_pinned_bad_entries_are_refused(settype: str, family: str, item: Any) -> None:
    assert _check(settype, family, item) is False, "accepted: %r" % (item,)
