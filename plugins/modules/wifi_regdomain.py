#!/usr/bin/python
# ruff: noqa: E402  (Ansible modules import after their documentation strings)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: contributors to the linux.netlink collection

from __future__ import annotations

DOCUMENTATION = r"""
module: wifi_regdomain
short_description: Get and set the wireless regulatory domain (country) over nl80211
version_added: 0.1.0
description:
  - Sets the global regulatory domain of the kernel's wireless core to a country, talking
    nl80211 directly (C(NL80211_CMD_REQ_SET_REG), what C(iw reg set) sends), and reports the
    domain in force (C(NL80211_CMD_GET_REG)), with the radios that have a domain of their own.
  - The kernel takes the country as a hint and applies it asynchronously; the module waits for
    its C(NL80211_CMD_REG_CHANGE) announcement (on the C(regulatory) multicast group, joined
    before the request), up to O(timeout), then reads the domain again.
  - C(changed) means that the global domain the kernel reports differs from the one before the
    task. A country equal to the domain in force sends nothing (the kernel would ignore it
    anyway). When the kernel applies something else than asked (it ignores a hint while an
    earlier regulatory request is pending, intersects it with the country IE of an AP that a
    station is connected to (V(98)), or falls back to the world domain V(00) for a country its
    regulatory database does not list), the task fails and says what the domain now is.
  - Radios whose driver manages their regulatory domain itself (self-managed,
    C(NL80211_ATTR_WIPHY_SELF_MANAGED_REG)) are not changed by the country; the module lists
    them in RV(regdomain.radios) and warns that it did not change them.
  - On a host without a wireless stack (no C(cfg80211)) the task fails with a message saying so.
author:
  - Linux Netlink Contributors (@linux-netlink)
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.attributes
options:
  country:
    description:
      - ISO 3166-1 alpha-2 country code (V(DE), V(US); case does not matter), or V(00) for the
        world domain.
      - Omit it to only read the domain.
    type: str
  timeout:
    description: Seconds to wait for the kernel to announce the change.
    type: float
    default: 30
notes:
  - Setting the domain needs C(CAP_NET_ADMIN) (O(ignore:become=true)); reading does not.
  - The domain is global to the kernel (all network namespaces share it) and does not survive a
    reboot; C(wireless-regdb) (C(/lib/firmware/regulatory.db)) must list the country.
seealso:
  - module: linux.netlink.wifi_link
  - module: linux.netlink.wifi_scan_facts
  - name: Linux wireless documentation, regulatory
    description: How the kernel's regulatory core takes hints from users, drivers and APs.
    link: https://wireless.docs.kernel.org/en/latest/en/developers/regulatory.html
"""

EXAMPLES = r"""
- name: The radios of this site obey German rules
  linux.netlink.wifi_regdomain:
    country: DE
  become: true

- name: Read the regulatory domain
  linux.netlink.wifi_regdomain:
  register: reg

- name: Back to the world domain
  linux.netlink.wifi_regdomain:
    country: "00"
  become: true
"""

RETURN = r"""
regdomain:
  description:
    - The regulatory domain after the task (in check mode, as it would be); the global
      country, its DFS region, and each radio with a domain of its own.
  returned: always
  type: dict
  contains:
    country:
      description: The global country (V(00) world, V(98) an intersection, V(99) custom).
      type: str
    dfs_region:
      description: Its DFS region (V(unset), V(FCC), V(ETSI), V(JP)).
      type: str
    radios:
      description: The radios with a domain of their own (phy, country, dfs_region, self_managed).
      type: list
      elements: dict
  sample:
    country: DE
    dfs_region: ETSI
    radios:
      - phy: phy2
        country: US
        dfs_region: FCC
        self_managed: true
"""

from typing import Any, Dict

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import reg as R
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (
    Nl80211Client,
    RegulatoryTimeout,
    WirelessError,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import OptionError
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.reg import Regulatory

SPEC = argument_spec(
    country={"type": "str"},
    timeout={"type": "float", "default": 30.0},
)


class NotApplied(WirelessError):
    """The kernel's domain is not the country asked for after the request."""

    def __init__(self, message: str, result: Dict[str, Any]) -> None:
        super().__init__(message)
        self.result = result


class WifiRegdomain:
    """observe -> compare -> request (unless check mode) -> wait -> re-read."""

    def __init__(self, client: Nl80211Client, params: Dict[str, Any]) -> None:
        self.client = client
        country = params.get("country")
        self.country = None if country is None else R.normalise_country(country)
        self.timeout = params["timeout"]
        if self.timeout <= 0:
            raise OptionError("timeout: must be more than 0 seconds")

    def names(self, regulatory: Regulatory) -> Dict[int, str]:
        wanted = {d.wiphy for d in regulatory.radios}
        return {p.index: p.name for p in self.client.phys() if p.index in wanted} if wanted else {}

    def run(self, check_mode: bool) -> Dict[str, Any]:
        domains = self.client.regdomain()
        names = self.names(domains)
        before = R.view(domains, names)
        country = self.country
        result: Dict[str, Any] = {"changed": False, "regdomain": before}
        if country is None:
            return result
        warnings = R.warnings(domains, names, country)
        if warnings:
            result["warnings"] = warnings
        if before["country"] == country:
            result["diff"] = {"before": before, "after": before}
            return result
        if check_mode:
            after = dict(before, country=country, dfs_region=None)
        else:
            try:
                self.client.set_regdomain(country, self.timeout)
            except RegulatoryTimeout:
                pass  # the domain read below says what the kernel did
            after = R.view(self.client.regdomain(), names)
        result.update(
            changed=after != before, regdomain=after, diff={"before": before, "after": after}
        )
        if after["country"] != country:
            raise NotApplied(R.not_applied(country, after["country"]), result)
        return result


def main() -> None:
    module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
    run_module(
        module, lambda client: WifiRegdomain(client, module.params).run(module.check_mode),
        Nl80211Client,
    )  # fmt: skip


if __name__ == "__main__":
    main()
