# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the nl80211 client against a scripted kernel, replaying replies captured in the
simulated-radio VM (fixtures/vm_6_1.py says which kernel and command produced each; its
"oracle" entries are what `iw` printed for the same state, our expected decoded form).
"""

from __future__ import annotations

import errno
import importlib.util
import os
import re
import struct
import sys
from typing import Callable, Dict, List, Optional

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._netlink import (
    codec,
    genetlink,
    rtnetlink,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_ROUTE,
    NLA_F_NESTED,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import facts
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (
    LinkFailed,
    Nl80211Client,
    Nl80211Error,
    NoWirelessStack,
    RegulatoryTimeout,
    ScanAborted,
    ScanTimeout,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import (
    Interface,
    RadioSettings,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.reg import (
    RegDomain,
    Regulatory,
)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "_netlink"))
import nltest  # noqa: E402  (the stack's fake kernel, tests/unit/.../_netlink/nltest.py)


def _load_fixtures():
    spec = importlib.util.spec_from_file_location(
        "vm_6_1", os.path.join(HERE, "fixtures/vm_6_1.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.FIXTURES


FIX = _load_fixtures()
FAMILY_ID = 0x20  # what the VM's kernel gave nl80211 (every captured reply has this type)
SCAN_GROUP = 10
REG_GROUP = 11
MLME_GROUP = 12


def captured(name: str) -> List[bytes]:
    return [bytes.fromhex(h) for h in FIX[name]["replies"]]


def attempts(name: str) -> List[List[bytes]]:
    """The captured datagrams cut into dump attempts, each ending with its NLMSG_DONE (the
    transport restarts a dump whose NLMSG_DONE carries NLM_F_DUMP_INTR)."""
    out: List[List[bytes]] = [[]]
    for data in captured(name):
        out[-1].append(data)
        if any(m.type == 3 for m in nltest.split(data)):  # NLMSG_DONE
            out.append([])
    return [a for a in out if a]


# --------------------------------------------------------------------------- a scripted kernel


class Kernel(nltest.FakeKernel):
    """nltest's fake kernel answering per socket, with an nl80211 family and a link table."""

    def __init__(self) -> None:
        super().__init__(handler=self.answer)
        self.nl80211: Dict[int, Callable[[codec.Message], List[nltest.Item]]] = {
            u.NL80211_CMD_GET_WIPHY: lambda req: self.multipart(req, FAMILY_ID, []),
        }
        self.links: Dict[int, int] = {}  # ifindex -> ifi_flags
        self.rt_errors: List[int] = []  # errnos for the next RTM_NEWLINK requests
        self.current: Optional[nltest.FakeSocket] = None
        self.log: List[str] = []

    @property
    def port_id(self) -> int:  # answers go to the socket that asked
        return (self.current or self.socket).port_id

    def receive(self, sock: nltest.FakeSocket, data: bytes) -> None:
        self.current = sock
        super().receive(sock, data)

    def event_sockets(self, group: int = SCAN_GROUP) -> List[nltest.FakeSocket]:
        return [s for s in self.sockets if group in s.groups and not s.closed]

    def answer(self, req: codec.Message) -> List[nltest.Item]:
        sock = self.current
        assert sock is not None
        if sock.protocol == NETLINK_ROUTE:
            return self.rtnetlink(req)
        if req.type == genetlink.GENL_ID_CTRL:
            return self.family(req)
        assert req.type == FAMILY_ID, req
        command = req.payload[0]
        self.log.append(u.COMMAND_NAMES.get(command, str(command)))
        return list(self.nl80211[command](req))

    def family(self, req: codec.Message) -> List[nltest.Item]:
        attrs = {
            "family_id": FAMILY_ID,
            "family_name": "nl80211",
            "version": 1,
            "maxattr": 325,
            "mcast_groups": [
                {"name": "config", "id": 9},
                {"name": "scan", "id": SCAN_GROUP},
                {"name": "regulatory", "id": REG_GROUP},
                {"name": "mlme", "id": MLME_GROUP},
            ],
        }
        payload = genetlink.pack(1, 2, codec.encode(genetlink.CTRL_ATTR, attrs))
        return [self.message(req, genetlink.GENL_ID_CTRL, payload), self.ack(req)]

    def rtnetlink(self, req: codec.Message) -> List[nltest.Item]:
        _f, _t, index, flags, change = rtnetlink.IFINFOMSG.unpack_from(req.payload)
        if req.type == rtnetlink.RTM_NEWLINK:
            self.log.append("RTM_NEWLINK %d %s" % (index, "up" if flags & 1 else "down"))
            if self.rt_errors:
                return [self.error(req, self.rt_errors.pop(0))]
            self.links[index] = (self.links.get(index, 0) & ~change) | (flags & change)
            return [self.ack(req)]
        parts = []
        for ifindex, iflags in sorted(self.links.items()):
            if index and ifindex != index:
                continue
            parts.append(rtnetlink.IFINFOMSG.pack(0, 1, ifindex, iflags, 0))
        if index:
            return [self.message(req, rtnetlink.RTM_NEWLINK, parts[0]), self.ack(req)]
        return list(self.multipart(req, rtnetlink.RTM_NEWLINK, parts))

    def replay_all(self, name: str) -> Callable[[codec.Message], List[nltest.Item]]:
        """Replay a capture; a dump captured over several attempts replays them in turn."""
        todo = attempts(name)

        def answer(req: codec.Message) -> List[nltest.Item]:
            datagrams = todo.pop(0) if len(todo) > 1 else todo[0]
            return [self.replay(req, d) for d in datagrams]

        return answer

    def event(self, command: int, ifindex: int = 0, wiphy: int = 1, **more) -> bytes:
        values = dict({"wiphy": wiphy, "ifindex": ifindex or None}, **more)
        attrs = codec.encode(u.NL80211_ATTR, values)
        return self.message(None, FAMILY_ID, genetlink.pack(command, 1, attrs))


@pytest.fixture
def kernel() -> Kernel:
    return Kernel()


@pytest.fixture
def client(kernel: Kernel) -> Nl80211Client:
    return Nl80211Client(socket_factory=kernel, timeout=0.5)


def attrs_of(req: codec.Message) -> Dict:
    return codec.decode(u.NL80211_ATTR, genetlink.unpack(req)[1])


def wlan1(up: bool = True) -> Interface:
    return Interface("wlan1", 3, 0x100000001, 1, "station", "02:00:00:00:01:00", False,
                     None, None, None, None, 20.0, None, up)  # fmt: skip


# --------------------------------------------------------------------------- family


def test_no_nl80211_is_no_wireless_stack(kernel: Kernel) -> None:
    kernel.family = lambda req: [kernel.error(req, errno.ENOENT)]  # type: ignore[assignment]
    with pytest.raises(NoWirelessStack, match="no wireless stack"):
        Nl80211Client(socket_factory=kernel, timeout=0.5)


# --------------------------------------------------------------------------- phys


def test_phys_of_one_radio_is_asked_for_alone_and_a_full_dump_serves_later_ones(
    kernel: Kernel, client: Nl80211Client
) -> None:
    kernel.nl80211[u.NL80211_CMD_GET_WIPHY] = kernel.replay_all("get_wiphy_split_phy1")
    asked = len(kernel.requests)
    (phy,) = client.phys(only=1)
    assert attrs_of(kernel.requests[-1]) == {"split_wiphy_dump": True, "wiphy": 1}
    assert client.phys(only=1) == [phy] and len(kernel.requests) == asked + 1  # cached
    assert [p.name for p in client.phys()] == [phy.name]
    assert attrs_of(kernel.requests[-1]) == {"split_wiphy_dump": True}
    assert client.phys(only=1) == [phy] and client.phys(only=7) == []
    assert len(kernel.requests) == asked + 2  # both answered from the full dump


def test_split_wiphy_dump_is_merged_as_iw_lists_it(kernel: Kernel, client: Nl80211Client) -> None:
    kernel.nl80211[u.NL80211_CMD_GET_WIPHY] = kernel.replay_all("get_wiphy_split_phy1")
    (phy,) = client.phys()
    request = attrs_of(kernel.requests[-1])
    assert request == {"split_wiphy_dump": True}  # without it, the kernel truncates bands
    oracle = FIX["get_wiphy_split_phy1"]["oracle"]
    assert (phy.name, phy.index) == (oracle["name"], 1)
    # iw 5.19 does not print the S1G band (enum nl80211_band 4); all other channels, in order
    ours = [c["freq"] for band, chans in phy.bands.items() if band != "900MHz" for c in chans]
    assert ours == oracle["frequencies"]
    assert list(phy.bands) == ["2.4GHz", "5GHz", "6GHz", "900MHz"]
    assert phy.iftypes == ["adhoc", "station", "ap", "ap_vlan", "monitor", "mesh_point",
                           "p2p_client", "p2p_go", "p2p_device", "ocb"]  # fmt: skip
    assert phy.software_iftypes == ["ap_vlan", "monitor"]
    assert phy.max_scan_ssids == 4
    assert phy.bands["2.4GHz"][0] == {
        "freq": 2412, "disabled": False, "no_ir": False, "radar": False, "max_tx_power_dbm": 20.0
    }  # fmt: skip
    assert client.phy("1") is phy and client.phy("phy1") is phy and client.phy("phy9") is None


# --------------------------------------------------------------------------- interfaces


def test_interfaces_decode_as_iw_prints_them(kernel: Kernel, client: Nl80211Client) -> None:
    kernel.nl80211[u.NL80211_CMD_GET_INTERFACE] = kernel.replay_all("get_interface")
    kernel.links = {i["ifindex"]: int(i["name"] != "wlan3") for i in FIX["get_interface"]["oracle"]}
    found = client.interfaces()
    keys = ("name", "ifindex", "wdev", "type", "mac", "phy")
    ours = sorted(({k: getattr(i, k) for k in keys} for i in found), key=lambda i: i["name"])
    theirs = sorted(
        ({k: i[k] for k in keys} for i in FIX["get_interface"]["oracle"]), key=lambda i: i["name"]
    )
    assert ours == theirs
    by_name = {i.name: i for i in found}
    assert by_name["wlan1"].up is True and by_name["wlan3"].up is False
    assert by_name["wlan0"].frequency == 2412  # an AP on channel 1
    assert by_name["wlan0"].ssid == b"ln-open"


def test_create_monitor_with_flags(kernel: Kernel, client: Nl80211Client) -> None:
    kernel.nl80211[u.NL80211_CMD_NEW_INTERFACE] = kernel.replay_all("new_interface_mon3")
    kernel.links = {FIX["new_interface_mon3"]["oracle"][0]["ifindex"]: 0}
    made = client.create(3, "mon3", "monitor", monitor_flags=["control", "otherbss"])
    (oracle,) = FIX["new_interface_mon3"]["oracle"]
    assert (made.name, made.ifindex, made.wdev, made.mac, made.type, made.phy) == (
        oracle["name"], oracle["ifindex"], oracle["wdev"], oracle["mac"], oracle["type"], 3
    )  # fmt: skip
    assert made.up is False
    # the request, one attribute per line: what iw sends for "interface add mon3 type monitor
    # flags control otherbss" (NL80211_ATTR_MNTR_FLAGS: a nest of flags, types 3 and 4)
    sent = [m for m in kernel.requests if m.type == FAMILY_ID][-1]
    assert sent.payload == bytes.fromhex(
        "07000000"  # genlmsghdr: NL80211_CMD_NEW_INTERFACE, version 0
        "08000100"
        "03000000"  # NL80211_ATTR_WIPHY = 3
        "09000400"
        "6d6f6e3300000000"  # NL80211_ATTR_IFNAME = "mon3\0" + padding
        "08000500"
        "06000000"  # NL80211_ATTR_IFTYPE = NL80211_IFTYPE_MONITOR
        "0c001780"
        "04000300"
        "04000400"  # NL80211_ATTR_MNTR_FLAGS: CONTROL, OTHER_BSS
    )
    assert sent.payload[4:] == bytes.fromhex(FIX["new_interface_mon3"]["request"])[20:]


@pytest.mark.parametrize(
    "err, iftype, text",
    [
        (errno.EOPNOTSUPP, "mesh_point", "phy#1 cannot create interfaces of type mesh_point"),
        (errno.EPERM, "monitor", "needs CAP_NET_ADMIN (use become: true) (EPERM)"),
        (errno.EBUSY, "ap", "is busy"),
        (errno.ENFILE, "station", "an interface named lnx already exists (ENFILE)"),
    ],
)
def test_create_refusals_are_worded(kernel, client, err, iftype, text) -> None:
    kernel.nl80211[u.NL80211_CMD_NEW_INTERFACE] = lambda req: [kernel.error(req, err)]
    with pytest.raises(Nl80211Error) as info:
        client.create(1, "lnx", iftype)
    assert text in str(info.value)
    assert info.value.errno == err


def test_retype_while_up_goes_down_and_comes_back(kernel: Kernel, client: Nl80211Client) -> None:
    answers = [errno.EBUSY, 0]

    def set_interface(req):
        err = answers.pop(0)
        return [kernel.error(req, err) if err else kernel.ack(req)]

    kernel.nl80211[u.NL80211_CMD_SET_INTERFACE] = set_interface
    kernel.links = {3: 1}
    client.set_interface(wlan1(), "monitor", monitor_flags=())
    assert kernel.log == [
        "NL80211_CMD_SET_INTERFACE",
        "RTM_NEWLINK 3 down",
        "NL80211_CMD_SET_INTERFACE",
        "RTM_NEWLINK 3 up",
    ]
    assert kernel.links == {3: 1}
    last = attrs_of([m for m in kernel.requests if m.type == FAMILY_ID][-1])
    assert last == {"ifindex": 3, "iftype": u.NL80211_IFTYPE_MONITOR, "mntr_flags": []}


def test_retype_failure_still_restores_admin_state(kernel, client) -> None:
    kernel.nl80211[u.NL80211_CMD_SET_INTERFACE] = lambda req: [
        kernel.error(req, errno.EBUSY if "RTM_NEWLINK 3 down" not in kernel.log else errno.EINVAL)
    ]
    kernel.links = {3: 1}
    with pytest.raises(Nl80211Error, match="changing wlan1 to type ap"):
        client.set_interface(wlan1(), "ap")
    assert kernel.log.index("RTM_NEWLINK 3 up") > kernel.log.index("RTM_NEWLINK 3 down")
    assert kernel.links == {3: 1}


def test_rfkill_on_up_is_worded(kernel: Kernel, client: Nl80211Client) -> None:
    kernel.rt_errors = [errno.ERFKILL]
    with pytest.raises(Nl80211Error, match="blocked by rfkill .*ERFKILL"):
        client.set_up(wlan1(False), True)


def test_delete_of_a_vanished_interface_is_fine(kernel: Kernel, client: Nl80211Client) -> None:
    kernel.nl80211[u.NL80211_CMD_DEL_INTERFACE] = lambda req: [kernel.error(req, errno.ENODEV)]
    client.delete(wlan1())
    assert attrs_of(kernel.requests[-1]) == {"ifindex": 3}


# --------------------------------------------------------------------------- scanning


def scan_script(kernel: Kernel, trigger: List, events: Callable[[], List[bytes]]) -> None:
    """TRIGGER_SCAN answers from ``trigger`` (errno or 0); after an ACK, ``events`` are
    multicast to the sockets in the scan group (which must have joined before)."""

    def on_trigger(req):
        err = trigger.pop(0)
        if err:
            return [kernel.error(req, err)]
        subscribed = kernel.event_sockets()
        assert subscribed, "TRIGGER_SCAN sent before joining the scan group"
        for sock in subscribed:
            sock.inbox.extend(events())
        return [kernel.ack(req)]

    kernel.nl80211[u.NL80211_CMD_TRIGGER_SCAN] = on_trigger
    kernel.nl80211[u.NL80211_CMD_GET_SCAN] = kernel.replay_all("get_scan_wlan1")


def test_scan_waits_for_its_event_then_dumps(kernel: Kernel, client: Nl80211Client) -> None:
    scan_script(kernel, [0], lambda: captured("scan_events"))
    client.trigger_scan(wlan1(), frequencies=[2412, 2437, 2462], flush=True, timeout=2)
    trigger = attrs_of([m for m in kernel.requests if m.type == FAMILY_ID][-1])
    assert trigger == {
        "ifindex": 3,
        "scan_ssids": [b""],  # the wildcard SSID: an active scan
        "scan_frequencies": [2412, 2437, 2462],
        "scan_flags": u.NL80211_SCAN_FLAG_FLUSH,
    }
    results = facts.scan_facts(client.scan_results(wlan1()))
    request = attrs_of([m for m in kernel.requests if m.type == FAMILY_ID][-1])
    assert request == {"ifindex": 3}  # the GET_SCAN dump
    ours = sorted((b["bssid"], b["frequency"], b["ssid"]) for b in results)
    theirs = sorted(
        (b["bssid"], b["frequency"], b["ssid"]) for b in FIX["get_scan_wlan1"]["oracle"]
    )
    assert ours == theirs
    by_ssid = {b["ssid"]: b for b in results}
    assert by_ssid["ln-open"]["security"] == ["open"] and by_ssid["ln-open"]["channel"] == 1
    assert by_ssid["ln-wpa2"]["security"] == ["WPA2-PSK"] and by_ssid["ln-wpa2"]["channel"] == 6
    assert by_ssid["ln-wpa2"]["ies"]["rsn"]["pairwise_ciphers"] == ["CCMP-128"]
    assert by_ssid["ln-sae"]["security"] == ["WPA3-SAE"] and by_ssid["ln-sae"]["channel"] == 11
    assert by_ssid["ln-sae"]["ies"]["rsn"]["capabilities"]["mfp_required"] is True
    assert all(b["signal_dbm"] == -30.0 for b in results)  # mac80211_hwsim's constant signal
    assert all(s.closed for s in kernel.event_sockets() + kernel.sockets[2:3])


def test_passive_scan_sends_no_ssids(kernel: Kernel, client: Nl80211Client) -> None:
    scan_script(kernel, [0], lambda: captured("scan_events"))
    client.trigger_scan(wlan1(), passive=True, timeout=2)
    trigger = attrs_of([m for m in kernel.requests if m.type == FAMILY_ID][-1])
    assert trigger == {"ifindex": 3}


def test_busy_radio_waits_for_the_running_scan_then_triggers(kernel, client) -> None:
    scan_script(kernel, [errno.EBUSY, 0], lambda: captured("scan_events"))
    original = kernel.nl80211[u.NL80211_CMD_TRIGGER_SCAN]

    def busy_then_someone_finishes(req):
        replies = original(req)
        if kernel.log.count("NL80211_CMD_TRIGGER_SCAN") == 1:  # another scan on phy1 ends
            for sock in kernel.event_sockets():
                sock.inbox.append(kernel.event(u.NL80211_CMD_NEW_SCAN_RESULTS, 99, wiphy=1))
        return replies

    kernel.nl80211[u.NL80211_CMD_TRIGGER_SCAN] = busy_then_someone_finishes
    client.trigger_scan(wlan1(), timeout=2)
    assert kernel.log == ["NL80211_CMD_TRIGGER_SCAN", "NL80211_CMD_TRIGGER_SCAN"]


def test_events_of_other_interfaces_are_not_ours(kernel, client) -> None:
    kernel.max_wait = 2.0
    scan_script(kernel, [0], lambda: [kernel.event(u.NL80211_CMD_NEW_SCAN_RESULTS, 5, wiphy=3)])
    with pytest.raises(ScanTimeout, match="timed out waiting for the scan on wlan1"):
        client.trigger_scan(wlan1(), timeout=0.3)


def test_aborted_scan(kernel: Kernel, client: Nl80211Client) -> None:
    scan_script(kernel, [0], lambda: [kernel.event(u.NL80211_CMD_SCAN_ABORTED, 3)])
    with pytest.raises(ScanAborted, match="aborted"):
        client.trigger_scan(wlan1(), timeout=2)


@pytest.mark.parametrize(
    "fixture, text",
    [
        ("trigger_scan_down", "wlan1 is down (bring it up first) or its radio is blocked"),
        ("trigger_scan_monitor", "wlan1 cannot scan: interfaces of type station do not scan"),
    ],
)
def test_captured_trigger_refusals(kernel, client, fixture, text) -> None:
    kernel.nl80211[u.NL80211_CMD_TRIGGER_SCAN] = kernel.replay_all(fixture)
    (reply,) = captured(fixture)
    (msg,) = nltest.split(reply)
    (err,) = struct.unpack_from("=i", msg.payload)
    assert -err == FIX[fixture]["oracle"]["errno"]
    with pytest.raises(Nl80211Error, match=text.replace("(", r"\(").replace(")", r"\)")):
        client.trigger_scan(wlan1(), timeout=1)


def test_captured_busy_is_recognised(kernel: Kernel) -> None:
    (reply,) = captured("trigger_scan_busy")
    (msg,) = nltest.split(reply)
    assert struct.unpack_from("=i", msg.payload)[0] == -errno.EBUSY
    assert FIX["trigger_scan_busy"]["oracle"] == {"errno": errno.EBUSY}


def test_captured_dump_intr_restarts_the_dump(kernel: Kernel, client: Nl80211Client) -> None:
    """The VM's kernel flagged the first GET_SCAN dump NLM_F_DUMP_INTR (access points beaconing
    changed the BSS list's generation); the capture holds that attempt and the clean retry."""
    first, second = attempts("get_scan_wlan1")
    done = nltest.split(first[-1])[-1]
    assert done.type == 3 and done.flags & 0x10  # NLMSG_DONE with NLM_F_DUMP_INTR
    kernel.nl80211[u.NL80211_CMD_GET_SCAN] = kernel.replay_all("get_scan_wlan1")
    results = client.scan_results(wlan1())
    assert kernel.log == ["NL80211_CMD_GET_SCAN", "NL80211_CMD_GET_SCAN"]
    assert len(results) == len(FIX["get_scan_wlan1"]["oracle"])


def test_scan_dump_restarts_after_enobufs(kernel: Kernel, client: Nl80211Client) -> None:
    calls = []

    def flaky(req):
        calls.append(req.seq)
        if len(calls) == 1:
            return [nltest.enobufs()]
        return [kernel.replay(req, d) for d in attempts("get_scan_wlan1")[-1]]

    kernel.nl80211[u.NL80211_CMD_GET_SCAN] = flaky
    assert len(client.scan_results(wlan1())) == len(FIX["get_scan_wlan1"]["oracle"])
    assert len(calls) == 2


def test_nested_list_codecs_round_trip() -> None:
    values = {"scan_frequencies": [2412, 2437], "scan_ssids": [b"", b"ln-open"],
              "mntr_flags": [4, 3, 3]}  # fmt: skip
    data = codec.encode(u.NL80211_ATTR, values)
    assert data[2:4] == struct.pack("=H", u.NL80211_ATTR_SCAN_FREQUENCIES | NLA_F_NESTED)
    assert codec.decode(u.NL80211_ATTR, data) == dict(values, mntr_flags=[3, 4])


# --------------------------------------------------------------------------- channel, power


def monitor() -> Interface:
    return Interface("mon1", 12, 0x100000002, 1, "monitor", "02:00:00:00:01:00", False,
                     None, None, None, None, 20.0, None, True)  # fmt: skip


def last_request(kernel: Kernel) -> bytes:
    return [m for m in kernel.requests if m.type == FAMILY_ID][-1].payload


def test_set_channel_request(kernel: Kernel, client: Nl80211Client) -> None:
    kernel.nl80211[u.NL80211_CMD_SET_CHANNEL] = lambda req: [kernel.ack(req)]
    client.set_channel(monitor(), 5180, 3, 5210)
    # assembled by hand from the UAPI numbers (nl80211.h, Linux 6.1), one attribute per line
    assert last_request(kernel) == bytes.fromhex(
        "41000000"  # genlmsghdr: NL80211_CMD_SET_CHANNEL (65), version 0
        "08000300" "0c000000"  # NL80211_ATTR_IFINDEX = 12
        "08002600" "3c140000"  # NL80211_ATTR_WIPHY_FREQ = 5180
        "08009f00" "03000000"  # NL80211_ATTR_CHANNEL_WIDTH = NL80211_CHAN_WIDTH_80
        "0800a000" "5a140000"  # NL80211_ATTR_CENTER_FREQ1 = 5210
    )  # fmt: skip


@pytest.mark.parametrize(
    "err, text",
    [
        (errno.EBUSY, "only while it is up and no other interface of its radio is running"),
        (errno.EINVAL, "phy#1 cannot use this channel (disabled in the regulatory domain"),
        (errno.EOPNOTSUPP, "interfaces of type monitor do not take a channel (EOPNOTSUPP)"),
        (errno.EPERM, "needs CAP_NET_ADMIN"),
    ],
)
def test_set_channel_refusals_are_worded(kernel, client, err, text) -> None:
    kernel.nl80211[u.NL80211_CMD_SET_CHANNEL] = lambda req: [kernel.error(req, err)]
    with pytest.raises(Nl80211Error) as info:
        client.set_channel(monitor(), 2437, 2, 2447)
    assert str(info.value).startswith(
        "frequency: tuning mon1 to 2437 MHz (width 40, centre 2447 MHz)"
    )
    assert text in str(info.value) and info.value.errno == err


@pytest.mark.parametrize(
    "mode, dbm, tail",
    [
        ("fixed", 10, "080061000200000008006200e8030000"),  # FIXED, 1000 mBm
        ("limit", 15, "080061000100000008006200dc050000"),  # LIMITED, 1500 mBm
        ("auto", None, "0800610000000000"),  # AUTOMATIC, no level
    ],
)
def test_set_txpower_request(kernel, client, mode, dbm, tail) -> None:
    kernel.nl80211[u.NL80211_CMD_SET_WIPHY] = lambda req: [kernel.ack(req)]
    client.set_txpower(monitor(), mode, dbm)
    assert last_request(kernel) == bytes.fromhex(
        "02000000"  # genlmsghdr: NL80211_CMD_SET_WIPHY
        "08000300" "0c000000"  # NL80211_ATTR_IFINDEX = 12 (the kernel: per vif if it can)
        + tail  # NL80211_ATTR_WIPHY_TX_POWER_SETTING (97), NL80211_ATTR_WIPHY_TX_POWER_LEVEL (98)
    )  # fmt: skip
    client.set_txpower(monitor(), mode, dbm, radio=True)  # the whole radio: by wiphy index
    assert last_request(kernel) == bytes.fromhex("020000000800010001000000" + tail)


def test_power_save_get_and_set(kernel: Kernel, client: Nl80211Client) -> None:
    state = {"ps": u.NL80211_PS_DISABLED}

    def get(req):
        attrs = codec.encode(u.NL80211_ATTR, {"ps_state": state["ps"]})
        reply = genetlink.pack(u.NL80211_CMD_GET_POWER_SAVE, 1, attrs)
        return [kernel.message(req, FAMILY_ID, reply), kernel.ack(req)]

    def set_(req):
        state["ps"] = attrs_of(req)["ps_state"]
        return [kernel.ack(req)]

    kernel.nl80211[u.NL80211_CMD_GET_POWER_SAVE] = get
    kernel.nl80211[u.NL80211_CMD_SET_POWER_SAVE] = set_
    assert client.power_save(wlan1()) is False
    client.set_power_save(wlan1(), True)
    assert last_request(kernel) == bytes.fromhex(
        "3d000000"  # genlmsghdr: NL80211_CMD_SET_POWER_SAVE (61)
        "08000300" "03000000"  # NL80211_ATTR_IFINDEX = 3
        "08005d00" "01000000"  # NL80211_ATTR_PS_STATE = NL80211_PS_ENABLED
    )  # fmt: skip
    assert client.power_save(wlan1()) is True


def test_power_save_refusal_names_the_option(kernel: Kernel, client: Nl80211Client) -> None:
    kernel.nl80211[u.NL80211_CMD_SET_POWER_SAVE] = lambda r: [kernel.error(r, errno.EOPNOTSUPP)]
    kernel.nl80211[u.NL80211_CMD_GET_POWER_SAVE] = lambda r: [kernel.error(r, errno.EOPNOTSUPP)]
    assert client.power_save(monitor()) is None
    with pytest.raises(Nl80211Error, match=r"^power_save: turning power save of mon1 on: mon1 "
                       r"\(type monitor\) has no power save"):  # fmt: skip
        client.set_power_save(monitor(), True)


# --------------------------------------------------------------------------- radios


def test_radio_settings_as_iw_prints_them(kernel: Kernel, client: Nl80211Client) -> None:
    kernel.nl80211[u.NL80211_CMD_GET_WIPHY] = kernel.replay_all("get_wiphy_split_phy1")
    (radio,) = client.radios(only=1)
    # `iw phy phy1 info` in the VM: "Retry short limit: 7", "Retry long limit: 4", no RTS or
    # fragmentation threshold lines (both off), "Available Antennas: TX 0 RX 0"
    assert (radio.index, radio.retry_short, radio.retry_long) == (1, 7, 4)
    assert radio.rts_threshold == radio.frag_threshold == u.THRESHOLD_OFF
    assert radio.antenna_tx is None and radio.antenna_avail_tx in (None, 0)


def test_radio_requests(kernel: Kernel, client: Nl80211Client) -> None:
    kernel.nl80211[u.NL80211_CMD_SET_WIPHY] = lambda req: [kernel.ack(req)]
    kernel.nl80211[u.NL80211_CMD_SET_WIPHY_NETNS] = lambda req: [kernel.ack(req)]
    radio = RadioSettings(7, "phy7", 7, 4, u.THRESHOLD_OFF, u.THRESHOLD_OFF, *[None] * 4)
    client.rename_radio(radio, "lnradio7")
    assert last_request(kernel) == bytes.fromhex(
        "02000000"  # NL80211_CMD_SET_WIPHY
        "08000100" "07000000"  # NL80211_ATTR_WIPHY = 7
        "0d000200" "6c6e726164696f3700000000"  # NL80211_ATTR_WIPHY_NAME = "lnradio7\0"
    )  # fmt: skip
    client.set_radio(radio, {"retry_short": 5, "frag_threshold": 1000, "rts_threshold": 0xFFFFFFFF})
    assert last_request(kernel) == bytes.fromhex(
        "02000000"  # NL80211_CMD_SET_WIPHY
        "08000100" "07000000"  # NL80211_ATTR_WIPHY = 7
        "05003d00" "05000000"  # NL80211_ATTR_WIPHY_RETRY_SHORT = 5 (u8)
        "08003f00" "e8030000"  # NL80211_ATTR_WIPHY_FRAG_THRESHOLD = 1000
        "08004000" "ffffffff"  # NL80211_ATTR_WIPHY_RTS_THRESHOLD = off ((u32)-1)
    )  # fmt: skip
    client.move_radio(radio, pid=1)
    assert last_request(kernel) == bytes.fromhex(
        "31000000"  # NL80211_CMD_SET_WIPHY_NETNS (49)
        "08000100" "07000000"  # NL80211_ATTR_WIPHY = 7
        "08005200" "01000000"  # NL80211_ATTR_PID = 1
    )  # fmt: skip
    client.move_radio(radio, netns_fd=5)
    assert last_request(kernel)[12:] == bytes.fromhex("0800db0005000000")  # NETNS_FD = 5


@pytest.mark.parametrize(
    "call, err, text",
    [
        ("rename", errno.EEXIST, "new_name: renaming radio phy7 to phy3: the name is taken"),
        ("rename", errno.EINVAL, "or is phyN for another radio's index N (EINVAL)"),
        ("antennas", errno.EOPNOTSUPP, "antenna_rx/antenna_tx: setting antenna_rx=1, "
         "antenna_tx=1 of radio phy7: the driver of phy7 cannot set antennas (EOPNOTSUPP)"),
        ("settings", errno.EINVAL, "rts_threshold: setting rts_threshold=off of radio phy7 "
         "(phy7): "),
        ("move", errno.EOPNOTSUPP, "target_netns: moving radio phy7 to another network "
         "namespace: its driver does not allow moving it"),
        ("move", errno.EPERM, "needs CAP_NET_ADMIN"),
    ],
)  # fmt: skip
def test_radio_refusals_are_worded(kernel, client, call, err, text) -> None:
    kernel.nl80211[u.NL80211_CMD_SET_WIPHY] = lambda req: [kernel.error(req, err)]
    kernel.nl80211[u.NL80211_CMD_SET_WIPHY_NETNS] = lambda req: [kernel.error(req, err)]
    radio = RadioSettings(7, "phy7", 7, 4, u.THRESHOLD_OFF, u.THRESHOLD_OFF, *[None] * 4)
    with pytest.raises(Nl80211Error) as info:
        if call == "rename":
            client.rename_radio(radio, "phy3")
        elif call == "antennas":
            client.set_radio(radio, {"antenna_tx": 1, "antenna_rx": 1})
        elif call == "settings":
            client.set_radio(radio, {"rts_threshold": u.THRESHOLD_OFF})
        else:
            client.move_radio(radio, pid=1)
    assert text in str(info.value)


# --------------------------------------------------------------------------- links


def answer_with_events(kernel: Kernel, command: int, group: int, events: Callable, err: int = 0):
    """``command`` is ACKed (or refused with ``err``); after the ACK, ``events()`` are multicast
    to the sockets in ``group``, which must have joined before the request."""

    def on_request(req):
        if err:
            return [kernel.error(req, err)]
        subscribed = kernel.event_sockets(group)
        assert subscribed, "%s sent before joining the group" % u.COMMAND_NAMES[command]
        for sock in subscribed:
            sock.inbox.extend(events())
        return [kernel.ack(req)]

    kernel.nl80211[command] = on_request


def test_connect_sends_the_open_request_and_waits_for_its_own_result(kernel, client) -> None:
    # The result for another interface comes first: it is not ours. The attributes are those
    # the VM's kernel sent for `iw dev wlan5 connect ln-open` (tests/vm probe, Linux 6.1).
    answer_with_events(
        kernel,
        u.NL80211_CMD_CONNECT,
        MLME_GROUP,
        lambda: [
            kernel.event(u.NL80211_CMD_CONNECT, 9, status_code=17),
            kernel.event(u.NL80211_CMD_CONNECT, 3, mac=b"\x02\0\0\0\0\0", status_code=0),
        ],
    )
    result = client.connect(wlan1(), b"ln-open", frequency=2412, timeout=2)
    assert result["status_code"] == 0 and result["ifindex"] == 3
    sent = attrs_of([m for m in kernel.requests if m.type == FAMILY_ID][-1])
    assert sent == {"ifindex": 3, "ssid": b"ln-open", "wiphy_freq": 2412}  # no key, no owner
    assert not kernel.event_sockets(MLME_GROUP)  # the event socket is closed again


@pytest.mark.parametrize(
    "more, text",
    [
        ({"status_code": 17}, "status code 17 (the AP cannot handle additional associated"),
        ({"status_code": 1, "timed_out": True, "timeout_reason": 0}, "the attempt timed out"),
        ({"status_code": 1, "timed_out": True, "timeout_reason": 2}, "timed out during auth"),
    ],
)
def test_failed_connect_results_are_worded(kernel, client, more, text) -> None:
    answer_with_events(
        kernel, u.NL80211_CMD_CONNECT, MLME_GROUP, lambda: [kernel.event(46, 3, **more)]
    )
    with pytest.raises(LinkFailed, match="connecting wlan1 to ln-x: .*" + re.escape(text)):
        client.connect(wlan1(), b"ln-x", timeout=2)


def test_connect_without_a_result_times_out_worded(kernel, client) -> None:
    answer_with_events(kernel, u.NL80211_CMD_CONNECT, MLME_GROUP, lambda: [])
    with pytest.raises(LinkFailed, match="no answer from the kernel within 0.3 s .*CONNECT"):
        client.connect(wlan1(), b"ln-open", timeout=0.3)


@pytest.mark.parametrize(
    "err, text",
    [
        (errno.EALREADY, r"connecting wlan1 to ln-open \(wlan1\): .*EALREADY"),
        (errno.ENETDOWN, "wlan1 is down"),
        (errno.EPERM, "needs CAP_NET_ADMIN"),
    ],
)
def test_connect_refusals_are_worded(kernel, client, err, text) -> None:
    answer_with_events(kernel, u.NL80211_CMD_CONNECT, MLME_GROUP, lambda: [], err=err)
    with pytest.raises(Nl80211Error, match=text):
        client.connect(wlan1(), b"ln-open", timeout=1)


def test_disconnect_waits_for_its_notification(kernel, client) -> None:
    answer_with_events(
        kernel,
        u.NL80211_CMD_DISCONNECT,
        MLME_GROUP,
        lambda: [kernel.event(u.NL80211_CMD_DISCONNECT, 3, reason_code=3)],
    )
    client.disconnect(wlan1(), timeout=2)
    sent = attrs_of([m for m in kernel.requests if m.type == FAMILY_ID][-1])
    assert sent == {"ifindex": 3, "reason_code": 3}  # WLAN_REASON_DEAUTH_LEAVING, as iw


def test_disconnect_of_an_unconnected_interface_is_fine(kernel, client) -> None:
    answer_with_events(kernel, u.NL80211_CMD_DISCONNECT, MLME_GROUP, list, err=errno.ENOTCONN)
    client.disconnect(wlan1(), timeout=0.3)


def test_join_ibss_waits_for_the_joined_notification(kernel, client) -> None:
    answer_with_events(
        kernel,
        u.NL80211_CMD_JOIN_IBSS,
        MLME_GROUP,
        lambda: [kernel.event(u.NL80211_CMD_JOIN_IBSS, 3, mac=b"\x72\xe7\xce\xbb\x6c\xf5")],
    )
    chandef = {"channel_width": 1, "center_freq1": 2412}
    client.join_ibss(wlan1(), b"ln-ibss", 2412, chandef, timeout=2)
    sent = attrs_of([m for m in kernel.requests if m.type == FAMILY_ID][-1])
    assert sent == {"ifindex": 3, "ssid": b"ln-ibss", "wiphy_freq": 2412, **chandef}


def test_join_ibss_refusal_names_the_channel(kernel, client) -> None:
    answer_with_events(kernel, u.NL80211_CMD_JOIN_IBSS, MLME_GROUP, list, err=errno.EINVAL)
    with pytest.raises(Nl80211Error, match=r"joining wlan1 to the IBSS x \(wlan1\).*EINVAL"):
        client.join_ibss(wlan1(), b"x", 5180, {}, timeout=0.3)


def test_join_mesh_is_done_when_acked_and_leave_tolerates_not_joined(kernel, client) -> None:
    kernel.nl80211[u.NL80211_CMD_JOIN_MESH] = lambda req: [kernel.ack(req)]
    client.join_mesh(wlan1(), b"ln-mesh", 2412, {"channel_width": 1, "center_freq1": 2412})
    sent = attrs_of([m for m in kernel.requests if m.type == FAMILY_ID][-1])
    assert sent["mesh_id"] == b"ln-mesh" and sent["wiphy_freq"] == 2412
    for err in (errno.ENOTCONN, errno.ENOLINK):  # what 6.1 answers for mesh / IBSS
        kernel.nl80211[u.NL80211_CMD_LEAVE_MESH] = lambda req, e=err: [kernel.error(req, e)]
        client.leave(wlan1(), u.NL80211_CMD_LEAVE_MESH)
    kernel.nl80211[u.NL80211_CMD_LEAVE_IBSS] = lambda req: [kernel.error(req, errno.EBUSY)]
    with pytest.raises(Nl80211Error, match="leaving the IBSS on wlan1"):
        client.leave(wlan1(), u.NL80211_CMD_LEAVE_IBSS)


# --------------------------------------------------------------------------- regulatory


def test_regdomain_global_first_then_self_managed_radios(kernel, client) -> None:
    def dump(req):
        own = {"wiphy": 4, "reg_alpha2": "US", "dfs_region": 1, "wiphy_self_managed_reg": True}
        parts = [
            genetlink.pack(
                31, 1, codec.encode(u.NL80211_ATTR, {"reg_alpha2": "DE", "dfs_region": 2})
            ),
            genetlink.pack(31, 1, codec.encode(u.NL80211_ATTR, own)),
        ]
        return list(kernel.multipart(req, FAMILY_ID, parts))

    kernel.nl80211[u.NL80211_CMD_GET_REG] = dump
    assert client.regdomain() == Regulatory(
        RegDomain("DE", u.NL80211_DFS_ETSI, [], None, False),
        [RegDomain("US", u.NL80211_DFS_FCC, [], 4, True)],
    )


def test_set_regdomain_waits_for_the_global_change(kernel, client) -> None:
    # As the VM's kernel announced `iw reg set DE`: initiator USER, type COUNTRY, alpha2 DE;
    # a radio's own change (WIPHY_REG_CHANGE-like, with a wiphy) is not the global one.
    answer_with_events(
        kernel,
        u.NL80211_CMD_REQ_SET_REG,
        REG_GROUP,
        lambda: [
            kernel.event(u.NL80211_CMD_REG_CHANGE, wiphy=4, reg_alpha2="US"),
            kernel.event(
                u.NL80211_CMD_REG_CHANGE, wiphy=None, reg_initiator=1, reg_type=0, reg_alpha2="DE"
            ),
        ],
    )
    event = client.set_regdomain("DE", timeout=2)
    assert event["reg_alpha2"] == "DE" and "wiphy" not in event
    sent = [m for m in kernel.requests if m.type == FAMILY_ID][-1]
    assert sent.payload == bytes.fromhex(
        "1b000000"  # genlmsghdr: NL80211_CMD_REQ_SET_REG, version 0
        "07002100"
        "44450000"  # NL80211_ATTR_REG_ALPHA2 = "DE\0" + padding, as iw sends it
    )


def test_set_regdomain_without_announcement_times_out(kernel, client) -> None:
    answer_with_events(kernel, u.NL80211_CMD_REQ_SET_REG, REG_GROUP, list)
    with pytest.raises(RegulatoryTimeout, match="announced no change within 0.3 s"):
        client.set_regdomain("XZ", timeout=0.3)


def test_disconnect_of_an_attempt_needs_no_notification(kernel, client) -> None:
    answer_with_events(kernel, u.NL80211_CMD_DISCONNECT, MLME_GROUP, list)
    client.disconnect(wlan1(), timeout=5, wait=False)  # returns at the ACK, no 5 s wait
    with pytest.raises(LinkFailed, match="disconnecting wlan1: no answer .*DISCONNECT/"):
        client.disconnect(wlan1(), timeout=0.2)
