# SPDX-License-Identifier: GPL-3.0-or-later
# ruff: noqa: E501  (the tables quote whole error messages; splitting them hides the text)
"""Unit tests for _ipset.types: the set type table and create-option normalisation.

Expected values come from the kernel sources (net/netfilter/ipset/ip_set_*.c revision comments
and *_create(), as in ipset 7.21's kernel/ tree) and were checked against ``ipset save`` /
``ipset list -t`` of ipset v7.17 on Linux 6.18 (observed, in a throw-away namespace):
  create h hash:ip hashsize 1000            -> hashsize 1024
  create h hash:ip hashsize 10 / 0          -> hashsize 64
  create h hash:ip hashsize 65 bucketsize 3 -> hashsize 128 bucketsize 4
  bucketsize 1 -> 2, bucketsize 100 -> 12, netmask 32 / bitmask 255.255.255.255 -> not listed
  create b bitmap:ip range 10.0.0.5/24      -> range 10.0.0.0-10.0.0.255
  create b bitmap:ip range 10.0.0.0/8 netmask 24 -> range 10.0.0.0-10.255.255.255 netmask 24
  create b bitmap:ip range 10.0.0.0/15      -> "exceeds the size limit of the set type"
  create l list:set size 0 / 3              -> size 4 ; default size 8
  create h hash:ip timeout 2147484          -> "'2147484' is out of range 0-2147483"
  hash:ip,port netmask 24 -> Revision 7; hash:ip bitmask -> Revision 6.
"""

from __future__ import annotations

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import types as T
from ansible_collections.linux.netlink.plugins.module_utils._ipset import typetable as TT

ALL_TYPES = [
    "bitmap:ip", "bitmap:ip,mac", "bitmap:port", "hash:ip", "hash:mac", "hash:ip,mac",
    "hash:net", "hash:net,net", "hash:ip,port", "hash:net,port", "hash:ip,port,ip",
    "hash:ip,port,net", "hash:ip,mark", "hash:net,port,net", "hash:net,iface", "list:set",
]  # fmt: skip


def test_all_sixteen_types():
    assert sorted(TT.SET_TYPES) == sorted(ALL_TYPES)


@pytest.mark.parametrize(
    "name, dims, families, rev_max",
    [
        ("bitmap:ip", ("ip",), ("inet",), 3),
        ("bitmap:ip,mac", ("ip", "mac"), ("inet",), 3),
        ("bitmap:port", ("port",), (), 3),
        ("hash:ip", ("ip",), ("inet", "inet6"), 6),
        ("hash:mac", ("mac",), (), 1),
        ("hash:ip,mac", ("ip", "mac"), ("inet", "inet6"), 1),
        ("hash:net", ("net",), ("inet", "inet6"), 7),
        ("hash:net,net", ("net", "net"), ("inet", "inet6"), 4),
        ("hash:ip,port", ("ip", "port"), ("inet", "inet6"), 7),
        ("hash:net,port", ("net", "port"), ("inet", "inet6"), 8),
        ("hash:ip,port,ip", ("ip", "port", "ip"), ("inet", "inet6"), 6),
        ("hash:ip,port,net", ("ip", "port", "net"), ("inet", "inet6"), 8),
        ("hash:ip,mark", ("ip", "mark"), ("inet", "inet6"), 3),
        ("hash:net,port,net", ("net", "port", "net"), ("inet", "inet6"), 3),
        ("hash:net,iface", ("net", "iface"), ("inet", "inet6"), 8),
        ("list:set", ("set",), (), 3),
    ],
)
def test_type_table(name, dims, families, rev_max):
    settype = TT.get_type(name)
    assert (settype.dims, settype.families, settype.revision_max) == (dims, families, rev_max)
    assert max(settype.options.values()) <= rev_max


@pytest.mark.parametrize(
    "name, option, rev",
    [
        ("hash:ip", "counters", 1), ("hash:ip", "comment", 2), ("hash:ip", "forceadd", 3),
        ("hash:ip", "skbinfo", 4), ("hash:ip", "bucketsize", 5), ("hash:ip", "initval", 5),
        ("hash:ip", "bitmask", 6), ("hash:ip", "netmask", 0), ("hash:ip", "timeout", 0),
        ("hash:ip", "range", None), ("hash:ip", "markmask", None),
        ("hash:net", "counters", 3), ("hash:net", "nomatch", 2), ("hash:net", "bucketsize", 7),
        ("hash:net", "netmask", None),
        ("hash:ip,port", "netmask", 7), ("hash:ip,port", "bitmask", 7),
        ("hash:ip,port", "counters", 2),
        ("hash:net,net", "bitmask", 4), ("hash:net,net", "forceadd", 1),
        ("hash:net,iface", "wildcard", 7), ("hash:net,iface", "net0", 2),
        ("hash:net,port,net", "comment", 0), ("hash:ip,mark", "markmask", 0),
        ("hash:ip,mark", "skbinfo", 2), ("hash:mac", "skbinfo", 0), ("hash:mac", "bucketsize", 1),
        ("bitmap:ip", "netmask", 0), ("bitmap:ip", "skbinfo", 3), ("bitmap:ip,mac", "netmask", None),
        ("bitmap:port", "range", 0), ("list:set", "size", 0), ("list:set", "comment", 2),
        ("list:set", "forceadd", None),
    ],
)  # fmt: skip
def test_option_min_revision(name, option, rev):
    assert T.option_min_revision(name, option) == rev


def test_unknown_type():
    with pytest.raises(TT.IpsetInputError, match="unknown set type 'hash:foo'"):
        TT.get_type("hash:foo")


@pytest.mark.parametrize(
    "name, family, options, expected",
    [
        ("hash:ip", "inet", {}, {}),
        ("hash:ip", None, {"hashsize": 1000}, {"hashsize": 1024}),
        ("hash:ip", "inet", {"hashsize": 10}, {"hashsize": 64}),
        ("hash:ip", "inet", {"hashsize": 0}, {"hashsize": 64}),
        ("hash:ip", "inet", {"hashsize": 65}, {"hashsize": 128}),
        ("hash:ip", "inet", {"hashsize": 1 << 31}, {"hashsize": 1 << 31}),
        ("hash:ip", "inet", {"bucketsize": 1}, {"bucketsize": 2}),
        ("hash:ip", "inet", {"bucketsize": 3}, {"bucketsize": 4}),
        ("hash:ip", "inet", {"bucketsize": 100}, {"bucketsize": 12}),
        ("hash:ip", "inet", {"netmask": 32}, {}),
        ("hash:ip", "inet", {"netmask": 24}, {"netmask": 24}),
        ("hash:ip", "inet6", {"netmask": 64}, {"netmask": 64}),
        ("hash:ip", "inet6", {"netmask": 128}, {}),
        ("hash:ip", "inet", {"bitmask": "255.255.0.255"}, {"bitmask": b"\xff\xff\x00\xff"}),
        ("hash:ip", "inet", {"bitmask": "255.255.255.255"}, {}),
        ("hash:ip", "inet", {"timeout": 0}, {"timeout": 0}),
        ("hash:ip", "inet", {"timeout": 2147483}, {"timeout": 2147483}),
        ("hash:ip", "inet", {"maxelem": 1, "initval": "0x1"}, {"maxelem": 1, "initval": 1}),
        ("hash:ip", "inet", {"counters": True, "comment": True, "skbinfo": False,
                             "forceadd": True}, {"cadt_flags": 8 | 16 | 32}),
        ("hash:ip,mark", "inet", {"markmask": "0xff"}, {"markmask": 255}),
        ("bitmap:ip", None, {"range": "192.0.2.0/24"},
         {"ip": b"\xc0\x00\x02\x00", "ip_to": b"\xc0\x00\x02\xff"}),
        ("bitmap:ip", "inet", {"range": "10.0.0.5/24"},
         {"ip": b"\x0a\x00\x00\x00", "ip_to": b"\x0a\x00\x00\xff"}),
        ("bitmap:ip", "inet", {"range": "10.0.0.0/16"},
         {"ip": b"\x0a\x00\x00\x00", "ip_to": b"\x0a\x00\xff\xff"}),
        ("bitmap:ip", "inet", {"range": "10.0.0.1-10.0.0.9"},
         {"ip": b"\x0a\x00\x00\x01", "ip_to": b"\x0a\x00\x00\x09"}),
        ("bitmap:ip", "inet", {"range": "10.0.0.0/8", "netmask": 24},
         {"ip": b"\x0a\x00\x00\x00", "ip_to": b"\x0a\xff\xff\xff", "netmask": 24}),
        ("bitmap:ip,mac", "inet", {"range": "10.0.0.0-10.0.0.255", "timeout": 5},
         {"ip": b"\x0a\x00\x00\x00", "ip_to": b"\x0a\x00\x00\xff", "timeout": 5}),
        ("bitmap:port", None, {"range": "1000-2000"}, {"port": 1000, "port_to": 2000}),
        ("bitmap:port", None, {"range": "0-65535"}, {"port": 0, "port_to": 65535}),
        ("bitmap:port", None, {"range": "ftp-http"}, {"port": 21, "port_to": 80}),
        ("list:set", None, {"size": 0}, {"size": 4}),
        ("list:set", None, {"size": 3}, {"size": 4}),
        ("list:set", None, {"size": 9, "timeout": 5}, {"size": 9, "timeout": 5}),
    ],
)  # fmt: skip
def test_normalise_create_options(name, family, options, expected):
    assert T.normalise_create_options(name, family, options) == expected
    T.check_create_options(name, family, options)


@pytest.mark.parametrize(
    "name, family, options, message",
    [
        ("hash:net", "inet", {"netmask": 24},
         "option 'netmask' is not valid for set type hash:net"),
        ("hash:ip", "inet", {"range": "10.0.0.0/24"},
         "option 'range' is not valid for set type hash:ip"),
        ("hash:ip", "inet", {"frobnicate": 1}, "unknown create option 'frobnicate'"),
        ("bitmap:ip", "inet6", {"range": "10.0.0.0/24"},
         "family 'inet6' is not valid for set type bitmap:ip (valid: inet)"),
        ("hash:mac", "inet", {}, "set type hash:mac takes no family (got 'inet')"),
        ("hash:ip", "ipx", {}, "family 'ipx' is not valid for set type hash:ip (valid: inet, inet6)"),
        ("hash:ip", "inet", {"netmask": 33}, "option 'netmask' is out of range 1-32: 33"),
        ("hash:ip", "inet", {"netmask": 0}, "option 'netmask' is out of range 1-32: 0"),
        ("hash:ip", "inet6", {"netmask": 129}, "option 'netmask' is out of range 1-128: 129"),
        ("hash:ip", "inet", {"netmask": 24, "bitmask": "255.0.0.0"},
         "options 'netmask' and 'bitmask' are mutually exclusive"),
        ("hash:ip", "inet", {"bitmask": "0.0.0.0"}, "option 'bitmask' must not be all zeros"),
        ("hash:ip", "inet", {"bitmask": "ffff::"}, "option 'bitmask': invalid IPv4 address 'ffff::'"),
        ("hash:ip", "inet", {"maxelem": 0}, "option 'maxelem' is out of range 1-4294967295: 0"),
        ("hash:ip", "inet", {"hashsize": (1 << 31) + 1},
         "option 'hashsize' is out of range 0-2147483648: 2147483649"),
        ("hash:ip", "inet", {"hashsize": "big"}, "option 'hashsize' must be an integer, got 'big'"),
        ("hash:ip", "inet", {"timeout": 2147484}, "option 'timeout' is out of range 0-2147483: 2147484"),
        ("hash:ip", "inet", {"timeout": True}, "option 'timeout' must be an integer, got True"),
        ("hash:ip", "inet", {"counters": "yes"}, "option 'counters' must be true or false, got 'yes'"),
        ("hash:ip,mark", "inet", {"markmask": 0}, "option 'markmask' is out of range 1-4294967295: 0"),
        ("hash:ip,mark", "inet", {"markmask": 1 << 32},
         "option 'markmask' is out of range 1-4294967295: 4294967296"),
        ("bitmap:ip", "inet", {}, "option 'range' is required for set type bitmap:ip"),
        ("bitmap:ip", "inet", {"range": "10.0.0.0/15"},
         "option 'range' '10.0.0.0/15' holds 131072 elements, more than the 65536 a bitmap can"),
        ("bitmap:ip", "inet", {"range": "10.0.0.9-10.0.0.1"},
         "option 'range' is backwards: '10.0.0.9-10.0.0.1'"),
        ("bitmap:ip", "inet", {"range": "10.0.0.1"},
         "option 'range' must be \"FROM-TO\" or \"IP/CIDR\", got '10.0.0.1'"),
        ("bitmap:ip", "inet", {"range": "10.0.0.0/32"},
         "option 'range': invalid CIDR in '10.0.0.0/32' (0-31 allowed)"),
        ("bitmap:ip", "inet", {"range": "10.0.0.300-10.0.1.0"},
         "option 'range': invalid IPv4 address '10.0.0.300'"),
        ("bitmap:ip", "inet", {"range": "10.0.0.0/24", "netmask": 24},
         "option 'range' '10.0.0.0/24' must be a network wider than netmask 24"),
        ("bitmap:ip", "inet", {"range": "10.0.0.0-10.0.2.255", "netmask": 24},
         "option 'range' '10.0.0.0-10.0.2.255' must be a network wider than netmask 24"),
        ("bitmap:port", None, {"range": "80"}, "option 'range' must be \"FROM-TO\" ports, got '80'"),
        ("bitmap:port", None, {"range": "5-1"}, "option 'range' is backwards: '5-1'"),
        ("bitmap:port", None, {"range": "1-65536"}, "option 'range' is out of range 0-65535: 65536"),
        ("bitmap:port", None, {"range": "1-nosuchservice"},
         "option 'range': unknown port 'nosuchservice'"),
        ("list:set", None, {"hashsize": 64}, "option 'hashsize' is not valid for set type list:set"),
    ],
)  # fmt: skip
def test_create_option_errors(name, family, options, message):
    with pytest.raises(TT.IpsetInputError) as info:
        T.check_create_options(name, family, options)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_none_means_not_given():
    assert T.normalise_create_options("hash:net", "inet", {"netmask": None}) == {}


@pytest.mark.parametrize(
    "name, expected",
    [
        ("hash:ip", {"hashsize": 1024, "maxelem": 65536, "bucketsize": 12}),
        ("hash:ip,mark", {"hashsize": 1024, "maxelem": 65536, "bucketsize": 12,
                          "markmask": 0xFFFFFFFF}),
        ("list:set", {"size": 8}),
        ("bitmap:ip", {}),
    ],
)  # fmt: skip
def test_kernel_defaults(name, expected):
    assert T.kernel_defaults(name) == expected
    assert set(expected) <= T.KERNEL_CHOSEN


@pytest.mark.parametrize(
    "name, options, rev",
    [
        ("hash:ip", {}, 0),
        ("hash:ip", {"timeout": 5, "counters": True}, 1),
        ("hash:ip", {"comment": True, "counters": False}, 2),
        ("hash:ip", {"bitmask": "255.0.0.255"}, 6),
        ("hash:ip,port", {"netmask": 24}, 7),
        ("hash:net,iface", {"forceadd": True}, 5),
    ],
)
def test_required_revision(name, options, rev):
    assert T.required_revision(name, options) == rev


def test_attribute_tables_use_the_attribute_constants():
    """One definition of each IPSET_ATTR_* number: every row of the uapi tables carries the
    module constant of its own name, and no table shadows a constant."""
    from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi

    tables = [uapi.IPSET_ATTR_IPADDR, uapi.IPSET_ATTR_CREATE, uapi.IPSET_ATTR_ELEM,
              uapi.IPSET_ATTR_ADT_NEST, uapi.IPSET_ATTR_CMD]  # fmt: skip
    rows = [attr for table in tables for attr in table.attrs]
    assert len(rows) == 2 + (11 + 11) + (11 + 13) + 1 + 11  # CADT rows in CREATE and ELEM
    for attr in rows:
        assert getattr(uapi, attr.name) == attr.type, attr.name
    assert isinstance(uapi.IPSET_ATTR_ADT, int) and uapi.IPSET_ATTR_ADT == 8
    assert uapi.IPSET_ATTR_CMD.by_type[uapi.IPSET_ATTR_ADT][1].nested is uapi.IPSET_ATTR_ADT_NEST
