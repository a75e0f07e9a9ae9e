# SPDX-License-Identifier: GPL-3.0-or-later
"""Batched ipset element traffic against the running kernel, `ipset save` as the oracle.

Each test works in a fresh network namespace (the `netns` fixture of conftest.py). The
batches are large on purpose: they span many IPSET_ATTR_ADT messages (64 KiB each) and many
datagrams (up to 1 MiB each), which is where a batching client can lose or misreport elements.
Observed on Linux 6.18.44 with ipset v7.17.
"""

from __future__ import annotations

import random
import socket
import struct
import subprocess
import threading
from typing import Any, Dict, List, Set

from ansible_collections.linux.netlink.plugins.module_utils._ipset import entries
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (
    IpsetClient,
    iter_indexes,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._netlink import netns as _netns
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    AF_NETLINK,
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_NETFILTER,
    NLM_F_DUMP_INTR,
)


class Spy:
    """A real netlink socket (in ``netns``) that keeps what was sent and received."""

    def __init__(self, netns: str, protocol: int) -> None:
        with _netns.entered(netns):
            self.sock = socket.socket(AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, protocol)
        self.sent: List[bytes] = []
        self.received: List[bytes] = []

    def sendto(self, data: bytes, address: Any) -> int:
        self.sent.append(bytes(data))
        return self.sock.sendto(data, address)

    def recvmsg_into(self, buffers: List[bytearray], *args: Any) -> Any:
        result = self.sock.recvmsg_into(buffers, *args)
        self.received.append(bytes(buffers[0][: result[0]]))
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


def spied_client(netns: str) -> "tuple[IpsetClient, List[Spy]]":
    spies: List[Spy] = []

    def factory(protocol: int) -> Spy:
        spies.append(Spy(netns, protocol))
        return spies[-1]

    return IpsetClient(sock=NetlinkSocket(NETLINK_NETFILTER, socket_factory=factory)), spies


def ipset(netns: str, *args: str) -> str:
    return subprocess.run(
        ["ip", "netns", "exec", netns, "ipset", *args], check=True, capture_output=True, text=True
    ).stdout


def saved_members(netns: str, name: str) -> Set[str]:
    """The members `ipset save` prints (the oracle), as text."""
    prefix = "add %s " % name
    return {
        line[len(prefix) :]
        for line in ipset(netns, "save", name).splitlines()
        if line.startswith(prefix)
    }


def random_hosts(count: int, seed: int) -> List[str]:
    picked = random.Random(seed).sample(range(0x0A000000, 0x0C000000), count)
    return [socket.inet_ntoa(struct.pack("!I", n)) for n in picked]


def elements(hosts: List[str]) -> List[Dict[str, Any]]:
    return [{"ip": socket.inet_aton(h)} for h in hosts]


def adt_messages(datagrams: List[bytes]) -> int:
    """How many IPSET_CMD_ADD messages the datagrams carry."""
    add = (6 << 8) | u.IPSET_CMD_ADD
    return sum(m.type == add for d in datagrams for m in codec.iter_messages(d))


def test_100k_adds_land_exactly(netns: str) -> None:
    ipset(netns, "create", "big", "hash:ip", "maxelem", "200000")
    hosts = random_hosts(100000, seed=1)
    client, spies = spied_client(netns)
    with client:
        before = len(spies[0].sent)
        result = client.add("big", "hash:ip", "inet", elements(hosts))
        datagrams = spies[0].sent[before:]
        assert result.error is None and result.failed is None
        assert result.count == 100000
        assert list(iter_indexes(result.applied)) == list(range(100000))
        # 100k x 24 bytes: dozens of 64 KiB messages, several datagrams of at most 1 MiB
        assert adt_messages(datagrams) == 37
        assert len(datagrams) >= 3
        assert saved_members(netns, "big") == set(hosts)
        (info,) = client.list("big")
    assert info.data["elements"] == 100000
    assert {socket.inet_ntoa(m["ip"]) for m in info.elements} == set(hosts)
    assert len(info.elements) == 100000


def test_inet6_and_extensions_round_trip(netns: str) -> None:
    ipset(netns, "create", "six", "hash:net", "family", "inet6", "timeout", "0", "comment")
    ipset(netns, "create", "six-maxelem", "hash:net", "family", "inet6", "maxelem", "1")
    rng = random.Random(6)
    members = {}
    for n in range(20000):
        cidr = rng.choice((48, 56, 64, 128))
        net = (rng.getrandbits(128) >> (128 - cidr)) << (128 - cidr)
        members[(net, cidr)] = "c%d" % (n % 7)  # comments of two lengths: the row path
    batch = [
        {"ip": net.to_bytes(16, "big"), "cidr": cidr, "timeout": 3600, "comment": text}
        for (net, cidr), text in members.items()
    ]
    with IpsetClient(netns=netns) as client:
        result = client.add("six", "hash:net", "inet6", batch)
        assert result.error is None and result.count == len(batch)
        (info,) = client.list("six")
    listed = {(int.from_bytes(m["ip"], "big"), m["cidr"]): m["comment"] for m in info.elements}
    assert listed == members
    assert all(0 < m["timeout"] <= 3600 for m in info.elements)
    assert len(saved_members(netns, "six")) == len(members)


def test_set_full_mid_batch_reports_exactly_what_landed(netns: str) -> None:
    """maxelem 65536, 70000 adds: the kernel refuses an element once the set is full.

    Where exactly it is full varies by a few elements from run to run (seen: index 65536,
    65537, 65539 on Linux 6.18; the hash counts elements in per-bucket steps), and messages
    later in the same datagram are still handled. What must hold: the error names an element
    at or just past maxelem, and what the client reports as applied is exactly what the
    kernel holds.
    """
    ipset(netns, "create", "full", "hash:ip", "maxelem", "65536")
    hosts = random_hosts(70000, seed=2)
    with IpsetClient(netns=netns) as client:
        result = client.add("full", "hash:ip", "inet", elements(hosts))
    assert result.error is not None
    assert result.error.errno == u.IPSET_ERR_HASH_FULL
    assert "full" in str(result.error).lower()
    assert result.failed is not None and 65536 <= result.failed < 65536 + 64
    applied = {hosts[i] for i in iter_indexes(result.applied)}
    assert len(applied) == result.count >= 65536
    assert saved_members(netns, "full") == applied


def test_refused_element_in_a_later_message_and_datagram(netns: str) -> None:
    """One bad element deep in the batch: everything reported applied is there, nothing else.

    The kernel handles every message of a datagram even after one failed, so messages after
    the failing one in the same datagram do land; the client must report them as applied.
    A hash:net CIDR of 0 is refused with IPSET_ERR_INVALID_CIDR.
    """
    ipset(netns, "create", "nets", "hash:net", "maxelem", "200000")
    hosts = random_hosts(90000, seed=3)
    batch = [{"ip": socket.inet_aton(h), "cidr": 32} for h in hosts]
    bad = 61234  # in the 3rd datagram (each holds ~2,000 of these 32-byte elements x 16)
    batch[bad] = {"ip": socket.inet_aton(hosts[bad]), "cidr": 0}
    with IpsetClient(netns=netns) as client:
        result = client.add("nets", "hash:net", "inet", batch)
    assert result.error is not None
    assert result.error.errno == u.IPSET_ERR_INVALID_CIDR
    assert result.failed == bad
    applied = {hosts[i] for i in iter_indexes(result.applied)}
    assert set(hosts[:bad]) <= applied
    assert hosts[bad] not in applied
    assert saved_members(netns, "nets") == applied


def test_delete_batch_spanning_datagrams(netns: str) -> None:
    ipset(netns, "create", "del", "hash:ip", "maxelem", "200000")
    hosts = random_hosts(60000, seed=4)
    with IpsetClient(netns=netns) as client:
        assert client.add("del", "hash:ip", "inet", elements(hosts)).error is None
        gone = hosts[::3] + random_hosts(5, seed=99)  # absent ones are not an error
        result = client.delete("del", "hash:ip", "inet", elements(gone))
    assert result.error is None
    assert saved_members(netns, "del") == set(hosts) - set(gone)


def test_dump_with_a_concurrent_writer(netns: str) -> None:
    """Listing while another socket keeps adding: complete, consistent, retried if flagged.

    Linux 6.18 was never seen to set NLM_F_DUMP_INTR on an ipset dump (hash resizes
    included): ipset dumps walk a table they hold a reference to rather than checking a
    generation counter. The retry itself is tested below on replayed kernel bytes.
    """
    ipset(netns, "create", "busy", "hash:ip", "maxelem", "1000000")
    base = random_hosts(50000, seed=5)
    extra = random_hosts(200000, seed=6)
    with IpsetClient(netns=netns) as writer:
        assert writer.add("busy", "hash:ip", "inet", elements(base)).error is None
    stop = threading.Event()

    def write() -> None:
        with IpsetClient(netns=netns) as other:
            for start in range(0, len(extra), 1000):
                if stop.is_set():
                    return
                other.add("busy", "hash:ip", "inet", elements(extra[start : start + 1000]))

    thread = threading.Thread(target=write)
    client, spies = spied_client(netns)
    flagged = dumps = 0
    thread.start()
    try:
        with client:
            for _ in range(5):
                before = len(spies[0].received)
                (info,) = client.list("busy")
                listed = [socket.inet_ntoa(m["ip"]) for m in info.elements]
                assert len(listed) == len(set(listed))  # no element twice
                assert set(base) <= set(listed) <= set(base) | set(extra)
                replies = [m for d in spies[0].received[before:] for m in codec.iter_messages(d)]
                flagged += sum(bool(m.flags & NLM_F_DUMP_INTR) for m in replies)
                dumps += 1
    finally:
        stop.set()
        thread.join()
    assert dumps == 5
    assert flagged == 0 or len(spies[0].sent) > 6  # flagged dumps were asked for again


class Replay:
    """A fake netlink socket answering from captured kernel datagrams (no kernel involved)."""

    def __init__(self, answers: List[List[bytes]], port_id: int) -> None:
        self.answers = answers  # per request, in order: the datagrams to answer with
        self.port_id = port_id
        self.sent: List[bytes] = []
        self.inbox: List[bytes] = []

    def setsockopt(self, *args: Any) -> None:
        pass

    def getsockopt(self, level: int, option: int) -> int:
        return 8 << 20

    def bind(self, address: Any) -> None:
        pass

    def getsockname(self) -> Any:
        return (self.port_id, 0)

    def settimeout(self, value: Any) -> None:
        pass

    def close(self) -> None:
        pass

    def sendto(self, data: bytes, address: Any) -> int:
        self.sent.append(bytes(data))
        (seq,) = struct.unpack_from("=I", data, 8)
        for gram in self.answers.pop(0):
            out = bytearray(gram)
            offset = 0
            for msg in codec.iter_messages(gram):  # answer this request: its seq
                struct.pack_into("=I", out, offset + 8, seq)
                offset += codec.align(codec.NLMSGHDR.size + len(msg.payload))
            self.inbox.append(bytes(out))
        return len(data)

    def recvmsg_into(self, buffers: List[bytearray], *args: Any) -> Any:
        gram = self.inbox.pop(0)
        buffers[0][: len(gram)] = gram
        return len(gram), [], 0, (0, 0)


def flag_intr(gram: bytes) -> bytes:
    """The same datagram with NLM_F_DUMP_INTR set on every message."""
    out = bytearray(gram)
    offset = 0
    for msg in codec.iter_messages(gram):
        struct.pack_into("=H", out, offset + 6, msg.flags | NLM_F_DUMP_INTR)
        offset += codec.align(codec.NLMSGHDR.size + len(msg.payload))
    return bytes(out)


def test_interrupted_dump_is_retried_on_replayed_kernel_bytes(netns: str) -> None:
    """Two real dumps of one set (before and after a change) are captured; a replaying socket
    answers the first LIST with the first dump flagged NLM_F_DUMP_INTR and the retry with the
    second: the client returns exactly the second dump's members."""
    ipset(netns, "create", "re", "hash:ip", "maxelem", "100000")
    first, second = random_hosts(30000, seed=7), random_hosts(31000, seed=8)
    client, spies = spied_client(netns)
    with client:
        port_id = client.sock.port_id
        negotiate = list(spies[0].received)
        client.add("re", "hash:ip", "inet", elements(first))
        mark = len(spies[0].received)
        client.list("re")
        dump_one = spies[0].received[mark:]
        client.flush("re")
        client.add("re", "hash:ip", "inet", elements(second))
        mark = len(spies[0].received)
        client.list("re")
        dump_two = spies[0].received[mark:]
    assert len(dump_one) > 3  # a multi-datagram dump
    replay = Replay([negotiate, [flag_intr(g) for g in dump_one], dump_two], port_id)
    fake = IpsetClient(sock=NetlinkSocket(NETLINK_NETFILTER, socket_factory=lambda _: replay))
    (info,) = fake.list("re")
    assert len(replay.sent) == 3  # negotiation, the interrupted LIST, its retry
    assert sorted(socket.inet_ntoa(m["ip"]) for m in info.elements) == sorted(second)


def test_bulk_planner_converges_like_ipset_save_says(netns: str) -> None:
    """`plan` (on the addresses alone) + `apply_entries` (what ipset_entry does with a list of
    addresses) on a 20k-member set: exact with 1% replaced and repeats, present, absent."""
    ipset(netns, "create", "bulk", "hash:ip", "maxelem", "100000")
    hosts = random_hosts(20000, seed=11)
    known = set(hosts)
    fresh = [h for h in random_hosts(20400, seed=12) if h not in known][:200]
    more = [h for h in random_hosts(20800, seed=13) if h not in known and h not in fresh][:10]
    steps = [
        ("exact", hosts[200:] + fresh + fresh[:50], known - set(hosts[:200]) | set(fresh)),
        ("present", more + fresh, known - set(hosts[:200]) | set(fresh) | set(more)),
        ("absent", hosts[:300] + more, known - set(hosts[:300]) | set(fresh)),
    ]
    with IpsetClient(netns=netns) as client:
        assert client.add("bulk", "hash:ip", "inet", elements(hosts)).error is None
        for state, items, expected in steps:
            info = client.get("bulk")
            plan, desired, current = entries.plan(info, items, state)
            assert current is None, state  # planned on the addresses alone
            entries.apply_entries(client, info, plan, desired, atomic=False)
            assert saved_members(netns, "bulk") == expected, state
            again = entries.plan(client.get("bulk"), items, state)
            assert again.current is None and not again.plan.changed, state
