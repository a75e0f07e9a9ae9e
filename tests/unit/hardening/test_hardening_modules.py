# SPDX-License-Identifier: GPL-3.0-or-later
"""Generated bad options for every ipset module, run through main() (issue 7, bullet 1).

Each module's main() runs in this process against the fake ipset kernel (`fakeipset`) with
options drawn from `strategies`. Invariants: main() ends in exit_json or fail_json, never in
an exception; a failure names one of the options it was given (or the entry); and a failed
task leaves the fake kernel's sets exactly as they were.
"""

from __future__ import annotations

from typing import Any, Dict

import pytest

pytest.importorskip("ansible")

import fakeipset  # noqa: E402
import modrun  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import (
    typetable,
)
from hardening import PROPERTY  # noqa: E402
from hypothesis import assume, event, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import COMMENT, GARBAGE, INTEGER, NAME, OPTION_VALUE, entry_item  # noqa: E402

SET_OPTIONS = ("timeout", "counters", "comment", "skbinfo", "forceadd", "hashsize", "maxelem",
               "bucketsize", "netmask", "bitmask", "markmask", "range", "size")  # fmt: skip
TYPES = sorted(typetable.SET_TYPES)
# Sets the fake kernel holds before each ipset_entry case: one per type.
EXISTING = {
    "s-" + name.replace(":", "-").replace(",", "-"): name for name in TYPES
}


def _kernel() -> fakeipset.FakeIpset:
    kernel = fakeipset.FakeIpset()
    for setname, settype in EXISTING.items():
        family = "inet" if typetable.SET_TYPES[settype].families else ""
        data: Dict[str, Any] = {"timeout": 300, "cadt_flags": 0x10}  # timeout and comment
        if settype.startswith("bitmap:ip"):
            data.update(ip=b"\x0a\x00\x00\x00", ip_to=b"\x0a\x00\x00\xff")
        elif settype == "bitmap:port":
            data.update(port=0, port_to=1024)
        kernel.add_set(setname, settype, family, **data)
    return kernel


def _names_an_option(message: str, args: Dict[str, Any]) -> bool:
    """The message names an option given, or quotes a name given, or names the entry."""
    keys = [k for k in args if not k.startswith("_")]
    values = [repr(args[k]) for k in ("name", "set") if isinstance(args.get(k), str)]
    values += [repr(v) for v in args.get("names", ()) if isinstance(v, str)]
    return any(k in message for k in keys + values) or message.startswith("entry ")


def _encodable(value: Any) -> bool:
    """AnsibleModule itself cannot log a string option holding a lone surrogate
    (basic.py _log_invocation encodes it) or, from ansible-core 2.19 on, a NUL (syslog), so
    such top-level strings are not ours to test; inside lists they reach the collection's
    code, and are tested there (and in test_netns_name_with_nul)."""
    if not isinstance(value, str):
        return True
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _run_bad(name: str, args: Dict[str, Any], monkeypatch: Any, tmp_path: Any) -> None:
    assume(all(_encodable(v) for v in args.values()))
    kernel = _kernel()
    before = fakeipset.snapshot(kernel)
    outcome = modrun.run(name, dict(args), kernel, monkeypatch, str(tmp_path))
    event("%s %s" % (name, "failed" if outcome.failed else "ok"))
    if outcome.failed:
        message = outcome.result["msg"]
        assert _names_an_option(message, args), (args, message)
        assert kernel.state() == before, (args, message)


@st.composite
def ipset_args(draw: st.DrawFn) -> Dict[str, Any]:
    args: Dict[str, Any] = {
        "name": draw(st.one_of(NAME, st.sampled_from(list(EXISTING)))),
        "type": draw(st.one_of(st.sampled_from(TYPES), GARBAGE)),
    }
    if draw(st.booleans()):
        args["family"] = draw(st.one_of(st.sampled_from(["inet", "inet6"]), GARBAGE))
    if draw(st.integers(0, 5)) == 0:
        args["state"] = draw(st.one_of(st.sampled_from(["present", "absent"]), GARBAGE))
    for option in draw(st.lists(st.sampled_from(SET_OPTIONS), max_size=3, unique=True)):
        args[option] = draw(OPTION_VALUE)
    if draw(st.integers(0, 5)) == 0:
        args["netns"] = draw(GARBAGE)
    args["_check"] = draw(st.booleans())
    return args


@PROPERTY
@given(args=ipset_args())
def test_ipset_module_options(args: Dict[str, Any], monkeypatch: Any, tmp_path: Any) -> None:
    _run_bad("ipset", args, monkeypatch, tmp_path)


@st.composite
def entry_args(draw: st.DrawFn) -> Dict[str, Any]:
    setname = draw(st.one_of(st.sampled_from(list(EXISTING)), NAME))
    dims = typetable.SET_TYPES[EXISTING.get(setname, "hash:ip")].dims
    args: Dict[str, Any] = {
        "set": setname,
        "entries": draw(st.lists(entry_item(dims), max_size=4)),
        "state": draw(st.sampled_from(["present", "absent", "exact"])),
        "atomic": draw(st.booleans()),
    }
    for option in draw(st.lists(st.sampled_from(["timeout", "comment", "skbmark", "skbprio",
                                                 "skbqueue", "nomatch", "refresh_timeout"]),
                                max_size=2, unique=True)):  # fmt: skip
        args[option] = draw(st.one_of(OPTION_VALUE, COMMENT, INTEGER))
    args["_check"] = draw(st.booleans())
    return args


@PROPERTY
@given(args=entry_args())
def test_ipset_entry_module_options(args: Dict[str, Any], monkeypatch: Any, tmp_path: Any) -> None:
    _run_bad("ipset_entry", args, monkeypatch, tmp_path)


@PROPERTY
@given(
    names=st.lists(st.one_of(NAME, st.sampled_from(list(EXISTING))), max_size=3),
    members=st.booleans(),
)
def test_ipset_info_module_options(
    names: list, members: bool, monkeypatch: Any, tmp_path: Any
) -> None:
    _run_bad("ipset_info", {"names": names, "members": members, "types": False},
             monkeypatch, tmp_path)  # fmt: skip


@pytest.mark.parametrize(
    "module,args",
    [
        ("ipset", {"name": "x" * 32, "type": "hash:ip"}),
        ("ipset", {"name": "é" * 16, "type": "hash:ip"}),
        ("ipset", {"name": "a", "type": "hash:ip", "timeout": 2147484}),
        ("ipset", {"name": "a", "type": "hash:ip", "hashsize": -1}),
        ("ipset", {"name": "a", "type": "bitmap:ip", "range": "10.0.0.9-10.0.0.1"}),
        ("ipset", {"name": "a", "type": "bitmap:ip", "range": "10.0.0.0/8"}),
        ("ipset", {"name": "a", "type": "bitmap:port", "range": "9-1"}),
        ("ipset_entry", {"set": "s-hash-ip", "entries": ["10.0.0.1", "10.0.0.300"]}),
        ("ipset_entry", {"set": "s-hash-ip", "entries": ["10.0.0.1"], "timeout": -5}),
        ("ipset_entry", {"set": "s-hash-ip", "entries": ["10.0.0.1"], "comment": "c" * 256}),
        ("ipset_entry", {"set": "s-hash-ip", "entries": [{"entry": 4294967296}]}),
        ("ipset_entry", {"set": "s-hash-ip", "entries": ["10.0.0.1"], "entries_file": "/nonex"}),
        ("ipset_entry", {"set": "nosuchset", "entries": ["10.0.0.1"]}),
        ("ipset_info", {"names": ["\ud800"]}),
    ],
)
def test_pinned_bad_module_options(
    module: str, args: Dict[str, Any], monkeypatch: Any, tmp_path: Any
) -> None:
    kernel = _kernel()
    before = fakeipset.snapshot(kernel)
    outcome = modrun.run(module, dict(args), kernel, monkeypatch, str(tmp_path))
    assert outcome.failed, outcome
    assert _names_an_option(outcome.result["msg"], args), outcome.result["msg"]
    assert kernel.state() == before


@pytest.mark.parametrize("netns", ["a\x00b", "/no/such\x00ns"])
def test_netns_name_with_nul(netns: str) -> None:
    """ansible-core 2.19+ refuses a NUL in any option before the module runs; 2.16 does not."""
    from ansible_collections.linux.netlink.plugins.module_utils._netlink import netns as ns
    from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (
        NamespaceError,
    )

    with pytest.raises(NamespaceError, match="netns"):
        ns.netns_path(netns)
