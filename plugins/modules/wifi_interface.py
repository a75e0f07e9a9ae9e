#!/usr/bin/python
# ruff: noqa: E402  (Ansible modules import after their documentation strings)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: contributors to the linux.netlink collection

from __future__ import annotations

DOCUMENTATION = r"""
module: wifi_interface
short_description: Create, retype and delete wireless interfaces over nl80211
version_added: 0.1.0
description:
  - Manages a wireless virtual interface (a wdev, usually with a network device) on a radio
    (a phy), talking nl80211 to the kernel directly. No C(iw), no pyroute2.
  - A missing interface is created on O(phy) with O(type). An existing one of another type is
    retyped in place (C(NL80211_CMD_SET_INTERFACE)); when the kernel refuses that while the
    interface is up, the module takes it down, retypes it and brings it back up. An existing
    interface on another phy than O(phy) is deleted and created again on O(phy).
  - The kernel's refusals (a type the driver cannot do, a busy interface, a radio blocked by
    rfkill, missing privileges) fail the task with a sentence saying so.
author:
  - Linux Netlink Contributors (@linux-netlink)
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.attributes
options:
  name:
    description: Interface name, at most 15 bytes.
    type: str
    required: true
  state:
    description:
      - V(present) creates or converges the interface, V(absent) deletes it.
      - Deleting an interface that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
  type:
    description:
      - The interface type, named after C(enum nl80211_iftype) of the kernel UAPI.
      - V(managed), V(ibss) and V(mesh) are accepted for V(station), V(adhoc) and
        V(mesh_point), as C(iw) calls them.
      - Required to create the interface. Which types a radio can create is listed in
        the C(iftypes) of each phy in C(ansible_facts.netlink_wifi.phys), as
        M(linux.netlink.wifi_scan_facts) returns them.
    type: str
    choices: [station, ap, ap_vlan, wds, monitor, mesh_point, adhoc, p2p_client, p2p_go,
              p2p_device, ocb, nan, managed, ibss, mesh]
  phy:
    description:
      - The radio, by name (V(phy0)) or by index (V(0)). Required to create the interface.
      - When the interface exists on another radio, it is recreated on this one.
    type: str
  mac:
    description:
      - MAC address of the interface. Set at creation, or changed through rtnetlink (the
        interface is taken down for that and brought back up).
    type: str
  monitor_flags:
    description:
      - Flags of a V(monitor) interface (C(enum nl80211_mntr_flags)); V(none) for none.
      - The kernel (6.1, C(nl80211_send_iface())) does not report these flags, so they are set
        when the module creates the interface or retypes it to V(monitor), and not compared
        afterwards. To change the flags of an existing monitor, delete it first.
    type: list
    elements: str
    choices: [none, fcsfail, plcpfail, control, otherbss, cook, active]
  mesh_id:
    description:
      - Mesh ID of a V(mesh_point) interface (1 to 32 bytes).
      - Set when the interface is created or retyped. The kernel reports no mesh ID for a
        mesh point that has not joined a mesh; Linux 6.1 reports none even for one that has
        joined. Where the kernel reports the ID of a joined mesh, the module compares with
        it, and a difference fails the task (leave and join again with
        C(linux.netlink.wifi_link)).
    type: str
  frequency:
    description:
      - The channel of a V(monitor) interface, by the centre frequency of its primary
        20 MHz channel in MHz (V(2412) is channel 1, V(5180) channel 36), set with
        C(NL80211_CMD_SET_CHANNEL) and compared with what C(NL80211_CMD_GET_INTERFACE)
        reports. Converged in place.
      - The kernel tunes a monitor only while it is up and no other interface of its radio
        is running, so O(up=true) is needed (the module refuses otherwise), and a kernel
        refusal (C(EBUSY)) says which condition failed.
      - Only monitor interfaces take a channel here. The kernel also accepts one for
        V(ap), V(p2p_go) and V(mesh_point), but only keeps it for when the BSS starts and
        reports none before that, so nothing could be compared; stations, IBSS and mesh
        points get theirs when they join (C(linux.netlink.wifi_link)), access points from
        hostapd.
      - 5 GHz channels that the regulatory domain marks C(no_ir) (no initiating radiation,
        as in the world domain V(00)) can still be monitored; disabled ones cannot.
    type: int
  width:
    description:
      - Channel width with O(frequency), named after C(enum nl80211_chan_width), that is
        V(20_noht) (20 MHz without HT), V(20), V(40), V(80), V(160).
      - Omitted, only the frequency is compared; when it must be changed, it is tuned at
        V(20_noht).
    type: str
    choices: ['20_noht', '20', '40', '80', '160']
  center_frequency1:
    description:
      - Centre frequency in MHz of the whole channel of O(width) (C(center_freq1)).
      - When omitted, derived from the standard channel plan (IEEE 802.11-2020 Annex E).
        On 2.4 GHz, 40 MHz lies above the primary channel for channels 1 to 9 and below it
        for 10 to 13; on 5 GHz and 6 GHz, the 40, 80 and 160 MHz blocks of the plan. Give it
        to choose otherwise (for example V(2427) for channel 6 with its secondary channel
        below).
    type: int
  txpower:
    description:
      - Transmit power, set with C(NL80211_CMD_SET_WIPHY) on the interface, per interface
        when the driver supports it (C(NL80211_FEATURE_VIF_TXPOWER), as mac80211 drivers
        do), else for the whole radio. For a V(monitor) it is set for the whole radio, since
        a monitor has no transmit power of its own in mac80211.
      - mac80211 applies a radio's new level when the radio next tunes (a channel change,
        an interface coming up), and reports the old one until then. The module sends the
        power before O(frequency), so both given together take effect in one run.
      - V(auto), or a dictionary with C(mode) (V(limit) or V(fixed)) and C(dbm) (whole dBm;
        mac80211 refuses negative values).
      - The kernel reports only the current level (C(NL80211_ATTR_WIPHY_TX_POWER_LEVEL)),
        not the setting, so that is what is compared. V(fixed) is in place when the level
        is C(dbm); V(limit) when the level is at most C(dbm); V(auto) when the level is
        not below the maximum of the current channel (as the radio reports it in
        C(netlink_wifi.phys)); when the level or the channel is not reported, V(auto) is
        not compared and not sent.
    type: raw
  power_save:
    description:
      - Power save, set with C(NL80211_CMD_SET_POWER_SAVE) and compared with what
        C(NL80211_CMD_GET_POWER_SAVE) reports. mac80211 drivers offer it on stations only; the
        kernel's refusal for other types fails the task with a sentence saying so.
    type: bool
  use_4addr:
    description: Use 4-address frames (WDS-style bridging of a station or AP VLAN).
    type: bool
  up:
    description:
      - Administrative state (C(IFF_UP)), set through rtnetlink. Omit to leave it alone.
      - A newly created interface is down unless this is V(true).
    type: bool
notes:
  - Creating, changing and deleting interfaces needs C(CAP_NET_ADMIN) (O(ignore:become=true)).
seealso:
  - module: linux.netlink.wifi_scan_facts
  - module: linux.netlink.wifi_phy
  - name: nl80211 UAPI header
    description: The interface types and monitor flags, as the kernel defines them.
    link: https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/include/uapi/linux/nl80211.h
"""

EXAMPLES = r"""
- name: A monitor interface on the second radio that also shows control frames
  linux.netlink.wifi_interface:
    name: mon0
    phy: phy1
    type: monitor
    monitor_flags: [control, otherbss]
    up: true
  become: true

- name: Turn wlan1 into a mesh point (retyped in place)
  linux.netlink.wifi_interface:
    name: wlan1
    type: mesh_point
    mesh_id: backhaul
  become: true

- name: Station on radio 2, with a chosen MAC address, left down
  linux.netlink.wifi_interface:
    name: sta2
    phy: "2"
    type: station
    mac: "02:00:00:aa:bb:cc"
    up: false
  become: true

- name: A monitor on channel 36, 80 MHz wide (centre 5210 MHz from the channel plan)
  linux.netlink.wifi_interface:
    name: mon0
    phy: phy1
    type: monitor
    up: true
    frequency: 5180
    width: "80"
  become: true

- name: A station with power save off and its transmit power limited to 15 dBm
  linux.netlink.wifi_interface:
    name: wlan1
    power_save: false
    txpower:
      mode: limit
      dbm: 15
  become: true

- name: No monitor interface any more
  linux.netlink.wifi_interface:
    name: mon0
    state: absent
  become: true
"""

RETURN = r"""
interface:
  description:
    - The interface as the kernel reports it after the task (in check mode, as it would be;
      values only the kernel can know, such as a new ifindex, are null). Empty when absent.
    - C(power_save) is there only when O(power_save) is given (it needs one more request).
  returned: always
  type: dict
  sample:
    name: mon0
    ifindex: 7
    wdev: 4294967298
    phy: phy1
    phy_index: 1
    type: monitor
    mac: "02:00:00:00:01:00"
    up: true
    use_4addr: false
    frequency: 2412
    channel: 1
    band: 2.4GHz
    width: 20_noht
    center_freq1: 2412
    txpower_dbm: 20.0
    power_save: false
actions:
  description: What the module did (or would do in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: ["create mon0 (monitor) on phy1", "set mon0 up"]
"""

from typing import Any, Dict, List, Optional

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import facts
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.channels import (
    chan_width_name,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (
    Nl80211Client,
    WirelessError,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import Interface, Phy
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import (
    Step,
    normalise,
    plan,
    predict,
)

TYPES = ["station", "ap", "ap_vlan", "wds", "monitor", "mesh_point", "adhoc", "p2p_client"]
TYPES += ["p2p_go", "p2p_device", "ocb", "nan", "managed", "ibss", "mesh"]
FLAGS = ["none", "fcsfail", "plcpfail", "control", "otherbss", "cook", "active"]

SPEC = argument_spec(
    name={"type": "str", "required": True},
    state={"type": "str", "choices": ["present", "absent"], "default": "present"},
    type={"type": "str", "choices": TYPES},
    phy={"type": "str"},
    mac={"type": "str"},
    monitor_flags={"type": "list", "elements": "str", "choices": FLAGS},
    mesh_id={"type": "str"},
    use_4addr={"type": "bool"},
    up={"type": "bool"},
    frequency={"type": "int"},
    width={"type": "str", "choices": ["20_noht", "20", "40", "80", "160"]},
    center_frequency1={"type": "int"},
    txpower={"type": "raw"},
    power_save={"type": "bool"},
)


def describe(step: Step, name: str, phys: Dict[int, str]) -> str:
    args = step.args
    if step.action == "create":
        return "create %s (%s) on %s" % (name, args["iftype"], phys.get(args["phy"], args["phy"]))
    if step.action == "delete":
        return "delete %s" % name
    if step.action == "set_interface":
        changes = ", ".join("%s=%s" % (k, v) for k, v in sorted(args.items()) if v is not None)
        return "change %s: %s" % (name, changes)
    if step.action == "set_mac":
        return "set %s mac %s" % (name, args["mac"])
    if step.action == "set_channel":
        return "tune %s to %d MHz, width %s, centre %d MHz" % (
            name,
            args["frequency"],
            chan_width_name(args["width"]),
            args["center_freq1"],
        )
    if step.action == "set_txpower":
        level = "" if args["mode"] == "auto" else " %d dBm" % args["dbm"]
        whose = " (its radio)" if args["radio"] else ""
        return "set %s txpower %s%s%s" % (name, args["mode"], level, whose)
    if step.action == "set_power_save":
        return "set %s power_save %s" % (name, "on" if args["enabled"] else "off")
    return "set %s %s" % (name, "up" if args["up"] else "down")


class WifiInterface:
    """observe -> plan -> apply (unless check mode) -> re-read."""

    def __init__(self, client: Nl80211Client, params: Dict[str, Any]) -> None:
        self.client = client
        self.want = normalise(params)

    def run(self, check_mode: bool) -> Dict[str, Any]:
        want, current = self.want, self.client.interface(self.want.name)
        # Every radio only when one must be found or checked; else just this one (cheaper).
        if current is None:
            phys = self.client.phys() if want.state == "present" else []
        elif want.state == "present" and (
            want.phy is not None or want.type not in (None, current.type)
        ):
            phys = self.client.phys()
        else:
            phys = self.client.phys(only=current.phy)
        power_save = None
        if current is not None and want.power_save is not None and want.state == "present":
            power_save = self.client.power_save(current)
        steps = plan(self.want, current, phys, power_save)
        before = self.show(current, phys, power_save)
        if check_mode or not steps:
            after = predict(self.want, current, steps, phys, before) if steps else before
        else:
            self.apply(steps, current)
            now = self.client.interface(self.want.name)
            ps = self.client.power_save(now) if now and want.power_save is not None else None
            after = self.show(now, phys, ps)
        names = {p.index: p.name for p in phys}
        return {
            "changed": bool(steps),
            "interface": after,
            "actions": [describe(s, self.want.name, names) for s in steps],
            "diff": {"before": before, "after": after},
        }

    def show(
        self, iface: Optional[Interface], phys: List[Phy], power_save: Optional[bool]
    ) -> Dict[str, Any]:
        if iface is None:
            return {}
        shown = facts.interface_facts(iface, phys)
        if self.want.power_save is not None:
            shown["power_save"] = power_save
        return shown

    def apply(self, steps: List[Step], current: Optional[Interface]) -> None:
        iface = current
        for step in steps:
            if step.action == "delete":
                _present(iface, self.want.name)
                self.client.delete(iface)
                iface = None
            elif step.action == "create":
                iface = self.client.create(**step.args)
            elif step.action == "set_interface":
                _present(iface, self.want.name)
                self.client.set_interface(iface, **step.args)
                iface = self.client.interface(self.want.name)
            elif step.action == "set_mac":
                _present(iface, self.want.name)
                self.client.set_mac(iface, step.args["mac"])
                iface = self.client.interface(self.want.name)
            elif step.action == "set_up":
                _present(iface, self.want.name)
                self.client.set_up(iface, step.args["up"])
            elif step.action == "set_channel":
                _present(iface, self.want.name)
                self.client.set_channel(iface, **step.args)
            elif step.action == "set_txpower":
                _present(iface, self.want.name)
                self.client.set_txpower(iface, **step.args)
            elif step.action == "set_power_save":
                _present(iface, self.want.name)
                self.client.set_power_save(iface, step.args["enabled"])


def _present(iface: object, name: str) -> None:
    """The steps of a plan act on an interface that exists; say so if it vanished."""
    if iface is None:
        raise WirelessError("interface %r disappeared while it was being changed" % name)


def main() -> None:
    module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
    run_module(
        module,
        lambda client: WifiInterface(client, module.params).run(module.check_mode),
        Nl80211Client,
    )


if __name__ == "__main__":
    main()
