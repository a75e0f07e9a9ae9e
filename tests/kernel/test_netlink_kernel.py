# SPDX-License-Identifier: GPL-3.0-or-later
"""The netlink stack against the running kernel, each test in a fresh network namespace.

What the kernel answers was observed on Linux 6.18.44 and is asserted as such; the comments
say where the kernel source decides it.
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
    NamespaceError,
    NetlinkError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_GENERIC,
    NETLINK_NETFILTER,
    NETLINK_ROUTE,
    NLM_F_EXCL,
)

# /usr/include/linux/netfilter/ipset/ip_set.h (IPSET_PROTOCOL 7)
IPSET_PROTOCOL = 7
IPSET_CMD_PROTOCOL = 1
IPSET_CMD_DESTROY = 3
IPSET_ERR_PRIVATE = 4096
IPSET_ERR_PROTOCOL = 4097
IPSET_ATTR = codec.AttrSet(
    "IPSET_ATTR_",
    (
        codec.Attr(1, "IPSET_ATTR_PROTOCOL", codec.U8),
        codec.Attr(2, "IPSET_ATTR_SETNAME", codec.STRZ),
        codec.Attr(10, "IPSET_ATTR_PROTOCOL_MIN", codec.U8),
    ),
)
RTNLGRP_LINK = 1  # linux/rtnetlink.h


def ipset_request(sock, command, attrs, flags=0):
    msg_type = nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_IPSET, command)
    payload = nfnetlink.header(nfnetlink.NFPROTO_UNSPEC) + codec.encode(IPSET_ATTR, attrs)
    return sock.request(msg_type, payload, flags, command="IPSET_CMD_%d" % command)


# --------------------------------------------------------------------------- generic netlink


def test_resolve_nlctrl(netns):
    with NetlinkSocket(NETLINK_GENERIC, netns=netns) as sock:
        family = genetlink.resolve(sock, "nlctrl")
    assert family.name == "nlctrl"
    assert family.id == genetlink.GENL_ID_CTRL == 16
    assert family.version == 2
    assert family.mcast_groups.get("notify") == 16


def test_resolve_made_up_family(netns):
    with NetlinkSocket(NETLINK_GENERIC, netns=netns) as sock:
        with pytest.raises(genetlink.FamilyNotFound, match="'ln-nofam'"):
            genetlink.resolve(sock, "ln-nofam")
        # longer than GENL_NAMSIZ - 1 (15): refused by the policy, not looked up
        with pytest.raises(NetlinkError) as exc:
            genetlink.resolve(sock, "ln-test-no-such-family")
    assert (exc.value.errno, exc.value.message) == (
        errno.EINVAL,
        "Attribute failed policy validation",
    )


# --------------------------------------------------------------------------- rtnetlink


def test_lo_is_down_in_a_fresh_namespace(netns):
    with NetlinkSocket(NETLINK_ROUTE, netns=netns) as sock:
        lo = rtnetlink.get_link(sock, "lo")
    assert lo is not None
    assert (lo.index, lo.name, lo.address) == (1, "lo", b"\0" * 6)
    assert not lo.up


def test_set_lo_up_inside_only(netns):
    with NetlinkSocket(NETLINK_ROUTE) as host:
        host_before = rtnetlink.get_link(host, "lo")  # read only: the host is not touched
    with NetlinkSocket(NETLINK_ROUTE, netns=netns) as sock:
        rtnetlink.set_up(sock, 1, True)
        assert rtnetlink.get_link(sock, "lo").up
        rtnetlink.set_up(sock, 1, True)  # again: still an ACK
        assert rtnetlink.get_link(sock, index=1).up
        rtnetlink.set_up(sock, 1, False)
        assert not rtnetlink.get_link(sock, "lo").up
    with NetlinkSocket(NETLINK_ROUTE) as host:
        assert rtnetlink.get_link(host, "lo").flags == host_before.flags


def test_dump_links(netns):
    with NetlinkSocket(NETLINK_ROUTE, netns=netns) as sock:
        links = rtnetlink.list_links(sock)
    assert [(link.index, link.name) for link in links] == [(1, "lo")]


def test_missing_link_is_none(netns):
    with NetlinkSocket(NETLINK_ROUTE, netns=netns) as sock:
        assert rtnetlink.get_link(sock, "ln-nope0") is None
        assert rtnetlink.get_link(sock, index=4242) is None
        with pytest.raises(NetlinkError) as exc:  # what get_link turns into None
            sock.request(rtnetlink.RTM_GETLINK, rtnetlink.IFINFOMSG.pack(0, 0, 4242, 0, 0))
    assert exc.value.errno == errno.ENODEV


def test_ext_ack_text_and_offset(netns):
    # IFLA_IFNAME longer than IFNAMSIZ - 1 fails ifla_policy (net/core/rtnetlink.c); the
    # offset points at the attribute: 16 (nlmsghdr) + 16 (ifinfomsg).
    with NetlinkSocket(NETLINK_ROUTE, netns=netns) as sock, pytest.raises(NetlinkError) as exc:
        rtnetlink.get_link(sock, "x" * 16)
    err = exc.value
    assert (err.errno, err.message, err.offset) == (
        errno.ERANGE,
        "Attribute failed policy validation",
        32,
    )
    assert err.request[16:24] == b"\x15\x00\x03\x00xxxx"  # the echo: IFLA_IFNAME, 17 bytes
    assert str(err) == "RTM_GETLINK: Attribute failed policy validation (ERANGE)"


def test_many_small_requests_in_one_transact(netns):
    # 20000 no-op RTM_NEWLINK (ifi_change 0) on lo: every answer must come back, none lost to
    # a full receive buffer (ENOBUFS).
    noop = (rtnetlink.RTM_NEWLINK, 0, rtnetlink.IFINFOMSG.pack(0, 0, 1, 0, 0))
    with NetlinkSocket(NETLINK_ROUTE, netns=netns) as sock:
        outcomes = sock.transact([noop] * 20000, "RTM_NEWLINK")
    assert len(outcomes) == 20000
    assert all(o.error is None and o.messages == [] for o in outcomes)


def test_link_events(netns):
    with NetlinkSocket(NETLINK_ROUTE, netns=netns) as watcher:
        watcher.add_membership(RTNLGRP_LINK)
        with NetlinkSocket(NETLINK_ROUTE, netns=netns) as sock:
            rtnetlink.set_up(sock, 1, True)
        events = watcher.recv_events(5.0)
    newlinks = [rtnetlink._link(m) for m in events if m.type == rtnetlink.RTM_NEWLINK]
    assert any(link.name == "lo" and link.up for link in newlinks)


# --------------------------------------------------------------------------- nfnetlink / ipset


def test_ipset_protocol(netns):
    with NetlinkSocket(NETLINK_NETFILTER, netns=netns) as sock:
        (reply,) = ipset_request(sock, IPSET_CMD_PROTOCOL, {"protocol": IPSET_PROTOCOL})
    assert reply.type == nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_IPSET, IPSET_CMD_PROTOCOL)
    _family, offset = nfnetlink.split(reply.payload)
    attrs = codec.decode(IPSET_ATTR, reply.payload, offset)
    assert attrs["protocol"] >= IPSET_PROTOCOL
    assert attrs.get("protocol_min", attrs["protocol"]) <= IPSET_PROTOCOL


def test_ipset_destroy_missing_set(netns):
    # net/netfilter/ipset/ip_set_core.c, ip_set_destroy(): a missing set is ENOENT with
    # NLM_F_EXCL (what the ipset tool sends), and no error without it (-exist).
    with NetlinkSocket(NETLINK_NETFILTER, netns=netns) as sock:
        with pytest.raises(NetlinkError) as exc:
            ipset_request(
                sock, IPSET_CMD_DESTROY, {"protocol": 7, "setname": "ln-nope"}, NLM_F_EXCL
            )
        assert ipset_request(sock, IPSET_CMD_DESTROY, {"protocol": 7, "setname": "ln-nope"}) == []
    assert exc.value.errno == errno.ENOENT
    assert exc.value.request.startswith(nfnetlink.header(nfnetlink.NFPROTO_UNSPEC))


def test_ipset_private_errno(netns):
    # No IPSET_ATTR_PROTOCOL: the kernel answers with its private IPSET_ERR_PROTOCOL.
    with NetlinkSocket(NETLINK_NETFILTER, netns=netns) as sock, pytest.raises(NetlinkError) as exc:
        ipset_request(sock, IPSET_CMD_DESTROY, {"setname": "ln-nope"})
    assert exc.value.errno == IPSET_ERR_PROTOCOL >= IPSET_ERR_PRIVATE
    assert str(exc.value) == "IPSET_CMD_3: Unknown error 4097 (4097)"


def test_ipset_setname_too_long(netns):
    # IPSET_MAXNAMELEN is 32: nla_policy refuses the attribute, at offset 16 + 4 + 8.
    with NetlinkSocket(NETLINK_NETFILTER, netns=netns) as sock, pytest.raises(NetlinkError) as exc:
        ipset_request(sock, IPSET_CMD_DESTROY, {"protocol": 7, "setname": "x" * 40})
    assert (exc.value.errno, exc.value.message, exc.value.offset) == (
        errno.EINVAL,
        "Attribute failed policy validation",
        28,
    )


# --------------------------------------------------------------------------- namespaces


def test_missing_namespace():
    with pytest.raises(NamespaceError) as exc:
        NetlinkSocket(NETLINK_ROUTE, netns="ln-test-missing-0000")
    assert str(exc.value) == (
        "network namespace 'ln-test-missing-0000' does not exist "
        "(no /run/netns/ln-test-missing-0000)"
    )


def test_socket_by_namespace_path(netns):
    with NetlinkSocket(NETLINK_ROUTE, netns="/run/netns/" + netns) as sock:
        assert not rtnetlink.get_link(sock, "lo").up


def test_netns_fixture_is_fresh_and_listed(netns, list_netns):
    assert netns.startswith("ln-test-")
    assert netns in list_netns()


def test_make_netns_cleans_up_on_failure(make_netns, list_netns):
    with pytest.raises(RuntimeError), make_netns() as name:
        assert name in list_netns()
        raise RuntimeError("the test failed")
    assert name not in list_netns()


def test_no_namespace_left_behind(created_netns, list_netns):
    # runs last in this file: every namespace the fixtures made so far is gone
    left = set(created_netns) & set(list_netns())
    assert not left
