# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: an nl80211 client (phys, interfaces, scans); no Ansible here.

One generic netlink socket carries requests and dumps and never joins a multicast group, so a
burst of notifications can never overrun a dump. A scan opens a second socket, subscribed to
the "scan" group *before* the scan is triggered, and waits there for the completion event of
its own interface. Admin state (IFF_UP) goes through rtnetlink, in the same network namespace.
Kernel refusals come out as `Nl80211Error`, worded for the person reading the task result.
"""

from __future__ import annotations

import contextlib
import errno
import time
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Union

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
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import channels, link
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import (
    Interface,
    Phy,
    RadioSettings,
    interface_from_attrs,
    merge_phy,
    parse_mac,
    phy_from_attrs,
    radio_settings_from_attrs,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.reg import (
    Regulatory,
    regulatory_from_replies,
)


class Nl80211Error(NetlinkError):
    """A kernel refusal of an nl80211 (or rtnetlink) request, worded for the person reading the
    task result: what was being done, to what, and what the errno means there."""

    def __init__(
        self,
        source: NetlinkError,
        doing: str,
        subject: str = "",
        detail: Union[str, Dict[int, str]] = "",
    ):
        self.doing = doing
        super().__init__(
            source.errno,
            source.command,
            _meaning(source, doing, subject, detail),
            source.request,
            source.offset,
        )

    def __str__(self) -> str:
        code = self.errno
        name = "EOPNOTSUPP" if code == errno.EOPNOTSUPP else errno.errorcode.get(code, str(code))
        return "%s (%s)" % (self.message, name)


class WirelessError(Error):
    """nl80211 failed without a kernel refusal (no family, a vanished interface, a timeout)."""


class NoWirelessStack(WirelessError):
    """The kernel has no nl80211 family (cfg80211 is not loaded, or there is no wireless)."""


class LinkFailed(WirelessError):
    """A connect or join ended without a link: a failed status code, or no result in time."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.status = status


class RegulatoryTimeout(WirelessError):
    """No regulatory change was announced after a request to set the domain."""


class ScanTimeout(WirelessError):
    """A triggered scan did not complete within the timeout."""


class ScanAborted(WirelessError):
    """The kernel aborted the scan (NL80211_CMD_SCAN_ABORTED)."""


# --------------------------------------------------------------------------- errors


def _meaning(
    exc: NetlinkError, doing: str, subject: str, detail: Union[str, Dict[int, str]]
) -> str:
    """The sentence for a kernel refusal of ``doing`` (to ``subject``); ``detail`` words
    EOPNOTSUPP for this request, or is a {errno: sentence} for several. Privilege errors keep
    the transport's one hint."""
    code = exc.errno
    own = detail.get(code) if isinstance(detail, dict) else None
    if code == errno.EOPNOTSUPP and isinstance(detail, str):
        own = detail
    if code == errno.ERFKILL:
        text = "%s: the radio of %s is blocked by rfkill (rfkill unblock it)" % (doing, subject)
    elif own:
        text = own
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
    elif subject and code not in (errno.EPERM, errno.EACCES):
        text = "%s (%s): %s" % (doing, subject, exc.reason)
    else:
        text = "%s: %s" % (doing, exc.reason)
    if exc.message and exc.message not in text:
        text += " - kernel says: %s" % exc.message
    return text


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
            merged = self._wiphys(only)
            self._phys[only] = [phy_from_attrs(merged[i]) for i in sorted(merged)]
        return self._phys[only]

    def _wiphys(self, only: Optional[int] = None) -> Dict[int, Dict[str, Any]]:
        """A split GET_WIPHY dump (of one wiphy index, or all), merged per wiphy."""
        request: Dict[str, Any] = {"split_wiphy_dump": True, "wiphy": only}
        merged: Dict[int, Dict[str, Any]] = {}
        for attrs in self.dump(u.NL80211_CMD_GET_WIPHY, request):
            if "wiphy" in attrs:
                merge_phy(merged.setdefault(attrs["wiphy"], {}), attrs)
        return merged

    def radios(self, only: Optional[int] = None) -> List[RadioSettings]:
        """The radios' settings (thresholds, retry limits, antennas), never cached."""
        merged = self._wiphys(only)
        return [radio_settings_from_attrs(merged[i]) for i in sorted(merged)]

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
            raise Nl80211Error(
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
            raise WirelessError("%s was %s, but the kernel does not list it" % (name, what))
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
            raise Nl80211Error(exc, "deleting %s" % iface.name, iface.name) from None

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
            raise Nl80211Error(exc, doing, iface.name, detail) from None

    def set_mac(self, iface: Interface, mac: str) -> None:
        """Change the MAC address through rtnetlink (IFLA_ADDRESS), down first if needed."""
        payload = rtnetlink.IFINFOMSG.pack(rtnetlink.AF_UNSPEC, 0, iface.ifindex, 0, 0)
        payload += codec.encode(rtnetlink.IFLA, {"address": parse_mac(mac)})

        def change() -> None:
            self.rt.request(rtnetlink.RTM_NEWLINK, payload, command="RTM_NEWLINK")

        try:
            self._while_down(iface, change)
        except NetlinkError as exc:
            raise Nl80211Error(
                exc, "setting the MAC address of %s" % iface.name, iface.name
            ) from None

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
            raise WirelessError(
                "%s (type %s) has no network device: it cannot be set up or down"
                % (iface.name, iface.type)
            )
        try:
            rtnetlink.set_up(self.rt, iface.ifindex, up)
        except NetlinkError as exc:
            what = "bringing %s %s" % (iface.name, "up" if up else "down")
            raise Nl80211Error(exc, what, iface.name) from None

    # ------------------------------------------------------------------ channel, power

    def set_channel(self, iface: Interface, frequency: int, width: int, center_freq1: int) -> None:
        """NL80211_CMD_SET_CHANNEL: tune an interface that owns its channel (a monitor)."""
        attrs = {
            "ifindex": iface.ifindex,
            "wiphy_freq": frequency,
            "channel_width": width,
            "center_freq1": center_freq1,
        }
        try:
            self.request(u.NL80211_CMD_SET_CHANNEL, attrs)
        except NetlinkError as exc:
            doing = "frequency: tuning %s to %d MHz (width %s, centre %d MHz)" % (
                iface.name,
                frequency,
                channels.chan_width_name(width),
                center_freq1,
            )
            details = {
                errno.EBUSY: "%s: %s" % (doing, _MONITOR_BUSY),
                errno.EINVAL: "%s: %s cannot use this channel (disabled in the regulatory "
                "domain, not supported by the radio, or a width and centre that do not fit)"
                % (doing, self._phy_name(iface.phy)),
                errno.EOPNOTSUPP: "%s: interfaces of type %s do not take a channel"
                % (doing, iface.type),
            }
            raise Nl80211Error(exc, doing, iface.name, details) from None

    def set_txpower(
        self, iface: Interface, mode: str, dbm: Optional[int], radio: bool = False
    ) -> None:
        """NL80211_CMD_SET_WIPHY with the TX power setting. Given the interface, the kernel
        applies it to the interface when the driver can (NL80211_FEATURE_VIF_TXPOWER), else to
        the whole radio; ``radio``: to the whole radio (a monitor has no transmit power of its
        own in mac80211). ``mode``: auto, limit or fixed."""
        setting = {
            "auto": u.NL80211_TX_POWER_AUTOMATIC,
            "limit": u.NL80211_TX_POWER_LIMITED,
            "fixed": u.NL80211_TX_POWER_FIXED,
        }[mode]
        attrs = {
            "wiphy": iface.phy if radio else None,
            "ifindex": None if radio else iface.ifindex,
            "wiphy_tx_power_setting": setting,
            "wiphy_tx_power_level": None if mode == "auto" else dbm * 100,  # mBm
        }
        try:
            self.request(u.NL80211_CMD_SET_WIPHY, attrs)
        except NetlinkError as exc:
            doing = "txpower: setting the transmit power of %s to %s" % (
                iface.name,
                mode if mode == "auto" else "%s %d dBm" % (mode, dbm),
            )
            detail = "%s: the driver of %s cannot set it%s" % (
                doing,
                self._phy_name(iface.phy),
                "" if mode == "auto" else " (or not to this level)",
            )
            raise Nl80211Error(exc, doing, iface.name, detail) from None

    def power_save(self, iface: Interface) -> Optional[bool]:
        """NL80211_CMD_GET_POWER_SAVE; None when the driver has no power save."""
        try:
            replies = self.request(u.NL80211_CMD_GET_POWER_SAVE, {"ifindex": iface.ifindex})
        except NetlinkError as exc:
            if exc.errno == errno.EOPNOTSUPP:
                return None
            raise Nl80211Error(
                exc, "power_save: reading the power save state of %s" % iface.name, iface.name
            ) from None
        state = next((r["ps_state"] for r in replies if "ps_state" in r), None)
        return None if state is None else state == u.NL80211_PS_ENABLED

    def set_power_save(self, iface: Interface, enabled: bool) -> None:
        attrs = {
            "ifindex": iface.ifindex,
            "ps_state": u.NL80211_PS_ENABLED if enabled else u.NL80211_PS_DISABLED,
        }
        try:
            self.request(u.NL80211_CMD_SET_POWER_SAVE, attrs)
        except NetlinkError as exc:
            doing = "power_save: turning power save of %s %s" % (
                iface.name,
                "on" if enabled else "off",
            )
            detail = "%s: %s (type %s) has no power save (%s's driver offers it to stations)" % (
                doing,
                iface.name,
                iface.type,
                self._phy_name(iface.phy),
            )
            raise Nl80211Error(exc, doing, iface.name, detail) from None

    # ------------------------------------------------------------------ radios

    def rename_radio(self, radio: RadioSettings, new_name: str) -> None:
        """NL80211_CMD_SET_WIPHY with NL80211_ATTR_WIPHY_NAME."""
        attrs = {"wiphy": radio.index, "wiphy_name": new_name}
        try:
            self.request(u.NL80211_CMD_SET_WIPHY, attrs)
        except NetlinkError as exc:
            doing = "new_name: renaming radio %s to %s" % (radio.name, new_name)
            taken = "%s: the name is taken, or is phyN for another radio's index N" % doing
            details = {errno.EEXIST: taken, errno.EINVAL: taken}
            raise Nl80211Error(exc, doing, radio.name, details) from None

    def set_radio(self, radio: RadioSettings, changes: Dict[str, Any]) -> None:
        """NL80211_CMD_SET_WIPHY: thresholds and retry limits (keys as in RadioSettings) in
        one request, which the kernel applies together; antenna_tx/antenna_rx together."""
        attrs: Dict[str, Any] = {"wiphy": radio.index}
        attrs.update({"wiphy_" + key: value for key, value in changes.items()})
        try:
            self.request(u.NL80211_CMD_SET_WIPHY, attrs)
        except NetlinkError as exc:
            names = ", ".join("%s=%s" % (k, _threshold(v)) for k, v in sorted(changes.items()))
            doing = "%s: setting %s of radio %s" % ("/".join(sorted(changes)), names, radio.name)
            if "antenna_tx" in changes:
                detail = "%s: the driver of %s cannot set antennas" % (doing, radio.name)
            else:
                detail = "%s: the driver of %s cannot set these" % (doing, radio.name)
            raise Nl80211Error(exc, doing, radio.name, detail) from None

    def move_radio(
        self, radio: RadioSettings, netns_fd: Optional[int] = None, pid: Optional[int] = None
    ) -> None:
        """NL80211_CMD_SET_WIPHY_NETNS: the radio and all its interfaces move to the network
        namespace of ``netns_fd`` (an open namespace file) or of process ``pid``."""
        attrs = {"wiphy": radio.index, "netns_fd": netns_fd, "pid": pid}
        try:
            self.request(u.NL80211_CMD_SET_WIPHY_NETNS, attrs)
        except NetlinkError as exc:
            doing = "target_netns: moving radio %s to another network namespace" % radio.name
            detail = "%s: its driver does not allow moving it (no WIPHY_FLAG_NETNS_OK)" % doing
            raise Nl80211Error(exc, doing, radio.name, detail) from None

    # ------------------------------------------------------------------ station, survey, regulatory

    def _read_dump(self, command: int, iface: Interface, what: str) -> List[Dict[str, Any]]:
        """A per-interface dump for facts. An interface that vanished (ENODEV) or a driver that
        does not report this (EOPNOTSUPP) gives an empty list; other refusals are worded."""
        try:
            return self.dump(command, self._target(iface))
        except NetlinkError as exc:
            if exc.errno in (errno.ENODEV, errno.EOPNOTSUPP):
                return []
            doing = "reading the %s of %s" % (what, iface.name)
            raise Nl80211Error(exc, doing, iface.name) from None

    def stations(self, iface: Interface) -> List[Dict[str, Any]]:
        """NL80211_CMD_GET_STATION dump: the peers of an interface (the stations of an AP, the
        AP of a station, mesh and IBSS peers), each a decoded message with ``mac`` and
        ``sta_info`` (NL80211_STA_INFO_* keys). Needs no privilege; needs a netdev."""
        if not iface.ifindex:
            return []
        found = self._read_dump(u.NL80211_CMD_GET_STATION, iface, "stations")
        return [r for r in found if "mac" in r]

    def survey(self, iface: Interface) -> List[Dict[str, Any]]:
        """NL80211_CMD_GET_SURVEY dump: per channel of the interface's radio, the decoded
        NL80211_SURVEY_INFO_* dict (noise, channel times). Needs no privilege."""
        if not iface.ifindex:
            return []
        found = self._read_dump(u.NL80211_CMD_GET_SURVEY, iface, "survey")
        return [r["survey_info"] for r in found if "survey_info" in r]

    def regdomain(self) -> Regulatory:
        """NL80211_CMD_GET_REG dump: the global regulatory domain and each radio's own (see
        reg.py). Needs no privilege."""
        try:
            replies = self.dump(u.NL80211_CMD_GET_REG, {})
        except NetlinkError as exc:
            raise Nl80211Error(exc, "reading the regulatory domain", "the kernel") from None
        return regulatory_from_replies(replies)

    # ------------------------------------------------------------------ scanning

    def scan_results(self, iface: Interface) -> List[Dict[str, Any]]:
        """The kernel's cached BSS list for an interface (NL80211_CMD_GET_SCAN dump): decoded
        NL80211_BSS_* dicts. Needs no privilege."""
        try:
            replies = self.dump(u.NL80211_CMD_GET_SCAN, self._target(iface))
        except NetlinkError as exc:
            raise Nl80211Error(
                exc, "reading the scan results of %s" % iface.name, iface.name
            ) from None
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
        with self.subscribed(u.NL80211_MULTICAST_GROUP_SCAN) as events:
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

    def _scan_refused(self, exc: NetlinkError, iface: Interface) -> Nl80211Error:
        doing = "scanning on %s" % iface.name
        if exc.errno == errno.EOPNOTSUPP:
            detail = "%s cannot scan: interfaces of type %s do not scan" % (iface.name, iface.type)
            return Nl80211Error(exc, doing, iface.name, detail)
        return Nl80211Error(exc, doing, iface.name)

    def _wait_scan(
        self, events: NetlinkSocket, iface: Interface, deadline: float, any_on_phy: bool = False
    ) -> int:
        """Wait for NEW_SCAN_RESULTS / SCAN_ABORTED of this interface (or of its phy)."""
        ends = (u.NL80211_CMD_NEW_SCAN_RESULTS, u.NL80211_CMD_SCAN_ABORTED)

        def late() -> WirelessError:
            what = "a scan already running on" if any_on_phy else "the scan on"
            return ScanTimeout(
                "timed out waiting for %s %s (%s) to finish; raise the timeout"
                % (what, iface.name, self._phy_name(iface.phy))
            )

        def match(attrs: Dict[str, Any]) -> bool:
            return attrs["_cmd"] in ends and (
                is_of(attrs, iface) or (any_on_phy and attrs.get("wiphy") == iface.phy)
            )

        return self.wait_event(events, match, deadline, late)["_cmd"]

    # ------------------------------------------------------------------ links

    def connect(
        self,
        iface: Interface,
        ssid: bytes,
        bssid: Optional[str] = None,
        frequency: Optional[int] = None,
        timeout: float = 30.0,
    ) -> Dict[str, Any]:
        """NL80211_CMD_CONNECT to an open network, then wait for the kernel's CONNECT result on
        this interface (the "mlme" group). Returns the result event; a failed status code or
        no result within ``timeout`` raises `LinkFailed`."""
        attrs = dict(self._target(iface))
        attrs.update(
            {
                "ssid": ssid,
                "mac": parse_mac(bssid) if bssid else None,
                "wiphy_freq": frequency,
            }
        )
        name = ssid.decode("utf-8", "replace")
        doing = "connecting %s to %s" % (iface.name, name)
        with self.subscribed(u.NL80211_MULTICAST_GROUP_MLME) as events:
            try:
                self.request(u.NL80211_CMD_CONNECT, attrs)
            except NetlinkError as exc:
                raise Nl80211Error(
                    exc, doing, iface.name, "%s cannot connect" % iface.name
                ) from None
            result = self._wait_link(events, iface, (u.NL80211_CMD_CONNECT,), doing, timeout)
        status = result.get("status_code", 0)
        if status or result.get("timed_out"):
            raise LinkFailed(
                "%s: %s" % (doing, link.connect_failure(status, result.get("timeout_reason"))),
                status,
            )
        return result

    def disconnect(self, iface: Interface, timeout: float = 30.0, wait: bool = True) -> None:
        """NL80211_CMD_DISCONNECT, then (``wait``: when it was connected) wait for the
        DISCONNECT notification of the interface, or the failed CONNECT result of an attempt it
        cancelled. Not connected (any more) is fine: that is what was asked."""
        doing = "disconnecting %s" % iface.name
        with self.subscribed(u.NL80211_MULTICAST_GROUP_MLME) as events:
            try:
                self.request(
                    u.NL80211_CMD_DISCONNECT,
                    dict(self._target(iface), reason_code=link.WLAN_REASON_DEAUTH_LEAVING),
                )
            except NetlinkError as exc:
                if exc.errno == errno.ENOTCONN:
                    return
                raise Nl80211Error(exc, doing, iface.name) from None
            if wait:
                ends = (u.NL80211_CMD_DISCONNECT, u.NL80211_CMD_CONNECT)
                self._wait_link(events, iface, ends, doing, timeout)

    def join_ibss(
        self,
        iface: Interface,
        ssid: bytes,
        frequency: int,
        chandef: Dict[str, int],
        bssid: Optional[str] = None,
        timeout: float = 30.0,
    ) -> Dict[str, Any]:
        """NL80211_CMD_JOIN_IBSS (open), then wait for the JOIN_IBSS notification, which the
        kernel sends once it has joined or created the IBSS (after scanning for it)."""
        attrs = dict(self._target(iface))
        attrs.update(
            {"ssid": ssid, "wiphy_freq": frequency, "mac": parse_mac(bssid) if bssid else None}
        )
        attrs.update(chandef)
        doing = "joining %s to the IBSS %s" % (iface.name, ssid.decode("utf-8", "replace"))
        with self.subscribed(u.NL80211_MULTICAST_GROUP_MLME) as events:
            try:
                self.request(u.NL80211_CMD_JOIN_IBSS, attrs)
            except NetlinkError as exc:
                raise Nl80211Error(
                    exc, doing, iface.name, _channel_refused(iface, frequency)
                ) from None
            return self._wait_link(events, iface, (u.NL80211_CMD_JOIN_IBSS,), doing, timeout)

    def join_mesh(
        self, iface: Interface, mesh_id: bytes, frequency: Optional[int], chandef: Dict[str, int]
    ) -> None:
        """NL80211_CMD_JOIN_MESH (open mesh). The kernel sends no notification for a mesh
        join: its ACK is the result (peers then show up as stations)."""
        attrs = dict(self._target(iface), mesh_id=mesh_id, wiphy_freq=frequency)
        if frequency:
            attrs.update(chandef)
        doing = "joining %s to the mesh %s" % (iface.name, mesh_id.decode("utf-8", "replace"))
        try:
            self.request(u.NL80211_CMD_JOIN_MESH, attrs)
        except NetlinkError as exc:
            raise Nl80211Error(exc, doing, iface.name, _channel_refused(iface, frequency)) from None

    def leave(self, iface: Interface, command: int) -> None:
        """NL80211_CMD_LEAVE_IBSS or _LEAVE_MESH: done when ACKed (no notification). Not joined
        (ENOLINK, ENOTCONN) is fine: that is what was asked."""
        what = "IBSS" if command == u.NL80211_CMD_LEAVE_IBSS else "mesh"
        try:
            self.request(command, self._target(iface))
        except NetlinkError as exc:
            if exc.errno in (errno.ENOLINK, errno.ENOTCONN):
                return
            raise Nl80211Error(
                exc, "leaving the %s on %s" % (what, iface.name), iface.name
            ) from None

    def _wait_link(
        self,
        events: NetlinkSocket,
        iface: Interface,
        commands: Sequence[int],
        doing: str,
        timeout: float,
    ) -> Dict[str, Any]:
        def late() -> WirelessError:
            return LinkFailed(
                "%s: no answer from the kernel within %g s (no %s notification); raise the "
                "timeout" % (doing, timeout, "/".join(u.COMMAND_NAMES[c] for c in commands))
            )

        def match(attrs: Dict[str, Any]) -> bool:
            return attrs["_cmd"] in commands and is_of(attrs, iface)

        return self.wait_event(events, match, time.monotonic() + timeout, late)

    # ------------------------------------------------------------------ regulatory domain

    def set_regdomain(self, alpha2: str, timeout: float = 30.0) -> Dict[str, Any]:
        """NL80211_CMD_REQ_SET_REG (a user hint), then wait for the global REG_CHANGE on the
        "regulatory" group: the kernel applies hints asynchronously. Returns the event."""
        doing = "setting the regulatory domain to %s" % alpha2
        with self.subscribed(u.NL80211_MULTICAST_GROUP_REG) as events:
            try:
                self.request(u.NL80211_CMD_REQ_SET_REG, {"reg_alpha2": alpha2})
            except NetlinkError as exc:
                raise Nl80211Error(exc, doing, "the wireless core") from None

            def late() -> WirelessError:
                return RegulatoryTimeout(
                    "%s: the kernel announced no change within %g s (NL80211_CMD_REG_CHANGE)"
                    % (doing, timeout)
                )

            def match(attrs: Dict[str, Any]) -> bool:
                return attrs["_cmd"] == u.NL80211_CMD_REG_CHANGE and "wiphy" not in attrs

            return self.wait_event(events, match, time.monotonic() + timeout, late)

    # ------------------------------------------------------------------ events

    @contextlib.contextmanager
    def subscribed(self, group: str) -> Iterator[NetlinkSocket]:
        """A second socket in the multicast ``group``. Join it *before* sending the request
        whose outcome comes as an event, so that the event cannot be missed."""
        group_id = self.family.mcast_groups.get(group)
        if group_id is None:
            raise WirelessError("nl80211 has no %r multicast group" % group)
        events = self._socket(NETLINK_GENERIC)
        try:
            events.add_membership(group_id)
            yield events
        finally:
            events.close()

    def wait_event(
        self,
        events: NetlinkSocket,
        match: Callable[[Dict[str, Any]], bool],
        deadline: float,
        late: Callable[[], Exception],
    ) -> Dict[str, Any]:
        """The first nl80211 notification on ``events`` that ``match``es (decoded, its command
        in ``_cmd``); ``late()`` is raised when none came before ``deadline``."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise late()
            for msg in events.recv_events(min(remaining, 1.0)):
                if msg.type != self.family.id:
                    continue
                attrs = self._decode(msg)
                if match(attrs):
                    return attrs


def _channel_refused(iface: Interface, frequency: Optional[int]) -> str:
    where = " on %d MHz" % frequency if frequency else ""
    return "%s cannot join%s (channel, width or mode not supported)" % (iface.name, where)


def is_of(attrs: Dict[str, Any], iface: Interface) -> bool:
    """Whether a notification is about this interface (by ifindex, or wdev without a netdev)."""
    if iface.ifindex:
        return attrs.get("ifindex", 0) == iface.ifindex
    return bool(iface.wdev) and attrs.get("wdev") == iface.wdev


_MONITOR_BUSY = (
    "the kernel tunes a monitor interface only while it is up and no other interface of its "
    "radio is running (bring the others down)"
)


def _threshold(value: Any) -> str:
    return "off" if value == u.THRESHOLD_OFF else str(value)


def _mntr(flags: Optional[Sequence[str]]) -> Optional[List[int]]:
    if flags is None:
        return None
    return [u.MNTR_FLAGS[f] for f in flags if f != "none"]
