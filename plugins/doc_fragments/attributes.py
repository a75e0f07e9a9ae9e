# SPDX-License-Identifier: GPL-3.0-or-later
"""The attributes shared by the collection's modules."""
from __future__ import annotations


class ModuleDocFragment:
    # Modules that change kernel state.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the kernel.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
  idempotent:
    description: When run twice in a row outside check mode with the same arguments, the second run indicates no change.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: linux
"""

    # Read-only modules: nothing to change, so check mode is the same as a real run.
    INFO = r"""
attributes:
  check_mode:
    description: Can run in check mode; it reads only, so it works the same.
    support: full
  diff_mode:
    description: It changes nothing, so there is no diff.
    support: N/A
  idempotent:
    description: It changes nothing.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: linux
"""

    # Fact modules.
    FACTS = r"""
attributes:
  facts:
    description: Action returns an C(ansible_facts) dictionary that will update existing host facts.
    support: full
"""
