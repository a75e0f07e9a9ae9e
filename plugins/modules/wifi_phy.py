#!/usr/bin/python
# ruff: noqa: E402  (Ansible modules import after their documentation strings)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright: contributors to the linux.netlink collection

from __future__ import annotations

DOCUMENTATION = r"""
module: wifi_phy
short_description: Rename a wireless radio, move it to another network namespace, set its thresholds
version_added: 0.1.0
description:
  - Manages a wireless radio (a phy, C(wiphy) in the kernel) over nl80211, that is its name, its
    network namespace, its RTS and fragmentation thresholds, its retry limits and its antenna
    masks. No C(iw), no pyroute2.
  - Every setting is compared with what C(NL80211_CMD_GET_WIPHY) reports, and only what differs
    is sent (C(NL80211_CMD_SET_WIPHY); thresholds and retry limits in one request).
  - The kernel's refusals (a driver that cannot set antennas, a name that is taken, missing
    privileges) fail the task with a sentence naming the option.
author:
  - Linux Netlink Contributors (@linux-netlink)
extends_documentation_fragment:
  - linux.netlink.netns
  - linux.netlink.attributes
options:
  name:
    description:
      - The radio, by name (V(phy0)) or by index (V(0)). The index stays when the radio is
        renamed or moved.
      - When no radio has this name but one has O(new_name), that one is taken (it was renamed
        already).
    type: str
    required: true
  new_name:
    description:
      - Rename the radio (at most 19 bytes). The kernel refuses a name another radio has, and
        V(phyN) where N is another radio's index.
    type: str
    aliases: [rename]
  target_netns:
    description:
      - Move the radio, with all its interfaces, into this network namespace
        (C(NL80211_CMD_SET_WIPHY_NETNS)), given as a name as created by C(ip netns add) (the file of
        that name under C(/run/netns)), a path to a namespace file, or a process ID (the
        namespace of that process; V(1) is the host's).
      - The radio is looked for first where the module works (O(netns)); when it is not there,
        it is looked for in this namespace, and found there it has been moved already (no
        change; the other settings are then applied there). When the module already works in
        that namespace, nothing moves.
      - The move comes last, after every other setting. Interfaces whose name is taken in the
        target namespace are renamed by the kernel (C(wlan%d)).
    type: str
  rts_threshold:
    description: RTS threshold in octets (V(0) to V(65536)), or V(off).
    type: raw
  frag_threshold:
    description:
      - Fragmentation threshold in octets (V(256) to V(8000)), or V(off). The kernel keeps an
        even number; an odd one is rounded down, and compared so.
    type: raw
  retry_short:
    description: Retry limit of frames up to the RTS threshold (V(1) to V(255)).
    type: int
  retry_long:
    description: Retry limit of frames longer than the RTS threshold (V(1) to V(255)).
    type: int
  antenna_tx:
    description:
      - Bitmap of the antennas allowed to transmit (antenna 1 is bit 0).
      - The kernel takes the transmit and receive masks together; the one not given is the
        current one, or the same as the other when the radio reports none.
      - Drivers that cannot set antennas report none, and the kernel refuses
        (C(EOPNOTSUPP)); mac80211_hwsim is one. Check mode cannot know that in advance.
    type: int
  antenna_rx:
    description: Bitmap of the antennas allowed to receive; see O(antenna_tx).
    type: int
notes:
  - Changing a radio needs C(CAP_NET_ADMIN), and working in or moving to another namespace
    C(CAP_SYS_ADMIN) (O(ignore:become=true)).
seealso:
  - module: linux.netlink.wifi_interface
  - module: linux.netlink.wifi_scan_facts
  - name: nl80211 UAPI header
    description: The wiphy attributes, their ranges and units.
    link: https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/include/uapi/linux/nl80211.h
"""

EXAMPLES = r"""
- name: RTS/CTS for frames of 500 octets and more, no fragmentation, more retries
  linux.netlink.wifi_phy:
    name: phy0
    rts_threshold: 500
    frag_threshold: "off"
    retry_short: 7
    retry_long: 10
  become: true

- name: Give the radio a name and hand it to a container's namespace
  linux.netlink.wifi_phy:
    name: phy1
    new_name: radio-lab
    target_netns: lab
  become: true

- name: Bring it back to the host (the namespace of process 1), from inside the container's
  linux.netlink.wifi_phy:
    name: radio-lab
    netns: lab
    target_netns: "1"
  become: true
"""

RETURN = r"""
phy:
  description:
    - The radio as the kernel reports it after the task (in check mode, as it would be).
    - C(netns) is where it is, as the options name it (null is where the module works).
    - Antenna masks are null when the driver reports none.
  returned: always
  type: dict
  sample:
    name: phy7
    index: 7
    netns: null
    retry_short: 7
    retry_long: 4
    frag_threshold: "off"
    rts_threshold: 500
    antenna_tx: null
    antenna_rx: null
    antenna_available_tx: null
    antenna_available_rx: null
actions:
  description: What the module did (or would do in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: ["rename phy7 to lnradio7", "move lnradio7 to network namespace lnns7"]
"""

import os
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.linux.netlink.plugins.module_utils._common import (
    argument_spec,
    run_module,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import NamespaceError
from ansible_collections.linux.netlink.plugins.module_utils._netlink.netns import (
    netns_identity,
    open_netns,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (
    Nl80211Client,
    WirelessError,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import RadioSettings
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.phy import (
    describe,
    find,
    normalise,
    plan,
    predict,
    view,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import (
    OptionError,
    Step,
)

SPEC = argument_spec(
    name={"type": "str", "required": True},
    new_name={"type": "str", "aliases": ["rename"]},
    target_netns={"type": "str"},
    rts_threshold={"type": "raw"},
    frag_threshold={"type": "raw"},
    retry_short={"type": "int"},
    retry_long={"type": "int"},
    antenna_tx={"type": "int"},
    antenna_rx={"type": "int"},
)


class WifiPhy:
    """observe (here, else in the target namespace) -> plan -> apply -> re-read."""

    def __init__(self, params: Dict[str, Any]) -> None:
        self.netns = params.get("netns")
        self.want = normalise(params)
        self.clients: List[Nl80211Client] = []

    def client(self, netns: Optional[str]) -> Nl80211Client:
        client = Nl80211Client(netns=netns)
        self.clients.append(client)
        return client

    def locate(self) -> Tuple[Nl80211Client, RadioSettings, Optional[str], bool]:
        """(client, radio, where as shown, moved already)."""
        want, target = self.want, self.want.target
        here = self.client(self.netns)
        radios = here.radios()
        radio = find(want, radios)
        if radio is not None:
            return here, radio, self.netns, False
        elsewhere = ""
        if target is not None:
            there = _named("target_netns", self.client, target.path)
            found = there.radios()
            radio = find(want, found)
            if radio is not None:
                return there, radio, target.spec, True
            elsewhere = "; in %s: %s" % (target.spec, _names(found))
        raise OptionError(
            "name: there is no radio %r (radios: %s%s)" % (want.name, _names(radios), elsewhere)
        )

    def run(self, check_mode: bool) -> Dict[str, Any]:
        try:
            return self._converge(check_mode)
        finally:
            for client in self.clients:
                client.close()

    def _converge(self, check_mode: bool) -> Dict[str, Any]:
        client, radio, where, moved = self.locate()
        target = self.want.target
        move = bool(target and not moved)
        if move and netns_identity(self.netns) == _named(
            "target_netns",
            netns_identity,
            target.path,  # type: ignore[union-attr]
        ):
            move = False  # the module works in the target namespace already
        steps = plan(self.want, radio, move)
        before = view(radio, where)
        if check_mode or not steps:
            after = predict(before, steps)
        else:
            client, where = self.apply(client, radio, steps, where)
            now = next((r for r in client.radios(only=radio.index)), None)
            after = view(now, where)
        return {
            "changed": bool(steps),
            "phy": after,
            "actions": [describe(s, radio.name) for s in steps],
            "diff": {"before": before, "after": after},
        }

    def apply(
        self, client: Nl80211Client, radio: RadioSettings, steps: List[Step], where: Optional[str]
    ) -> Tuple[Nl80211Client, Optional[str]]:
        for step in steps:
            if step.action == "rename":
                client.rename_radio(radio, step.args["new_name"])
                radio = radio._replace(name=step.args["new_name"])
            elif step.action == "set":
                client.set_radio(radio, step.args)
            elif step.action == "move":
                target = self.want.target
                if target is None:
                    raise WirelessError("a move was planned without target_netns")
                if target.pid is not None:
                    client.move_radio(radio, pid=target.pid)
                else:
                    fd = _named("target_netns", open_netns, target.path)
                    try:
                        client.move_radio(radio, netns_fd=fd)
                    finally:
                        os.close(fd)
                client, where = self.client(target.path), target.spec
        return client, where


def _named(option: str, call: Callable[[str], Any], path: str) -> Any:
    """``call(path)``, a missing or unreadable namespace worded with the option's name."""
    try:
        return call(path)
    except NamespaceError as exc:
        raise OptionError("%s: %s" % (option, exc)) from None


def _names(radios: List[RadioSettings]) -> str:
    return ", ".join("%s (%d)" % (r.name, r.index) for r in radios) or "none"


def main() -> None:
    module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
    run_module(module, lambda: WifiPhy(module.params).run(module.check_mode))


if __name__ == "__main__":
    main()
