#!/usr/bin/python
# ruff: noqa: E402  (Ansible modules import after their documentation strings)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: contributors to the linux.netlink collection

from __future__ import annotations

DOCUMENTATION = r"""
module: wifi_scan_facts
short_description: Wifi radios, interfaces, links, stations, scans, survey, regulatory as facts
version_added: 0.1.0
description:
  - Returns the kernel's wireless scan results (BSS list) of each wireless interface, with
    decoded information elements and security (RSN/WPA AKMs and ciphers), plus the wireless
    interfaces and radios (phys) of the host, as C(ansible_facts.netlink_wifi).
  - Also returns each station interface's link (associated BSS, SSID, signal, bitrates), the
    stations (peers) of every interface (the clients of an access point, the access point of a
    station, mesh and IBSS peers) with signal, bitrates, times and counters, the channel survey
    (noise, channel active and busy time), the regulatory domain (global and each radio's own,
    with its rules), and per radio its channels' maximum power and DFS state, its cipher suites
    and its interface combinations. O(gather_subset) chooses what is read.
  - Everything is read with C(NL80211_CMD_GET_*) requests that the kernel (Linux 6.1,
    C(net/wireless/nl80211.c)) answers without privilege (GET_WIPHY, GET_INTERFACE, GET_SCAN,
    GET_STATION, GET_SURVEY and GET_REG carry no C(GENL_ADMIN_PERM)), so the facts need no
    C(become).
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
      - The wireless interface whose scan results, link, stations and survey to return (and
        to scan from).
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
  gather_subset:
    description:
      - What to read beyond the radios and interfaces, which are always returned. V(scan) the
        cached scan results, V(link) the link of station, P2P-client and IBSS interfaces,
        V(stations) every interface's peers, V(survey) every interface's channel survey,
        V(regulatory) the regulatory domain; V(all) all of them, V(min) none.
      - As in C(ansible.builtin.setup), a leading C(!) excludes (V(!survey)), and a list of
        exclusions only starts from V(all). V(scan) is always read with O(trigger=true).
      - Each costs one or two netlink dumps per interface (V(regulatory) one in all), which is
        little next to starting the module; leave out V(stations) on access points with many
        clients, or everything with V([min]), when facts are gathered often on many hosts. A
        host without a wireless stack answers in one request whatever is chosen.
    type: list
    elements: str
    default: [all]
notes:
  - A scan changes no configuration, so O(trigger=true) scans in check mode too.
  - A scan result is the kernel's, per radio; interfaces of the same radio see the same list.
    So is a survey.
  - The facts of one interface are read one dump after another, not atomically; counters read
    a moment apart can differ by what the radio did in between.
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

- name: Only the links and the regulatory domain (the cheapest useful set)
  linux.netlink.wifi_scan_facts:
    gather_subset: [link, regulatory]

- name: Clients of the access point on wlan0, weakest first
  ansible.builtin.debug:
    msg: "{{ ansible_facts.netlink_wifi.stations.wlan0 | sort(attribute='signal_dbm')
             | map(attribute='mac') | list }}"

- name: Signal and bitrate of the station wlan1 towards its access point
  ansible.builtin.debug:
    msg: "{{ ansible_facts.netlink_wifi.links.wlan1.ssid }}:
          {{ ansible_facts.netlink_wifi.links.wlan1.signal_dbm }} dBm,
          {{ ansible_facts.netlink_wifi.links.wlan1.tx_bitrate.mbps }} Mbit/s"
  when: ansible_facts.netlink_wifi.links.wlan1.connected

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
          description:
            - The radios, with the interface types they can create (C(iftypes),
              C(software_iftypes)) and C(max_scan_ssids).
            - C(bands) maps each band (C(2.4GHz), C(5GHz), C(6GHz), C(60GHz), C(900MHz)) to its
              C(frequencies), the C(disabled) ones, and C(channels), one entry per channel
              with C(frequency), C(channel), C(disabled), C(no_ir) (no transmission may start
              there), C(radar), C(max_power_dbm) (the maximum transmit power the regulatory
              domain allows, as C(iw phy) prints it), and on radar channels C(dfs_state)
              (C(usable), C(unavailable) or C(available)) and C(dfs_cac_ms) (channel
              availability check time); null elsewhere. The time a channel has been in its DFS
              state is left out, so that the facts of a radio do not change while nothing
              changes.
            - C(ciphers), the cipher suites the radio supports, each C(name) (as the C(scan)
              facts name ciphers in RSN elements, such as C(CCMP-128), C(BIP-CMAC-128)) and
              C(selector) (the suite selector C(iw phy) prints in parentheses, C(00-0f-ac:4)).
            - C(interface_combinations), the interfaces that may run at once, each with
              C(limits) (a list of C(max) interfaces of C(types)), C(total), C(channels) (how
              many different channels), C(sta_ap_beacon_interval_match),
              C(radar_detect_widths), C(radar_detect_regions) and
              C(beacon_interval_min_gcd) (C(iw list)'s "valid interface combinations").
          returned: always
          type: list
          elements: dict
          sample:
            - name: phy1
              index: 1
              iftypes: [adhoc, station, ap, monitor, mesh_point]
              software_iftypes: [ap_vlan, monitor]
              max_scan_ssids: 4
              bands:
                "2.4GHz":
                  frequencies: [2412, 2417]
                  disabled: []
                  channels:
                    - {frequency: 2412, channel: 1, disabled: false, no_ir: false, radar: false,
                       max_power_dbm: 20.0, dfs_state: null, dfs_cac_ms: null}
              ciphers:
                - {name: CCMP-128, selector: "00-0f-ac:4"}
              interface_combinations:
                - limits: [{max: 1, types: [adhoc]}]
                  total: 1
                  channels: 1
                  sta_ap_beacon_interval_match: false
                  radar_detect_widths: [20_noht, "20", "40", "80", "80p80", "160"]
                  radar_detect_regions: []
                  beacon_interval_min_gcd: null
        gathered:
          description:
            - What O(gather_subset) read, of C(scan), C(link), C(stations), C(survey) and
              C(regulatory). The facts of the others are empty.
          returned: always
          type: list
          elements: str
          sample: [scan, link, stations, survey, regulatory]
        links:
          description:
            - Interface name -> its link, for the station, P2P-client and IBSS interfaces
              (what C(iw dev X link) shows), from the interface's scan list (the BSS the kernel
              marks associated, authenticated or IBSS-joined) and the station entry of that
              BSS.
            - C(connected) (associated or IBSS joined), C(status) (C(associated),
              C(authenticated), C(ibss_joined) or null), C(bssid), C(ssid), C(ssid_hex),
              C(frequency), C(channel), C(band), C(signal_dbm), C(tx_bitrate) and
              C(rx_bitrate) (as in RV(ansible_facts.netlink_wifi.stations)), C(rx_bytes),
              C(rx_packets), C(tx_bytes), C(tx_packets), C(connected_s), C(inactive_ms),
              C(beacon_interval_tu), C(dtim_period). All but C(connected) are null when not
              connected.
          returned: always
          type: dict
          sample:
            wlan1:
              connected: true
              status: associated
              bssid: "02:00:00:00:00:00"
              ssid: ln-open
              ssid_hex: 6c6e2d6f70656e
              frequency: 2412
              channel: 1
              band: 2.4GHz
              signal_dbm: -30
              tx_bitrate: {mbps: 54.0, width_mhz: 20, short_gi: false, mcs: null}
              rx_bitrate: {mbps: 1.0, width_mhz: 20, short_gi: false, mcs: null}
              rx_bytes: 1234
              rx_packets: 17
              tx_bytes: 388
              tx_packets: 4
              connected_s: 12
              inactive_ms: 40
              beacon_interval_tu: 100
              dtim_period: 2
        stations:
          description:
            - Interface name -> its stations (C(NL80211_CMD_GET_STATION)), by MAC address; the
              clients of an access point, the access point of a station, the peers of a mesh
              point or an IBSS member (C(iw dev X station dump)).
            - Each has C(mac), C(signal_dbm), C(signal_avg_dbm), C(chain_signal_dbm) (per
              antenna chain), C(beacon_signal_avg_dbm), C(ack_signal_dbm), C(tx_bitrate) and
              C(rx_bitrate), C(expected_throughput_mbps), C(inactive_ms), C(connected_s),
              C(associated_at_boottime_ns), C(rx_bytes), C(tx_bytes), C(rx_packets),
              C(tx_packets), C(tx_retries), C(tx_failed), C(rx_drop_misc), C(beacon_loss),
              C(beacon_rx), C(rx_duration_us), C(tx_duration_us); what the driver does not
              report is null.
            - A bitrate is C(mbps), C(width_mhz), C(short_gi) and the MCS fields C(mcs) (HT),
              C(vht_mcs), C(vht_nss), C(he_mcs), C(he_nss), C(he_gi), C(he_dcm),
              C(he_ru_alloc), C(eht_mcs), C(eht_nss), C(eht_gi), C(eht_ru_alloc) (null when
              not used).
            - C(flags), the station flags the kernel reports (C(authorized),
              C(authenticated), C(associated), C(short_preamble), C(wme), C(mfp),
              C(tdls_peer)); C(bss), the BSS as the station sees it (C(cts_protection),
              C(short_preamble), C(short_slot_time), C(dtim_period), C(beacon_interval_tu)) or
              null; C(mesh) for mesh peers (C(llid), C(plid), C(plink_state) such as C(ESTAB),
              C(airtime_link_metric), C(connected_to_gate), C(connected_to_as),
              C(local_power_mode), C(peer_power_mode), C(nonpeer_power_mode)), else null.
          returned: always
          type: dict
          sample:
            wlan0:
              - mac: "02:00:00:00:08:00"
                signal_dbm: -30
                signal_avg_dbm: -30
                tx_bitrate: {mbps: 1.0, width_mhz: 20, short_gi: false, mcs: null}
                rx_bitrate: {mbps: 54.0, width_mhz: 20, short_gi: false, mcs: null}
                inactive_ms: 120
                connected_s: 12
                rx_bytes: 388
                tx_bytes: 1234
                rx_packets: 4
                tx_packets: 17
                flags: {authorized: true, authenticated: true, associated: true,
                        short_preamble: false, wme: true, mfp: false, tdls_peer: false}
                bss: null
                mesh: null
        survey:
          description:
            - Interface name -> the survey of its radio's channels (C(NL80211_CMD_GET_SURVEY),
              C(iw dev X survey dump)), by frequency, with C(frequency), C(channel), C(in_use),
              C(noise_dbm), and channel times in milliseconds C(active_ms), C(busy_ms),
              C(ext_busy_ms), C(rx_ms), C(tx_ms), C(scan_ms), C(bss_rx_ms); null when the
              driver does not report one. Drivers report channels they have been on (scanned).
          returned: always
          type: dict
          sample:
            wlan1:
              - {frequency: 2412, channel: 1, in_use: true, noise_dbm: -92, active_ms: 150,
                 busy_ms: 18, ext_busy_ms: null, rx_ms: null, tx_ms: null, scan_ms: null,
                 bss_rx_ms: null}
        regulatory:
          description:
            - The regulatory domain (C(NL80211_CMD_GET_REG), C(iw reg get)); empty when not
              gathered. C(country) (ISO 3166-1 alpha-2, C(00) the world domain),
              C(dfs_region) (C(unset), C(FCC), C(ETSI), C(JP)), C(cell_base_hint), and
              C(rules), each with C(start_mhz), C(end_mhz), C(max_bandwidth_mhz),
              C(max_antenna_gain_dbi), C(max_eirp_dbm), C(dfs_cac_ms) (0 is the default) and
              C(flags) in C(iw)'s words (C(NO-OUTDOOR), C(DFS), C(NO-IR), C(AUTO-BW), ...).
            - C(radios), the radios that have a domain of their own (self-managed ones, whose
              driver owns it, and those a driver hint gave one), with C(phy), C(index),
              C(self_managed), and C(country), C(dfs_region), C(rules) as above.
          returned: always
          type: dict
          sample:
            country: "00"
            dfs_region: unset
            cell_base_hint: false
            rules:
              - {start_mhz: 2402, end_mhz: 2472, max_bandwidth_mhz: 40,
                 max_antenna_gain_dbi: 0.0, max_eirp_dbm: 20.0, dfs_cac_ms: 0, flags: []}
            radios: []
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
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import facts, reg
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (
    Nl80211Client,
    NoWirelessStack,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import Interface
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import OptionError

SCANS = ("station", "adhoc", "mesh_point", "p2p_client")
LINKS = ("station", "p2p_client", "adhoc")  # interfaces that have a link (`iw dev X link`)

SPEC = argument_spec(
    interface={"type": "str"},
    trigger={"type": "bool", "default": False},
    ssids={"type": "list", "elements": "str"},
    frequencies={"type": "list", "elements": "int"},
    flush={"type": "bool", "default": False},
    passive={"type": "bool", "default": False},
    timeout={"type": "float", "default": 30.0},
    gather_subset={"type": "list", "elements": "str", "default": ["all"]},
)


class WifiScan:
    """observe (and scan when asked) -> facts. Never a change to configuration."""

    def __init__(self, client: Nl80211Client, params: Dict[str, Any], ssids: List[bytes]) -> None:
        self.client = client
        self.params = params
        self.ssids = ssids  # from facts.check_options

    def targets(self, interfaces: List[Interface]) -> List[Interface]:
        name = self.params["interface"]
        if name:
            chosen = [i for i in interfaces if i.name == name]
            if not chosen:
                known = ", ".join(i.name for i in interfaces) or "none"
                raise OptionError(
                    "interface: %s is not a wireless interface (wireless: %s)" % (name, known)
                )
            return chosen
        with_netdev = [i for i in interfaces if i.ifindex]
        if not self.params["trigger"]:
            return with_netdev
        scanning = [i for i in with_netdev if i.up and i.type in SCANS]
        if not scanning:
            raise OptionError(
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
        want = facts.subsets(self.params["gather_subset"], self.params["trigger"])
        linked = [i for i in targets if i.ifindex and i.type in LINKS] if "link" in want else []
        bss = {
            i.name: self.client.scan_results(i)
            for i in targets
            if "scan" in want or i in linked
        }  # fmt: skip
        peers = {
            i.name: self.client.stations(i)
            for i in targets
            if i.ifindex and ("stations" in want or i in linked)
        }
        regulatory = (
            reg.regulatory_facts(self.client.regdomain(), {p.index: p.name for p in phys})
            if "regulatory" in want
            else None
        )
        return {
            "changed": False,
            "scanned": scanned,
            "ansible_facts": facts.host_facts(
                phys,
                interfaces,
                scan={n: facts.scan_facts(b) for n, b in bss.items()} if "scan" in want else None,
                links={i.name: facts.link_facts(bss[i.name], peers[i.name]) for i in linked},
                stations={n: facts.stations_facts(p) for n, p in peers.items()}
                if "stations" in want
                else None,
                survey={
                    i.name: facts.survey_facts(self.client.survey(i)) for i in targets if i.ifindex
                }
                if "survey" in want
                else None,
                regulatory=regulatory,
                gathered=want,
            ),
        }


def gather(params: Dict[str, Any]) -> Dict[str, Any]:
    """The module's result. A host without a wireless stack is a fact, not a failure, unless
    the request needs a radio (an interface named, or a scan)."""
    ssids = facts.check_options(params)
    try:
        client = Nl80211Client(netns=params["netns"])
    except NoWirelessStack as exc:
        needs = "interface" if params["interface"] else "trigger" if params["trigger"] else None
        if needs:
            raise OptionError("%s: %s" % (needs, exc)) from None
        return {"changed": False, "scanned": [], "ansible_facts": facts.host_facts(
            unavailable=str(exc))}  # fmt: skip
    with client:
        return WifiScan(client, params, ssids).run()


def main() -> None:
    module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
    run_module(module, lambda: gather(module.params))


if __name__ == "__main__":
    main()
