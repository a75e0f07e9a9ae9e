# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the netlink stack's unit tests: a scripted kernel and a socket talking to it."""

from __future__ import annotations

from typing import Iterator

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import NETLINK_ROUTE

from . import nltest


@pytest.fixture
def kernel() -> nltest.FakeKernel:
    """A fake kernel with no handler yet: set ``kernel.handler`` or ``kernel.push()``."""
    return nltest.FakeKernel()


@pytest.fixture
def sock(kernel: nltest.FakeKernel) -> Iterator[NetlinkSocket]:
    """A NETLINK_ROUTE socket on the fake kernel, with a short timeout."""
    with NetlinkSocket(NETLINK_ROUTE, timeout=0.2, socket_factory=kernel) as s:
        yield s
