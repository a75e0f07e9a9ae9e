# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the table of nft accelerators (house style 5a).

The same rule and layout as _ipset.accelerators: a step has one public function; its faster
variant is a private function of the same module that the public function calls first and
that returns None when it does not apply. tests/unit/plugins/module_utils/_nftables/
test_accelerators.py walks this table: for generated inputs, the public function with the
accelerator in place and with it replaced by one that always declines gives equal results
and the same errors. Nothing imports this module at run time.
"""

from __future__ import annotations

from typing import Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset.accelerators import (
    Accelerator,
)

# Accelerator.module is under plugins/module_utils/_nftables here.
ACCELERATORS: Tuple[Accelerator, ...] = (
    Accelerator(
        "client",
        "element_bodies",
        "_uniform_bodies",
        "a non-interval set, every element a key of one size with no extras (or a delete)",
    ),
    Accelerator(
        "client",
        "decode_elements",
        "_plain_keys",
        "a dump reply whose every element is only a key, all of one size",
    ),
    Accelerator(
        "plan",
        "plan_elements",
        "_plain_plan",
        "a set without interval, map data or timeout, every element (current and wanted) "
        "only a key",
    ),
    Accelerator(
        "plan",
        "parse_elements",
        "_address_texts",
        "a plain ipv4_addr/ipv6_addr set, every element a string the C library parses",
    ),
    Accelerator(
        "plan",
        "labels",
        "_address_labels",
        "an ipv4_addr/ipv6_addr set without interval, every element only a key",
    ),
)
