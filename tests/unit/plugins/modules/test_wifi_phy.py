# SPDX-License-Identifier: GPL-3.0-or-later
"""linux.netlink.wifi_phy's main() against a small model of the kernel's radios per network
namespace (the client's requests themselves are tested as bytes in test_client.py; the module's
path through the real kernel in tests/vm/wifi/playbooks/wifi_phy.yml)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import pytest

pytest.importorskip("ansible")

from ansible.module_utils import basic  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import (  # noqa: E402
    RadioSettings,
)
from ansible_collections.linux.netlink.plugins.modules import wifi_phy  # noqa: E402

from conftest import (  # noqa: E402
    AnsibleExitJson,
    AnsibleFailJson,
    _exit_json,
    _fail_json,
    module_args,
)

OFF = u.THRESHOLD_OFF
HERE = "/proc/thread-self/ns/net"  # where the module works when netns is not given


class World:
    """Radios per namespace path; the calls the module made."""

    def __init__(self) -> None:
        phy7 = RadioSettings(7, "phy7", 7, 4, OFF, OFF, None, None, None, None)
        self.where: Dict[str, List[RadioSettings]] = {HERE: [phy7], "/run/netns/lab": []}
        self.calls: List[Tuple[str, Any]] = []

    def client(self, netns: Optional[str] = None) -> "FakeClient":
        path = HERE if netns is None else (netns if "/" in netns else "/run/netns/" + netns)
        return FakeClient(self, path)


class FakeClient:
    def __init__(self, world: World, path: str) -> None:
        self.world, self.path = world, path

    def close(self) -> None:
        pass

    def radios(self, only: Optional[int] = None) -> List[RadioSettings]:
        found = self.world.where.setdefault(self.path, [])
        return [r for r in found if only is None or r.index == only]

    def _swap(self, index: int, **changes: Any) -> None:
        here = self.world.where[self.path]
        here[:] = [r._replace(**changes) if r.index == index else r for r in here]

    def rename_radio(self, radio: RadioSettings, new_name: str) -> None:
        self.world.calls.append(("rename", new_name))
        self._swap(radio.index, name=new_name)

    def set_radio(self, radio: RadioSettings, changes: Dict[str, Any]) -> None:
        self.world.calls.append(("set", dict(changes)))
        self._swap(radio.index, **changes)

    def move_radio(self, radio: RadioSettings, netns_fd: Any = None, pid: Any = None) -> None:
        self.world.calls.append(("move", pid if pid is not None else "fd"))
        moving = [r for r in self.world.where[self.path] if r.index == radio.index]
        self.world.where[self.path] = [r for r in self.world.where[self.path] if r not in moving]
        target = "/proc/%d/ns/net" % pid if pid is not None else "/run/netns/lab"
        self.world.where.setdefault(target, []).extend(moving)


def run(monkeypatch: Any, world: World, args: Dict[str, Any], check: bool = False):
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    monkeypatch.setattr(wifi_phy, "Nl80211Client", world.client)
    monkeypatch.setattr(wifi_phy, "netns_identity", lambda netns: netns or HERE)
    monkeypatch.setattr(wifi_phy, "open_netns", lambda path: 99)
    monkeypatch.setattr(wifi_phy.os, "close", lambda fd: None)
    args = dict(args, _ansible_check_mode=check)
    with module_args(args):
        try:
            wifi_phy.main()
        except AnsibleExitJson as exc:
            return False, exc.args[0]
        except AnsibleFailJson as exc:
            return True, exc.args[0]
    raise AssertionError("the module returned without exit_json or fail_json")


def test_settings_then_twin(monkeypatch: Any) -> None:
    world = World()
    args = {"name": "phy7", "rts_threshold": 500, "frag_threshold": "off", "retry_long": 6}
    failed, result = run(monkeypatch, world, args)
    assert not failed and result["changed"]
    assert world.calls == [("set", {"rts_threshold": 500, "retry_long": 6})]
    assert result["phy"]["rts_threshold"] == 500 and result["diff"]["before"]["retry_long"] == 4
    failed, result = run(monkeypatch, world, args)
    assert not failed and not result["changed"] and len(world.calls) == 1


def test_check_mode_changes_nothing(monkeypatch: Any) -> None:
    world = World()
    failed, result = run(monkeypatch, world, {"name": "7", "new_name": "r7"}, check=True)
    assert not failed and result["changed"] and result["phy"]["name"] == "r7"
    assert world.calls == [] and world.where[HERE][0].name == "phy7"


def test_rename_and_move_then_found_in_the_target(monkeypatch: Any) -> None:
    world = World()
    args = {"name": "phy7", "new_name": "r7", "target_netns": "lab"}
    failed, result = run(monkeypatch, world, args)
    assert not failed and result["changed"], result
    assert world.calls == [("rename", "r7"), ("move", "fd")]
    assert result["phy"]["netns"] == "lab" and result["phy"]["name"] == "r7"
    assert world.where[HERE] == [] and world.where["/run/netns/lab"][0].name == "r7"
    failed, result = run(monkeypatch, world, args)
    assert not failed and not result["changed"] and len(world.calls) == 2
    # back to process 1's namespace, from inside lab; then again: found there, nothing to do
    back = {"name": "r7", "netns": "lab", "target_netns": "1"}
    failed, result = run(monkeypatch, world, back)
    assert not failed and result["changed"] and world.calls[-1] == ("move", 1)
    failed, result = run(monkeypatch, world, back)
    assert not failed and not result["changed"] and result["phy"]["netns"] == "1"


def test_bad_input_fails_naming_the_option_and_sends_nothing(monkeypatch: Any) -> None:
    world = World()
    failed, result = run(monkeypatch, world, {"name": "phy7", "rts_threshold": 9, "retry_short": 0})
    assert failed and result["msg"].startswith("retry_short: 0 is not a number from 1 to 255")
    failed, result = run(monkeypatch, world, {"name": "phy9", "retry_short": 3})
    assert failed and result["msg"] == "name: there is no radio 'phy9' (radios: phy7 (7))"
    assert world.calls == []


def test_a_missing_target_namespace_is_worded_with_the_option(monkeypatch: Any) -> None:
    world = World()
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    monkeypatch.setattr(wifi_phy, "Nl80211Client", world.client)
    args = {"name": "phy7", "target_netns": "ln-no-such-ns"}
    with module_args(args), pytest.raises(AnsibleFailJson) as info:
        wifi_phy.main()
    assert info.value.args[0]["msg"] == (
        "target_netns: network namespace '/run/netns/ln-no-such-ns' does not exist "
        "(no /run/netns/ln-no-such-ns)"
    )
    assert world.calls == []
