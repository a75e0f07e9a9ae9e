# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared by the hardening unit tests (issue 7): import paths and the fake ipset kernel.

The hypothesis settings are in `hardening.py` (applied per test, not as a global profile, so
the other unit tests keep theirs).
"""

from __future__ import annotations

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
# nltest (the scripted netlink kernel) lives with the netlink stack's unit tests, as the
# package `_netlink` of that directory (the name pytest itself gives it there).
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "plugins", "module_utils"))
sys.path.insert(0, HERE)

@pytest.fixture
def fake_ipset():
    """A fake kernel with ipset state (`fakeipset.FakeIpset`)."""
    import fakeipset

    return fakeipset.FakeIpset()
