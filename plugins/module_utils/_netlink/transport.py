# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the netlink socket.

`NetlinkSocket` numbers every request and checks every reply: the sender is the kernel, the
port id is ours, the sequence number is one we sent, errors (``NLMSG_ERROR``) are told apart
from ACKs, dumps run until ``NLMSG_DONE`` and are restarted when interrupted
(``NLM_F_DUMP_INTR``) or overrun (``ENOBUFS``). The kernel's extended-ACK text is asked for
and kept in the `NetlinkError` it raises.
"""

from __future__ import annotations

import errno
import socket
import struct
import time
from typing import Any, Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, errors, uapi
from ansible_collections.linux.netlink.plugins.module_utils._netlink import netns as _netns

AF_NETLINK = getattr(socket, "AF_NETLINK", 16)
SO_SNDBUFFORCE = 32  # asm-generic/socket.h: root may exceed net.core.wmem_max
SO_RCVBUFFORCE = 33
_S32 = struct.Struct("=i")
# Receive-buffer cost of one answer beyond the request it may echo: each ACK or error is its
# own skb (about 830 bytes of truesize for an ACK, measured on Linux 6.18).
_ANSWER_COST = 1024

# struct nlmsgerr is followed by these TLVs when NLM_F_ACK_TLVS is set (enum nlmsgerr_attrs)
NLMSGERR = codec.AttrSet(
    "NLMSGERR_ATTR_",
    (
        codec.Attr(uapi.NLMSGERR_ATTR_MSG, "NLMSGERR_ATTR_MSG", codec.STRZ),
        codec.Attr(uapi.NLMSGERR_ATTR_OFFS, "NLMSGERR_ATTR_OFFS", codec.U32),
    ),
)

SocketFactory = Callable[[int], Any]


def parse_error(msg: codec.Message, command: str) -> Optional[errors.NetlinkError]:
    """Read an NLMSG_ERROR message: None for an ACK, else the kernel's error."""
    payload = msg.payload
    if len(payload) < 4 + uapi.NLMSG_HDRLEN:
        raise errors.ProtocolError(
            "%s: NLMSG_ERROR of %d bytes is truncated" % (command, len(payload))
        )
    (error,) = _S32.unpack_from(payload)
    if error == 0:
        return None
    request_len = codec.NLMSGHDR.unpack_from(payload, 4)[0]
    if msg.flags & uapi.NLM_F_CAPPED:
        request_len = uapi.NLMSG_HDRLEN
    tlv_offset = 4 + codec.align(min(max(request_len, uapi.NLMSG_HDRLEN), len(payload) - 4))
    request = payload[4 + uapi.NLMSG_HDRLEN : 4 + max(request_len, uapi.NLMSG_HDRLEN)]
    ext: Dict[str, Any] = {}
    if msg.flags & uapi.NLM_F_ACK_TLVS:
        ext = codec.decode(NLMSGERR, payload, tlv_offset)
    return errors.NetlinkError(-error, command, ext.get("msg", ""), request, ext.get("offs"))


class Outcome(NamedTuple):
    """What the kernel answered to one request of a batch."""

    messages: List[codec.Message]
    error: Optional[errors.NetlinkError]


class _Pending:
    __slots__ = ("messages", "error", "done", "interrupted")

    def __init__(self) -> None:
        self.messages: List[codec.Message] = []
        self.error: Optional[errors.NetlinkError] = None
        self.done = False
        self.interrupted = False


class _Overrun(Exception):
    """ENOBUFS: the kernel dropped replies because our receive buffer was full."""


class NetlinkSocket:
    """A netlink socket for one protocol, optionally opened in another network namespace."""

    def __init__(
        self,
        protocol: int,
        netns: Optional[str] = None,
        timeout: float = 30.0,
        rcvbuf: int = 4 << 20,
        sndbuf: int = 4 << 20,
        cap_ack: bool = False,
        socket_factory: Optional[SocketFactory] = None,
    ) -> None:
        self.protocol = protocol
        self.netns = netns
        self.timeout = timeout
        self._rcvbuf = rcvbuf
        self._sndbuf = sndbuf
        self._cap_ack = cap_ack
        self._factory = socket_factory or self._real_socket
        self._seq = 0
        self._events: List[codec.Message] = []
        self._groups: List[int] = []
        self._buf = bytearray(1 << 20)
        self._sock: Any = None
        self._open()

    # ------------------------------------------------------------------ lifecycle

    def _real_socket(self, protocol: int) -> socket.socket:
        with _netns.entered(self.netns):
            return socket.socket(AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, protocol)

    def _open(self) -> None:
        sock = self._factory(self.protocol)
        try:
            self._configure(sock)
        except BaseException:
            sock.close()
            raise
        self._sock = sock

    def _configure(self, sock: Any) -> None:
        options = ((uapi.NETLINK_EXT_ACK, 1), (uapi.NETLINK_CAP_ACK, int(self._cap_ack)))
        for option, value in options:
            try:
                sock.setsockopt(uapi.SOL_NETLINK, option, value)
            except OSError:
                pass  # older kernels: errors simply come without the kernel's text
        self._set_buffer(sock, SO_RCVBUFFORCE, socket.SO_RCVBUF, self._rcvbuf)
        self._set_buffer(sock, SO_SNDBUFFORCE, socket.SO_SNDBUF, self._sndbuf)
        sock.bind((0, 0))
        self.port_id = sock.getsockname()[0]
        for group in self._groups:
            sock.setsockopt(uapi.SOL_NETLINK, uapi.NETLINK_ADD_MEMBERSHIP, group)
        # The kernel refuses a datagram longer than its send buffer (less a small overhead).
        self.max_datagram = max(
            16 << 10, min(1 << 20, sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2)
        )
        # The answers to one datagram must fit our receive buffer, or the kernel drops them
        # (ENOBUFS): half of it, leaving room for notifications.
        self._answer_room = sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) // 2

    @staticmethod
    def _set_buffer(sock: Any, forced: int, plain: int, size: int) -> None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, forced, size)
        except OSError:  # not root: the plain option, capped by net.core.[rw]mem_max
            sock.setsockopt(socket.SOL_SOCKET, plain, size)

    def reopen(self) -> None:
        """Start over on a new socket (after replies were lost)."""
        self.close()
        self._open()

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> "NetlinkSocket":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_membership(self, group: int) -> None:
        """Join a multicast group; its notifications are read with `recv_events`."""
        self._sock.setsockopt(uapi.SOL_NETLINK, uapi.NETLINK_ADD_MEMBERSHIP, group)
        self._groups.append(group)

    # ------------------------------------------------------------------ requests

    def request(
        self, msg_type: int, payload: bytes, flags: int = 0, command: str = ""
    ) -> List[codec.Message]:
        """Send one request, wait for its ACK; return the replies that came before it."""
        (outcome,) = self.transact([(msg_type, flags, payload)], command)
        if outcome.error is not None:
            raise outcome.error
        return outcome.messages

    def dump(
        self, msg_type: int, payload: bytes, flags: int = 0, command: str = "", retries: int = 5
    ) -> List[codec.Message]:
        """Run a dump to NLMSG_DONE; restart it when interrupted or overrun."""
        why = ""
        flags |= uapi.NLM_F_REQUEST | uapi.NLM_F_DUMP
        for _attempt in range(retries + 1):
            seq = self._next_seq()
            data = codec.pack_message(msg_type, flags, seq, payload)
            pending = {seq: _Pending()}
            try:
                self._send(data)
                self._collect(pending, command, dump=True)
            except _Overrun:
                why = "replies were lost (ENOBUFS)"
                self._rcvbuf *= 2
                self.reopen()
                continue
            state = pending[seq]
            if state.error is not None:
                raise state.error
            if not state.interrupted:
                return state.messages
            why = "the kernel's data changed during the dump (NLM_F_DUMP_INTR)"
        raise errors.DumpInterrupted("%s: dump failed %d times: %s" % (command, retries + 1, why))

    def transact(
        self,
        requests: Iterable[Tuple[int, int, bytes]],
        command: str = "",
        stop_on_error: bool = False,
    ) -> List[Outcome]:
        """Send many requests, as few datagrams as fit, each with its own ACK.

        Returns one `Outcome` per request sent, in order. The kernel processes every request of
        a datagram even when an earlier one failed, so callers read each outcome. Replies are
        collected after each datagram, so the receive buffer never holds more than one
        datagram's answers. With ``stop_on_error``, no datagram is sent after one that had a
        failure: fewer outcomes than requests come back, and the rest were never sent.
        """
        outcomes: List[Outcome] = []
        window: List[bytes] = []
        pending: Dict[int, _Pending] = {}
        size = cost = 0
        for msg_type, flags, payload in requests:
            seq = self._next_seq()
            flags |= uapi.NLM_F_REQUEST | uapi.NLM_F_ACK
            data = codec.pack_message(msg_type, flags, seq, payload)
            answer = len(data) + _ANSWER_COST  # an error echoes the request
            if window and (
                size + len(data) > self.max_datagram or cost + answer > self._answer_room
            ):
                flushed = self._flush(window, pending, command)
                outcomes.extend(flushed)
                if stop_on_error and any(o.error is not None for o in flushed):
                    return outcomes
                window, pending, size, cost = [], {}, 0, 0
            window.append(data)
            pending[seq] = _Pending()
            size += len(data)
            cost += answer
        if window:
            outcomes.extend(self._flush(window, pending, command))
        return outcomes

    def batch(
        self,
        requests: Sequence[Tuple[int, int, bytes]],
        head: Tuple[int, int, bytes],
        tail: Tuple[int, int, bytes],
        command: str = "",
    ) -> List[Outcome]:
        """Send ``head``, the requests and ``tail`` as ONE datagram; one `Outcome` per request.

        For families that take a datagram as a transaction (nfnetlink batches): every request
        asks for its ACK, the framing messages do not. A refusal of ``head`` itself (the
        kernel then answers nothing else) is raised as `NetlinkError`. The send buffer grows
        to fit the datagram.
        """
        head_seq = self._next_seq()
        parts = [codec.pack_message(head[0], head[1] | uapi.NLM_F_REQUEST, head_seq, head[2])]
        pending: Dict[int, _Pending] = {}
        for msg_type, flags, payload in requests:
            seq = self._next_seq()
            flags |= uapi.NLM_F_REQUEST | uapi.NLM_F_ACK
            parts.append(codec.pack_message(msg_type, flags, seq, payload))
            pending[seq] = _Pending()
        parts.append(
            codec.pack_message(tail[0], tail[1] | uapi.NLM_F_REQUEST, self._next_seq(), tail[2])
        )
        data = b"".join(parts)
        if len(data) > self.max_datagram:
            self._grow_sndbuf(len(data))
        framed = {head_seq: _Pending()}
        framed.update(pending)
        self._send(data)
        try:
            self._collect(framed, command, dump=False, abort_seq=head_seq)
        except _Overrun:
            self.reopen()
            raise errors.ProtocolError(
                "%s: replies were lost (ENOBUFS); the outcome of the batch is unknown" % command
            ) from None
        if framed[head_seq].error is not None:
            raise framed[head_seq].error  # type: ignore[misc]
        return [Outcome(p.messages, p.error) for p in pending.values()]

    def _grow_sndbuf(self, size: int) -> None:
        # netlink_sendmsg refuses a datagram longer than sk_sndbuf - 32 (EMSGSIZE); the kernel
        # doubles what is asked for.
        self._sndbuf = max(self._sndbuf, size)
        self._set_buffer(self._sock, SO_SNDBUFFORCE, socket.SO_SNDBUF, self._sndbuf)
        self.max_datagram = max(
            self.max_datagram, self._sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) - 64
        )

    def _flush(
        self, window: List[bytes], pending: Dict[int, _Pending], command: str
    ) -> List[Outcome]:
        self._send(b"".join(window))
        try:
            self._collect(pending, command, dump=False)
        except _Overrun:
            self.reopen()  # the old socket's queue is full of stale answers: it would drop more
            raise errors.ProtocolError(
                "%s: replies were lost (ENOBUFS); the outcome of %d requests is unknown"
                % (command, len(pending))
            ) from None
        return [Outcome(p.messages, p.error) for p in pending.values()]

    def recv_events(self, timeout: float) -> List[codec.Message]:
        """Multicast notifications received so far, waiting up to ``timeout`` for one."""
        if not self._events:
            try:
                self._collect({}, "events", dump=False, deadline=time.monotonic() + timeout)
            except errors.NetlinkTimeout:
                pass
        events, self._events = self._events, []
        return events

    # ------------------------------------------------------------------ plumbing

    def _next_seq(self) -> int:
        self._seq = (self._seq + 1) & 0xFFFFFFFF or 1
        return self._seq

    def _send(self, data: bytes) -> None:
        try:
            self._sock.sendto(data, (0, 0))
        except OSError as exc:
            raise errors.NetlinkError(exc.errno or errno.EIO, "sendto", "") from None

    def _recv(self, deadline: float) -> bytes:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise errors.NetlinkTimeout("no reply from the kernel within %.1f s" % self.timeout)
            self._sock.settimeout(remaining)
            try:
                nbytes, _anc, msg_flags, address = self._sock.recvmsg_into([self._buf])
            except socket.timeout:
                continue
            except InterruptedError:
                continue
            except OSError as exc:
                if exc.errno == errno.ENOBUFS:
                    raise _Overrun() from None
                raise errors.NetlinkError(exc.errno or errno.EIO, "recvmsg", "") from None
            if msg_flags & socket.MSG_TRUNC:
                raise errors.ProtocolError(
                    "a reply was larger than the %d byte buffer" % len(self._buf)
                )
            if address and address[0] != 0:
                continue  # not from the kernel: ignore what another process sent us
            return bytes(self._buf[:nbytes])

    def _collect(
        self,
        pending: Dict[int, _Pending],
        command: str,
        dump: bool,
        deadline: Optional[float] = None,
        abort_seq: Optional[int] = None,
    ) -> None:
        """Read replies until every pending request is answered (or one event arrives).

        ``abort_seq`` is a pending request that is not waited for; an answer to it (an error)
        ends the collection at once.
        """
        deadline = deadline if deadline is not None else time.monotonic() + self.timeout
        waiting = sum(1 for s, p in pending.items() if not p.done and s != abort_seq)
        want_event = not pending
        while waiting or want_event:
            for msg in codec.iter_messages(self._recv(deadline)):
                state = pending.get(msg.seq)
                if state is None:
                    if msg.seq == 0 or msg.pid != self.port_id:
                        self._events.append(msg)  # a notification, not an answer
                        want_event = False
                    elif msg.seq > self._seq:
                        raise errors.ProtocolError(
                            "%s: reply with sequence %d, never sent (last was %d)"
                            % (command, msg.seq, self._seq)
                        )
                    continue  # late answer to an earlier, abandoned request
                if msg.pid != self.port_id:
                    if self._groups:  # another process's change, seen through our groups
                        self._events.append(msg)
                        continue
                    raise errors.ProtocolError(
                        "%s: reply for port id %d, ours is %d" % (command, msg.pid, self.port_id)
                    )
                if state.done:
                    raise errors.ProtocolError(
                        "%s: reply after the end, sequence %d" % (command, msg.seq)
                    )
                if self._absorb(state, msg, command, dump):
                    state.done = True
                    if msg.seq == abort_seq:
                        if state.error is not None:
                            return
                        continue
                    waiting -= 1

    @staticmethod
    def _absorb(state: _Pending, msg: codec.Message, command: str, dump: bool) -> bool:
        """Take one reply into ``state``; True when it ends the request."""
        if msg.type == uapi.NLMSG_ERROR:
            state.error = parse_error(msg, command)
            return True
        if msg.flags & uapi.NLM_F_DUMP_INTR:
            state.interrupted = True  # the kernel may flag the NLMSG_DONE alone
        if msg.type == uapi.NLMSG_DONE:
            if len(msg.payload) >= 4:
                (error,) = _S32.unpack_from(msg.payload)
                if error < 0:
                    ext: Dict[str, Any] = {}
                    if msg.flags & uapi.NLM_F_ACK_TLVS:
                        ext = codec.decode(NLMSGERR, msg.payload, 4)
                    state.error = errors.NetlinkError(-error, command, ext.get("msg", ""))
            return True
        if msg.type == uapi.NLMSG_NOOP:
            return False
        if msg.type == uapi.NLMSG_OVERRUN:
            raise errors.ProtocolError("%s: the kernel reported NLMSG_OVERRUN" % command)
        state.messages.append(msg)
        return False
