#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Capture nl80211 replies in the simulated-radio VM as golden fixtures for the unit tests.

Run inside the guest, as root, after mac80211_hwsim is loaded (5 radios) and hostapd serves
"ln-open" (channel 1), "ln-wpa2" (channel 6) and "ln-sae" (channel 11); see tests/vm/run-tests
(``--capture``).
Every datagram the kernel sends to the client's sockets is recorded; the oracle `iw` is run on
the same state, and the values it prints (names, ifindex, types, MACs, frequencies, BSSIDs,
SSIDs) become the fixture's expected decoded form, independent of our decoder.

Writes tests/unit/plugins/module_utils/_nl80211/fixtures/vm_6_1.py.
"""

from __future__ import annotations

import os
import platform
import pprint
import socket
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path[:0] = [REPO, os.path.dirname(os.path.abspath(__file__))]
import conftest  # noqa: E402,F401,I001  (makes ansible_collections.linux.netlink importable)
import iw_oracle  # noqa: E402

from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (  # noqa: E402
    NetlinkError,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (  # noqa: E402
    Nl80211Client,
)

OUT = os.path.join(REPO, "tests/unit/plugins/module_utils/_nl80211/fixtures/vm_6_1.py")


class Recorder:
    """A socket factory: real netlink sockets whose traffic is logged."""

    def __init__(self) -> None:
        self.log = []  # (socket number, "send"|"recv", bytes)
        self.count = 0

    def __call__(self, protocol: int):
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, protocol)
        self.count += 1
        return _Recording(sock, self, self.count)

    def mark(self) -> int:
        return len(self.log)

    def since(self, mark: int, number: int = 0):
        return [(d, b) for n, d, b in self.log[mark:] if not number or n == number]


class _Recording:
    def __init__(self, sock, rec: Recorder, number: int) -> None:
        self._sock, self._rec, self.number = sock, rec, number

    def __getattr__(self, name):
        return getattr(self._sock, name)

    def sendto(self, data, address):
        self._rec.log.append((self.number, "send", bytes(data)))
        return self._sock.sendto(data, address)

    def recvmsg_into(self, buffers, *args):
        nbytes, anc, flags, addr = self._sock.recvmsg_into(buffers, *args)
        self._rec.log.append((self.number, "recv", bytes(buffers[0][:nbytes])))
        return nbytes, anc, flags, addr


def capture(rec: Recorder, mark: int, number: int) -> dict:
    sent = [b for d, b in rec.since(mark, number) if d == "send"]
    got = [b.hex() for d, b in rec.since(mark, number) if d == "recv"]
    return {"request": sent[-1].hex() if sent else "", "replies": got}


def main() -> None:
    rec = Recorder()
    client = Nl80211Client(socket_factory=rec)
    fixtures = {}
    genl = client.sock  # socket number 1

    def sockno(sock) -> int:
        return sock._sock.number

    # 1. GET_WIPHY split dump of phy1 only (the dump filter keeps the fixture small)
    mark = rec.mark()
    client.dump(u.NL80211_CMD_GET_WIPHY, {"split_wiphy_dump": True, "wiphy": 1})
    fixtures["get_wiphy_split_phy1"] = dict(
        capture(rec, mark, sockno(genl)),
        command="NL80211_CMD_GET_WIPHY dump, NL80211_ATTR_SPLIT_WIPHY_DUMP, NL80211_ATTR_WIPHY=1",
        oracle={"name": "phy1", "frequencies": iw_oracle.phy("phy1")["frequencies"]},
    )

    # 2. NEW_INTERFACE: a monitor interface with flags on phy3
    mark = rec.mark()
    client.request(
        u.NL80211_CMD_NEW_INTERFACE,
        {"wiphy": 3, "ifname": "mon3", "iftype": u.NL80211_IFTYPE_MONITOR, "mntr_flags": [3, 4]},
    )
    fixtures["new_interface_mon3"] = dict(
        capture(rec, mark, sockno(genl)),
        command="NL80211_CMD_NEW_INTERFACE wiphy 3 mon3 monitor flags control,otherbss",
        oracle=[i for i in iw_oracle.dev() if i["name"] == "mon3"],
    )

    # 3. TRIGGER_SCAN refusals: on a monitor interface, on a down interface
    client.set_up(client.interface("mon3"), True)
    mon3 = client.interface("mon3")
    wlan3 = client.interface("wlan3")
    if wlan3.up:
        client.set_up(wlan3, False)
        wlan3 = client.interface("wlan3")
    for key, iface in (("trigger_scan_monitor", mon3), ("trigger_scan_down", wlan3)):
        mark = rec.mark()
        try:
            client.request(
                u.NL80211_CMD_TRIGGER_SCAN,
                {"ifindex": iface.ifindex, "scan_ssids": [b""], "scan_frequencies": [2412]},
            )
            errno_ = 0
        except NetlinkError as exc:
            errno_ = exc.errno
        fixtures[key] = dict(
            capture(rec, mark, sockno(genl)),
            command="NL80211_CMD_TRIGGER_SCAN on %s (%s, %s)"
            % (iface.name, iface.type, "up" if iface.up else "down"),
            oracle={"errno": errno_},
        )

    # 4. a real scan from wlan1 (up), then a second trigger while it runs (EBUSY), the event
    wlan1 = client.interface("wlan1")
    if not wlan1.up:
        client.set_up(wlan1, True)
        wlan1 = client.interface("wlan1")
    events = client._socket(16)
    events.add_membership(client.family.mcast_groups["scan"])
    trig = {"ifindex": wlan1.ifindex, "scan_ssids": [b""], "scan_frequencies": [2412, 2437, 2462]}
    client.request(u.NL80211_CMD_TRIGGER_SCAN, trig)
    mark = rec.mark()
    try:
        client.request(u.NL80211_CMD_TRIGGER_SCAN, trig)
        busy = 0
    except NetlinkError as exc:
        busy = exc.errno
    fixtures["trigger_scan_busy"] = dict(
        capture(rec, mark, sockno(genl)),
        command="NL80211_CMD_TRIGGER_SCAN on wlan1 while its scan runs",
        oracle={"errno": busy},
    )
    mark = rec.mark()
    deadline = time.monotonic() + 20
    done = None
    while done is None and time.monotonic() < deadline:
        for msg in events.recv_events(1.0):
            if msg.payload[0] in (u.NL80211_CMD_NEW_SCAN_RESULTS, u.NL80211_CMD_SCAN_ABORTED):
                done = msg
    fixtures["scan_events"] = dict(
        capture(rec, mark, sockno(events)),
        command="events on the nl80211 'scan' group during the scan from wlan1",
        oracle={"ifindex": wlan1.ifindex},
    )
    events.close()

    # 5. GET_SCAN dump from wlan1
    mark = rec.mark()
    client.dump(u.NL80211_CMD_GET_SCAN, {"ifindex": wlan1.ifindex})
    fixtures["get_scan_wlan1"] = dict(
        capture(rec, mark, sockno(genl)),
        command="NL80211_CMD_GET_SCAN dump, NL80211_ATTR_IFINDEX=wlan1, after a 3-channel scan",
        oracle=iw_oracle.scan("wlan1"),
    )

    # 6. GET_INTERFACE dump
    mark = rec.mark()
    client.dump(u.NL80211_CMD_GET_INTERFACE, {})
    fixtures["get_interface"] = dict(
        capture(rec, mark, sockno(genl)),
        command="NL80211_CMD_GET_INTERFACE dump",
        oracle=iw_oracle.dev(),
    )
    client.request(u.NL80211_CMD_DEL_INTERFACE, {"ifindex": mon3.ifindex})
    client.close()

    hostapd = subprocess.run(["hostapd", "-v"], stderr=subprocess.PIPE, text=True).stderr
    header = (
        "# SPDX-License-Identifier: GPL-3.0-or-later\n"
        '"""nl80211 replies captured in the simulated-radio VM (generated; do not edit).\n\n'
        "Kernel: Debian %s (%s), mac80211_hwsim radios=5; %s.\n"
        "Produced by: tests/vm/run-tests --capture (tests/vm/wifi/capture_fixtures.py) on %s.\n"
        "Each entry: the command, the request as sent (hex), every datagram the kernel answered\n"
        "(hex, as received; seq/port id are rewritten when replayed), and 'oracle': what `iw`\n"
        "printed for the same state (or the errno seen), the expected decoded form.\n"
        '"""\n\n'
        % (
            platform.release(),
            platform.version(),
            hostapd.splitlines()[0] if hostapd else "hostapd",
            time.strftime("%Y-%m-%d"),
        )
    )
    write(OUT, header, fixtures)


def write(path: str, header: str, fixtures: dict) -> None:
    """The fixture module: its docstring (``header``), KERNEL and FIXTURES."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(header)
        fh.write("KERNEL = %r\n\n" % platform.release())
        fh.write("FIXTURES = ")
        fh.write(pprint.pformat(fixtures, width=100, compact=False))
        fh.write("\n")
    print("capture: wrote %s (%d fixtures)" % (path, len(fixtures)))


if __name__ == "__main__":
    main()
