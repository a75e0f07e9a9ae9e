# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared by every test in tests/kernel: they talk to the running kernel.

* Every test collected here is marked ``kernel`` (``-m "not kernel"`` leaves them out).
* They need root (CAP_NET_ADMIN, CAP_SYS_ADMIN). Without it they FAIL with a message saying
  so, unless ``LINUX_NETLINK_SKIP_KERNEL=1`` is set, which skips them instead.
* ``netns``: a fresh named network namespace (``ip netns add ln-test-<random>``), deleted after
  the test whatever its outcome. ``make_netns``: the same as a context manager, for tests that
  need several namespaces. Never touch the host's own network state: work in these.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
from typing import Iterator, List

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP_ENV = "LINUX_NETLINK_SKIP_KERNEL"
CAP_NET_ADMIN = 12  # linux/capability.h
CAP_SYS_ADMIN = 21
NETNS_PREFIX = "ln-test-"

# Names the `netns` fixture handed out in this session (to check that none is left behind).
CREATED: List[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for item in items:
        if str(item.path).startswith(HERE + os.sep):
            item.add_marker(pytest.mark.kernel)


def _missing_capabilities() -> List[str]:
    effective = 0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("CapEff:"):
                effective = int(line.split()[1], 16)
    wanted = (("CAP_NET_ADMIN", CAP_NET_ADMIN), ("CAP_SYS_ADMIN", CAP_SYS_ADMIN))
    return [name for name, bit in wanted if not effective & (1 << bit)]


@pytest.fixture(scope="session", autouse=True)
def _kernel_privileges() -> None:
    """Fail (or, with LINUX_NETLINK_SKIP_KERNEL=1, skip) when the tests cannot run."""
    missing = _missing_capabilities()
    if os.geteuid() == 0 and not missing:
        return
    why = "kernel tests need root with CAP_NET_ADMIN and CAP_SYS_ADMIN (uid %d%s)" % (
        os.geteuid(),
        ", missing " + ", ".join(missing) if missing else "",
    )
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip("%s=1: %s" % (SKIP_ENV, why))
    pytest.fail(
        "%s. Run them as root (sudo -E python -m pytest tests/kernel), or set %s=1 to skip "
        "them." % (why, SKIP_ENV),
        pytrace=False,
    )


def ip_netns_list() -> List[str]:
    """Names `ip netns list` shows."""
    out = subprocess.run(["ip", "netns", "list"], check=True, capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


@contextlib.contextmanager
def fresh_netns() -> Iterator[str]:
    """A new named network namespace with a random name; deleted on the way out."""
    name = NETNS_PREFIX + secrets.token_hex(4)
    made = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.fail("ip netns add %s failed: %s" % (name, made.stderr.strip()), pytrace=False)
    CREATED.append(name)
    try:
        yield name
    finally:
        gone = subprocess.run(["ip", "netns", "delete", name], capture_output=True, text=True)
        if gone.returncode != 0:
            raise RuntimeError("ip netns delete %s failed: %s" % (name, gone.stderr.strip()))


@pytest.fixture
def make_netns():
    """`fresh_netns` itself: ``with make_netns() as name: ...``."""
    return fresh_netns


@pytest.fixture
def netns() -> Iterator[str]:
    """The name of a fresh network namespace, deleted after the test."""
    with fresh_netns() as name:
        yield name


@pytest.fixture
def created_netns() -> List[str]:
    """Every name the `netns` / `make_netns` fixtures created in this session so far."""
    return CREATED


@pytest.fixture
def list_netns():
    """`ip_netns_list` itself: the names `ip netns list` shows now."""
    return ip_netns_list
