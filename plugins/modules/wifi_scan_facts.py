#!/usr/bin/python
# ruff: noqa: E402  (Ansible modules import after their documentation strings)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: contributors to the linux.netlink collection

from __future__ import annotations

DOCUMENTATION = r"""
module: wifi_scan_facts
short_description: Wireless scan results, interfaces and radios as facts, over nl80211
version_added: 0.1.0
description:
  - Returns the kernel's wireless scan results (BSS list) of each wireless interface, with
    decoded information elements and security (RSN/WPA AKMs and ciphers), plus the wireless
    interfaces and radios (phys) of the host, as C(ansible_facts.netlink_wifi).
  - Every fact is under that one key, so none can shadow a variable of the C(linux.netlink.wifi)
    role (such as C(wifi_interfaces)) while C(INJECT_FACTS_AS_VARS) is on.
  - By default returns what the kernel has cached, which needs no privilege. With
    O(trigger=true) it starts a scan and waits for its own interface's completion event first.
  - With no options at all it works as a facts module, for example in C(gather_facts) through
    C(ansible_facts_modules). On a host without a wireless stack (no nl80211, because no
    cfg80211 or no radio) it then succeeds with C(available=false) and empty lists, so a fleet
    of wired hosts gathers facts as usual. With O(interface) or O(trigger=true) such a host is
    a failure.
author:
  - Linux Netlink Contributors (@linux-netlink)
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.attributes.info
  - linux.netlink.attributes.facts
options:
  interface:
    description:
      - The wireless interface whose scan results to return (and to scan from).
      - Default, every wireless interface with a network device; with O(trigger=true), every
        one of them that is up and of a type that scans (V(station), V(adhoc),
        V(mesh_point), V(p2p_client)).
    type: str
  trigger:
    description:
      - V(true) triggers a scan (C(NL80211_CMD_TRIGGER_SCAN)) and waits for it to end before
        reading the results. Needs C(CAP_NET_ADMIN) and an interface that is up.
      - When another scan is running on the radio, the module waits for it to end and then
        triggers its own.
    type: bool
    default: false
  ssids:
    description:
      - SSIDs to probe for actively (hidden networks answer only to their SSID). Default, the
        wildcard SSID. Only with O(trigger=true).
    type: list
    elements: str
  frequencies:
    description:
      - Scan only these channel frequencies, in MHz (a full scan of a radio with many channels
        can take seconds). Default, every channel. Only with O(trigger=true).
    type: list
    elements: int
  flush:
    description: Drop the kernel's cached results before scanning. Only with O(trigger=true).
    type: bool
    default: false
  passive:
    description: Send no probe requests, only listen for beacons. Excludes O(ssids).
    type: bool
    default: false
  timeout:
    description: Seconds to wait for a triggered scan to end before failing.
    type: float
    default: 30
notes:
  - A scan changes no configuration, so O(trigger=true) scans in check mode too.
  - A scan result is the kernel's, per radio; interfaces of the same radio see the same list.
seealso:
  - module: linux.netlink.wifi_interface
"""

EXAMPLES = r"""
- name: Cached scan results, interfaces and radios (no privilege needed)
  linux.netlink.wifi_scan_facts:

- name: Scan channels 1 and 6 from wlan1 and wait for the results
  linux.netlink.wifi_scan_facts:
    interface: wlan1
    trigger: true
    frequencies: [2412, 2437]
    timeout: 20
  become: true

- name: Networks on wlan1 that use WPA2-PSK
  ansible.builtin.debug:
    msg: "{{ ansible_facts.netlink_wifi.scan.wlan1 | selectattr('security', 'contains', 'WPA2-PSK')
             | map(attribute='ssid') | list }}"

- name: Only on hosts with a radio that can monitor
  ansible.builtin.debug:
    msg: monitor-capable
  when: >-
    ansible_facts.netlink_wifi.phys | map(attribute='iftypes') | flatten is contains('monitor')

- name: Look for a hidden network by its SSID
  linux.netlink.wifi_scan_facts:
    interface: wlan1
    trigger: true
    ssids: [backstage]
  become: true
"""

RETURN = r"""
ansible_facts:
  description: Facts added to the host, all under C(netlink_wifi).
  returned: always
  type: dict
  contains:
    netlink_wifi:
      description:
        - The host's wireless facts. Later wifi modules add their facts under this key too.
        - Earlier development versions returned C(wifi_scan), C(wifi_interfaces) and
          C(wifi_phys) at the top level of C(ansible_facts), names the C(linux.netlink.wifi)
          role also uses for its variables.
      returned: always
      type: dict
      contains:
        available:
          description:
            - V(true) when the kernel has a wireless stack (the nl80211 family), even with no
              radio in it yet; V(false) on a host without one, where the lists are empty.
          returned: always
          type: bool
          sample: true
        reason:
          description:
            - Why there is no wireless stack; null when
              RV(ansible_facts.netlink_wifi.available) is V(true).
          returned: always
          type: str
          sample: null
        scan:
          description:
            - Interface name -> its BSS list, strongest signal first. Each BSS has C(bssid),
              C(ssid) (text, or null when hidden or not UTF-8), C(ssid_hex) (the raw bytes),
              C(hidden), C(frequency) (MHz), C(channel), C(band), C(width_mhz), C(signal_dbm),
              C(last_seen_ms), C(beacon_interval_tu), C(capability) and C(capability_flags),
              C(associated), C(security) (such as C(open), C(WPA2-PSK), C(WPA3-SAE)) and
              C(ies), the decoded information elements (RSN and WPA with AKMs and ciphers,
              HT/VHT/HE operation, country, BSS load, mesh ID, ...).
          returned: always
          type: dict
          sample:
            wlan1:
              - bssid: "02:00:00:00:00:00"
                ssid: ln-open
                ssid_hex: 6c6e2d6f70656e
                hidden: false
                frequency: 2412
                channel: 1
                band: 2.4GHz
                width_mhz: 20
                signal_dbm: -30.0
                last_seen_ms: 120
                beacon_interval_tu: 100
                capability: 1057
                capability_flags: [ESS, ShortSlotTime]
                associated: false
                security: [open]
                ies: {}
        interfaces:
          description: The wireless interfaces, as M(linux.netlink.wifi_interface) returns one.
          returned: always
          type: list
          elements: dict
          sample:
            - {name: wlan1, ifindex: 3, phy: phy1, type: station, mac: "02:00:00:00:01:00",
               up: true}
        phys:
          description: The radios, with the interface types they can create and their channels.
          returned: always
          type: list
          elements: dict
          sample:
            - name: phy1
              index: 1
              iftypes: [adhoc, station, ap, monitor, mesh_point]
              software_iftypes: [ap_vlan, monitor]
              max_scan_ssids: 4
              bands: {"2.4GHz": {frequencies: [2412, 2417], disabled: []}}
scanned:
  description: The interfaces a scan was triggered on (empty unless O(trigger=true)).
  returned: always
  type: list
  elements: str
  sample: [wlan1]
"""

from typing import Any, Dict, List

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    FAILURES,
    argument_spec,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import facts
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (
    Nl80211Client,
    NoWirelessStack,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import Interface

SCANS = ("station", "adhoc", "mesh_point", "p2p_client")
SSID_MAX = 32  # IEEE80211_MAX_SSID_LEN

SPEC = argument_spec(
    interface={"type": "str"},
    trigger={"type": "bool", "default": False},
    ssids={"type": "list", "elements": "str"},
    frequencies={"type": "list", "elements": "int"},
    flush={"type": "bool", "default": False},
    passive={"type": "bool", "default": False},
    timeout={"type": "float", "default": 30.0},
)


class ScanOptionError(ValueError):
    """An option that cannot work; the message names it."""


def check_options(params: Dict[str, Any]) -> List[bytes]:
    """Validate what the argument spec cannot; returns the SSIDs as bytes."""
    ssids = [s.encode("utf-8") for s in params["ssids"] or []]
    if any(len(s) > SSID_MAX for s in ssids):
        raise ScanOptionError("ssids: an SSID is at most %d bytes" % SSID_MAX)
    if params["passive"] and ssids:
        raise ScanOptionError("ssids: a passive scan sends no probes; drop ssids or passive")
    if any(f <= 0 for f in params["frequencies"] or []):
        raise ScanOptionError("frequencies: MHz, positive numbers such as 2412")
    if params["timeout"] <= 0:
        raise ScanOptionError("timeout: must be more than 0 seconds")
    if not params["trigger"]:
        for option in ("ssids", "frequencies"):
            if params[option]:
                raise ScanOptionError("%s: only with trigger=true" % option)
    return ssids


class WifiScan:
    """observe (and scan when asked) -> facts. Never a change to configuration."""

    def __init__(self, client: Nl80211Client, params: Dict[str, Any], ssids: List[bytes]) -> None:
        self.client = client
        self.params = params
        self.ssids = ssids  # from check_options

    def targets(self, interfaces: List[Interface]) -> List[Interface]:
        name = self.params["interface"]
        if name:
            chosen = [i for i in interfaces if i.name == name]
            if not chosen:
                known = ", ".join(i.name for i in interfaces) or "none"
                raise ScanOptionError(
                    "interface: %s is not a wireless interface (wireless: %s)" % (name, known)
                )
            return chosen
        with_netdev = [i for i in interfaces if i.ifindex]
        if not self.params["trigger"]:
            return with_netdev
        scanning = [i for i in with_netdev if i.up and i.type in SCANS]
        if not scanning:
            raise ScanOptionError(
                "interface: no wireless interface is up and of a type that scans; "
                "name one, or bring one up with linux.netlink.wifi_interface"
            )
        return scanning

    def run(self) -> Dict[str, Any]:
        interfaces = self.client.interfaces()
        targets = self.targets(interfaces)
        scanned = []
        if self.params["trigger"]:  # a scan changes no configuration: check mode too
            for iface in targets:
                self.client.trigger_scan(
                    iface,
                    ssids=self.ssids,
                    frequencies=self.params["frequencies"],
                    flush=self.params["flush"],
                    passive=self.params["passive"],
                    timeout=self.params["timeout"],
                )
                scanned.append(iface.name)
        phys = self.client.phys()
        scan = {i.name: facts.scan_facts(self.client.scan_results(i)) for i in targets}
        return {
            "changed": False,
            "scanned": scanned,
            "ansible_facts": facts.host_facts(phys, interfaces, scan),
        }


def gather(params: Dict[str, Any]) -> Dict[str, Any]:
    """The module's result. A host without a wireless stack is a fact, not a failure, unless
    the request needs a radio (an interface named, or a scan)."""
    ssids = check_options(params)
    try:
        client = Nl80211Client(netns=params["netns"])
    except NoWirelessStack as exc:
        needs = "interface" if params["interface"] else "trigger" if params["trigger"] else None
        if needs:
            raise ScanOptionError("%s: %s" % (needs, exc)) from None
        return {"changed": False, "scanned": [], "ansible_facts": facts.host_facts(
            unavailable=str(exc))}  # fmt: skip
    with client:
        return WifiScan(client, params, ssids).run()


def main() -> None:
    module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
    try:
        result = gather(module.params)
    except FAILURES as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
