# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: what every module shares (argument spec pieces, error types)."""
from __future__ import annotations

from typing import Any, Dict

from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import Error

# The `netns` option of every module; documented in the linux.netlink.netns doc fragment.
NETNS_SPEC: Dict[str, Any] = {"netns": {"type": "str"}}

# What a module's main() turns into fail_json: the stack's typed errors, and invalid input.
# Input validators raise ValueError subclasses that name the parameter or entry.
FAILURES = (Error, ValueError)


def argument_spec(**options: Dict[str, Any]) -> Dict[str, Any]:
    """A module's argument spec: its own options plus the shared ones."""
    spec = dict(options)
    spec.update(NETNS_SPEC)
    return spec
