# SPDX-License-Identifier: GPL-3.0-or-later
"""_common.run_module: how every module's main() ends (result, typed failure, or a bug)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._common import run_module
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import Error


class Ended(Exception):
    pass


class Module:
    """What run_module uses of AnsibleModule: params, exit_json, fail_json (both end the run)."""

    def __init__(self, netns: Optional[str] = None) -> None:
        self.params = {"netns": netns}
        self.ended: List[Any] = []

    def exit_json(self, **result: Any) -> None:
        self.ended.append(("exit", result))
        raise Ended

    def fail_json(self, **result: Any) -> None:
        self.ended.append(("fail", result))
        raise Ended


class Client:
    """A family client: opened with the task's netns, closed on the way out whatever happens."""

    opened: List["Client"] = []

    def __init__(self, netns: Optional[str] = None) -> None:
        self.netns, self.closed = netns, False
        Client.opened.append(self)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.closed = True


class Partial(Error):
    def __init__(self, message: str, result: Dict[str, Any]) -> None:
        super().__init__(message)
        self.result = result


def end(module: Module, *args: Any) -> Any:
    with pytest.raises(Ended):
        run_module(module, *args)
    return module.ended[-1]


def test_the_result_of_work_with_the_client_opened_in_the_tasks_netns() -> None:
    Client.opened.clear()
    module = Module(netns="blue")
    assert end(module, lambda c: {"changed": True, "netns": c.netns}, Client) == (
        "exit", {"changed": True, "netns": "blue"})  # fmt: skip
    assert [c.closed for c in Client.opened] == [True]


def test_work_without_a_client() -> None:
    assert end(Module(), lambda: {"changed": False}) == ("exit", {"changed": False})


@pytest.mark.parametrize(
    "error,failed",
    [
        (ValueError("entries: 'x' is not an address"), {"msg": "entries: 'x' is not an address"}),
        (Error("kernel said no"), {"msg": "kernel said no"}),
        (Partial("not applied", {"changed": True, "country": "00"}),
         {"msg": "not applied", "changed": True, "country": "00"}),
    ],
)  # fmt: skip
def test_typed_errors_and_bad_input_fail_with_their_message(error: Exception, failed: Any) -> None:
    Client.opened.clear()

    def work(client: Client) -> Dict[str, Any]:
        raise error

    assert end(Module(), work, Client) == ("fail", failed)
    assert [c.closed for c in Client.opened] == [True]


def test_a_bug_is_not_dressed_as_a_failure() -> None:
    module = Module()
    with pytest.raises(KeyError):
        run_module(module, lambda: {}["missing"])
    assert module.ended == []
