# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: one writer of ipsets at a time per network namespace."""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
from typing import Iterator, Optional

from ansible_collections.linux.netlink.plugins.module_utils._netlink import errors
from ansible_collections.linux.netlink.plugins.module_utils._netlink.netns import netns_path

LOCK_DIR = "/run/linux.netlink"  # root-only (0700): never a world-writable place


def _private_dir(path: str) -> None:
    """Make ``path`` a directory only we can write (0700), or refuse one someone else could:
    a lock file in it is created and opened by root."""
    os.makedirs(path, mode=0o700, exist_ok=True)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise errors.Error(
            "lock directory %s is not a directory owned by uid %d (a symlink or someone else's):"
            " refusing to use it; remove it" % (path, os.geteuid())
        )
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(path, 0o700)


@contextlib.contextmanager
def locked(netns: Optional[str]) -> Iterator[None]:
    """Serialise this collection's writers of ipsets in one network namespace.

    Concurrent runs converging the same sets then see each other's results instead of
    racing through a rebuild. The lock file lives in a root-only directory.
    """
    try:
        _private_dir(LOCK_DIR)
        ident = os.stat(netns_path(netns) if netns else "/proc/thread-self/ns/net")
        path = os.path.join(LOCK_DIR, "ipset-%d-%d.lock" % (ident.st_dev, ident.st_ino))
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    except OSError:
        yield  # no privilege to write /run: nothing we do then can change the kernel either
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
