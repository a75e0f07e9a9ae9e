#!/usr/bin/python
# ruff: noqa: E402  (Ansible modules import after their documentation strings)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: contributors to the linux.netlink collection

from __future__ import annotations

DOCUMENTATION = r"""
module: wifi_link
short_description: Connect a wireless interface to an open network, an IBSS or a mesh over nl80211
version_added: 0.1.0
description:
  - Manages the link of a wireless interface, talking nl80211 to the kernel directly (no C(iw),
    no C(wpa_supplicant)). What the link is depends on the interface type (or O(mode)).
  - A V(station) connects to an B(open) network with C(NL80211_CMD_CONNECT) (the kernel's own
    connection manager scans, authenticates and associates). A network that needs a key or a
    handshake (WEP, WPA2, WPA3, OWE; known from the privacy bit and RSN/WPA elements of its scan
    results) is refused with a message; this module carries no keys and runs no handshake. Use
    C(wpa_supplicant) or NetworkManager for those networks. When no scan result of the network
    is known, the module scans for it first (limited to O(frequency) when given).
  - An V(adhoc) interface joins (or creates) an open IBSS (C(NL80211_CMD_JOIN_IBSS)); a
    V(mesh_point) interface joins an open mesh (C(NL80211_CMD_JOIN_MESH)).
  - O(state=absent) disconnects the station (C(NL80211_CMD_DISCONNECT)) or leaves the IBSS or
    mesh. A link to another network is left before the new one is joined.
  - The module waits for the kernel's result on its own interface, up to O(timeout) (the
    C(CONNECT) result with its IEEE 802.11 status code, the C(DISCONNECT) and C(JOIN_IBSS)
    notifications, on the C(mlme) multicast group joined before the request). Linux sends no
    notification for a mesh join; its acknowledgement is the result. A failed status code is
    reported with its meaning.
  - Idempotent from the kernel's own link state. A station is connected when its BSS list
    (C(NL80211_CMD_GET_SCAN)) holds a BSS in status C(associated), and the SSID is the one
    C(NL80211_CMD_GET_INTERFACE) reports; an IBSS member has the SSID and channel of
    C(GET_INTERFACE); a mesh point is joined when it has a channel.
author:
  - Linux Netlink Contributors (@linux-netlink)
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.attributes
options:
  interface:
    description: The wireless interface (it must exist and, to join, be up).
    type: str
    required: true
  state:
    description:
      - V(present) connects or joins, V(absent) disconnects or leaves.
      - Leaving a link that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
  mode:
    description:
      - The kind of link, after the interface type (C(enum nl80211_iftype)). Taken from the
        interface when omitted; when given, it must match the interface type (the module does
        not retype interfaces, M(linux.netlink.wifi_interface) does).
      - V(managed), V(ibss) and V(mesh) are accepted for V(station), V(adhoc) and V(mesh_point).
    type: str
    choices: [station, adhoc, mesh_point, managed, ibss, mesh]
  ssid:
    description:
      - The network name (1 to 32 bytes). Required for V(station) and V(adhoc).
    type: str
  bssid:
    description:
      - V(station) connects to this access point only; V(adhoc) uses it as the fixed BSSID of
        the IBSS. Compared with the BSSID the kernel reports when given.
    type: str
  frequency:
    description:
      - Channel frequency in MHz. V(station) connects on this channel only; required for
        V(adhoc); optional for V(mesh_point) (the kernel then chooses). Compared when given.
    type: int
  width:
    description:
      - Channel width of an IBSS or a mesh (C(enum nl80211_chan_width)); the centre frequency
        is derived from the standard channel plan (at 2.4 GHz a 40 MHz channel extends upwards
        from channels 1 to 9 and downwards from 10 to 13, operating classes 83 and 84).
        Compared when given. Without it the kernel uses 20 MHz without HT.
    type: str
    choices: ['20_noht', '20', '40', '80', '160']
  mesh_id:
    description:
      - The mesh ID (1 to 32 bytes). Required for V(mesh_point).
      - Linux (6.1) does not report the mesh ID of a joined mesh, so it is not compared; a
        mesh point joined on the wanted O(frequency) and O(width) is left alone. To move it to
        another mesh, leave (O(state=absent)) and join again.
    type: str
  timeout:
    description: Seconds to wait for the kernel's result of a connect, disconnect or join.
    type: float
    default: 30
notes:
  - Connecting, joining and leaving need C(CAP_NET_ADMIN) (O(ignore:become=true)).
  - Another owner of the same link, such as C(wpa_supplicant) or NetworkManager, connects and
    disconnects on its own; do not manage the same interface with both.
  - The link does not survive the interface going down or a reboot; run the task again.
seealso:
  - module: linux.netlink.wifi_interface
  - module: linux.netlink.wifi_scan_facts
  - module: linux.netlink.wifi_regdomain
  - name: nl80211 UAPI header
    description: The connect, IBSS and mesh commands, as the kernel defines them.
    link: https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/include/uapi/linux/nl80211.h
"""

EXAMPLES = r"""
- name: Connect wlan1 to an open network
  linux.netlink.wifi_link:
    interface: wlan1
    ssid: guest-open
  become: true

- name: Connect to one access point of it, on channel 6
  linux.netlink.wifi_link:
    interface: wlan1
    ssid: guest-open
    bssid: "02:00:00:00:00:00"
    frequency: 2437
  become: true

- name: Two radios in one ad-hoc network (IBSS), 20 MHz HT on channel 1
  linux.netlink.wifi_link:
    interface: "{{ item }}"
    ssid: field-ibss
    frequency: 2412
    width: "20"
  loop: [wlan2, wlan3]
  become: true

- name: A mesh backhaul on channel 1
  linux.netlink.wifi_link:
    interface: mesh0
    mesh_id: backhaul
    frequency: 2412
    width: "20"
  become: true

- name: Disconnect the station
  linux.netlink.wifi_link:
    interface: wlan1
    state: absent
  become: true
"""

RETURN = r"""
link:
  description:
    - The link as the kernel reports it after the task (in check mode, as it would be; what
      only the kernel can know, such as the BSSID it picks, is null).
  returned: always
  type: dict
  sample:
    interface: wlan1
    mode: station
    connected: true
    ssid: guest-open
    bssid: "02:00:00:00:00:00"
    frequency: 2412
    width: null
actions:
  description: What the module did (or would do in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: ["connect wlan1 to guest-open"]
"""

from typing import Any, Dict, List

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import link as L
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (
    LinkFailed,
    Nl80211Client,
    WirelessError,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import Interface
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import OptionError, Step

SPEC = argument_spec(
    interface={"type": "str", "required": True},
    state={"type": "str", "choices": ["present", "absent"], "default": "present"},
    mode={"type": "str", "choices": ["station", "adhoc", "mesh_point", "managed", "ibss", "mesh"]},
    ssid={"type": "str"},
    bssid={"type": "str"},
    frequency={"type": "int"},
    width={"type": "str", "choices": list(L.WIDTHS)},
    mesh_id={"type": "str"},
    timeout={"type": "float", "default": 30.0},
)


def describe(step: Step, name: str) -> str:
    args = step.args
    label = (args.get("ssid") or args.get("mesh_id") or b"").decode("utf-8", "replace")
    return {
        "disconnect": "disconnect %s" % name,
        "leave_ibss": "leave the IBSS on %s" % name,
        "leave_mesh": "leave the mesh on %s" % name,
        "connect": "connect %s to %s" % (name, label),
        "join_ibss": "join %s to the IBSS %s" % (name, label),
        "join_mesh": "join %s to the mesh %s" % (name, label),
    }[step.action]


class WifiLink:
    """observe -> plan -> apply (unless check mode) -> re-read."""

    def __init__(self, client: Nl80211Client, params: Dict[str, Any]) -> None:
        self.client = client
        self.want = L.normalise(params)
        self.timeout = params["timeout"]
        if self.timeout <= 0:
            raise OptionError("timeout: must be more than 0 seconds")

    def iface(self) -> Interface:
        iface = self.client.interface(self.want.interface)
        if iface is None:
            raise WirelessError("interface: %s does not exist" % self.want.interface)
        return iface

    def observe(self, iface: Interface) -> L.Link:
        if iface.type in ("station", "adhoc"):
            return L.observe(iface, self.client.scan_results(iface))
        return L.observe(iface, [])

    def plan(self, iface: Interface, link: L.Link) -> List[Step]:
        want = self.want
        found: List[Dict[str, Any]] = []
        if want.state == "present" and iface.type == "station" and want.ssid is not None:
            found = L.candidates(self.client.scan_results(iface), want)
            connected = link.connected and link.ssid == want.ssid
            if not found and not connected and iface.up:
                # Nothing known of the network: look for it (a scan changes no configuration).
                self.client.trigger_scan(
                    iface,
                    ssids=[want.ssid],
                    frequencies=[want.frequency] if want.frequency else None,
                    timeout=self.timeout,
                )
                found = L.candidates(self.client.scan_results(iface), want)
        return L.plan(want, iface, link, found)

    def run(self, check_mode: bool) -> Dict[str, Any]:
        iface = self.iface()
        link = self.observe(iface)
        steps = self.plan(iface, link)
        before = L.view(link)
        if check_mode or not steps:
            after = L.predict(link, steps) if steps else before
        else:
            self.apply(iface, link, steps)
            after = L.view(self.observe(self.iface()))
        return {
            "changed": bool(steps),
            "link": after,
            "actions": [describe(s, iface.name) for s in steps],
            "diff": {"before": before, "after": after},
        }

    def apply(self, iface: Interface, link: L.Link, steps: List[Step]) -> None:
        for step in steps:
            args = step.args
            if step.action == "disconnect":
                # an attempt still under way may end without a notification
                self.client.disconnect(iface, timeout=self.timeout, wait=link.connected)
            elif step.action == "leave_ibss":
                self.client.leave(iface, u.NL80211_CMD_LEAVE_IBSS)
            elif step.action == "leave_mesh":
                self.client.leave(iface, u.NL80211_CMD_LEAVE_MESH)
            elif step.action == "connect":
                try:
                    self.client.connect(iface, timeout=self.timeout, **args)
                except LinkFailed as exc:
                    # The kernel's own scan may have found the network only now: say so.
                    name = args["ssid"].decode("utf-8", "replace")
                    found = L.candidates(self.client.scan_results(iface), self.want)
                    refusal = L.keyed_refusal(name, found)
                    raise LinkFailed(refusal or str(exc), exc.status) from None
            elif step.action == "join_ibss":
                self.client.join_ibss(iface, timeout=self.timeout, **args)
            elif step.action == "join_mesh":
                self.client.join_mesh(iface, **args)


def main() -> None:
    module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
    run_module(
        module,
        lambda client: WifiLink(client, module.params).run(module.check_mode),
        Nl80211Client,
    )


if __name__ == "__main__":
    main()
