# SPDX-License-Identifier: GPL-3.0-or-later
"""The families on top of the transport: generic netlink lookup, rtnetlink links, nfnetlink.

Fixtures are kernel replies captured on Linux 6.18.44 (x86_64, Debian 12.11) with strace 6.1
(``unshare -n strace -e trace=sendto,sendmsg,recvmsg -e read=3 -e write=3 -xx -s 65536
<cmd>``, iproute2-6.1.0), each next to the form it must decode to. Replayed through the fake
kernel, only their nlmsg_seq / nlmsg_pid are rewritten to answer our request.
"""

from __future__ import annotations

import errno

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._netlink import (
    codec,
    genetlink,
    nfnetlink,
    rtnetlink,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (
    NetlinkError,
    ProtocolError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_GENERIC,
    NLM_F_ACK,
    NLM_F_DUMP,
    NLM_F_REQUEST,
)

H = bytes.fromhex

# --------------------------------------------------------------------------- generic netlink

# Kernel 6.18.44, `genl ctrl get name nlctrl`: the CTRL_CMD_NEWFAMILY reply (136 bytes).
NLCTRL_NEWFAMILY = H(
    "88000000"  # nlmsg_len 136
    "1000"  # nlmsg_type GENL_ID_CTRL
    "0000"  # nlmsg_flags
    "b6c20a6b"  # nlmsg_seq (genl's)
    "c6180000"  # nlmsg_pid (genl's port id)
    "01"  # cmd CTRL_CMD_NEWFAMILY
    "02"  # version 2
    "0000"  # reserved
    "0b000200"  # nla_len 11, CTRL_ATTR_FAMILY_NAME
    "6e6c6374726c0000"  # "nlctrl\0", pad
    "06000100"  # nla_len 6, CTRL_ATTR_FAMILY_ID
    "10000000"  # 0x10 (u16), pad
    "08000300"  # nla_len 8, CTRL_ATTR_VERSION
    "02000000"  # 2
    "08000400"  # nla_len 8, CTRL_ATTR_HDRSIZE
    "00000000"  # 0
    "08000500"  # nla_len 8, CTRL_ATTR_MAXATTR
    "00000000"  # 0
    "2c000600"  # nla_len 44, CTRL_ATTR_OPS (not in our table: skipped)
    "14000100"  # . op 1
    "08000100"  # . . CTRL_ATTR_OP_ID
    "03000000"  # . . CTRL_CMD_GETFAMILY
    "08000200"  # . . CTRL_ATTR_OP_FLAGS
    "0e000000"  # . . GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL
    "14000200"  # . op 2
    "08000100"  # . . CTRL_ATTR_OP_ID
    "0a000000"  # . . CTRL_CMD_GETPOLICY
    "08000200"  # . . CTRL_ATTR_OP_FLAGS
    "0c000000"  # . . GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL
    "1c000700"  # nla_len 28, CTRL_ATTR_MCAST_GROUPS
    "18000100"  # . group 1
    "08000200"  # . . nla_len 8, CTRL_ATTR_MCAST_GRP_ID
    "10000000"  # . . 0x10
    "0b000100"  # . . nla_len 11, CTRL_ATTR_MCAST_GRP_NAME
    "6e6f746966790000"  # . . "notify\0", pad
)
NLCTRL_DECODED = {
    "family_name": "nlctrl",
    "family_id": 16,
    "version": 2,
    "hdrsize": 0,
    "maxattr": 0,
    "mcast_groups": [{"id": 16, "name": "notify"}],
}

# Kernel 6.18.44, `genl ctrl get name nosuchfam`: the answer, ENOENT with the request echoed.
NOSUCHFAM_ENOENT = H(
    "38000000"  # nlmsg_len 56
    "0200"  # NLMSG_ERROR
    "0000"  # nlmsg_flags: not capped, no TLVs
    "b6c20a6b"  # nlmsg_seq
    "f3180000"  # nlmsg_pid
    "feffffff"  # error -2 (ENOENT)
    "24000000"  # . echoed nlmsg_len 36
    "1000"  # . GENL_ID_CTRL
    "0500"  # . NLM_F_REQUEST | NLM_F_ACK
    "b6c20a6b"  # . nlmsg_seq
    "00000000"  # . nlmsg_pid
    "03000000"  # . CTRL_CMD_GETFAMILY, version 0, reserved
    "0e000200"  # . nla_len 14, CTRL_ATTR_FAMILY_NAME
    "6e6f7375636866616d000000"  # . "nosuchfam\0", pad
)


def test_nlctrl_reply_decodes():
    (msg,) = codec.iter_messages(NLCTRL_NEWFAMILY)
    command, attrs = genetlink.unpack(msg)
    assert command == 1  # CTRL_CMD_NEWFAMILY
    assert codec.decode(genetlink.CTRL_ATTR, attrs) == NLCTRL_DECODED


def test_resolve_nlctrl(kernel):
    kernel.handler = lambda req: [kernel.replay(req, NLCTRL_NEWFAMILY), kernel.ack(req)]
    with NetlinkSocket(NETLINK_GENERIC, socket_factory=kernel) as sock:
        family = genetlink.resolve(sock, "nlctrl")
    assert family == genetlink.Family("nlctrl", 16, 2, 0, {"notify": 16})
    (req,) = kernel.requests
    assert (req.type, req.flags) == (genetlink.GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK)
    assert req.payload == H(
        "03"  # cmd CTRL_CMD_GETFAMILY
        "02"  # version CTRL_VERSION (genl sends 0; the kernel does not look)
        "0000"  # reserved
        "0b00"  # nla_len 11
        "0200"  # CTRL_ATTR_FAMILY_NAME
        "6e6c6374726c00"  # "nlctrl\0"
        "00"  # pad
    )


def test_resolve_unknown_family(kernel, sock):
    kernel.handler = lambda req: [kernel.replay(req, NOSUCHFAM_ENOENT)]
    with pytest.raises(genetlink.FamilyNotFound) as exc:
        genetlink.resolve(sock, "nosuchfam")
    assert str(exc.value) == (
        "the kernel has no generic netlink family 'nosuchfam' (is its module loaded?)"
    )


def test_resolve_other_errors_pass_through(kernel, sock):
    kernel.handler = lambda req: [kernel.error(req, errno.EPERM)]
    with pytest.raises(NetlinkError) as exc:
        genetlink.resolve(sock, "nl80211")
    assert (exc.value.errno, exc.value.command) == (errno.EPERM, "CTRL_CMD_GETFAMILY")


def test_resolve_reply_about_another_family(kernel, sock):
    kernel.handler = lambda req: [kernel.replay(req, NLCTRL_NEWFAMILY), kernel.ack(req)]
    with pytest.raises(ProtocolError) as exc:
        genetlink.resolve(sock, "nl80211")
    assert str(exc.value) == "CTRL_CMD_GETFAMILY: no reply describes family 'nl80211'"


def test_resolve_family_without_groups(kernel, sock):
    attrs = codec.encode(genetlink.CTRL_ATTR, {"family_name": "x", "family_id": 0x20})
    reply = genetlink.pack(1, 2, attrs)
    kernel.handler = lambda req: [kernel.message(req, 0x10, reply), kernel.ack(req)]
    assert genetlink.resolve(sock, "x") == genetlink.Family("x", 0x20, 0, 0, {})


def test_genl_unpack_short():
    with pytest.raises(ProtocolError) as exc:
        genetlink.unpack(codec.Message(0x10, 0, 1, 1, b"\x01\x02"))
    assert str(exc.value) == "generic netlink message of 2 bytes has no header"


def test_genl_pack():
    assert genetlink.pack(3, 2, b"\xaa") == H(
        "03"  # cmd
        "02"  # version
        "0000"  # reserved
        "aa"  # attributes
    )


# --------------------------------------------------------------------------- rtnetlink

# Kernel 6.18.44, `ip link show lo` in a fresh `unshare -n` namespace: the RTM_NEWLINK reply
# (1468 bytes). Header: nlmsg_len 0x5bc, RTM_NEWLINK, flags 0, ip's seq and port id; ifinfomsg:
# AF_UNSPEC, ifi_type 772 (ARPHRD_LOOPBACK), index 1, flags IFF_LOOPBACK (lo is down there),
# change 0; then 38 attributes, most of them not in our table.
LO_NEWLINK = H(
    "bc050000100000005ac30a6b2b23000000000403010000000800000000000000"
    "070003006c6f000008000d00e803000005001000020000000500110000000000"
    "0500430001000000080004000000010008003200000000000800330000000000"
    "08001b000000000008001e000000000008003d000000000008001f0001000000"
    "08002800ffff0000080029000000010008003a000000010008003f0000000100"
    "080040000000010008003b00f8ff070008003c00ffff00000800420000000000"
    "08002000010000000500210001000000080023000000000008002f0000000000"
    "0800300000000000060044000000000006004500000000000500270000000000"
    "0a00010000000000000000000a0002000000000000000000cc00170000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000064000700000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000c002b000500020000000000090006006e6f6f7000000000"
    "30031a008c000200880001000000000000000000000000000100000001000000"
    "0100000001000000000000000100000000000000000000000000000000000000"
    "0000000001000000010000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000010270000e803000000000000"
    "00000000000000000000000001000000a0020a00080001000000000014000500"
    "ffff000040bc020050a20000e8030000f4000200000000004000000000000100"
    "01000000010000000100000001000000ffffffffa00f0000e8030000ffffffff"
    "803a090080510100030000005802000010000000000000000100000001000000"
    "0100000060ea0000000000000000000000000000000000000000000000000000"
    "ffffffff000000000000000010270000e8030000010000000000000000000000"
    "0100000000000000000000000100000000000000000000000000000000000000"
    "80ee360000000000000000000100000000000000000000000000000000000000"
    "000000000004000000000000ffff0000ffffffff010000000000000000000000"
    "0000000034010300260000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000003c00060007000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000140007000000000000000000"
    "0000000000000000050008000000000024000e00000000000000000000000000"
    "000000000000000000000000000000000000000004003e8004004180"
)
LO_DECODED = {
    "ifname": "lo",  # IFLA_IFNAME
    "mtu": 65536,  # IFLA_MTU
    "operstate": 2,  # IFLA_OPERSTATE: IF_OPER_DOWN
    "address": b"\0" * 6,  # IFLA_ADDRESS
}
LO_LINK = rtnetlink.Link(index=1, name="lo", flags=0x8, address=b"\0" * 6)

# Kernel 6.18.44, `ip link set lo up`: the request (sendmsg) and its ACK (recvmsg).
IP_LINK_SET_LO_UP = H(
    "20000000"  # nlmsg_len 32
    "1000"  # RTM_NEWLINK
    "0500"  # NLM_F_REQUEST | NLM_F_ACK
    "50c30a6b"  # nlmsg_seq (ip's)
    "00000000"  # nlmsg_pid
    "00"  # ifi_family AF_UNSPEC
    "00"  # __ifi_pad
    "0000"  # ifi_type
    "01000000"  # ifi_index 1
    "01000000"  # ifi_flags IFF_UP
    "01000000"  # ifi_change IFF_UP
)
IP_LINK_SET_LO_UP_ACK = H(
    "24000000"  # nlmsg_len 36
    "0200"  # NLMSG_ERROR
    "0001"  # NLM_F_CAPPED: an ACK echoes the request header only
    "50c30a6b"  # nlmsg_seq
    "5b210000"  # nlmsg_pid (ip's port id)
    "00000000"  # error 0: ACK
    "20000000"  # echoed nlmsg_len 32
    "1000"  # RTM_NEWLINK
    "0500"  # NLM_F_REQUEST | NLM_F_ACK
    "50c30a6b"  # nlmsg_seq
    "00000000"  # nlmsg_pid
)


def with_seq(data: bytes, seq: int) -> bytes:
    return data[:8] + seq.to_bytes(4, "little") + data[12:]


def test_lo_newlink_decodes():
    (msg,) = codec.iter_messages(LO_NEWLINK)
    assert (msg.type, msg.flags) == (rtnetlink.RTM_NEWLINK, 0)
    assert rtnetlink.IFINFOMSG.unpack_from(msg.payload) == (0, 772, 1, 0x8, 0)
    assert codec.decode(rtnetlink.IFLA, msg.payload, rtnetlink.IFINFOMSG.size) == LO_DECODED
    assert len(list(codec.iter_attrs(msg.payload, rtnetlink.IFINFOMSG.size))) == 38


def test_get_link_by_name(kernel, sock):
    kernel.handler = lambda req: [kernel.replay(req, LO_NEWLINK), kernel.ack(req)]
    link = rtnetlink.get_link(sock, "lo")
    assert link == LO_LINK
    assert not link.up
    assert kernel.datagrams == [
        H(
            "28000000"  # nlmsg_len 40
            "1200"  # RTM_GETLINK
            "0500"  # NLM_F_REQUEST | NLM_F_ACK
            "01000000"  # nlmsg_seq 1
            "00000000"  # nlmsg_pid
            "00"  # ifi_family AF_UNSPEC
            "00"  # __ifi_pad
            "0000"  # ifi_type
            "00000000"  # ifi_index 0: by name
            "00000000"  # ifi_flags
            "00000000"  # ifi_change
            "0700"  # nla_len 7
            "0300"  # IFLA_IFNAME
            "6c6f00"  # "lo\0"
            "00"  # pad
        )
    ]


def test_get_link_by_index(kernel, sock):
    kernel.handler = lambda req: [kernel.replay(req, LO_NEWLINK), kernel.ack(req)]
    assert rtnetlink.get_link(sock, index=1) == LO_LINK
    (req,) = kernel.requests
    assert req.payload == rtnetlink.IFINFOMSG.pack(0, 0, 1, 0, 0)  # no IFLA_IFNAME


@pytest.mark.parametrize("err", [errno.ENODEV, errno.ENOENT])
def test_get_link_missing(kernel, sock, err):
    kernel.handler = lambda req: [kernel.error(req, err)]
    assert rtnetlink.get_link(sock, "nope0") is None


def test_get_link_other_error(kernel, sock):
    kernel.handler = lambda req: [kernel.error(req, errno.EINVAL, "bad")]
    with pytest.raises(NetlinkError, match=r"^RTM_GETLINK: bad \(EINVAL\)$"):
        rtnetlink.get_link(sock, "x" * 20)


def test_get_link_ack_without_data(kernel, sock):
    kernel.handler = lambda req: [kernel.ack(req)]
    assert rtnetlink.get_link(sock, "lo") is None


def test_link_up_property():
    assert rtnetlink.Link(1, "lo", 0x9, b"").up
    assert not rtnetlink.Link(1, "lo", 0x8, b"").up


def test_list_links(kernel, sock):
    (lo,) = codec.iter_messages(LO_NEWLINK)
    other = rtnetlink.IFINFOMSG.pack(0, 1, 2, 0x1043, 0) + codec.encode(
        rtnetlink.IFLA, {"ifname": "eth0", "address": b"\x02\0\0\0\0\x01"}
    )
    kernel.handler = lambda req: kernel.multipart(
        req, rtnetlink.RTM_NEWLINK, [lo.payload, other], per_datagram=1
    )
    assert rtnetlink.list_links(sock) == [
        LO_LINK,
        rtnetlink.Link(2, "eth0", 0x1043, b"\x02\0\0\0\0\x01"),
    ]
    (req,) = kernel.requests
    assert (req.type, req.flags) == (rtnetlink.RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP)
    assert req.payload == b"\0" * 16  # struct ifinfomsg, AF_UNSPEC


def test_set_up_sends_what_ip_link_set_up_sends(kernel, sock):
    kernel.handler = lambda req: [kernel.replay(req, IP_LINK_SET_LO_UP_ACK)]
    rtnetlink.set_up(sock, 1, True)
    assert kernel.datagrams == [with_seq(IP_LINK_SET_LO_UP, 1)]


def test_set_down(kernel, sock):
    kernel.handler = lambda req: [kernel.ack(req)]
    rtnetlink.set_up(sock, 1, False)
    assert kernel.requests[0].payload == H(
        "00"  # ifi_family
        "00"  # __ifi_pad
        "0000"  # ifi_type
        "01000000"  # ifi_index 1
        "00000000"  # ifi_flags: IFF_UP cleared
        "01000000"  # ifi_change IFF_UP
    )


def test_newlink_without_ifinfomsg():
    with pytest.raises(ProtocolError) as exc:
        rtnetlink._link(codec.Message(16, 0, 1, 1, b"\0" * 8))
    assert str(exc.value) == "RTM_NEWLINK of 8 bytes has no ifinfomsg"


# --------------------------------------------------------------------------- nfnetlink


def test_nfnetlink_header():
    assert nfnetlink.header(nfnetlink.NFPROTO_IPV4) == H(
        "02"  # nfgen_family NFPROTO_IPV4
        "00"  # version NFNETLINK_V0
        "0000"  # res_id
    )
    assert nfnetlink.header(nfnetlink.NFPROTO_IPV6, 0x1234) == H(
        "0a"  # nfgen_family NFPROTO_IPV6
        "00"  # version NFNETLINK_V0
        "1234"  # res_id, big-endian (__be16)
    )


def test_nfnetlink_msg_type():
    assert nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_IPSET, 1) == 0x0601
    assert nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_IPSET, 0xFF) == 0x06FF


def test_nfnetlink_split():
    payload = H(
        "0a"  # nfgen_family NFPROTO_IPV6
        "00"  # version
        "0000"  # res_id
        "05000100"  # nla_len 5, type 1
        "07000000"  # value, pad
    )
    assert nfnetlink.split(payload) == (10, 4)
    with pytest.raises(ProtocolError) as exc:
        nfnetlink.split(b"\x02\x00")
    assert str(exc.value) == "nfnetlink payload of 2 bytes has no nfgenmsg"
