# SPDX-License-Identifier: GPL-3.0-or-later
"""nf_tables sets, maps and elements against the running kernel, ``nft -j list`` as the oracle.

Each test works in a fresh network namespace (the `netns` fixture of conftest.py) and checks
what the kernel holds with the nft CLI, never with our own reader. Observed on Linux 6.18.44
with nftables 1.0.6.
"""

from __future__ import annotations

import ipaddress
import json
import random
import shutil
import subprocess
import sys
import threading
import time
from typing import Any, Dict, List, Tuple

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._nftables import client as C
from ansible_collections.linux.netlink.plugins.module_utils._nftables import manage as M
from ansible_collections.linux.netlink.plugins.module_utils._nftables import plan as P

if shutil.which("nft") is None:
    pytest.fail("the nft binary is missing (tests/install-deps.sh installs nftables)",
                pytrace=False)

BASE = dict(map=None, flags=None, timeout=None, gc_interval=None, size=None, policy=None,
            auto_merge=False, counter=False, comment=None)


def nft(netns: str, *args: str, stdin: str = "") -> str:
    proc = subprocess.run(["ip", "netns", "exec", netns, "nft", *args], input=stdin,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def listing(netns: str, *what: str) -> List[Dict[str, Any]]:
    """``nft -j list ...`` without the metainfo, handles and the time left."""
    data = json.loads(nft(netns, "-j", "list", *what))["nftables"]
    out = []
    for item in data:
        if "metainfo" in item:
            continue
        text = json.dumps(item)
        value = json.loads(text)
        for obj in value.values():
            obj.pop("handle", None)
            for elem in obj.get("elem", []):
                if isinstance(elem, dict) and "elem" in elem:
                    elem["elem"].pop("expires", None)
        out.append(value)
    return out


def elements(netns: str, family: str, table: str, name: str, kind: str = "set") -> List[Any]:
    (obj,) = [i[kind] for i in listing(netns, kind, family, table, name)]
    return obj.get("elem", [])


def spec(family: str, table: str, name: str, **kw: Any) -> C.SetSpec:
    params = dict(BASE, family=family, table=table, name=name)
    params.update(kw)
    return P.set_spec(params)


# (nft declaration, our options): created both ways, `nft -j list ruleset` must be equal
DECLARATIONS = [
    ("set s { type ipv4_addr; }", dict(type="ipv4_addr")),
    ("set s { type ipv6_addr; flags interval; auto-merge; }",
     dict(type="ipv6_addr", flags=["interval"], auto_merge=True)),
    ("set s { type ether_addr; flags constant; }", dict(type="ether_addr", flags=["constant"])),
    ('set s { type inet_proto; comment "p"; }', dict(type="inet_proto", comment="p")),
    ("set s { type inet_service; flags timeout; timeout 1h; gc-interval 30s; size 64; }",
     dict(type="inet_service", timeout="1h", gc_interval=30, size=64)),
    ("set s { type mark; flags dynamic; policy memory; counter; }",
     dict(type="mark", flags=["dynamic"], policy="memory", counter=True)),
    ("set s { type ifname; }", dict(type="ifname")),
    ("set s { type ipv4_addr . inet_service . ifname; }",
     dict(type="ipv4_addr . inet_service . ifname")),
    ("map s { type inet_service : verdict; }", dict(type="inet_service", map="verdict")),
    ("map s { type ipv4_addr : mark; flags interval; }",
     dict(type="ipv4_addr", map="mark", flags=["interval"])),
    ("map s { type ipv4_addr . inet_proto : ipv6_addr; }",
     dict(type="ipv4_addr . inet_proto", map="ipv6_addr")),
    ("set s { type ipv4_addr . inet_service; flags interval; }",
     dict(type="ipv4_addr . inet_service", flags=["interval"])),
    ("map s { type ipv6_addr . inet_proto . inet_service : verdict; flags interval; }",
     dict(type="ipv6_addr . inet_proto . inet_service", map="verdict", flags=["interval"])),
]


@pytest.mark.parametrize("declaration,options", DECLARATIONS, ids=[d for d, _o in DECLARATIONS])
def test_create_converge_delete_as_nft_lists_it(make_netns, declaration, options):
    with make_netns() as theirs, make_netns() as ours:
        nft(theirs, "-f", "-", stdin="table inet t {\n%s\n}\n" % declaration)
        want = listing(theirs, "ruleset")
        desired = spec("inet", "t", "s", **options)
        with C.NftClient(netns=ours) as client:
            result = M.ensure_set(client, desired, "inet", "t", "s", "present", True, False)
            assert result["changed"]
            assert listing(ours, "ruleset") == want
            again = M.ensure_set(client, desired, "inet", "t", "s", "present", True, False)
            assert not again["changed"] and again["drift"] == []
            gone = M.ensure_set(client, None, "inet", "t", "s", "absent", False, False)
            assert gone["changed"]
            assert listing(ours, "ruleset") == [{"table": {"family": "inet", "name": "t"}}]


def test_missing_table_is_refused_unless_asked(netns):
    with C.NftClient(netns=netns) as client, pytest.raises(
        ValueError, match="table: ip nope does not exist"
    ):
        M.ensure_set(client, spec("ip", "nope", "s", type="ipv4_addr"), "ip", "nope", "s",
                     "present", False, False)
    assert listing(netns, "ruleset") == []


def test_elements_with_timeouts_comments_counters(netns):
    desired = spec("ip", "t", "s", type="ipv4_addr", timeout="1h", counter=True)
    items = ["10.0.0.1", {"key": "10.0.0.2", "timeout": "10m", "comment": "two"}]
    with C.NftClient(netns=netns) as client:
        M.ensure_set(client, desired, "ip", "t", "s", "present", True, False)
        assert M.ensure_elements(client, "ip", "t", "s", items, "present", False)["changed"]
        assert not M.ensure_elements(client, "ip", "t", "s", items, "present", False)["changed"]
    got = sorted(elements(netns, "ip", "t", "s"), key=json.dumps)
    assert got == sorted([
        {"elem": {"val": "10.0.0.1", "counter": {"packets": 0, "bytes": 0}}},
        {"elem": {"val": "10.0.0.2", "timeout": 600, "comment": "two",
                  "counter": {"packets": 0, "bytes": 0}}},
    ], key=json.dumps)


def test_per_element_counters_count_and_compare_by_presence(netns):
    """An element's own counter (a set without ``counter``): nft lists it, a rule's lookup
    counts into it, nft_set_info reads the same numbers, and only its presence is compared."""
    nft(netns, "-f", "-", stdin="table ip t {\n set s { type ipv4_addr; }\n"
        " chain out { type filter hook output priority 0; ip daddr @s; }\n}\n")
    subprocess.run(["ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up"], check=True)
    items = ["10.0.0.1", {"key": "127.0.0.1", "counter": True}]
    with C.NftClient(netns=netns) as client:
        first = M.ensure_elements(client, "ip", "t", "s", items, "exact", False)
        assert first["added"] == ["10.0.0.1", "127.0.0.1 counter"]
        assert sorted(elements(netns, "ip", "t", "s"), key=json.dumps) == [
            "10.0.0.1", {"elem": {"val": "127.0.0.1", "counter": {"packets": 0, "bytes": 0}}}]
        sent = subprocess.run(["ip", "netns", "exec", netns, sys.executable, "-c", UDP],
                              capture_output=True, text=True, check=True)
        assert "received" in sent.stdout
        (counted,) = [e["elem"] for e in elements(netns, "ip", "t", "s") if isinstance(e, dict)]
        assert counted["counter"]["packets"] >= 3000  # the rule's lookup counted each datagram
        info = M.gather(client, "ip", "t", ["s"], True)["sets"][0]["element_data"]
        ours = [e["counter"] for e in info if "counter" in e]
        now = [e["elem"] for e in elements(netns, "ip", "t", "s") if isinstance(e, dict)]
        assert ours == [now[0]["counter"]]  # nothing counts between the two reads
        assert not M.ensure_elements(client, "ip", "t", "s", items, "exact", False)["changed"]
        dropped = M.ensure_elements(client, "ip", "t", "s", ["10.0.0.1", "127.0.0.1"], "exact",
                                    False)
        assert dropped["removed"] == ["127.0.0.1 counter"] and dropped["added"] == ["127.0.0.1"]
    assert sorted(elements(netns, "ip", "t", "s")) == ["10.0.0.1", "127.0.0.1"]


def test_a_set_counter_gives_every_element_one(netns):
    desired = spec("ip", "t", "s", type="ipv4_addr", counter=True)
    with C.NftClient(netns=netns) as client:
        M.ensure_set(client, desired, "ip", "t", "s", "present", True, False)
        M.ensure_elements(client, "ip", "t", "s", ["10.0.0.1"], "present", False)
        again = M.ensure_elements(client, "ip", "t", "s",
                                  [{"key": "10.0.0.1", "counter": True}], "exact", False)
        assert not again["changed"]
    assert elements(netns, "ip", "t", "s") == [
        {"elem": {"val": "10.0.0.1", "counter": {"packets": 0, "bytes": 0}}}]


def test_map_data_and_replacement(netns):
    nft(netns, "add table inet t; add chain inet t c")
    desired = spec("inet", "t", "m", type="inet_service", map="verdict")
    with C.NftClient(netns=netns) as client:
        M.ensure_set(client, desired, "inet", "t", "m", "present", False, False)
        M.ensure_elements(client, "inet", "t", "m", ["22 : accept", "80 : jump c"], "present",
                          False)
        result = M.ensure_elements(client, "inet", "t", "m", ["22 : drop"], "present", False)
        assert result["removed"] == ["22 : accept"] and result["added"] == ["22 : drop"]
    got = sorted(elements(netns, "inet", "t", "m", "map"), key=json.dumps)
    assert got == sorted([[22, {"drop": None}], [80, {"jump": {"target": "c"}}]], key=json.dumps)


INTERVAL_STEPS = [
    # auto_merge, elements, state, what nft lists after
    (True, ["10.0.0.0/24", "10.0.1.0/24", "192.0.2.1-192.0.2.9"], "present",
     [{"prefix": {"addr": "10.0.0.0", "len": 23}}, {"range": ["192.0.2.1", "192.0.2.9"]}]),
    (True, ["10.0.0.128/25"], "absent",
     [{"prefix": {"addr": "10.0.0.0", "len": 25}}, {"prefix": {"addr": "10.0.1.0", "len": 24}},
      {"range": ["192.0.2.1", "192.0.2.9"]}]),
    (True, ["10.0.0.0/25", "10.0.0.128-10.0.0.255"], "present",
     [{"prefix": {"addr": "10.0.0.0", "len": 23}}, {"range": ["192.0.2.1", "192.0.2.9"]}]),
    (True, ["255.255.255.0/24", "0.0.0.0/8"], "exact",
     [{"prefix": {"addr": "0.0.0.0", "len": 8}}, {"prefix": {"addr": "255.255.255.0", "len": 24}}]),
    (False, ["10.0.0.0/25", "10.0.0.128/25"], "exact",
     [{"prefix": {"addr": "10.0.0.0", "len": 25}}, {"prefix": {"addr": "10.0.0.128", "len": 25}}]),
]


@pytest.mark.parametrize("merge", [True, False])
def test_intervals_merge_and_split_as_the_kernel_stores_them(netns, merge):
    desired = spec("ip", "t", "s", type="ipv4_addr", flags=["interval"], auto_merge=merge)
    with C.NftClient(netns=netns) as client:
        M.ensure_set(client, desired, "ip", "t", "s", "present", True, False)
        for auto_merge, items, state, expected in INTERVAL_STEPS:
            if auto_merge != merge:
                continue
            assert M.ensure_elements(client, "ip", "t", "s", items, state, False)["changed"]
            assert elements(netns, "ip", "t", "s") == expected, (items, state)
            again = M.ensure_elements(client, "ip", "t", "s", items, state, False)
            assert not again["changed"], (items, state, again)


# Concatenated ranges (the kernel's pipapo set): the twin namespace gets the same steps from
# nft itself, and `nft -j list set` of both must be equal after each step.
CONCAT_STEPS = [
    # our elements and state, what nft does in the twin
    (["10.0.0.0/8 . 80-90", "192.168.1.1 . 22", "10.0.0.0/8 . 100-200"], "present",
     "add element ip t s { 10.0.0.0/8 . 80-90, 192.168.1.1 . 22, 10.0.0.0/8 . 100-200 }"),
    (["10.0.0.0/8 . 100-200", "9.9.9.9 . 9"], "absent",
     "delete element ip t s { 10.0.0.0/8 . 100-200 }"),
    (["10.0.0.7/8 . 80-90", "172.16.0.0-172.16.0.9 . ssh", "11.0.0.0/8 . 0-65535"], "exact",
     "flush set ip t s; add element ip t s { 10.0.0.0/8 . 80-90, 172.16.0.0-172.16.0.9 . 22, "
     "11.0.0.0/8 . 0-65535 }"),
]


@pytest.mark.parametrize("declaration", [
    "type ipv4_addr . inet_service; flags interval;",
    "typeof ip saddr . tcp dport; flags interval;",  # as nft writes it; we only keep elements
])
def test_concatenated_ranges_as_nft_stores_them(make_netns, declaration):
    with make_netns() as theirs, make_netns() as ours:
        for ns in (theirs, ours):
            nft(ns, "-f", "-", stdin="table ip t {\n set s { %s }\n}\n" % declaration)
        with C.NftClient(netns=ours) as client:
            for items, state, command in CONCAT_STEPS:
                nft(theirs, "-f", "-", stdin=command + "\n")
                result = M.ensure_elements(client, "ip", "t", "s", items, state, False)
                assert result["changed"], (items, state)
                assert listing(ours, "set", "ip", "t", "s") == \
                    listing(theirs, "set", "ip", "t", "s"), (items, state)
                again = M.ensure_elements(client, "ip", "t", "s", items, state, False)
                assert not again["changed"], (items, state, again)
            with pytest.raises(ValueError, match="element 10.1.2.3 . 85 overlaps element "
                               "10.0.0.0/8 . 80-90 in the set"):
                M.ensure_elements(client, "ip", "t", "s", ["10.1.2.3 . 85"], "present", False)
        assert listing(ours, "set", "ip", "t", "s") == listing(theirs, "set", "ip", "t", "s")
        assert len(elements(ours, "ip", "t", "s")) == 3


def test_a_verdict_map_with_concatenated_ranges(make_netns):
    declaration = ("table inet t {\n chain c { }\n map m { type ipv6_addr . inet_proto . "
                   "inet_service : verdict; flags interval; }\n}\n")
    with make_netns() as theirs, make_netns() as ours:
        for ns in (theirs, ours):
            nft(ns, "-f", "-", stdin=declaration)
        nft(theirs, "-f", "-", stdin='add element inet t m { 2001:db8::/32 . tcp . 22-25 : drop, '
            '::1 . udp . 53 comment "dns" : jump c }\n')
        items = ["2001:db8::/32 . tcp . 22-25 : accept",
                 {"key": "::1 . udp . 53", "value": "jump c", "comment": "dns"}]
        with C.NftClient(netns=ours) as client:
            M.ensure_elements(client, "inet", "t", "m", items, "exact", False)
            changed = M.ensure_elements(client, "inet", "t", "m",
                                        ["2001:db8::/32 . tcp . 22-25 : drop"], "present", False)
            assert changed["removed"] == ["2001:db8::/32 . tcp . 22-25 : accept"]
        mine, want = (listing(ns, "map", "inet", "t", "m") for ns in (ours, theirs))
        for found in (mine, want):  # listed in the order added, which differs here
            found[0]["map"]["elem"].sort(key=json.dumps)
        assert mine == want


def test_overlap_refused_before_anything_is_sent(netns):
    desired = spec("ip", "t", "s", type="ipv4_addr", flags=["interval"])
    with C.NftClient(netns=netns) as client:
        M.ensure_set(client, desired, "ip", "t", "s", "present", True, False)
        with pytest.raises(ValueError, match="element 10.0.0.5 overlaps element 10.0.0.0/24"):
            M.ensure_elements(client, "ip", "t", "s", ["10.0.0.9", "10.0.0.0/24", "10.0.0.5"],
                              "present", False)
    assert elements(netns, "ip", "t", "s") == []


RULESET = """
table ip f {
  set blocklist { type ipv4_addr; flags interval; }
  chain input { type filter hook input priority 0; ip saddr @blocklist counter drop; counter; }
}
"""


# Sends UDP datagrams from 127.0.0.1 to itself for about a second; prints how many came in.
UDP = """
import socket, time
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); rx.bind(("127.0.0.1", 0))
rx.setblocking(False)
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
got = 0
for i in range(3000):
    tx.sendto(b"x", rx.getsockname())
    time.sleep(0.0003)
    try:
        while rx.recv(16):
            got += 1
    except BlockingIOError:
        pass
print("sent", 3000, "received", got)
"""


def test_exact_under_a_live_rule_never_empties_the_set(netns):
    """Every exact run replaces all elements; 127.0.0.1 is covered throughout. A lister and
    UDP traffic from 127.0.0.1 run meanwhile: the lister never sees the set without it, and
    not one datagram gets past ``ip saddr @blocklist drop``."""
    nft(netns, "-f", "-", stdin=RULESET)
    subprocess.run(["ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up"], check=True)
    shapes = [["127.0.0.0/24", "192.0.2.0/24"], ["127.0.0.0/25", "127.0.0.128/25"]]
    seen: List[Any] = []
    stop = threading.Event()

    def lister() -> None:
        while not stop.is_set():
            seen.append(elements(netns, "ip", "f", "blocklist"))

    thread = threading.Thread(target=lister)
    with C.NftClient(netns=netns) as client:
        M.ensure_elements(client, "ip", "f", "blocklist", shapes[0], "exact", False)
        thread.start()
        pinger = subprocess.Popen(["ip", "netns", "exec", netns, sys.executable, "-c", UDP],
                                  stdout=subprocess.PIPE, text=True)
        try:
            run = 0
            while pinger.poll() is None or run < 40:
                run += 1
                result = M.ensure_elements(client, "ip", "f", "blocklist", shapes[run % 2],
                                           "exact", False)
                assert result["changed"] and result["removed"]
        finally:
            stop.set()
            thread.join()
            out, _err = pinger.communicate(timeout=60)
    assert out.split() == ["sent", "3000", "received", "0"], out
    assert len(seen) > 10
    allowed = [elements_of(s) for s in shapes]
    for listed in seen:
        assert listed in allowed
    accepted = json.loads(nft(netns, "-j", "list", "chain", "ip", "f", "input"))["nftables"]
    rules = [i["rule"] for i in accepted if "rule" in i]
    assert rules[1]["expr"][0]["counter"]["packets"] == 0  # nothing got past the drop


def elements_of(texts: List[str]) -> List[Any]:
    out = []
    for text in texts:
        addr, length = text.split("/")
        out.append({"prefix": {"addr": addr, "len": int(length)}})
    return out


def test_concurrent_change_fails_the_batch_cleanly(netns):
    desired = spec("ip", "t", "s", type="ipv4_addr")
    with C.NftClient(netns=netns) as client:
        M.ensure_set(client, desired, "ip", "t", "s", "present", True, False)
        M.ensure_elements(client, "ip", "t", "s", ["10.0.0.1"], "present", False)
        real = client.elements

        def read_then_interfere(spec: C.SetSpec) -> List[C.Element]:
            found = real(spec)
            nft(netns, "add", "element", "ip", "t", "s", "{ 10.9.9.9 }")
            return found

        client.elements = read_then_interfere  # type: ignore[method-assign]
        with pytest.raises(C.NftError, match="the ruleset changed since it was read"):
            M.ensure_elements(client, "ip", "t", "s", ["10.0.0.2"], "exact", False)
    assert sorted(elements(netns, "ip", "t", "s")) == ["10.0.0.1", "10.9.9.9"]


def test_referenced_set_is_neither_deleted_nor_recreated(netns):
    nft(netns, "-f", "-", stdin=RULESET)
    current = spec("ip", "f", "blocklist", type="ipv4_addr", flags=["interval"])
    with C.NftClient(netns=netns) as client:
        M.ensure_elements(client, "ip", "f", "blocklist", ["10.0.0.0/8"], "present", False)
        with pytest.raises(C.NftError, match=r"set ip f blocklist is referenced by a rule "
                           r"\(chain input handle \d+\); a set in use cannot be deleted"):
            M.ensure_set(client, None, "ip", "f", "blocklist", "absent", False, False)
        bigger = current._replace(size=100)
        with pytest.raises(C.NftError, match="the kernel cannot change size on a live set"):
            M.ensure_set(client, bigger, "ip", "f", "blocklist", "present", False, False)
        # the kernel's own refusal, when nothing stops us before: EBUSY, worded
        txn = C.Transaction()
        txn.del_set(current)
        with pytest.raises(C.NftError, match=r"NFT_MSG_DELSET: set ip f blocklist: .*\(EBUSY\)"):
            client.commit(txn, client.genid())
    assert elements(netns, "ip", "f", "blocklist") == [{"prefix": {"addr": "10.0.0.0",
                                                                    "len": 8}}]


def test_recreate_keeps_the_elements_in_one_transaction(netns):
    old = spec("ip", "t", "s", type="ipv4_addr", flags=["interval"])
    new = spec("ip", "t", "s", type="ipv4_addr", flags=["interval"], size=1000, comment="x")
    with C.NftClient(netns=netns) as client:
        M.ensure_set(client, old, "ip", "t", "s", "present", True, False)
        M.ensure_elements(client, "ip", "t", "s", ["10.0.0.0/24", "10.2.0.1"], "present", False)
        result = M.ensure_set(client, new, "ip", "t", "s", "present", True, False)
        assert result["drift"] == ["size", "comment"] and result["recreated_with"] == 2
    (obj,) = [i["set"] for i in listing(netns, "set", "ip", "t", "s")]
    assert obj["size"] == 1000 and obj["comment"] == "x"
    assert obj["elem"] == [{"prefix": {"addr": "10.0.0.0", "len": 24}}, "10.2.0.1"]


def test_refused_element_is_named(netns):
    nft(netns, "add table ip t; add set ip t s { type ipv4_addr; size 2; }")
    with C.NftClient(netns=netns) as client, pytest.raises(
        C.NftError, match=r"NFT_MSG_NEWSETELEM: set ip t s: element 10\.0\.0\.3: .*\(ENFILE\)"
    ):
        M.ensure_elements(client, "ip", "t", "s", ["10.0.0.1", "10.0.0.2", "10.0.0.3"],
                          "present", False)
    assert elements(netns, "ip", "t", "s") == []  # nothing applied


def test_check_mode_changes_nothing(netns):
    nft(netns, "add table ip t; add set ip t s { type ipv4_addr; flags interval; }")
    before = listing(netns, "ruleset")
    bigger = spec("ip", "t", "s", type="ipv4_addr", flags=["interval"], size=10)
    with C.NftClient(netns=netns) as client:
        result = M.ensure_set(client, bigger, "ip", "t", "s", "present", False, True)
        assert result["changed"] and result["drift"] == ["size"]
        assert result["diff"]["after"]["size"] == 10
        new = M.ensure_set(client, spec("ip", "u", "s", type="mark"), "ip", "u", "s",
                           "present", True, True)
        assert new["changed"]
        result = M.ensure_elements(client, "ip", "t", "s", ["10.0.0.0/8"], "exact", True)
        assert result["changed"] and result["added"] == ["10.0.0.0/8"]
        assert "10.0.0.0/8" in result["diff"]["after"]
        gone = M.ensure_set(client, None, "ip", "t", "s", "absent", False, True)
        assert gone["changed"] and gone["diff"]["after"] == {}
    assert listing(netns, "ruleset") == before


@pytest.mark.parametrize("family", ["ip", "ip6", "inet", "arp", "bridge", "netdev"])
def test_every_family_as_nft_lists_it(make_netns, family):
    with make_netns() as theirs, make_netns() as ours:
        nft(theirs, "-f", "-", stdin="table %s t {\nset s { type ether_addr; }\n}\n" % family)
        with C.NftClient(netns=ours) as client:
            desired = spec(family, "t", "s", type="ether_addr")
            assert M.ensure_set(client, desired, family, "t", "s", "present", True,
                                False)["changed"]
            M.ensure_elements(client, family, "t", "s", ["02:00:00:00:00:01"], "present", False)
        nft(theirs, "add", "element", family, "t", "s", "{ 02:00:00:00:00:01 }")
        assert listing(ours, "ruleset") == listing(theirs, "ruleset")


# ----------------------------------------------------------------- listings of large sets


def settled(netns: str, family: str, table: str, name: str) -> List[str]:
    """``nft -j list set`` once two listings in a row agree: nft's own dump of a hash set has
    the same exposure while the kernel resizes the set (see _REREAD_PAUSES in client.py)."""
    last: List[str] = []
    for _attempt in range(20):
        now = sorted(str(e) for e in elements(netns, family, table, name))
        if now == last:
            return now
        last = now
        time.sleep(0.1)
    raise AssertionError("nft -j list set never listed the same elements twice in a row")


def recorded_dumps(client: C.NftClient) -> List[List[bytes]]:
    """Every raw element dump the client reads from now on, as the keys listed."""
    dumps: List[List[bytes]] = []
    real = client._element_dump

    def record(spec: C.SetSpec) -> List[Tuple[bytes, int, C.Element]]:
        found = real(spec)
        dumps.append([key for key, _flags, _element in found])
        return found

    client._element_dump = record  # type: ignore[method-assign]
    return dumps


def addresses(count: int, seed: int) -> List[str]:
    return [str(ipaddress.IPv4Address(a))
            for a in random.Random(seed).sample(range(0x0B000000, 0xDF000000), count)]


def check_dumps(dumps: List[List[bytes]], want: List[str]) -> int:
    """The claim in client.py on the kernel's own dumps (the set unchanged meanwhile): a dump
    with no key twice lists every element, and one that missed m lists at least m twice.
    Returns how many dumps were wrong."""
    keys = {ipaddress.IPv4Address(a).packed for a in want}
    wrong = 0
    for dump in dumps:
        repeats, missing = len(dump) - len(set(dump)), len(keys - set(dump))
        assert set(dump) <= keys
        assert repeats >= missing, (repeats, missing)
        wrong += bool(repeats)
    return wrong


NEW_SET = "flush ruleset\ntable ip t {\n set s { type ipv4_addr; }\n}\n"


def test_a_listing_right_after_a_large_fill_is_whole(netns):
    """100k addresses filled into an empty hash set the way nft_set_element does it, then
    listed at once, three times: the kernel is still growing the set's hash table then, and its
    dump can miss elements (about one start in three here). Our listing must equal what
    ``nft -j list set`` lists once the table has settled, and the addresses filled."""
    texts = addresses(100000, 15)
    wrong = 0
    with C.NftClient(netns=netns) as client:
        for _run in range(3):
            nft(netns, "-f", "-", stdin=NEW_SET)
            M.ensure_elements(client, "ip", "t", "s", texts, "present", False, False)
            dumps = recorded_dumps(client)
            current = client.get_set("ip", "t", "s")
            assert current is not None
            listed = sorted(P.labels(current, client.elements(current)))
            del client._element_dump  # type: ignore[attr-defined]
            assert listed == settled(netns, "ip", "t", "s") == sorted(texts)
            wrong += check_dumps(dumps, texts)
    print("kernel dumps that repeated (and missed) elements: %d" % wrong)


def listed_across_a_resize(client: C.NftClient, other: C.NftClient, current: C.SetSpec,
                           refused: List[C.Element]) -> Tuple[List[str], List[List[bytes]]]:
    """``client``'s listing of ``current``, and the raw dumps it read; after the first message
    of the first dump ``other`` sends ``refused``, which the kernel refuses (EEXIST)."""
    dumps = recorded_dumps(client)
    receive = client.sock._recv
    calls: List[int] = []

    def resize_after_the_first_message(deadline: float) -> bytes:
        calls.append(1)
        if len(calls) == 2 and not dumps:
            txn = C.Transaction()
            txn.add_elements(current, refused, str)
            with pytest.raises(C.NftError, match="EEXIST"):
                other.commit(txn)
            time.sleep(0.1)  # the kernel's resize work runs meanwhile
        return receive(deadline)

    client.sock._recv = resize_after_the_first_message  # type: ignore[method-assign]
    try:
        return sorted(P.labels(current, client.elements(current))), dumps
    finally:
        del client.sock._recv
        del client._element_dump  # type: ignore[attr-defined]


def test_a_listing_across_a_resize_is_read_again(netns):
    """A resize of the set's hash table between two messages of our dump, provoked: after the
    first message another socket sends a batch that adds 30k addresses to the 15k of the set
    and fails (its last element is already there: EEXIST). The kernel inserts the 30k, grows
    the table, takes them out again on abort and shrinks it (nft_set_hash.c, lib/rhashtable.c
    with automatic_shrinking); the set holds the same 15k before and after. The kernel's
    dump then misses elements and lists others twice; our listing reads it again and is
    whole."""
    texts = addresses(45000, 16)
    kept, passing = texts[:15000], texts[15000:]
    nft(netns, "-f", "-", stdin=NEW_SET + "add element ip t s { %s }\n" % ", ".join(kept))
    want = settled(netns, "ip", "t", "s")
    assert want == sorted(kept)
    provoked = 0
    with C.NftClient(netns=netns) as client, C.NftClient(netns=netns) as other:
        current = client.get_set("ip", "t", "s")
        assert current is not None
        refused = [C.plain_element(ipaddress.IPv4Address(a).packed) for a in passing + kept[:1]]
        for _run in range(3):
            listed, dumps = listed_across_a_resize(client, other, current, refused)
            assert listed == want
            provoked += check_dumps(dumps[:1], kept)
            check_dumps(dumps[1:], kept)
    assert settled(netns, "ip", "t", "s") == want
    assert provoked, "no resize between two messages of a dump made it miss elements"
