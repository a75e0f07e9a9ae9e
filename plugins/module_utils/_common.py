# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: what every module shares (argument spec pieces, error types)."""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional

from ansible_collections.linux.netlink.plugins.module_utils._netlink import errors

# The `netns` option of every module; documented in the linux.netlink.netns doc fragment.
NETNS_SPEC: Dict[str, Any] = {"netns": {"type": "str"}}

# What a module's main() turns into fail_json: the stack's typed errors, and invalid input.
# Input validators raise ValueError subclasses that name the parameter or entry.
FAILURES = (errors.Error, ValueError)


def argument_spec(**options: Dict[str, Any]) -> Dict[str, Any]:
    """A module's argument spec: its own options plus the shared ones."""
    spec = dict(options)
    spec.update(NETNS_SPEC)
    return spec


def run_module(
    module: Any, work: Callable[..., Dict[str, Any]], client: Optional[Callable[..., Any]] = None
) -> None:
    """How every module's main() ends: ``work`` computes the result (given ``client``, the
    family's client class, opened in the task's ``netns``) and the module exits with it. The
    stack's typed errors and invalid input become ``fail_json`` with their message, plus the
    partial result an error carries as ``result``; anything else is a bug and stays a traceback.
    """
    try:
        if client is None:
            result = work()
        else:
            with client(netns=module.params["netns"]) as opened:
                result = work(opened)
    except FAILURES as exc:
        module.fail_json(msg=str(exc), **getattr(exc, "result", {}))
    module.exit_json(**result)
