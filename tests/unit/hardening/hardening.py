# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers of the hardening tests: hypothesis settings and the exceptions allowed out.

``PROPERTY`` is applied to every property test here: derandomized (the same examples on every
run and machine, so a CI failure reproduces), no deadline (CI machines stall), no example
database written into the tree. ``HARDENING_EXAMPLES=600`` (or any number) runs more examples,
randomized, for a local soak.
"""

from __future__ import annotations

import os

from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import Error
from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("HARDENING_EXAMPLES", "0")) or 60
PROPERTY = settings(
    max_examples=EXAMPLES,
    derandomize="HARDENING_EXAMPLES" not in os.environ,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        # module runs patch through monkeypatch.context(), undone after every example
        HealthCheck.function_scoped_fixture,
    ],
)
# What may come out of the collection's code on bad input or a bad reply: its own typed errors.
# IpsetInputError and the other input errors are ValueError subclasses; everything the netlink
# stack raises derives from Error. (Plain ValueError is what `_common.FAILURES` turns into
# fail_json; a test that needs the typed input error checks for IpsetInputError itself.)
TYPED = (Error, ValueError)
# ... but these ValueError subclasses are programming errors, not typed failures.
UNTYPED = (UnicodeError,)


def typed_only(exc: BaseException) -> bool:
    """True when ``exc`` is one of the collection's typed errors."""
    return isinstance(exc, TYPED) and not isinstance(exc, UNTYPED)
