# SPDX-License-Identifier: GPL-3.0-or-later
"""NetlinkSocket against the scripted kernel of nltest: every path a reply can take."""

from __future__ import annotations

import errno
import socket

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (
    DumpInterrupted,
    Error,
    NetlinkError,
    NetlinkTimeout,
    ProtocolError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
    parse_error,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_ADD_MEMBERSHIP,
    NETLINK_CAP_ACK,
    NETLINK_EXT_ACK,
    NETLINK_GENERIC,
    NETLINK_ROUTE,
    NLM_F_ACK,
    NLM_F_DUMP,
    NLM_F_REQUEST,
    NLMSG_ERROR,
    NLMSG_NOOP,
    NLMSG_OVERRUN,
    SOL_NETLINK,
)

from . import nltest

RTM_NEWLINK, RTM_GETLINK = 16, 18
SO_RCVBUFFORCE, SO_SNDBUFFORCE = 33, 32


def answer_with(kernel, build):
    """Handler: every request is answered by ``build(req)`` (a list of items)."""
    kernel.handler = build


def acks(kernel):
    answer_with(kernel, lambda req: [kernel.ack(req)])


# --------------------------------------------------------------------------- opening


def test_open_sets_options_binds_and_reads_port_id(kernel, sock):
    fake = kernel.socket
    assert kernel.protocols == [NETLINK_ROUTE]
    assert fake.options[(SOL_NETLINK, NETLINK_EXT_ACK)] == 1
    assert fake.options[(SOL_NETLINK, NETLINK_CAP_ACK)] == 0
    assert fake.options[(socket.SOL_SOCKET, socket.SO_RCVBUF)] == 4 << 20  # via RCVBUFFORCE
    assert fake.bound == (0, 0)
    assert sock.port_id == nltest.PORT_ID
    assert sock.max_datagram == 1 << 20  # min(1 MiB, 2 * 4 MiB // 2)


def test_open_without_privileges_uses_plain_buffers(kernel):
    kernel.root = False
    with NetlinkSocket(NETLINK_GENERIC, socket_factory=kernel) as sock:
        assert kernel.socket.options[(socket.SOL_SOCKET, socket.SO_SNDBUF)] == nltest.DEFAULT_BUF
        assert sock.max_datagram == nltest.DEFAULT_BUF  # 2 * wmem_max // 2


def test_open_on_a_kernel_without_ext_ack(kernel):
    kernel.refused_options = {(SOL_NETLINK, NETLINK_EXT_ACK), (SOL_NETLINK, NETLINK_CAP_ACK)}
    with NetlinkSocket(NETLINK_ROUTE, socket_factory=kernel) as sock:
        assert sock.port_id == nltest.PORT_ID


def test_cap_ack_option(kernel):
    with NetlinkSocket(NETLINK_ROUTE, cap_ack=True, socket_factory=kernel):
        assert kernel.socket.options[(SOL_NETLINK, NETLINK_CAP_ACK)] == 1


def test_close_and_context_manager(kernel):
    with NetlinkSocket(NETLINK_ROUTE, socket_factory=kernel) as sock:
        pass
    assert kernel.socket.closed
    sock.close()  # twice is fine


# --------------------------------------------------------------------------- request / ACK


def test_request_ack(kernel, sock):
    acks(kernel)
    assert sock.request(RTM_NEWLINK, b"\x01\x02\x03\x04", flags=0x400) == []
    assert kernel.requests == [
        codec.Message(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | 0x400, 1, 0, b"\x01\x02\x03\x04")
    ]
    assert kernel.datagrams == [
        bytes.fromhex(
            "14000000"  # nlmsg_len 20
            "1000"  # RTM_NEWLINK
            "0504"  # NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE
            "01000000"  # seq 1
            "00000000"  # pid 0: the kernel fills in ours
            "01020304"  # payload
        )
    ]


def test_sequence_numbers_count_up(kernel, sock):
    acks(kernel)
    for _ in range(3):
        sock.request(RTM_NEWLINK, b"")
    assert [m.seq for m in kernel.requests] == [1, 2, 3]


def test_data_reply_then_ack(kernel, sock):
    answer_with(
        kernel,
        lambda req: [kernel.message(req, RTM_NEWLINK, b"link") + kernel.ack(req)],
    )
    (reply,) = sock.request(RTM_GETLINK, b"")
    assert reply == codec.Message(RTM_NEWLINK, 0, 1, nltest.PORT_ID, b"link")


def test_data_reply_and_ack_in_separate_datagrams(kernel, sock):
    answer_with(kernel, lambda req: [kernel.message(req, RTM_NEWLINK, b"a"), kernel.ack(req)])
    assert [m.payload for m in sock.request(RTM_GETLINK, b"")] == [b"a"]


def test_noop_is_skipped(kernel, sock):
    answer_with(kernel, lambda req: [kernel.message(req, NLMSG_NOOP), kernel.ack(req)])
    assert sock.request(RTM_GETLINK, b"") == []


def test_overrun_message_raises(kernel, sock):
    answer_with(kernel, lambda req: [kernel.message(req, NLMSG_OVERRUN)])
    with pytest.raises(ProtocolError, match="^RTM_GETLINK: the kernel reported NLMSG_OVERRUN$"):
        sock.request(RTM_GETLINK, b"", command="RTM_GETLINK")


# --------------------------------------------------------------------------- errors


def test_error_with_ext_ack_message_and_offset(kernel, sock):
    answer_with(
        kernel,
        lambda req: [kernel.error(req, errno.EINVAL, "Attribute failed policy validation", 20)],
    )
    with pytest.raises(NetlinkError) as exc:
        sock.request(RTM_NEWLINK, b"\0" * 16 + b"\x08\x00\x03\x00abc\0", command="RTM_NEWLINK")
    err = exc.value
    assert (err.errno, err.command, err.message, err.offset) == (
        errno.EINVAL,
        "RTM_NEWLINK",
        "Attribute failed policy validation",
        20,
    )
    assert err.request == b"\0" * 16 + b"\x08\x00\x03\x00abc\0"
    assert str(err) == "RTM_NEWLINK: Attribute failed policy validation (EINVAL)"


def test_error_keeps_the_echoed_request(kernel, sock):
    payload = bytes(range(1, 30))  # not a multiple of 4: the echo is cut at nlmsg_len
    answer_with(kernel, lambda req: [kernel.error(req, errno.EEXIST)])
    with pytest.raises(NetlinkError) as exc:
        sock.request(0x0602, payload)
    assert exc.value.request == payload
    assert (exc.value.message, exc.value.offset) == ("", None)
    assert str(exc.value) == "File exists (EEXIST)"


def test_capped_error_has_no_request_but_keeps_its_text(kernel, sock):
    answer_with(
        kernel, lambda req: [kernel.error(req, errno.ENODEV, "no such device", 16, capped=True)]
    )
    with pytest.raises(NetlinkError) as exc:
        sock.request(RTM_NEWLINK, b"\xff" * 40)
    assert exc.value.request == b""
    assert (exc.value.errno, exc.value.message, exc.value.offset) == (
        errno.ENODEV,
        "no such device",
        16,
    )


def test_capped_error_without_tlvs(kernel, sock):
    answer_with(kernel, lambda req: [kernel.error(req, errno.EBUSY, capped=True)])
    with pytest.raises(NetlinkError) as exc:
        sock.request(RTM_NEWLINK, b"\xff" * 8)
    assert (exc.value.errno, exc.value.request, exc.value.message) == (errno.EBUSY, b"", "")


# captured: Linux 6.18.44 answering `ip link add d0 mtu 10 type dummy` (iproute2-6.1.0, in
# `unshare -n`, strace 6.1 recvmsg): EOPNOTSUPP, the request echoed, an NLMSGERR_ATTR_MSG.
IP_LINK_ADD_ERROR = bytes.fromhex(
    "6c000000"  # nlmsg_len 108
    "0200"  # NLMSG_ERROR
    "0002"  # NLM_F_ACK_TLVS
    "b5c20a6b"  # nlmsg_seq
    "99180000"  # nlmsg_pid (ip's port id)
    "a1ffffff"  # error = -95 (EOPNOTSUPP)
    "40000000"  # . echoed nlmsg_len 64
    "1000"  # . RTM_NEWLINK
    "0506"  # . NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE
    "b5c20a6b"  # . nlmsg_seq
    "00000000"  # . nlmsg_pid
    "00000000000000000000000000000000"  # . struct ifinfomsg
    "08000400"  # . IFLA_MTU
    "0a000000"  # . 10
    "07000300"  # . IFLA_IFNAME
    "64300000"  # . "d0\0", pad
    "10001200"  # . IFLA_LINKINFO
    "09000100"  # . . IFLA_INFO_KIND
    "64756d6d79000000"  # . . "dummy", pad
    "18000100"  # nla_len 24, NLMSGERR_ATTR_MSG
    "556e6b6e6f776e206465766963652074797065"  # "Unknown device type"
    "00"  # NUL
)


def test_captured_error_with_echo_and_ext_ack():
    (msg,) = codec.iter_messages(IP_LINK_ADD_ERROR)
    err = parse_error(msg, "RTM_NEWLINK")
    assert (err.errno, err.message, err.offset) == (errno.EOPNOTSUPP, "Unknown device type", None)
    assert err.request == IP_LINK_ADD_ERROR[36:84]  # ifinfomsg and the three attributes
    # Python names errno 95 ENOTSUP, its alias of EOPNOTSUPP on Linux
    assert str(err) == "RTM_NEWLINK: Unknown device type (%s)" % errno.errorcode[95]


def test_captured_error_through_the_socket(kernel, sock):
    answer_with(kernel, lambda req: [kernel.replay(req, IP_LINK_ADD_ERROR)])
    with pytest.raises(NetlinkError, match=r"^RTM_NEWLINK: Unknown device type \(E"):
        sock.request(RTM_NEWLINK, b"", command="RTM_NEWLINK")


def test_truncated_error_message(kernel, sock):
    answer_with(kernel, lambda req: [kernel.message(req, NLMSG_ERROR, b"\xfe\xff\xff\xff")])
    with pytest.raises(ProtocolError, match="^CMD: NLMSG_ERROR of 4 bytes is truncated$"):
        sock.request(RTM_NEWLINK, b"", command="CMD")


def test_ack_with_tlvs_is_still_an_ack(kernel, sock):
    # the kernel may attach a warning (NLMSGERR_ATTR_MSG) to a successful request
    def build(req):
        payload = b"\0\0\0\0" + nltest.echoed(req, True) + nltest.tlvs("warning")
        return [kernel.message(req, NLMSG_ERROR, payload, 0x300)]

    answer_with(kernel, build)
    assert sock.request(RTM_NEWLINK, b"") == []


@pytest.mark.parametrize(
    "err, command, message, text",
    [
        (
            errno.EPERM,
            "RTM_NEWLINK",
            "",
            "RTM_NEWLINK: operation not permitted: needs CAP_NET_ADMIN (use become: true) (EPERM)",
        ),
        (
            errno.EACCES,
            "",
            "",
            "permission denied: needs CAP_NET_ADMIN (use become: true) (EACCES)",
        ),
        (
            errno.ENOENT,
            "CTRL_CMD_GETFAMILY",
            "",
            "CTRL_CMD_GETFAMILY: No such file or directory (ENOENT)",
        ),
        (errno.EPERM, "X", "kernel words", "X: kernel words (EPERM)"),
        (4097, "IPSET_CMD_CREATE", "", "IPSET_CMD_CREATE: Unknown error 4097 (4097)"),
    ],
)
def test_netlink_error_str(err, command, message, text):
    exc = NetlinkError(err, command, message)
    assert str(exc) == text
    assert exc.args == (text,)
    assert isinstance(exc, Error)


def test_eperm_reply_reads_as_a_capability_hint(kernel, sock):
    answer_with(kernel, lambda req: [kernel.error(req, errno.EPERM)])
    with pytest.raises(NetlinkError, match="needs CAP_NET_ADMIN"):
        sock.request(RTM_NEWLINK, b"", command="RTM_NEWLINK")


# --------------------------------------------------------------------------- dumps


def links(n):
    return [b"link%d" % i for i in range(n)]


def test_dump_collects_parts_until_done(kernel, sock):
    answer_with(kernel, lambda req: kernel.multipart(req, RTM_NEWLINK, links(3)))
    got = sock.dump(RTM_GETLINK, b"\0" * 16, command="RTM_GETLINK")
    assert [m.payload for m in got] == links(3)
    (req,) = kernel.requests
    assert req.flags == NLM_F_REQUEST | NLM_F_DUMP  # no NLM_F_ACK: NLMSG_DONE ends a dump


def test_dump_split_over_several_datagrams(kernel, sock):
    answer_with(kernel, lambda req: kernel.multipart(req, RTM_NEWLINK, links(5), per_datagram=2))
    assert [m.payload for m in sock.dump(RTM_GETLINK, b"")] == links(5)
    assert len(kernel.socket.inbox) == 0


def test_empty_dump(kernel, sock):
    answer_with(kernel, lambda req: kernel.multipart(req, RTM_NEWLINK, []))
    assert sock.dump(RTM_GETLINK, b"") == []


def test_dump_done_carries_errno_and_text(kernel, sock):
    answer_with(
        kernel,
        lambda req: kernel.multipart(req, RTM_NEWLINK, links(1), err=errno.EMSGSIZE, msg="big"),
    )
    with pytest.raises(NetlinkError) as exc:
        sock.dump(RTM_GETLINK, b"", command="RTM_GETLINK")
    assert (exc.value.errno, exc.value.message) == (errno.EMSGSIZE, "big")
    assert str(exc.value) == "RTM_GETLINK: big (EMSGSIZE)"


def test_dump_done_carries_errno_without_text(kernel, sock):
    answer_with(kernel, lambda req: [kernel.done(req, errno.ENOENT)])
    with pytest.raises(NetlinkError) as exc:
        sock.dump(RTM_GETLINK, b"")
    assert (exc.value.errno, exc.value.message) == (errno.ENOENT, "")


def test_dump_refused_at_start_with_nlmsg_error(kernel, sock):
    answer_with(kernel, lambda req: [kernel.error(req, errno.EOPNOTSUPP)])
    with pytest.raises(NetlinkError) as exc:
        sock.dump(RTM_GETLINK, b"")
    assert exc.value.errno == errno.EOPNOTSUPP


def test_dump_done_without_errno_field(kernel, sock):
    # some old families end a dump with an empty NLMSG_DONE
    answer_with(kernel, lambda req: [kernel.message(req, 3, b"", 2)])
    assert sock.dump(RTM_GETLINK, b"") == []


@pytest.mark.parametrize("intr", ["all", "done"])
def test_dump_interrupted_is_retried_then_succeeds(kernel, sock, intr):
    def build(req):
        first = len(kernel.requests) == 1
        return kernel.multipart(req, RTM_NEWLINK, links(2 if first else 3), intr=intr * first)

    answer_with(kernel, build)
    assert [m.payload for m in sock.dump(RTM_GETLINK, b"")] == links(3)
    assert [m.seq for m in kernel.requests] == [1, 2]


@pytest.mark.parametrize("intr", ["all", "done"])
def test_dump_always_interrupted(kernel, sock, intr):
    answer_with(kernel, lambda req: kernel.multipart(req, RTM_NEWLINK, links(1), intr=intr))
    with pytest.raises(DumpInterrupted) as exc:
        sock.dump(RTM_GETLINK, b"", command="RTM_GETLINK", retries=2)
    assert str(exc.value) == (
        "RTM_GETLINK: dump failed 3 times: "
        "the kernel's data changed during the dump (NLM_F_DUMP_INTR)"
    )
    assert len(kernel.requests) == 3
    assert isinstance(exc.value, ProtocolError)


def test_dump_enobufs_reopens_and_retries(kernel, sock):
    sock.add_membership(5)

    def build(req):
        if len(kernel.requests) == 1:
            return [nltest.enobufs()]
        return kernel.multipart(req, RTM_NEWLINK, links(2))

    answer_with(kernel, build)
    assert [m.payload for m in sock.dump(RTM_GETLINK, b"")] == links(2)
    first, second = kernel.sockets
    assert first.closed and not second.closed
    assert sock.port_id == second.port_id == nltest.PORT_ID + 1
    assert second.options[(socket.SOL_SOCKET, socket.SO_RCVBUF)] == 8 << 20  # doubled
    assert second.groups == [5]  # memberships survive the reopen
    assert [m.seq for m in kernel.requests] == [1, 2]


def test_dump_enobufs_every_time(kernel, sock):
    answer_with(kernel, lambda req: [nltest.enobufs()])
    with pytest.raises(DumpInterrupted) as exc:
        sock.dump(RTM_GETLINK, b"", command="RTM_GETLINK", retries=1)
    assert str(exc.value) == "RTM_GETLINK: dump failed 2 times: replies were lost (ENOBUFS)"
    assert len(kernel.sockets) == 3


# --------------------------------------------------------------------------- transact


def test_transact_splits_into_datagrams_and_reports_each_outcome(kernel):
    failing = 20

    def build(req):
        if req.seq == failing:
            return [kernel.error(req, errno.EEXIST)]
        return [kernel.ack(req)]

    kernel.handler = build
    with NetlinkSocket(NETLINK_ROUTE, sndbuf=16 << 10, socket_factory=kernel) as sock:
        assert sock.max_datagram == 16 << 10
        requests = [(RTM_NEWLINK, 0, bytes([i]) * 1000) for i in range(40)]
        outcomes = sock.transact(requests, "RTM_NEWLINK")
    assert len(outcomes) == 40
    assert [i for i, o in enumerate(outcomes, 1) if o.error is not None] == [failing]
    assert outcomes[failing - 1].error.request == bytes([failing - 1]) * 1000
    sizes = [len(nltest.split(d)) for d in kernel.datagrams]
    assert sizes == [16, 16, 8]  # 16 messages of 1016 bytes fit 16 KiB
    assert all(len(d) <= 16 << 10 for d in kernel.datagrams)
    assert [m.seq for m in kernel.requests] == list(range(1, 41))


def test_transact_stop_on_error_sends_no_further_datagram(kernel):
    kernel.handler = lambda req: [
        kernel.error(req, errno.ENOENT) if req.seq == 3 else kernel.ack(req)
    ]
    with NetlinkSocket(NETLINK_ROUTE, sndbuf=16 << 10, socket_factory=kernel) as sock:
        requests = [(RTM_NEWLINK, 0, b"\0" * 1000) for _ in range(40)]
        outcomes = sock.transact(requests, "X", stop_on_error=True)
    assert len(outcomes) == 16  # the first datagram, in which request 3 failed
    assert [o.error is not None for o in outcomes].count(True) == 1
    assert len(kernel.datagrams) == 1


def test_transact_window_fits_the_answers_in_the_receive_buffer(kernel):
    # Each ACK takes ~830 bytes of receive buffer on Linux 6.x whatever the request's size:
    # many small requests in one datagram overflowed it (ENOBUFS) before the window counted
    # the answers too.
    acks(kernel)
    with NetlinkSocket(NETLINK_ROUTE, rcvbuf=64 << 10, socket_factory=kernel) as sock:
        outcomes = sock.transact([(RTM_NEWLINK, 0, b"\0" * 16)] * 200)
    assert len(outcomes) == 200 and all(o.error is None for o in outcomes)
    sizes = [len(nltest.split(d)) for d in kernel.datagrams]
    assert sum(sizes) == 200
    assert max(sizes) * (32 + 830) <= 128 << 10  # answers fit the (doubled) 64 KiB buffer


def test_transact_nothing(kernel, sock):
    assert sock.transact([]) == []
    assert kernel.datagrams == []


def test_transact_data_replies_in_order(kernel, sock):
    answer_with(
        kernel,
        lambda req: [kernel.message(req, RTM_NEWLINK, req.payload * 2), kernel.ack(req)],
    )
    outcomes = sock.transact([(RTM_GETLINK, 0, b"a"), (RTM_GETLINK, 0, b"b")])
    assert [[m.payload for m in o.messages] for o in outcomes] == [[b"aa"], [b"bb"]]
    assert len(kernel.datagrams) == 1


def test_transact_enobufs_is_a_protocol_error_and_reopens(kernel, sock):
    answer_with(kernel, lambda req: [kernel.ack(req), nltest.enobufs()] if req.seq == 1 else [])
    with pytest.raises(ProtocolError) as exc:
        sock.transact([(RTM_NEWLINK, 0, b"")] * 3, "RTM_NEWLINK")
    assert str(exc.value) == (
        "RTM_NEWLINK: replies were lost (ENOBUFS); the outcome of 3 requests is unknown"
    )
    # The old socket's queue is full of stale answers; the next request gets a fresh socket.
    assert kernel.sockets[0].closed and len(kernel.sockets) == 2
    acks(kernel)
    assert sock.request(RTM_NEWLINK, b"") == []


# --------------------------------------------------------------------------- checks


def test_stale_reply_from_an_earlier_request_is_skipped(kernel):
    with NetlinkSocket(NETLINK_ROUTE, timeout=0.05, socket_factory=kernel) as sock:
        with pytest.raises(NetlinkTimeout):
            sock.request(RTM_NEWLINK, b"")  # seq 1 never answered in time
        answer_with(kernel, lambda req: [kernel.ack(nltest.request(1)), kernel.ack(req)])
        assert sock.request(RTM_NEWLINK, b"") == []


def test_reply_with_a_sequence_never_sent(kernel, sock):
    answer_with(kernel, lambda req: [kernel.ack(req, seq=9)])
    with pytest.raises(ProtocolError) as exc:
        sock.request(RTM_GETLINK, b"", command="RTM_GETLINK")
    assert str(exc.value) == "RTM_GETLINK: reply with sequence 9, never sent (last was 1)"


def test_reply_for_another_port_id(kernel, sock):
    answer_with(kernel, lambda req: [kernel.ack(req, pid=7)])
    with pytest.raises(ProtocolError) as exc:
        sock.request(RTM_GETLINK, b"", command="RTM_GETLINK")
    assert str(exc.value) == "RTM_GETLINK: reply for port id 7, ours is %d" % nltest.PORT_ID


def test_notification_with_our_sequence_is_an_event_when_subscribed(kernel, sock):
    # Another process's change, multicast to our group, may carry any sequence number,
    # including one we have pending: it is an event, not the answer to our request.
    sock.add_membership(1)
    answer_with(kernel, lambda req: [kernel.ack(req, pid=7), kernel.ack(req)])
    assert sock.request(RTM_GETLINK, b"", command="RTM_GETLINK") == []
    (event,) = sock.recv_events(0.01)
    assert event.pid == 7


def test_reply_after_the_end(kernel, sock):
    answer_with(kernel, lambda req: [kernel.ack(req) + kernel.ack(req)])
    with pytest.raises(ProtocolError, match="^X: reply after the end, sequence 1$"):
        sock.request(RTM_NEWLINK, b"", command="X")


def test_datagram_from_another_process_is_ignored(kernel, sock):
    def build(req):
        forged = nltest.Datagram(kernel.error(req, errno.EPERM), address=(4242, 0))
        return [forged, kernel.ack(req)]

    answer_with(kernel, build)
    assert sock.request(RTM_NEWLINK, b"") == []


def test_truncated_datagram_flag(kernel, sock):
    answer_with(kernel, lambda req: [nltest.Datagram(kernel.ack(req), flags=socket.MSG_TRUNC)])
    with pytest.raises(ProtocolError) as exc:
        sock.request(RTM_NEWLINK, b"")
    assert str(exc.value) == "a reply was larger than the 1048576 byte buffer"


def test_datagram_larger_than_the_buffer_is_truncated(kernel, sock):
    big = (1 << 20) + 64
    answer_with(kernel, lambda req: [kernel.message(req, RTM_NEWLINK, b"\0" * big)])
    with pytest.raises(ProtocolError, match="larger than the 1048576 byte buffer"):
        sock.request(RTM_GETLINK, b"")


def test_timeout(kernel):
    with NetlinkSocket(NETLINK_ROUTE, timeout=1.0, socket_factory=kernel) as sock:
        kernel.handler = lambda req: [nltest.timeout()] * 3  # then nothing more
        with pytest.raises(NetlinkTimeout, match="^no reply from the kernel within 1.0 s$"):
            sock.request(RTM_NEWLINK, b"")


def test_socket_timeout_then_reply_within_the_deadline(kernel, sock):
    answer_with(kernel, lambda req: [nltest.timeout(), nltest.timeout(), kernel.ack(req)])
    assert sock.request(RTM_NEWLINK, b"") == []


def test_interrupted_system_call_is_retried(kernel, sock):
    answer_with(kernel, lambda req: [InterruptedError(), kernel.ack(req)])
    assert sock.request(RTM_NEWLINK, b"") == []


def test_other_receive_error(kernel, sock):
    answer_with(kernel, lambda req: [OSError(errno.ECONNREFUSED, "refused")])
    with pytest.raises(NetlinkError) as exc:
        sock.request(RTM_NEWLINK, b"")
    assert (exc.value.errno, exc.value.command) == (errno.ECONNREFUSED, "recvmsg")


def test_send_error(kernel, sock):
    kernel.send_error = OSError(errno.EMSGSIZE, "too long")
    with pytest.raises(NetlinkError) as exc:
        sock.request(RTM_NEWLINK, b"")
    assert (exc.value.errno, exc.value.command) == (errno.EMSGSIZE, "sendto")
    assert str(exc.value) == "sendto: Message too long (EMSGSIZE)"


# --------------------------------------------------------------------------- events


def test_add_membership_and_recv_events(kernel, sock):
    sock.add_membership(1)
    assert kernel.socket.options[(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP)] == 1
    event = kernel.message(None, RTM_NEWLINK, b"event")
    kernel.push(nltest.Datagram(event, address=(0, 1)))
    assert sock.recv_events(0.5) == [codec.Message(RTM_NEWLINK, 0, 0, 0, b"event")]
    assert sock.recv_events(0.05) == []  # nothing more: an empty list after the wait


def test_event_from_another_request_of_another_process(kernel, sock):
    sock.add_membership(1)
    kernel.push(kernel.message(None, RTM_NEWLINK, b"x", seq=77, pid=999))
    assert [m.pid for m in sock.recv_events(0.5)] == [999]


def test_events_arriving_during_a_request_are_kept(kernel, sock):
    sock.add_membership(1)
    answer_with(kernel, lambda req: [kernel.message(None, RTM_NEWLINK, b"ev") + kernel.ack(req)])
    assert sock.request(RTM_NEWLINK, b"") == []
    kernel.handler = None
    assert [m.payload for m in sock.recv_events(0)] == [b"ev"]  # no wait: already here
