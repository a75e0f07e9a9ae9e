# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: run code inside another network namespace.

A netlink socket belongs to the namespace it was created in, so the stack enters the target
namespace only for the ``socket()`` call and returns at once (``setns(2)`` on this thread).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from typing import Iterator, Optional, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._netlink import errors

CLONE_NEWNET = 0x40000000  # linux/sched.h
NETNS_RUN_DIR = "/run/netns"  # where `ip netns add` mounts named namespaces
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,255}$")


def netns_path(netns: str) -> str:
    """A name under /run/netns, or a path such as /proc/1234/ns/net."""
    if "\0" in netns:
        raise errors.NamespaceError("netns %r contains a NUL character" % netns)
    if "/" in netns:
        return netns
    if not _NAME.match(netns) or netns in (".", ".."):
        raise errors.NamespaceError("netns %r is not a valid namespace name" % netns)
    return os.path.join(NETNS_RUN_DIR, netns)


def _setns(fd: int, what: str) -> None:
    setns = getattr(os, "setns", None)  # Python 3.12+
    if setns is not None:
        try:
            setns(fd, CLONE_NEWNET)
            return
        except OSError as exc:
            err = exc.errno
    else:  # loaded only to enter a namespace on Python < 3.12
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        if libc.setns(fd, CLONE_NEWNET) == 0:
            return
        err = ctypes.get_errno()
    if err == errno.EPERM:
        raise errors.NamespaceError(
            "entering network namespace %s needs CAP_SYS_ADMIN (use become)" % what
        )
    raise errors.NamespaceError("cannot enter network namespace %s: %s" % (what, os.strerror(err)))


@contextlib.contextmanager
def entered(netns: Optional[str]) -> Iterator[None]:
    """Run the body inside ``netns`` (None: stay where we are), then come back."""
    if not netns:
        yield
        return
    target = open_netns(netns)
    try:
        home = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        os.close(target)
        raise
    try:
        _setns(target, repr(netns))
        try:
            yield
        finally:
            _setns(home, "of this process (returning)")
    finally:
        os.close(target)
        os.close(home)


def open_netns(netns: str) -> int:
    """A read-only descriptor of a namespace (a name or a path); NamespaceError says why not."""
    path = netns_path(netns)
    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise errors.NamespaceError(
            "network namespace %r does not exist (no %s)" % (netns, path)
        ) from None
    except OSError as exc:
        raise errors.NamespaceError(
            "cannot open network namespace %s: %s" % (path, exc.strerror)
        ) from None


def netns_identity(netns: Optional[str]) -> Tuple[int, int]:
    """(st_dev, st_ino) of a namespace (None: this thread's): equal means the same namespace."""
    if netns:
        fd = open_netns(netns)
    else:
        fd = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    return (info.st_dev, info.st_ino)
