# SPDX-License-Identifier: GPL-3.0-or-later
"""Run a module's main() in this process against a fake ipset kernel.

`run(module, args, kernel)` sets the module arguments the way ansible-core does for the
running version (``ansible.module_utils.testing.patch_module_args`` from 2.19 on, the
``_ANSIBLE_ARGS`` bytes before), replaces the module's `IpsetClient` with one on ``kernel``,
and turns exit_json/fail_json into a returned `Outcome`. Anything else main() raises
escapes: that is what the hardening tests look for.
"""

from __future__ import annotations

import contextlib
import importlib
import json
from typing import Any, Dict, Iterator, NamedTuple, Optional

import pytest

basic = pytest.importorskip("ansible.module_utils.basic")

from ansible_collections.linux.netlink.plugins.module_utils._ipset import client as ipset_client  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (  # noqa: E402
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (  # noqa: E402
    NETLINK_NETFILTER,
)


class Outcome(NamedTuple):
    failed: bool
    result: Dict[str, Any]


class _Exit(Exception):
    def __init__(self, failed: bool, result: Dict[str, Any]) -> None:
        super().__init__(result)
        self.outcome = Outcome(failed, result)


@contextlib.contextmanager
def _module_args(args: Dict[str, Any]) -> Iterator[None]:
    try:
        from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19+
    except ImportError:
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    old = getattr(basic, "_ANSIBLE_ARGS", None)
    basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode("utf-8")
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = old


def _exit_json(self: Any, **kwargs: Any) -> None:
    raise _Exit(False, kwargs)


def _fail_json(self: Any, msg: str = "", **kwargs: Any) -> None:
    kwargs["msg"] = msg
    raise _Exit(True, kwargs)


def run(
    name: str,
    args: Dict[str, Any],
    kernel: Any,
    monkeypatch: pytest.MonkeyPatch,
    lock_dir: Optional[str] = None,
) -> Outcome:
    """main() of plugins/modules/<name>.py with ``args`` against ``kernel`` (a FakeKernel,
    or None for the running kernel)."""
    module = importlib.import_module("ansible_collections.linux.netlink.plugins.modules." + name)

    def client(netns: Optional[str] = None, **_kw: Any) -> ipset_client.IpsetClient:
        sock = NetlinkSocket(NETLINK_NETFILTER, timeout=0.5, socket_factory=kernel)
        return ipset_client.IpsetClient(sock=sock)

    with monkeypatch.context() as patch:
        if kernel is not None:  # None: the real IpsetClient (kernel tests, with a netns)
            patch.setattr(module, "IpsetClient", client)
        patch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
        patch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
        if lock_dir is not None:
            from ansible_collections.linux.netlink.plugins.module_utils._ipset import locking

            patch.setattr(locking, "LOCK_DIR", lock_dir)
        with _module_args(dict(args, _ansible_check_mode=args.pop("_check", False))):
            try:
                module.main()
            except _Exit as done:
                return done.outcome
    raise AssertionError("%s: main() returned without exit_json or fail_json" % name)
