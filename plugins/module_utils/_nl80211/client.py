# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: an nl80211 client (phys, interfaces, scans); no Ansible here.

One generic netlink socket carries requests and dumps and never joins a multicast group, so a
burst of notifications can never overrun a dump. A scan opens a second socket, subscribed to
the "scan" group *before* the scan is triggered, and waits there for the completion event of
its own interface. Admin state (IFF_UP) goes through rtnetlink, in the same network namespace.
Kernel refusals come out as `Nl80211Error`, worded for the person reading the task result.
"""

from __future__ import annotations

import errno
import time
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence

from ansible_collections.linux.netlink.plugins.module_utils._netlink import (
    codec,
    genetlink,
    rtnetlink,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (
    Error,
    NetlinkError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_GENERIC,
    NETLINK_ROUTE,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import channels
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u


class Nl80211Error(Error):
    """The kernel refused an nl80211 request; the text says what it means for the user."""

    def __init__(self, message: str, errno_: int = 0) -> None:
        self.errno = errno_
        super().__init__(message)


class NoWirelessStack(Nl80211Error):
    """The kernel has no nl80211 family (cfg80211 is not loaded, or there is no wireless)."""


class ScanTimeout(Nl80211Error):
    """A triggered scan did not complete within the timeout."""


class ScanAborted(Nl80211Error):
    """The kernel aborted the scan (NL80211_CMD_SCAN_ABORTED)."""


class Phy(NamedTuple):
    """A wireless radio (wiphy), merged from the split GET_WIPHY dump."""

    index: int
    name: str
    iftypes: List[str]  # the interface types it can create (NL80211_ATTR_SUPPORTED_IFTYPES)
    software_iftypes: List[str]
    bands: Dict[str, List[Dict[str, Any]]]  # band name -> channels (freq MHz, flags)
    max_scan_ssids: int

    @property
    def frequencies(self) -> List[int]:
        return [c["freq"] for chans in self.bands.values() for c in chans if "freq" in c]


class Interface(NamedTuple):
    """A wireless interface (wdev) as GET_INTERFACE reports it, plus its admin state."""

    name: str
    ifindex: int  # 0 for a wdev without a netdev (p2p_device, nan)
    wdev: int
    phy: int  # wiphy index
    type: str  # enum nl80211_iftype, as in uapi.IFTYPE_NAMES
    mac: str
    use_4addr: bool
    frequency: Optional[int]  # MHz, when the interface is on a channel
    width: Optional[int]  # enum nl80211_chan_width
    center_freq1: Optional[int]
    center_freq2: Optional[int]
    txpower_dbm: Optional[float]
    ssid: Optional[bytes]
    up: Optional[bool]  # IFF_UP; None without a netdev


def format_mac(raw: bytes) -> str:
    return ":".join("%02x" % b for b in raw)


def parse_mac(text: str) -> bytes:
    """'02:00:00:00:01:00' (or with '-') -> 6 bytes; ValueError names what is wrong."""
    parts = text.replace("-", ":").split(":")
    try:
        raw = bytes(int(p, 16) for p in parts if len(p) in (1, 2))
    except ValueError:
        raw = b""
    if len(parts) != 6 or len(raw) != 6:
        raise ValueError("%r is not a MAC address (six hex bytes separated by ':')" % text)
    return raw


# --------------------------------------------------------------------------- decoding


def _merge_phy(into: Dict[str, Any], attrs: Dict[str, Any]) -> None:
    """Merge one message of a split wiphy dump: bands and their channel lists accumulate."""
    for key, value in attrs.items():
        if key != "wiphy_bands":
            into[key] = value
            continue
        bands = into.setdefault("wiphy_bands", {})
        for band, band_attrs in value.items():
            have = bands.setdefault(band, {})
            for bkey, bvalue in band_attrs.items():
                if isinstance(bvalue, list):
                    have.setdefault(bkey, []).extend(bvalue)
                else:
                    have[bkey] = bvalue


def _channel(freq: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {"freq": freq.get("freq")}
    for flag in ("disabled", "no_ir", "radar"):
        out[flag] = bool(freq.get(flag))
    if "max_tx_power" in freq:
        out["max_tx_power_dbm"] = freq["max_tx_power"] / 100.0
    return out


def phy_from_attrs(attrs: Dict[str, Any]) -> Phy:
    bands = {
        channels.BAND_NAMES.get(band, str(band)): [_channel(f) for f in battrs.get("freqs", [])]
        for band, battrs in sorted(attrs.get("wiphy_bands", {}).items())
    }
    return Phy(
        index=attrs["wiphy"],
        name=attrs.get("wiphy_name", "phy%d" % attrs["wiphy"]),
        iftypes=[u.IFTYPE_NAMES.get(t, str(t)) for t in attrs.get("supported_iftypes", [])],
        software_iftypes=[u.IFTYPE_NAMES.get(t, str(t)) for t in attrs.get("software_iftypes", [])],
        bands=bands,
        max_scan_ssids=attrs.get("max_num_scan_ssids", 0),
    )


def interface_from_attrs(attrs: Dict[str, Any], up: Optional[bool] = None) -> Interface:
    power = attrs.get("wiphy_tx_power_level")
    return Interface(
        name=attrs.get("ifname", ""),
        ifindex=attrs.get("ifindex", 0),
        wdev=attrs.get("wdev", 0),
        phy=attrs.get("wiphy", -1),
        type=u.IFTYPE_NAMES.get(attrs.get("iftype", 0), "unspecified"),
        mac=format_mac(attrs.get("mac", b"")),
        use_4addr=bool(attrs.get("4addr", 0)),
        frequency=attrs.get("wiphy_freq"),
        width=attrs.get("channel_width"),
        center_freq1=attrs.get("center_freq1"),
        center_freq2=attrs.get("center_freq2"),
        txpower_dbm=None if power is None else power / 100.0,
        ssid=attrs.get("ssid"),
        up=up,
    )


# --------------------------------------------------------------------------- errors


def worded(exc: NetlinkError, doing: str, subject: str = "", detail: str = "") -> Nl80211Error:
    """Turn a kernel refusal of ``doing`` (to ``subject``) into a sentence."""
    code = exc.errno
    name = "EOPNOTSUPP" if code == errno.EOPNOTSUPP else errno.errorcode.get(code, str(code))
    if code in (errno.EPERM, errno.EACCES):
        text = "%s needs CAP_NET_ADMIN (use become: true)" % doing
    elif code == errno.ERFKILL:
        text = "%s: the radio of %s is blocked by rfkill (rfkill unblock it)" % (doing, subject)
    elif code == errno.EOPNOTSUPP and detail:
        text = detail
    elif code == errno.EOPNOTSUPP:
        text = "%s: %s does not support this" % (doing, subject)
    elif code == errno.EBUSY:
        text = "%s: %s is busy (in use, or an operation such as a scan is running)" % (
            doing,
            subject,
        )
    elif code == errno.ENETDOWN:
        text = "%s: %s is down (bring it up first) or its radio is blocked by rfkill" % (
            doing,
            subject,
        )
    elif code in (errno.ENODEV, errno.ENOENT):
        text = "%s: %s does not exist (any more)" % (doing, subject)
    elif code == errno.EEXIST or code == errno.ENFILE:
        text = "%s: an interface named %s already exists" % (doing, subject)
    else:
        text = "%s (%s): %s" % (doing, subject, exc.reason)
    if exc.message and exc.message not in text:
        text += " - kernel says: %s" % exc.message
    return Nl80211Error("%s (%s)" % (text, name), code)


# --------------------------------------------------------------------------- the client


class Nl80211Client:
    """Talks nl80211 (and a little rtnetlink), optionally in another network namespace."""

    def __init__(
        self,
        netns: Optional[str] = None,
        sock: Optional[NetlinkSocket] = None,
        timeout: float = 30.0,
        socket_factory: Optional[Callable[[int], Any]] = None,
    ) -> None:
        self.netns = netns
        self.timeout = timeout
        self._factory = socket_factory
        self.sock = sock or self._socket(NETLINK_GENERIC)
        self._rt: Optional[NetlinkSocket] = None
        self._phys: Dict[Optional[int], List[Phy]] = {}  # by `phys(only=...)`, None: all
        try:
            self.family = genetlink.resolve(self.sock, u.NL80211_GENL_NAME)
        except genetlink.FamilyNotFound:
            self.sock.close()
            raise NoWirelessStack(
                "no wireless stack: the kernel has no nl80211 (cfg80211 is not loaded, or this "
                "host%s has no wireless hardware)" % (" / netns %s" % netns if netns else "")
            ) from None

    def _socket(self, protocol: int) -> NetlinkSocket:
        return NetlinkSocket(
            protocol, netns=self.netns, timeout=self.timeout, socket_factory=self._factory
        )

    def close(self) -> None:
        self.sock.close()
        if self._rt is not None:
            self._rt.close()

    def __enter__(self) -> "Nl80211Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def rt(self) -> NetlinkSocket:
        if self._rt is None:
            self._rt = self._socket(NETLINK_ROUTE)
        return self._rt

    # ------------------------------------------------------------------ plumbing

    def _payload(self, command: int, attrs: Dict[str, Any]) -> bytes:
        return genetlink.pack(command, u.NL80211_GENL_VERSION, codec.encode(u.NL80211_ATTR, attrs))

    def _decode(self, msg: codec.Message) -> Dict[str, Any]:
        command, data = genetlink.unpack(msg)
        attrs = codec.decode(u.NL80211_ATTR, data)
        attrs["_cmd"] = command
        return attrs

    def request(self, command: int, attrs: Dict[str, Any]) -> List[Dict[str, Any]]:
        """One request, ACKed; returns the decoded replies. NetlinkError passes through."""
        name = u.COMMAND_NAMES.get(command, str(command))
        replies = self.sock.request(self.family.id, self._payload(command, attrs), command=name)
        return [self._decode(m) for m in replies]

    def dump(self, command: int, attrs: Dict[str, Any]) -> List[Dict[str, Any]]:
        name = u.COMMAND_NAMES.get(command, str(command))
        replies = self.sock.dump(self.family.id, self._payload(command, attrs), command=name)
        return [self._decode(m) for m in replies]

    # ------------------------------------------------------------------ queries

    def phys(self, refresh: bool = False, only: Optional[int] = None) -> List[Phy]:
        """Radios from a split GET_WIPHY dump (cached; ``refresh`` re-reads). ``only``: just
        that wiphy index (the kernel filters the dump: a fraction of the messages)."""
        if only is not None and None in self._phys and not refresh:
            return [p for p in self._phys[None] if p.index == only]
        if only not in self._phys or refresh:
            request: Dict[str, Any] = {"split_wiphy_dump": True, "wiphy": only}
            merged: Dict[int, Dict[str, Any]] = {}
            for attrs in self.dump(u.NL80211_CMD_GET_WIPHY, request):
                if "wiphy" in attrs:
                    _merge_phy(merged.setdefault(attrs["wiphy"], {}), attrs)
            self._phys[only] = [phy_from_attrs(merged[i]) for i in sorted(merged)]
        return self._phys[only]

    def phy(self, spec: Any) -> Optional[Phy]:
        """A phy by name ('phy0') or index (0, '0'); None when there is none."""
        text = str(spec)
        for phy in self.phys():
            if phy.name == text or (text.isdigit() and phy.index == int(text)):
                return phy
        return None

    def interfaces(self) -> List[Interface]:
        """Every wireless interface, with its admin state from rtnetlink."""
        found = self.dump(u.NL80211_CMD_GET_INTERFACE, {})
        links = {link.index: link for link in rtnetlink.list_links(self.rt)} if found else {}
        out = []
        for attrs in found:
            link = links.get(attrs.get("ifindex", 0))
            out.append(interface_from_attrs(attrs, link.up if link else None))
        return sorted(out, key=lambda i: (i.phy, i.name))

    def interface(self, name: str) -> Optional[Interface]:
        for iface in self.interfaces():
            if iface.name == name:
                return iface
        return None

    # ------------------------------------------------------------------ changes

    def _phy_name(self, index: int) -> str:
        phy = next((p for p in self.phys(only=index) if p.index == index), None)
        return phy.name if phy else "phy#%d" % index

    def create(
        self,
        phy: int,
        name: str,
        iftype: str,
        mac: Optional[str] = None,
        use_4addr: Optional[bool] = None,
        monitor_flags: Optional[Sequence[str]] = None,
        mesh_id: Optional[str] = None,
    ) -> Interface:
        """NL80211_CMD_NEW_INTERFACE on a phy (by index)."""
        attrs = {
            "wiphy": phy,
            "ifname": name,
            "iftype": u.IFTYPES[iftype],
            "mac": parse_mac(mac) if mac else None,
            "4addr": None if use_4addr is None else int(use_4addr),
            "mntr_flags": _mntr(monitor_flags) if iftype == "monitor" else None,
            "mesh_id": mesh_id.encode("utf-8") if mesh_id and iftype == "mesh_point" else None,
        }
        try:
            replies = self.request(u.NL80211_CMD_NEW_INTERFACE, attrs)
        except NetlinkError as exc:
            phy_name = self._phy_name(phy)
            raise worded(
                exc,
                "creating %s (type %s) on %s" % (name, iftype, phy_name),
                name if exc.errno in (errno.EEXIST, errno.ENFILE) else phy_name,
                "%s cannot create interfaces of type %s" % (phy_name, iftype),
            ) from None
        created = next((r for r in replies if r.get("ifname") == name), None)
        if created is None:
            return self._reread(name, "created")
        link = (
            rtnetlink.get_link(self.rt, index=created["ifindex"]) if "ifindex" in created else None
        )
        return interface_from_attrs(created, link.up if link else None)

    def _reread(self, name: str, what: str) -> Interface:
        iface = self.interface(name)
        if iface is None:
            raise Nl80211Error("%s was %s, but the kernel does not list it" % (name, what))
        return iface

    def _target(self, iface: Interface) -> Dict[str, Any]:
        if iface.ifindex:
            return {"ifindex": iface.ifindex}
        return {"wdev": iface.wdev}

    def delete(self, iface: Interface) -> None:
        try:
            self.request(u.NL80211_CMD_DEL_INTERFACE, self._target(iface))
        except NetlinkError as exc:
            if exc.errno == errno.ENODEV:
                return  # gone already: that is what was asked
            raise worded(exc, "deleting %s" % iface.name, iface.name) from None

    def set_interface(
        self,
        iface: Interface,
        iftype: Optional[str] = None,
        use_4addr: Optional[bool] = None,
        monitor_flags: Optional[Sequence[str]] = None,
        mesh_id: Optional[str] = None,
    ) -> None:
        """NL80211_CMD_SET_INTERFACE; when the kernel says EBUSY because the interface is up,
        take it down, retry, and bring it back up."""
        new_type = iftype or iface.type
        attrs = {
            "ifindex": iface.ifindex,
            "iftype": u.IFTYPES[iftype] if iftype else None,
            "4addr": None if use_4addr is None else int(use_4addr),
            "mntr_flags": _mntr(monitor_flags) if new_type == "monitor" else None,
            "mesh_id": mesh_id.encode("utf-8") if mesh_id and new_type == "mesh_point" else None,
        }
        try:
            self._while_down(iface, lambda: self.request(u.NL80211_CMD_SET_INTERFACE, attrs))
        except NetlinkError as exc:
            doing = "changing %s to type %s" % (iface.name, new_type)
            detail = "%s cannot change %s to type %s" % (
                self._phy_name(iface.phy),
                iface.name,
                new_type,
            )
            raise worded(exc, doing, iface.name, detail) from None

    def set_mac(self, iface: Interface, mac: str) -> None:
        """Change the MAC address through rtnetlink (IFLA_ADDRESS), down first if needed."""
        payload = rtnetlink.IFINFOMSG.pack(rtnetlink.AF_UNSPEC, 0, iface.ifindex, 0, 0)
        payload += codec.encode(rtnetlink.IFLA, {"address": parse_mac(mac)})

        def change() -> None:
            self.rt.request(rtnetlink.RTM_NEWLINK, payload, command="RTM_NEWLINK")

        try:
            self._while_down(iface, change)
        except NetlinkError as exc:
            raise worded(exc, "setting the MAC address of %s" % iface.name, iface.name) from None

    def _while_down(self, iface: Interface, change: Callable[[], Any]) -> None:
        try:
            change()
            return
        except NetlinkError as exc:
            if exc.errno != errno.EBUSY or not iface.up:
                raise
        rtnetlink.set_up(self.rt, iface.ifindex, False)
        try:
            change()
        finally:
            rtnetlink.set_up(self.rt, iface.ifindex, True)

    def set_up(self, iface: Interface, up: bool) -> None:
        if not iface.ifindex:
            raise Nl80211Error(
                "%s (type %s) has no network device: it cannot be set up or down"
                % (iface.name, iface.type)
            )
        try:
            rtnetlink.set_up(self.rt, iface.ifindex, up)
        except NetlinkError as exc:
            what = "bringing %s %s" % (iface.name, "up" if up else "down")
            raise worded(exc, what, iface.name) from None

    # ------------------------------------------------------------------ scanning

    def scan_results(self, iface: Interface) -> List[Dict[str, Any]]:
        """The kernel's cached BSS list for an interface (NL80211_CMD_GET_SCAN dump): decoded
        NL80211_BSS_* dicts. Needs no privilege."""
        try:
            replies = self.dump(u.NL80211_CMD_GET_SCAN, self._target(iface))
        except NetlinkError as exc:
            raise worded(exc, "reading the scan results of %s" % iface.name, iface.name) from None
        return [r["bss"] for r in replies if "bss" in r]

    def trigger_scan(
        self,
        iface: Interface,
        ssids: Optional[Sequence[bytes]] = None,
        frequencies: Optional[Sequence[int]] = None,
        flush: bool = False,
        passive: bool = False,
        timeout: float = 30.0,
    ) -> None:
        """Trigger a scan and wait for its end on this interface.

        Active scans probe the wildcard SSID unless ``ssids`` are given; passive ones send no
        probes. When another scan is running on the radio (EBUSY), wait for it, then trigger.
        """
        attrs: Dict[str, Any] = dict(self._target(iface))
        if not passive:
            attrs["scan_ssids"] = list(ssids) if ssids else [b""]
        if frequencies:
            attrs["scan_frequencies"] = list(frequencies)
        if flush:
            attrs["scan_flags"] = u.NL80211_SCAN_FLAG_FLUSH
        deadline = time.monotonic() + timeout
        group = self.family.mcast_groups.get(u.NL80211_MULTICAST_GROUP_SCAN)
        if group is None:
            raise Nl80211Error("nl80211 has no %r multicast group" % u.NL80211_MULTICAST_GROUP_SCAN)
        events = self._socket(NETLINK_GENERIC)
        try:
            events.add_membership(group)  # before triggering: the end cannot be missed
            while True:
                try:
                    self.request(u.NL80211_CMD_TRIGGER_SCAN, attrs)
                except NetlinkError as exc:
                    if exc.errno != errno.EBUSY:
                        raise self._scan_refused(exc, iface) from None
                    # A scan is already running on this radio: wait for it to end, retry.
                    self._wait_scan(events, iface, deadline, any_on_phy=True)
                    continue
                if self._wait_scan(events, iface, deadline) == u.NL80211_CMD_SCAN_ABORTED:
                    raise ScanAborted(
                        "the scan on %s was aborted by the kernel (NL80211_CMD_SCAN_ABORTED)"
                        % iface.name
                    )
                return
        finally:
            events.close()

    def _scan_refused(self, exc: NetlinkError, iface: Interface) -> Nl80211Error:
        doing = "scanning on %s" % iface.name
        if exc.errno == errno.EOPNOTSUPP:
            detail = "%s cannot scan: interfaces of type %s do not scan" % (iface.name, iface.type)
            return worded(exc, doing, iface.name, detail)
        return worded(exc, doing, iface.name)

    def _wait_scan(
        self, events: NetlinkSocket, iface: Interface, deadline: float, any_on_phy: bool = False
    ) -> int:
        """Wait for NEW_SCAN_RESULTS / SCAN_ABORTED of this interface (or of its phy)."""
        ends = (u.NL80211_CMD_NEW_SCAN_RESULTS, u.NL80211_CMD_SCAN_ABORTED)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                what = "a scan already running on" if any_on_phy else "the scan on"
                raise ScanTimeout(
                    "timed out waiting for %s %s (%s) to finish; raise the timeout"
                    % (what, iface.name, self._phy_name(iface.phy)),
                    errno.ETIMEDOUT,
                )
            for msg in events.recv_events(min(remaining, 1.0)):
                if msg.type != self.family.id:
                    continue
                attrs = self._decode(msg)
                if attrs["_cmd"] not in ends:
                    continue
                if attrs.get("ifindex", 0) == iface.ifindex and iface.ifindex:
                    return attrs["_cmd"]
                if iface.wdev and attrs.get("wdev") == iface.wdev:
                    return attrs["_cmd"]
                if any_on_phy and attrs.get("wiphy") == iface.phy:
                    return attrs["_cmd"]


def _mntr(flags: Optional[Sequence[str]]) -> Optional[List[int]]:
    if flags is None:
        return None
    return [u.MNTR_FLAGS[f] for f in flags if f != "none"]
