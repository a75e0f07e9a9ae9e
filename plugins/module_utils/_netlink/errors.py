# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the typed errors of the netlink stack.

Every error the stack raises derives from `Error`, so a module's ``main()`` catches one type and
turns it into ``fail_json``. Messages are worded for the person reading the task result.
"""

from __future__ import annotations

import errno as _errno
import os
from typing import Optional

# Worded once here for errnos whose strerror() says too little in a task result.
_ERRNO_HINTS = {
    _errno.EPERM: "operation not permitted: needs CAP_NET_ADMIN (use become: true)",
    _errno.EACCES: "permission denied: needs CAP_NET_ADMIN (use become: true)",
}


class Error(Exception):
    """Base of every error raised by the collection's netlink stack."""


class NetlinkError(Error):
    """The kernel answered a request with a negative errno.

    ``command`` names the request as the UAPI does (``IPSET_CMD_CREATE``); ``message`` is the
    kernel's extended-ACK text when it sent one; ``request`` is the request the kernel echoed
    back (families such as ipset write details into it); ``offset`` the extended-ACK offset.
    """

    def __init__(
        self,
        errno: int,
        command: str = "",
        message: str = "",
        request: bytes = b"",
        offset: Optional[int] = None,
    ) -> None:
        self.errno = errno
        self.command = command
        self.message = message
        self.request = request
        self.offset = offset
        super().__init__(str(self))

    @property
    def reason(self) -> str:
        """The kernel's own words if it gave some, else the errno described."""
        if self.message:
            return self.message
        hint = _ERRNO_HINTS.get(self.errno)
        if hint:
            return hint
        try:
            return os.strerror(self.errno)
        except (OverflowError, ValueError):  # a malformed reply's errno beyond a C int
            return "error %d" % self.errno

    def __str__(self) -> str:
        name = _errno.errorcode.get(self.errno, str(self.errno))
        prefix = "%s: " % self.command if self.command else ""
        return "%s%s (%s)" % (prefix, self.reason, name)


class ProtocolError(Error):
    """A reply broke the netlink protocol: truncated, malformed, or not ours."""


class DumpInterrupted(ProtocolError):
    """A dump kept being interrupted (NLM_F_DUMP_INTR or ENOBUFS) after every retry."""


class NetlinkTimeout(Error):
    """The kernel did not answer within the timeout."""


class NamespaceError(Error):
    """A network namespace could not be entered."""
