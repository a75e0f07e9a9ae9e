# SPDX-License-Identifier: GPL-3.0-or-later
"""A scripted netlink kernel for unit tests (after mdlayher/netlink's ``nltest``).

A `FakeKernel` is passed as ``socket_factory=`` to ``NetlinkSocket``: it receives the protocol
number and returns a `FakeSocket`. Every datagram a socket sends is recorded, split into its
messages (``kernel.requests``), and each message is shown to ``kernel.handler`` (request
message -> list of items) whose answers join that socket's receive queue. A test may instead
queue items directly with ``kernel.push()``. An item is one of:

* ``bytes``: one datagram from the kernel;
* `Datagram`: the same, with ``msg_flags`` (``MSG_TRUNC``) or a sender address other than the
  kernel's;
* an exception instance, raised by ``recvmsg_into`` (``OSError(errno.ENOBUFS)``,
  ``socket.timeout()``, ``InterruptedError()``).

The reply builders (`FakeKernel.ack`, `error`, `done`, `multipart`, ...) answer a request the
way Linux 6.x does: replies carry the request's sequence number and the receiving socket's port
id, ACKs are flagged ``NLM_F_CAPPED``, errors echo the whole request unless capped, and
extended-ACK TLVs set ``NLM_F_ACK_TLVS`` (net/netlink/af_netlink.c, ``netlink_ack`` and
``netlink_dump_done``).
"""

from __future__ import annotations

import collections
import errno
import os
import socket
import struct
import time
from typing import (
    Callable,
    Deque,
    Dict,
    Iterable,
    List,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._netlink.codec import Message
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_ADD_MEMBERSHIP,
    NETLINK_DROP_MEMBERSHIP,
    NLM_F_ACK_TLVS,
    NLM_F_CAPPED,
    NLM_F_DUMP_INTR,
    NLM_F_MULTI,
    NLMSG_DONE,
    NLMSG_ERROR,
    NLMSGERR_ATTR_MSG,
    NLMSGERR_ATTR_OFFS,
    SOL_NETLINK,
)

PORT_ID = 0x4A11  # port id of the first socket a kernel opens; the next ones count up
KERNEL = (0, 0)  # the kernel's sockaddr_nl as recvmsg reports it: (nl_pid, nl_groups)
SO_SNDBUFFORCE = 32  # asm-generic/socket.h
SO_RCVBUFFORCE = 33
DEFAULT_BUF = 212992  # net.core.[rw]mem_default
_S32 = struct.Struct("=i")


class Datagram(NamedTuple):
    """One datagram as recvmsg sees it."""

    data: bytes
    flags: int = 0  # msg_flags, e.g. socket.MSG_TRUNC
    address: Tuple[int, int] = KERNEL  # sender (nl_pid, nl_groups); nl_pid 0 is the kernel


Item = Union[bytes, Datagram, BaseException]
Handler = Callable[[Message], Sequence[Item]]


def enobufs() -> OSError:
    """What recvmsg raises after the kernel dropped replies for want of buffer space."""
    return OSError(errno.ENOBUFS, os.strerror(errno.ENOBUFS))


def timeout() -> OSError:
    """What recvmsg raises when the socket timeout expires."""
    return socket.timeout("timed out")


def datagram(*messages: bytes) -> bytes:
    """Several messages in one datagram."""
    return b"".join(messages)


def split(data: bytes) -> List[Message]:
    """The messages of a datagram."""
    return list(codec.iter_messages(data))


def tlvs(msg: str = "", offset: Optional[int] = None) -> bytes:
    """Extended-ACK TLVs (enum nlmsgerr_attrs): NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS."""
    out = b""
    if msg:
        out += codec.pack_attr(NLMSGERR_ATTR_MSG, msg.encode() + b"\0")
    if offset is not None:
        out += codec.pack_attr(NLMSGERR_ATTR_OFFS, struct.pack("=I", offset))
    return out


def echoed(req: Message, capped: bool = False) -> bytes:
    """The request as NLMSG_ERROR carries it: its header as sent, then (uncapped) its payload."""
    length = codec.NLMSGHDR.size + len(req.payload)
    header = codec.NLMSGHDR.pack(length, req.type, req.flags, req.seq, req.pid)
    return header if capped else header + req.payload


class FakeSocket:
    """The socket object NetlinkSocket talks to; it answers from its kernel's script."""

    def __init__(self, kernel: "FakeKernel", protocol: int, port_id: int) -> None:
        self.kernel = kernel
        self.protocol = protocol
        self.port_id = port_id
        self.options: Dict[Tuple[int, int], int] = {}
        self.groups: List[int] = []
        self.bound: Optional[Tuple[int, int]] = None
        self.timeout: Optional[float] = None
        self.sent: List[bytes] = []
        self.inbox: Deque[Item] = collections.deque()
        self.closed = False

    def _check_open(self) -> None:
        if self.closed:
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def setsockopt(self, level: int, option: int, value: int) -> None:
        self._check_open()
        if (level, option) in self.kernel.refused_options:
            raise OSError(errno.ENOPROTOOPT, os.strerror(errno.ENOPROTOOPT))
        if level == socket.SOL_SOCKET and option in (SO_SNDBUFFORCE, SO_RCVBUFFORCE):
            if not self.kernel.root:
                raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))
            option = socket.SO_SNDBUF if option == SO_SNDBUFFORCE else socket.SO_RCVBUF
        elif level == socket.SOL_SOCKET and option in (socket.SO_SNDBUF, socket.SO_RCVBUF):
            value = min(value, self.kernel.mem_max)  # net.core.[rw]mem_max caps the plain one
        if level == SOL_NETLINK and option == NETLINK_ADD_MEMBERSHIP:
            self.groups.append(value)
        if level == SOL_NETLINK and option == NETLINK_DROP_MEMBERSHIP:
            self.groups.remove(value)
        self.options[(level, option)] = value

    def getsockopt(self, level: int, option: int) -> int:
        self._check_open()
        if level == socket.SOL_SOCKET and option in (socket.SO_SNDBUF, socket.SO_RCVBUF):
            return 2 * self.options.get((level, option), DEFAULT_BUF)  # Linux doubles it
        return self.options.get((level, option), 0)

    def bind(self, address: Tuple[int, int]) -> None:
        self._check_open()
        self.bound = address

    def getsockname(self) -> Tuple[int, int]:
        self._check_open()
        return (self.port_id, 0)

    def settimeout(self, value: Optional[float]) -> None:
        self.timeout = value

    def sendto(self, data: bytes, address: Tuple[int, int]) -> int:
        self._check_open()
        if self.kernel.send_error is not None:
            raise self.kernel.send_error
        self.sent.append(bytes(data))
        self.kernel.receive(self, bytes(data))
        return len(data)

    def recvmsg_into(
        self, buffers: Sequence[bytearray], ancbufsize: int = 0, flags: int = 0
    ) -> Tuple[int, list, int, Tuple[int, int]]:
        self._check_open()
        if not self.inbox:
            wait = self.timeout if self.timeout is not None else float("inf")
            if wait > self.kernel.max_wait:
                raise AssertionError(
                    "nltest: the test waits %.1f s for a reply nobody scripted (requests so "
                    "far: %r)" % (wait, [(m.type, m.seq) for m in self.kernel.requests])
                )
            time.sleep(wait)
            raise timeout()
        item = self.inbox.popleft()
        if isinstance(item, BaseException):
            raise item
        gram = item if isinstance(item, Datagram) else Datagram(item)
        buf = buffers[0]
        nbytes = min(len(buf), len(gram.data))
        buf[:nbytes] = gram.data[:nbytes]
        msg_flags = gram.flags | (socket.MSG_TRUNC if len(gram.data) > len(buf) else 0)
        return nbytes, [], msg_flags, gram.address

    def close(self) -> None:
        self.closed = True


class FakeKernel:
    """The socket factory: opens `FakeSocket`s, records requests, answers them."""

    def __init__(self, handler: Optional[Handler] = None, root: bool = True) -> None:
        self.handler = handler
        self.root = root  # False: SO_*BUFFORCE fail with EPERM as for an unprivileged user
        self.mem_max = DEFAULT_BUF
        self.max_wait = 1.0  # longest socket timeout a test may sit out (seconds)
        self.refused_options: set = set()  # (level, option) pairs setsockopt refuses
        self.send_error: Optional[OSError] = None  # raised by every sendto when set
        self.sockets: List[FakeSocket] = []
        self.protocols: List[int] = []
        self.datagrams: List[bytes] = []  # every datagram sent, in order
        self.requests: List[Message] = []  # every message of them, as sent

    def __call__(self, protocol: int) -> FakeSocket:
        self.protocols.append(protocol)
        sock = FakeSocket(self, protocol, PORT_ID + len(self.sockets))
        self.sockets.append(sock)
        return sock

    @property
    def socket(self) -> FakeSocket:
        """The socket opened last (the one in use after a reopen)."""
        return self.sockets[-1]

    @property
    def port_id(self) -> int:
        return self.socket.port_id

    def receive(self, sock: FakeSocket, data: bytes) -> None:
        """A datagram from ``sock``: record its messages, queue the handler's answers."""
        self.datagrams.append(data)
        for msg in codec.iter_messages(data):
            self.requests.append(msg)
            if self.handler is not None:
                sock.inbox.extend(self.handler(msg))

    def push(self, *items: Item) -> None:
        """Queue items on the current socket, delivered whatever it sends."""
        self.socket.inbox.extend(items)

    # ------------------------------------------------------------------ reply builders

    def message(
        self,
        req: Optional[Message],
        msg_type: int,
        payload: bytes = b"",
        flags: int = 0,
        seq: Optional[int] = None,
        pid: Optional[int] = None,
    ) -> bytes:
        """One message answering ``req`` (its seq, our port id), or a notification (req None:
        seq and pid 0 unless given)."""
        if seq is None:
            seq = req.seq if req is not None else 0
        if pid is None:
            pid = self.port_id if req is not None else 0
        return codec.pack_message(msg_type, flags, seq, payload, pid)

    def ack(self, req: Message, **kw: int) -> bytes:
        """The ACK Linux sends: error 0, the request's header only, NLM_F_CAPPED."""
        return self.message(req, NLMSG_ERROR, _S32.pack(0) + echoed(req, True), NLM_F_CAPPED, **kw)

    def error(
        self,
        req: Message,
        err: int,
        msg: str = "",
        offset: Optional[int] = None,
        capped: bool = False,
        **kw: int,
    ) -> bytes:
        """An errno answer: the request echoed (header only when capped), then ext-ACK TLVs."""
        ext = tlvs(msg, offset)
        flags = (NLM_F_CAPPED if capped else 0) | (NLM_F_ACK_TLVS if ext else 0)
        payload = _S32.pack(-err) + echoed(req, capped) + ext
        return self.message(req, NLMSG_ERROR, payload, flags, **kw)

    def done(self, req: Message, err: int = 0, msg: str = "", flags: int = 0, **kw: int) -> bytes:
        """NLMSG_DONE ending a dump: the dump's errno (negative) and, with text, its TLV."""
        ext = tlvs(msg)
        flags |= NLM_F_MULTI | (NLM_F_ACK_TLVS if ext else 0)
        return self.message(req, NLMSG_DONE, _S32.pack(-err) + ext, flags, **kw)

    def replay(self, req: Message, captured: bytes) -> bytes:
        """A captured datagram made an answer to ``req``: every header's nlmsg_seq and
        nlmsg_pid rewritten (to the request's seq, our port id); nothing else touched."""
        out = bytearray(captured)
        offset = 0
        for msg in codec.iter_messages(captured):
            struct.pack_into("=II", out, offset + 8, req.seq, self.port_id)
            offset += codec.align(codec.NLMSGHDR.size + len(msg.payload))
        return bytes(out)

    def multipart(
        self,
        req: Message,
        msg_type: int,
        payloads: Iterable[bytes],
        err: int = 0,
        msg: str = "",
        intr: str = "",
        per_datagram: Optional[int] = None,
    ) -> List[bytes]:
        """A dump's answer: NLM_F_MULTI parts then NLMSG_DONE, as datagrams.

        ``intr``: "all" flags every message NLM_F_DUMP_INTR, "done" only the NLMSG_DONE (the
        kernel checks consistency again when it writes NLMSG_DONE). ``per_datagram``: split
        the answer over datagrams of that many messages (default: one datagram).
        """
        part_flags = NLM_F_MULTI | (NLM_F_DUMP_INTR if intr == "all" else 0)
        parts = [self.message(req, msg_type, p, part_flags) for p in payloads]
        parts.append(self.done(req, err, msg, NLM_F_DUMP_INTR if intr else 0))
        step = per_datagram or len(parts)
        return [b"".join(parts[i : i + step]) for i in range(0, len(parts), step)]


def request(seq: int, msg_type: int = 0x10, flags: int = 0, payload: bytes = b"") -> Message:
    """A request as NetlinkSocket sends it (port id 0 in the header), to build replies to it
    before it is sent (``kernel.push`` scripts)."""
    return Message(msg_type, flags, seq, 0, payload)
