# SPDX-License-Identifier: GPL-3.0-or-later
# ruff: noqa: E501  (the tables quote whole error messages; splitting them hides the text)
"""Unit tests for _ipset.entry: parsing, canonical keys, formatting of ipset members.

Canonical forms observed with ipset v7.17 on Linux 6.18 (``ipset add`` then ``ipset save``,
each run inside ``unshare -n``):
  hash:ip      10.0.1.1-10.0.1.3 -> 3 hosts; 10.0.2.0/30 -> 4 hosts; 10.0.3.1/32 -> 10.0.3.1
  hash:ip netmask 24: 10.1.2.3 -> 10.1.2.0 ; inet6 netmask 64: 2001:db8:1:2:3::4 -> 2001:db8:1:2::
  hash:ip inet6: 2001:DB8:0:0::1 -> 2001:db8::1 ; 2001:db8::/128 -> 2001:db8:: ;
               2001:db8::2/127 -> "plain IP address must be supplied" ; ::ffff:1.2.3.4 kept
  hash:ip bitmask 255.255.0.255: 10.1.2.3 -> 10.1.0.3 ; inet6 bitmask ffff::ff: 2001:db8::1234
               -> 2001::34
  hash:net     10.0.0.5/24 -> 10.0.0.0/24 ; 10.0.1.1/32 -> 10.0.1.1 ; 10.0.3.0-10.0.3.9 ->
               10.0.3.0/29 + 10.0.3.8/31 ; 10.0.5.0/1 -> 0.0.0.0/1 ; 0.0.0.0/0 -> invalid CIDR
  hash:ip,port 192.0.2.1,80 -> tcp:80 ; icmp:ping -> icmp:echo-request ; icmp:3/4 ->
               icmp:fragmentation-needed ; icmp:255/255 kept ; 47:0 -> gre:0 ; TCP:5 -> tcp:5 ;
               tcp:http -> tcp:80 ; udp:domain -> udp:53 ; tcp:90-92 -> 3 ; 253:0 -> 253:0
               icmpv6:1/0 in inet -> "Protocol ICMPv6 can be used with family inet6 only"
  hash:ip,port inet6: icmpv6:1/0 -> ipv6-icmp:no-route ; 58:2/0 -> ipv6-icmp:packet-too-big
  hash:net,port 10.0.4.0/32,icmp:ping -> 10.0.4.0,icmp:echo-request ; tcp:5-6 -> 2 entries ;
               0.0.0.0/0,tcp:1 -> invalid CIDR
  hash:ip,port,ip third part 10.0.0.4/30 -> "plain IP address must be supplied"
  hash:ip,port,net 10.0.0.7/24 -> 10.0.0.0/24 ; 10.2.0.0-10.2.0.2 -> 10.2.0.0/31 + 10.2.0.2
  hash:net,iface 0.0.0.0/0,eth0 kept ; physdev:eth1 kept ; 10.0.3.0-10.0.3.3,lo -> 10.0.3.0/30
               16-character name -> "interface name ... is longer than 15 characters"
  bitmap:ip,mac  aa:bb:cc:dd:ee:ff -> AA:BB:CC:DD:EE:FF ; 0:1:2:3:4:5 -> 00:01:02:03:04:05 ;
               10.0.0.2 (no MAC) -> 10.0.0.2 ; a range -> "plain IP address must be supplied"
  bitmap:port  1500-1502 -> 3 ; tcp:1600 -> 1600 ; ftp -> 21
  bitmap:ip netmask 24: 192.168.1.77 -> 192.168.1.0
  list:set     members listed by name; NAME,before,OTHER places the member
  extensions   save prints: timeout, nomatch, packets, bytes, comment "..", skbmark 0xM[/0xK]
               (mask 0xffffffff omitted), skbprio X:Y (hex), skbqueue; timeout 2147484 ->
               "'2147484' is out of range 0-2147483"
hash:mac, hash:ip,mac, hash:ip,mark, hash:net,net and hash:net,port,net are not built into that
kernel: their cases follow the ipset 7.21 sources (lib/ipset_*.c parsers, lib/print.c).
"""

from __future__ import annotations

import socket

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import dimensions as D
from ansible_collections.linux.netlink.plugins.module_utils._ipset import entries as M
from ansible_collections.linux.netlink.plugins.module_utils._ipset import entry as E
from ansible_collections.linux.netlink.plugins.module_utils._ipset import listing as LI
from ansible_collections.linux.netlink.plugins.module_utils._ipset import parse as P
from ansible_collections.linux.netlink.plugins.module_utils._ipset.typetable import IpsetInputError

A = bytes.fromhex
V4 = [int(x) for x in ["10", "0", "0", "1"]]


def ip4(text):
    return bytes(int(x) for x in text.split("."))


def ip6(text):
    return socket.inet_pton(socket.AF_INET6, text)


# (settype, family, kwargs, input, [(key, data), ...])
CASES = [
    # IPv4 short forms, as ipset v7.17 reads them (tests/kernel/test_ipset_cli_forms.py runs
    # each through the CLI): inet_aton() forms, decimal or 0-led octal parts, CIDR strtoull()
    ("hash:ip", "inet", {}, "010.0.0.1", [("8.0.0.1", {"ip": ip4("8.0.0.1")})]),
    ("hash:ip", "inet", {}, "10.1", [("10.0.0.1", {"ip": ip4("10.0.0.1")})]),
    # backwards ranges: the kernel swaps the ends (ipset add 10.0.0.3-10.0.0.2 adds .2 and .3)
    ("hash:ip", "inet", {}, "10.0.0.3-10.0.0.2",
     [("10.0.0.2", {"ip": ip4("10.0.0.2")}), ("10.0.0.3", {"ip": ip4("10.0.0.3")})]),
    ("hash:ip", "inet", {}, "10.1.2", [("10.1.0.2", {"ip": ip4("10.1.0.2")})]),
    ("hash:ip", "inet", {}, "167838211", [("10.1.2.3", {"ip": ip4("10.1.2.3")})]),
    ("hash:ip", "inet", {}, "1.65536", [("1.1.0.0", {"ip": ip4("1.1.0.0")})]),
    ("hash:ip", "inet", {}, "1.2.3.04", [("1.2.3.4", {"ip": ip4("1.2.3.4")})]),
    ("hash:ip", "inet", {}, "10.1-10.2",
     [("10.0.0.1", {"ip": ip4("10.0.0.1")}), ("10.0.0.2", {"ip": ip4("10.0.0.2")})]),
    ("hash:net", "inet", {}, "192.168.0/24",
     [("192.168.0.0/24", {"ip": ip4("192.168.0.0"), "cidr": 24})]),
    ("hash:net", "inet", {}, "0", [("0.0.0.0", {"ip": ip4("0.0.0.0"), "cidr": 32})]),
    ("hash:net", "inet", {}, "10/8", [("0.0.0.0/8", {"ip": ip4("0.0.0.0"), "cidr": 8})]),
    ("hash:net", "inet", {}, "1.2.3.4/024", [("1.2.0.0/20", {"ip": ip4("1.2.0.0"), "cidr": 20})]),
    ("hash:net", "inet", {}, "1.2.3.4/0x18",
     [("1.2.3.0/24", {"ip": ip4("1.2.3.0"), "cidr": 24})]),
    ("hash:net", "inet", {}, "1.2.3.4/+8", [("1.0.0.0/8", {"ip": ip4("1.0.0.0"), "cidr": 8})]),
    ("hash:net,iface", "inet", {}, "0/0,eth0",
     [("0.0.0.0/0,eth0", {"ip": ip4("0.0.0.0"), "cidr": 0, "iface": "eth0"})]),
    ("hash:net,iface", "inet", {}, "192.168.0/24,eth0",
     [("192.168.0.0/24,eth0", {"ip": ip4("192.168.0.0"), "cidr": 24, "iface": "eth0"})]),
    ("hash:ip,port", "inet", {}, "010.1.2.3,tcp:80",
     [("8.1.2.3,tcp:80", {"ip": ip4("8.1.2.3"), "port": 80, "proto": 6})]),
    # hash:ip
    ("hash:ip", "inet", {}, "10.0.0.1", [("10.0.0.1", {"ip": ip4("10.0.0.1")})]),
    ("hash:ip", "inet", {}, "255.255.255.255", [("255.255.255.255", {"ip": A("ffffffff")})]),
    ("hash:ip", "inet", {}, "10.0.3.1/32", [("10.0.3.1", {"ip": ip4("10.0.3.1")})]),
    ("hash:ip", "inet", {}, "10.0.1.1-10.0.1.3",
     [("10.0.1.%d" % i, {"ip": ip4("10.0.1.%d" % i)}) for i in (1, 2, 3)]),
    ("hash:ip", "inet", {}, "10.0.2.1/30",
     [("10.0.2.%d" % i, {"ip": ip4("10.0.2.%d" % i)}) for i in range(4)]),
    ("hash:ip", "inet", {"netmask": 24}, "10.1.2.3", [("10.1.2.0", {"ip": ip4("10.1.2.0")})]),
    ("hash:ip", "inet", {"netmask": 24}, "10.1.3.0/23",
     [("10.1.2.0", {"ip": ip4("10.1.2.0")}), ("10.1.3.0", {"ip": ip4("10.1.3.0")})]),
    ("hash:ip", "inet", {"netmask": 24}, "10.0.0.5-10.0.1.3",
     [("10.0.0.0", {"ip": ip4("10.0.0.0")}), ("10.0.1.0", {"ip": ip4("10.0.1.0")})]),
    ("hash:ip", "inet", {"bitmask": "255.255.0.255"}, "10.1.2.3",
     [("10.1.0.3", {"ip": ip4("10.1.0.3")})]),
    ("hash:ip", "inet6", {}, "2001:DB8:0:0::1", [("2001:db8::1", {"ip": ip6("2001:db8::1")})]),
    ("hash:ip", "inet6", {}, "2001:db8::/128", [("2001:db8::", {"ip": ip6("2001:db8::")})]),
    ("hash:ip", "inet6", {}, "::ffff:1.2.3.4", [("::ffff:1.2.3.4", {"ip": ip6("::ffff:1.2.3.4")})]),
    ("hash:ip", "inet6", {"netmask": 64}, "2001:db8:1:2:3::4",
     [("2001:db8:1:2::", {"ip": ip6("2001:db8:1:2::")})]),
    ("hash:ip", "inet6", {"bitmask": "ffff::ff"}, "2001:db8::1234",
     [("2001::34", {"ip": ip6("2001::34")})]),
    # hash:net
    ("hash:net", "inet", {}, "10.0.0.5/24", [("10.0.0.0/24", {"ip": ip4("10.0.0.0"), "cidr": 24})]),
    ("hash:net", "inet", {}, "10.0.1.1/32", [("10.0.1.1", {"ip": ip4("10.0.1.1"), "cidr": 32})]),
    ("hash:net", "inet", {}, "10.0.1.1", [("10.0.1.1", {"ip": ip4("10.0.1.1"), "cidr": 32})]),
    ("hash:net", "inet", {}, "10.0.5.0/1", [("0.0.0.0/1", {"ip": ip4("0.0.0.0"), "cidr": 1})]),
    ("hash:net", "inet", {}, "10.0.3.0-10.0.3.9",
     [("10.0.3.0/29", {"ip": ip4("10.0.3.0"), "cidr": 29}),
      ("10.0.3.8/31", {"ip": ip4("10.0.3.8"), "cidr": 31})]),
    ("hash:net", "inet", {}, "10.0.0.1-10.0.0.1", [("10.0.0.1", {"ip": ip4("10.0.0.1"), "cidr": 32})]),
    ("hash:net", "inet", {}, "0.0.0.0-127.255.255.255",
     [("0.0.0.0/1", {"ip": ip4("0.0.0.0"), "cidr": 1})]),
    ("hash:net", "inet", {}, "10.0.4.0/24 nomatch",
     [("10.0.4.0/24", {"ip": ip4("10.0.4.0"), "cidr": 24, "cadt_flags": 4})]),
    ("hash:net", "inet6", {}, "2001:db8::5/64",
     [("2001:db8::/64", {"ip": ip6("2001:db8::"), "cidr": 64})]),
    ("hash:net", "inet6", {}, "2001:db8::1/128",
     [("2001:db8::1", {"ip": ip6("2001:db8::1"), "cidr": 128})]),
    # hash:ip,port
    ("hash:ip,port", "inet", {}, "192.0.2.1,80",
     [("192.0.2.1,tcp:80", {"ip": ip4("192.0.2.1"), "port": 80, "proto": 6})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,tcp:0",
     [("192.0.2.1,tcp:0", {"ip": ip4("192.0.2.1"), "port": 0, "proto": 6})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,udp:65535",
     [("192.0.2.1,udp:65535", {"ip": ip4("192.0.2.1"), "port": 65535, "proto": 17})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,tcp:0x50",
     [("192.0.2.1,tcp:80", {"ip": ip4("192.0.2.1"), "port": 80, "proto": 6})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,tcp:010",
     [("192.0.2.1,tcp:8", {"ip": ip4("192.0.2.1"), "port": 8, "proto": 6})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,TCP:5",
     [("192.0.2.1,tcp:5", {"ip": ip4("192.0.2.1"), "port": 5, "proto": 6})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,tcp:http",
     [("192.0.2.1,tcp:80", {"ip": ip4("192.0.2.1"), "port": 80, "proto": 6})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,udp:domain",
     [("192.0.2.1,udp:53", {"ip": ip4("192.0.2.1"), "port": 53, "proto": 17})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,sctp:9",
     [("192.0.2.1,sctp:9", {"ip": ip4("192.0.2.1"), "port": 9, "proto": 132})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,udplite:9",
     [("192.0.2.1,udplite:9", {"ip": ip4("192.0.2.1"), "port": 9, "proto": 136})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,icmp:ping",
     [("192.0.2.1,icmp:echo-request", {"ip": ip4("192.0.2.1"), "port": 0x0800, "proto": 1})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,icmp:Echo-R",
     [("192.0.2.1,icmp:echo-reply", {"ip": ip4("192.0.2.1"), "port": 0, "proto": 1})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,icmp:3/4",
     [("192.0.2.1,icmp:fragmentation-needed", {"ip": ip4("192.0.2.1"), "port": 0x0304,
                                               "proto": 1})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,icmp:255/255",
     [("192.0.2.1,icmp:255/255", {"ip": ip4("192.0.2.1"), "port": 0xFFFF, "proto": 1})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,47:0",
     [("192.0.2.1,gre:0", {"ip": ip4("192.0.2.1"), "port": 0, "proto": 47})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,253:0",
     [("192.0.2.1,253:0", {"ip": ip4("192.0.2.1"), "port": 0, "proto": 253})]),
    ("hash:ip,port", "inet", {}, "192.0.2.1,tcp:90-92",
     [("192.0.2.1,tcp:%d" % p, {"ip": ip4("192.0.2.1"), "port": p, "proto": 6})
      for p in (90, 91, 92)]),
    ("hash:ip,port", "inet", {}, "192.0.2.8/31,udp:1",
     [("192.0.2.%d,udp:1" % i, {"ip": ip4("192.0.2.%d" % i), "port": 1, "proto": 17})
      for i in (8, 9)]),
    ("hash:ip,port", "inet", {"netmask": 24}, "10.1.2.3,tcp:80",
     [("10.1.2.0,tcp:80", {"ip": ip4("10.1.2.0"), "port": 80, "proto": 6})]),
    ("hash:ip,port", "inet6", {}, "2001:db8::1,icmpv6:1/0",
     [("2001:db8::1,ipv6-icmp:no-route", {"ip": ip6("2001:db8::1"), "port": 0x0100,
                                          "proto": 58})]),
    ("hash:ip,port", "inet6", {}, "2001:db8::1,58:2/0",
     [("2001:db8::1,ipv6-icmp:packet-too-big", {"ip": ip6("2001:db8::1"), "port": 0x0200,
                                                "proto": 58})]),
    # hash:net,port
    ("hash:net,port", "inet", {}, "10.0.4.0/32,icmp:ping",
     [("10.0.4.0,icmp:echo-request", {"ip": ip4("10.0.4.0"), "cidr": 32, "port": 0x800,
                                      "proto": 1})]),
    ("hash:net,port", "inet", {}, "10.0.3.0/24,tcp:5-6",
     [("10.0.3.0/24,tcp:%d" % p, {"ip": ip4("10.0.3.0"), "cidr": 24, "port": p, "proto": 6})
      for p in (5, 6)]),
    ("hash:net,port", "inet", {}, "10.0.2.0-10.0.2.2,tcp:1",
     [("10.0.2.0/31,tcp:1", {"ip": ip4("10.0.2.0"), "cidr": 31, "port": 1, "proto": 6}),
      ("10.0.2.2,tcp:1", {"ip": ip4("10.0.2.2"), "cidr": 32, "port": 1, "proto": 6})]),
    # hash:ip,port,ip / hash:ip,port,net
    ("hash:ip,port,ip", "inet", {}, "10.0.0.1,tcp:80,10.0.0.2",
     [("10.0.0.1,tcp:80,10.0.0.2", {"ip": ip4("10.0.0.1"), "port": 80, "proto": 6,
                                    "ip2": ip4("10.0.0.2")})]),
    ("hash:ip,port,ip", "inet", {}, "10.0.0.5-10.0.0.6,udp:1,10.1.1.1",
     [("10.0.0.%d,udp:1,10.1.1.1" % i, {"ip": ip4("10.0.0.%d" % i), "port": 1, "proto": 17,
                                        "ip2": ip4("10.1.1.1")}) for i in (5, 6)]),
    ("hash:ip,port,net", "inet", {}, "10.0.0.1,tcp:80,10.0.0.7/24",
     [("10.0.0.1,tcp:80,10.0.0.0/24", {"ip": ip4("10.0.0.1"), "port": 80, "proto": 6,
                                       "ip2": ip4("10.0.0.0"), "cidr2": 24})]),
    ("hash:ip,port,net", "inet", {}, "10.0.0.1,tcp:80,10.2.0.0-10.2.0.2",
     [("10.0.0.1,tcp:80,10.2.0.0/31", {"ip": ip4("10.0.0.1"), "port": 80, "proto": 6,
                                       "ip2": ip4("10.2.0.0"), "cidr2": 31}),
      ("10.0.0.1,tcp:80,10.2.0.2", {"ip": ip4("10.0.0.1"), "port": 80, "proto": 6,
                                    "ip2": ip4("10.2.0.2"), "cidr2": 32})]),
    # hash:net,net / hash:net,port,net (from the sources)
    ("hash:net,net", "inet", {}, "10.0.0.5/24,192.0.2.0/25",
     [("10.0.0.0/24,192.0.2.0/25", {"ip": ip4("10.0.0.0"), "cidr": 24,
                                    "ip2": ip4("192.0.2.0"), "cidr2": 25})]),
    ("hash:net,port,net", "inet", {}, "0.0.0.0/0,tcp:22,10.0.0.0/8",
     [("0.0.0.0/0,tcp:22,10.0.0.0/8", {"ip": ip4("0.0.0.0"), "cidr": 0, "port": 22,
                                       "proto": 6, "ip2": ip4("10.0.0.0"), "cidr2": 8})]),
    # hash:net,iface
    ("hash:net,iface", "inet", {}, "10.0.0.0/24,eth0",
     [("10.0.0.0/24,eth0", {"ip": ip4("10.0.0.0"), "cidr": 24, "iface": "eth0"})]),
    ("hash:net,iface", "inet", {}, "10.0.1.0/24,physdev:eth1",
     [("10.0.1.0/24,physdev:eth1", {"ip": ip4("10.0.1.0"), "cidr": 24, "iface": "eth1",
                                    "cadt_flags": 2})]),
    ("hash:net,iface", "inet", {}, "0.0.0.0/0,abcdefghijklmno",
     [("0.0.0.0/0,abcdefghijklmno", {"ip": ip4("0.0.0.0"), "cidr": 0,
                                     "iface": "abcdefghijklmno"})]),
    ("hash:net,iface", "inet", {}, "10.0.3.0-10.0.3.3,lo",
     [("10.0.3.0/30,lo", {"ip": ip4("10.0.3.0"), "cidr": 30, "iface": "lo"})]),
    ("hash:net,iface", "inet6", {}, "::/0,eth1",
     [("::/0,eth1", {"ip": ip6("::"), "cidr": 0, "iface": "eth1"})]),
    # hash:ip,mark, hash:mac, hash:ip,mac (from the sources)
    ("hash:ip,mark", "inet", {}, "10.0.0.1,0x10",
     [("10.0.0.1,0x00000010", {"ip": ip4("10.0.0.1"), "mark": 16})]),
    ("hash:ip,mark", "inet", {"markmask": 0xF0}, "10.0.0.1,0xffffffff",
     [("10.0.0.1,0x000000f0", {"ip": ip4("10.0.0.1"), "mark": 0xF0})]),
    ("hash:mac", None, {}, "0:1:2:3:4:a", [("00:01:02:03:04:0A", {"ether": A("00010203040a")})]),
    ("hash:ip,mac", "inet", {}, "10.0.0.1,aa:bb:cc:dd:ee:ff",
     [("10.0.0.1,AA:BB:CC:DD:EE:FF", {"ip": ip4("10.0.0.1"), "ether": A("aabbccddeeff")})]),
    # bitmaps
    ("bitmap:ip", "inet", {}, "192.168.0.16/30",
     [("192.168.0.%d" % i, {"ip": ip4("192.168.0.%d" % i)}) for i in range(16, 20)]),
    ("bitmap:ip", "inet", {"netmask": 24}, "192.168.1.77",
     [("192.168.1.0", {"ip": ip4("192.168.1.0")})]),
    ("bitmap:ip,mac", "inet", {}, "10.0.0.2", [("10.0.0.2", {"ip": ip4("10.0.0.2")})]),
    ("bitmap:ip,mac", "inet", {}, "10.0.0.3,0:1:2:3:4:5",
     [("10.0.0.3", {"ip": ip4("10.0.0.3"), "ether": A("000102030405")})]),  # keyed by address
    ("bitmap:port", None, {}, "0", [("0", {"port": 0})]),
    ("bitmap:port", None, {}, "65535", [("65535", {"port": 65535})]),
    ("bitmap:port", None, {}, "tcp:1600", [("1600", {"port": 1600})]),
    ("bitmap:port", None, {}, "ftp", [("21", {"port": 21})]),
    ("bitmap:port", None, {}, "1500-1502", [(str(p), {"port": p}) for p in (1500, 1501, 1502)]),
    # list:set
    ("list:set", None, {}, "np", [("np", {"name": "np"})]),
    ("list:set", None, {}, "a" * 31, [("a" * 31, {"name": "a" * 31})]),
    ("list:set", None, {}, "ipn,before,ipi",
     [("ipn", {"name": "ipn", "nameref": "ipi", "cadt_flags": 1})]),
    ("list:set", None, {}, "ipn,after,ipi", [("ipn", {"name": "ipn", "nameref": "ipi"})]),
]  # fmt: skip


@pytest.mark.parametrize("settype, family, kwargs, text, expected", CASES)
def test_parse(settype, family, kwargs, text, expected):
    entries = P.parse_entries([text], settype, family, **kwargs)
    assert [(e.key, e.data) for e in entries] == expected
    for entry in entries:  # round trip: the kernel's attributes give back the text and key
        assert LI.format_entry(settype, family, entry.data) == E.entry_text(entry)
        assert LI.key_from_kernel(settype, family, entry.data) == entry.key
        if entry.position is None:  # a dump lists no placement (nameref, IPSET_FLAG_BEFORE)
            assert LI.entry_from_kernel(settype, family, dict(entry.data, **entry.ext)) == entry


@pytest.mark.parametrize("settype, family, kwargs, text, expected", CASES)
def test_parse_is_idempotent(settype, family, kwargs, text, expected):
    texts = [E.entry_text(e) for e in P.parse_entries([text], settype, family, **kwargs)]
    again = P.parse_entries(texts, settype, family, **kwargs)
    assert [E.entry_text(e) for e in again] == texts


NEGATIVE = [
    ("hash:ip", "inet", {}, "10.0.0.300", "entry '10.0.0.300': invalid IPv4 address"),
    ("hash:ip", "inet", {}, "1.2.3.4,80", "entry '1.2.3.4,80': hash:ip takes 1 dimension, got 2"),
    ("hash:ip,port", "inet", {}, "1.2.3.4",
     "entry '1.2.3.4': hash:ip,port takes 2 dimensions, got 1"),
    ("hash:ip", "inet", {}, "", "entry '': empty entry"),
    ("hash:ip", "inet", {}, "   ", "entry '   ': empty entry"),
    ("hash:ip", "inet", {}, "0x0a.0.0.1", "entry '0x0a.0.0.1': invalid IPv4 address"),
    ("hash:ip", "inet", {}, "1.2.3.08", "entry '1.2.3.08': invalid IPv4 address"),
    ("hash:ip", "inet", {}, "1.256.1", "entry '1.256.1': invalid IPv4 address"),
    ("hash:ip", "inet", {}, "4294967296", "entry '4294967296': invalid IPv4 address"),
    ("hash:net", "inet", {}, "1.2.3.4/08", "entry '1.2.3.4/08': invalid CIDR '08'"),
    ("hash:net", "inet", {}, "0/0", "entry '0/0': CIDR /0 is not valid for set type hash:net"),
    ("hash:ip,port", "inet", {}, "0.0.0.0,80",
     "entry '0.0.0.0,80': the zero address cannot be stored in a hash:ip,port set"),
    ("hash:ip,port", "inet6", {}, "::,udp:53",
     "entry '::,udp:53': the zero address cannot be stored in a hash:ip,port set"),
    ("hash:ip", "inet", {}, "host.example", "entry 'host.example': invalid IPv4 address"),
    ("hash:ip", "inet", {}, "\u00e9\u00e9", "entry '\u00e9\u00e9': invalid IPv4 address"),
    ("hash:ip", "inet", {}, "1.2.3.4\x00", "entry '1.2.3.4\x00': invalid IPv4 address"),
    ("hash:ip", "inet", {}, "0.0.0.0",
     "entry '0.0.0.0': the zero address cannot be stored in a hash:ip set"),
    ("hash:ip", "inet", {"netmask": 8}, "0.1.2.3",
     "entry '0.1.2.3': the zero address cannot be stored in a hash:ip set"),
    ("hash:ip", "inet", {}, "2001:db8::1",
     "entry '2001:db8::1': 2001:db8::1 is an IPv6 address but the set family is inet"),
    ("hash:ip", "inet6", {}, "10.0.0.1",
     "entry '10.0.0.1': 10.0.0.1 is an IPv4 address but the set family is inet6"),
    ("hash:ip", "inet6", {}, "2001:db8::2/127",
     "entry '2001:db8::2/127': a plain IP address is required here, not a network"),
    ("hash:ip", "inet", {}, "10.0.0.0/8",
     "entry '10.0.0.0/8': 10.0.0.0/8 expands to 16777216 elements, more than the limit of 65536"),
    ("hash:ip", "inet", {}, "10.0.0.0/0", "entry '10.0.0.0/0': CIDR /0 is not valid here"),
    ("hash:ip", "inet", {}, "10.0.0.0/33", "entry '10.0.0.0/33': CIDR /33 out of range 0-32"),
    ("hash:ip", "inet", {}, "10.0.0.0/x", "entry '10.0.0.0/x': invalid CIDR 'x'"),
    ("hash:net", "inet", {}, "0.0.0.0/0",
     "entry '0.0.0.0/0': CIDR /0 is not valid for set type hash:net"),
    ("hash:net", "inet", {}, "0.0.0.0-255.255.255.255",
     "entry '0.0.0.0-255.255.255.255': range 0.0.0.0-255.255.255.255 covers the whole address space"),
    ("hash:net", "inet6", {}, "2001:db8::1-2001:db8::2",
     "entry '2001:db8::1-2001:db8::2': invalid IPv6 address"),
    ("hash:ip,port", "inet", {}, "1.2.3.4,tcp:70000",
     "entry '1.2.3.4,tcp:70000': port 70000 out of range 0-65535"),
    ("hash:ip,port", "inet", {}, "1.2.3.4,foo:1", "entry '1.2.3.4,foo:1': unknown protocol 'foo'"),
    ("hash:ip,port", "inet", {}, "1.2.3.4,256:0", "entry '1.2.3.4,256:0': protocol 256 out of range 0-255"),
    ("hash:ip,port", "inet", {}, "1.2.3.4,0:0", "entry '1.2.3.4,0:0': protocol 0 is not supported"),
    ("hash:ip,port", "inet", {}, "1.2.3.4,tcp:nosuch",
     "entry '1.2.3.4,tcp:nosuch': unknown tcp port 'nosuch'"),
    ("hash:ip,port", "inet", {}, "1.2.3.4,gre:1",
     "entry '1.2.3.4,gre:1': protocol gre can be used with pseudo port value 0 only"),
    ("hash:ip,port", "inet", {}, "1.2.3.4,icmpv6:1/0",
     "entry '1.2.3.4,icmpv6:1/0': protocol icmpv6 can be used with family inet6 only"),
    ("hash:ip,port", "inet6", {}, "::1,icmp:1/0",
     "entry '::1,icmp:1/0': protocol icmp can be used with family inet only"),
    ("hash:ip,port", "inet", {}, "1.2.3.4,icmp:bogus",
     "entry '1.2.3.4,icmp:bogus': invalid ICMP type/code 'bogus'"),
    ("hash:ip,port", "inet", {}, "1.2.3.4,icmp:1/256",
     "entry '1.2.3.4,icmp:1/256': ICMP code 256 out of range 0-255"),
    ("hash:ip,port", "inet", {}, "1.2.3.4,tcp:0-65535",
     "entry '1.2.3.4,tcp:0-65535': tcp:0-65535 expands to 65536 elements, more than the limit of 1000"),
    ("hash:ip,port", "inet", {}, "10.0.0.0/24,tcp:1-10",
     "entry '10.0.0.0/24,tcp:1-10': 10.0.0.0/24,tcp:1-10 expands to 2560 elements, more than the limit of 1000"),
    ("hash:ip,port,ip", "inet", {}, "10.0.0.3,80,10.0.0.4/30",
     "entry '10.0.0.3,80,10.0.0.4/30': hash:ip,port,ip takes a plain IP address here, not IP/CIDR '10.0.0.4/30'"),
    # The CLI refuses IP/CIDR, even a host one, where libipset allows no range (ipset v7.17:
    # "IP/CIDR range is not allowed in command add with set type ...")
    ("hash:ip,port,ip", "inet6", {}, "2001:db8::1,80,2001:db8::2/128",
     "entry '2001:db8::1,80,2001:db8::2/128': hash:ip,port,ip takes a plain IP address here, not IP/CIDR '2001:db8::2/128'"),
    ("bitmap:ip,mac", "inet", {}, "10.0.0.5/32,00:00:00:00:00:01",
     "entry '10.0.0.5/32,00:00:00:00:00:01': bitmap:ip,mac takes a plain IP address here, not IP/CIDR '10.0.0.5/32'"),
    ("bitmap:ip,mac", "inet", {}, "10.0.0.5/32",
     "entry '10.0.0.5/32': bitmap:ip,mac takes a plain IP address here, not IP/CIDR"),
    ("hash:ip,mac", "inet", {}, "192.0.2.1/32,00:11:22:33:44:55",
     "entry '192.0.2.1/32,00:11:22:33:44:55': hash:ip,mac takes a plain IP address here, not IP/CIDR '192.0.2.1/32'"),
    ("hash:ip,mac", "inet", {}, "192.0.2.0/30,00:11:22:33:44:55",
     "entry '192.0.2.0/30,00:11:22:33:44:55': hash:ip,mac takes a plain IP address here, not IP/CIDR '192.0.2.0/30'"),
    ("hash:ip,mac", "inet6", {}, "2001:db8::1/128,00:11:22:33:44:55",
     "entry '2001:db8::1/128,00:11:22:33:44:55': hash:ip,mac takes a plain IP address here, not IP/CIDR '2001:db8::1/128'"),
    ("hash:ip,mac", "inet", {}, "192.0.2.1-192.0.2.2,00:11:22:33:44:55",
     "entry '192.0.2.1-192.0.2.2,00:11:22:33:44:55': a plain IP address is required here, not a range '192.0.2.1-192.0.2.2'"),
    ("hash:net,iface", "inet", {}, "10.0.0.0/24,abcdefghijklmnop",
     "entry '10.0.0.0/24,abcdefghijklmnop': interface name 'abcdefghijklmnop' is longer than 15 characters"),
    ("hash:net,iface", "inet", {}, "10.0.0.0/24,physdev:",
     "entry '10.0.0.0/24,physdev:': empty interface name"),
    ("hash:net,iface", "inet", {}, "10.0.0.0/24,",
     "entry '10.0.0.0/24,': empty element part"),
    ("hash:mac", None, {}, "00:11:22:33:44", "entry '00:11:22:33:44': invalid MAC address"),
    ("hash:mac", None, {}, "00:11:22:33:44:100", "entry '00:11:22:33:44:100': invalid MAC address"),
    ("hash:ip,mark", "inet", {}, "1.2.3.4,0x100000000",
     "entry '1.2.3.4,0x100000000': mark 0x100000000 out of range 0-4294967295"),
    ("bitmap:ip,mac", "inet", {}, "10.0.0.5-10.0.0.6,00:00:00:00:00:01",
     "entry '10.0.0.5-10.0.0.6,00:00:00:00:00:01': a plain IP address is required here, not a range '10.0.0.5-10.0.0.6'"),
    ("bitmap:port", None, {}, "icmp:1", "entry 'icmp:1': only protocols tcp and udp are valid here, not 'icmp'"),
    ("list:set", None, {}, "a" * 32,
     "entry '%s': set name '%s' is longer than 31 characters" % ("a" * 32, "a" * 32)),
    ("list:set", None, {}, "a,inside,b",
     "entry 'a,inside,b': list:set members are written NAME or NAME,before|after,NAME"),
    ("list:set", None, {}, "a,b", "entry 'a,b': list:set takes 1 dimension, got 2"),
    ("hash:ip", "inet", {}, "1.2.3.4 timeout 2147484",
     "entry '1.2.3.4 timeout 2147484': timeout 2147484 out of range 0-2147483"),
    ("hash:ip", "inet", {}, "1.2.3.4 timeout",
     "entry '1.2.3.4 timeout': unknown or incomplete option 'timeout'"),
    ("hash:ip", "inet", {}, '1.2.3.4 comment "x',
     "entry '1.2.3.4 comment \"x': cannot split options 'comment \"x': No closing quotation"),
    ("hash:ip", "inet", {}, "1.2.3.4 nomatch",
     "entry '1.2.3.4 nomatch': nomatch is not valid for set type hash:ip"),
    ("hash:net", "inet", {}, "1.2.3.4 wildcard",
     "entry '1.2.3.4 wildcard': wildcard is not valid for set type hash:net"),
    ("hash:ip", "inet", {}, "1.2.3.4 skbmark 5",
     "entry '1.2.3.4 skbmark 5': skbmark must be 0xMARK or 0xMARK/0xMASK (hex), got '5'"),
    ("hash:ip", "inet", {}, "1.2.3.4 skbprio 1",
     "entry '1.2.3.4 skbprio 1': skbprio must be MAJOR:MINOR (hex), got '1'"),
    ("hash:ip", "inet", {}, "1.2.3.4 skbqueue 65536",
     "entry '1.2.3.4 skbqueue 65536': skbqueue 65536 out of range 0-65535"),
    ("hash:ip", "inet", {}, "1.2.3.4 before x",
     "entry '1.2.3.4 before x': before is valid for list:set members only"),
]  # fmt: skip


@pytest.mark.parametrize("settype, family, kwargs, text, message", NEGATIVE)
def test_parse_errors(settype, family, kwargs, text, message):
    limit = 1000 if "limit of 1000" in message else 65536
    with pytest.raises(IpsetInputError) as info:
        P.parse_entries([text], settype, family, max_expand=limit, **kwargs)
    assert str(info.value) == message


DICT_NEGATIVE = [
    ({"entry": "1.2.3.4", "comment": "x" * 256}, "entry '1.2.3.4': comment is longer than 255 bytes"),
    ({"entry": "1.2.3.4", "comment": "\u00e9" * 128},
     "entry '1.2.3.4': comment is longer than 255 bytes"),
    ({"entry": "1.2.3.4", "comment": 'a"b'},
     "entry '1.2.3.4': comment must not contain \" or NUL characters"),
    ({"entry": "1.2.3.4", "timeout": -1}, "entry '1.2.3.4': timeout -1 out of range 0-2147483"),
    ({"entry": "1.2.3.4", "timeout": True}, "entry '1.2.3.4': timeout must be a number, got True"),
    ({"entry": "1.2.3.4", "colour": "red"}, "entry '1.2.3.4': unknown entry option 'colour'"),
    ({"entry": 5}, "entry {'entry': 5}: the 'entry' key must be a string"),
    ({"timeout": 5}, "entry {'timeout': 5}: the 'entry' key must be a string"),
]  # fmt: skip


@pytest.mark.parametrize("item, message", DICT_NEGATIVE)
def test_dict_errors(item, message):
    with pytest.raises(IpsetInputError) as info:
        P.parse_entries([item], "hash:ip", "inet")
    assert str(info.value) == message


def test_not_str_or_dict():
    with pytest.raises(IpsetInputError, match=r"^entry 5: must be a string or a dict$"):
        P.parse_entries([5], "hash:ip", "inet")


def test_first_bad_item_wins_and_nothing_returned():
    with pytest.raises(IpsetInputError, match="^entry 'bad': "):
        P.parse_entries(["10.0.0.1", "bad", "worse"], "hash:ip", "inet")


# (settype, item, ext, formatted tail)
EXT_CASES = [
    ("hash:ip", '10.0.0.1 timeout 30 packets 5 bytes 7 comment "hi there" skbmark 0x1/0xff '
     "skbprio 1:2 skbqueue 3",
     {"timeout": 30, "packets": 5, "bytes": 7, "comment": "hi there",
      "skbmark": 1 << 32 | 0xFF, "skbprio": 1 << 16 | 2, "skbqueue": 3},
     ' timeout 30 packets 5 bytes 7 comment "hi there" skbmark 0x1/0xff skbprio 1:2 skbqueue 3'),
    ("hash:ip", "10.0.0.3 skbmark 0x5/0xffffffff skbprio 10:ff",
     {"skbmark": 5 << 32 | 0xFFFFFFFF, "skbprio": 0x10 << 16 | 0xFF},
     " skbmark 0x5 skbprio 10:ff"),
    ("hash:ip", "10.0.0.4 timeout 0", {"timeout": 0}, " timeout 0"),
    ("hash:ip", "10.0.0.4 timeout 2147483", {"timeout": 2147483}, " timeout 2147483"),
    ("hash:net", '10.0.4.0/24 nomatch timeout 5 comment "x" skbqueue 2 packets 1 bytes 2',
     {"nomatch": True, "timeout": 5, "comment": "x", "skbqueue": 2, "packets": 1, "bytes": 2},
     ' timeout 5 nomatch packets 1 bytes 2 comment "x" skbqueue 2'),
    ("hash:net,iface", "10.0.0.0/8,eth wildcard", {"wildcard": True}, " wildcard"),
    ("hash:ip", {"entry": "10.0.0.1", "timeout": "30", "skbmark": 7, "packets": 18446744073709551614},
     {"timeout": 30, "skbmark": 7, "packets": 18446744073709551614},
     " timeout 30 packets 18446744073709551614 skbmark 0x0/0x7"),
    ("hash:ip", {"entry": "10.0.0.1", "comment": "x" * 255}, {"comment": "x" * 255},
     ' comment "%s"' % ("x" * 255)),
]  # fmt: skip


@pytest.mark.parametrize("settype, item, ext, tail", EXT_CASES)
def test_extensions(settype, item, ext, tail):
    (entry,) = P.parse_entries([item], settype, "inet")
    assert entry.ext == ext
    assert E.format_extensions(entry.ext) == tail


def test_nomatch_flag_is_not_identity():
    entries = P.parse_entries(["10.0.0.0/24", "10.0.0.0/24 nomatch"], "hash:net", "inet")
    assert [(e.key, e.data.get("cadt_flags"), e.ext) for e in entries] == [
        ("10.0.0.0/24", 4, {"nomatch": True})
    ]


def test_duplicates_collapse_last_extensions_win_first_place_kept():
    entries = P.parse_entries(
        ["10.0.0.2", {"entry": "10.0.0.1", "timeout": 5}, "10.0.0.0/31", "10.0.0.1 timeout 9"],
        "hash:ip", "inet",
    )  # fmt: skip
    assert [(e.key, e.ext) for e in entries] == [
        ("10.0.0.2", {}), ("10.0.0.1", {"timeout": 9}), ("10.0.0.0", {}),
    ]  # fmt: skip


def test_defaults_apply_unless_overridden():
    entries = P.parse_entries(
        ["10.0.0.1", {"entry": "10.0.0.2", "timeout": 1}, "10.0.0.3 comment y"],
        "hash:ip", "inet", defaults={"timeout": 60, "comment": "x"},
    )  # fmt: skip
    assert [e.ext for e in entries] == [
        {"timeout": 60, "comment": "x"}, {"timeout": 1, "comment": "x"},
        {"timeout": 60, "comment": "y"},
    ]  # fmt: skip
    entries[0].ext["timeout"] = 0  # every entry has its own dict
    assert entries[1].ext["timeout"] == 1


def test_bad_defaults():
    with pytest.raises(IpsetInputError, match=r"^defaults: timeout 2147484 out of range"):
        P.parse_entries([], "hash:ip", "inet", defaults={"timeout": 2147484})


def test_list_set_position():
    (entry,) = P.parse_entries([{"entry": "a", "before": "b"}], "list:set", None)
    assert entry == E.Entry("a", {"name": "a", "nameref": "b", "cadt_flags": 1}, {},
                            ("before", "b"))  # fmt: skip
    with pytest.raises(IpsetInputError, match="give only one of before and after"):
        P.parse_entries([{"entry": "a,after,c", "before": "b"}], "list:set", None)


@pytest.mark.parametrize(
    "settype, family, data, key",
    [
        ("hash:ip", "inet", {"ip": A("00000001")}, "0.0.0.1"),
        ("hash:net", "inet", {"ip": A("00000000"), "cidr": 0}, "0.0.0.0/0"),
        ("hash:net", "inet6", {"ip": ip6("::"), "cidr": 128}, "::"),
        ("hash:net", "inet6", {"ip": ip6("::"), "cidr": 0}, "::/0"),
        ("hash:ip,port", "inet", {"ip": A("c0000201"), "port": 0, "proto": 6}, "192.0.2.1,tcp:0"),
        ("hash:ip,port", "inet", {"ip": A("c0000201"), "port": 65535, "proto": 17},
         "192.0.2.1,udp:65535"),
        ("hash:ip,port", "inet", {"ip": A("c0000201"), "port": 0x0D00, "proto": 1},
         "192.0.2.1,icmp:timestamp-request"),
        ("hash:ip,port", "inet", {"ip": A("c0000201"), "port": 0, "proto": 200},
         "192.0.2.1,200:0"),
        ("hash:net,iface", "inet",
         {"ip": A("0a000000"), "cidr": 8, "iface": "eth", "cadt_flags": 4 | 128}, "10.0.0.0/8,eth"),
        ("list:set", None, {"name": "x"}, "x"),
        ("bitmap:port", None, {"port": 0}, "0"),
        ("hash:ip,mark", "inet", {"ip": A("0a000001"), "mark": 0xFFFFFFFF}, "10.0.0.1,0xffffffff"),
    ],
)  # fmt: skip
def test_format_entry(settype, family, data, key):
    assert LI.format_entry(settype, family, data) == key


def test_entry_from_kernel_splits_flags_and_extensions():
    attrs = {"ip": A("0a000000"), "cidr": 8, "iface": "eth", "cadt_flags": 2 | 4 | 128,
             "timeout": 5, "packets": 0, "bytes": 0}  # fmt: skip
    entry = LI.entry_from_kernel("hash:net,iface", "inet", attrs)
    assert entry.key == "10.0.0.0/8,physdev:eth"
    assert entry.ext == {"timeout": 5, "packets": 0, "bytes": 0, "nomatch": True,
                         "wildcard": True}  # fmt: skip
    assert entry.data == {"ip": A("0a000000"), "cidr": 8, "iface": "eth", "cadt_flags": 134}


def test_range_to_cidrs_matches_kernel_examples():
    assert D.range_to_cidrs(0x0A000300, 0x0A000309, 32) == [(0x0A000300, 29), (0x0A000308, 31)]
    assert D.range_to_cidrs(1, 6, 32) == [(1, 32), (2, 31), (4, 31), (6, 32)]
    assert D.range_to_cidrs(0, 0x7FFFFFFF, 32) == [(0, 1)]


def test_fast_and_general_paths_agree():
    items = ["10.0.0.1", "10.0.0.0/24", "10.1.2.3/16", "10.0.0.1,tcp:80"]
    for settype, item in (("hash:ip", items[0]), ("hash:net", items[1]), ("hash:net", items[2]),
                          ("hash:ip,port", items[3])):  # fmt: skip
        fast = P.parse_entries([item], settype, "inet")
        general = P.parse_entries([{"entry": item}], settype, "inet")
        assert fast == general


# Every input on the fast path (a bare string) and the general one (a dict) of each type that
# has a fast path: the same entries, or the same error.
SHORT_FORMS = [
    ("hash:ip", "inet6", ["10.1", "::", "2001:DB8::1", "::1"]),
    ("hash:ip", "inet", ["10.1", "010.0.0.1", "0x0a.0.0.1", "1.2.3.08", "0", "10.0.0.1"]),
    ("hash:net", "inet", ["192.168.0/24", "0/0", "1.2.3.4/08", "1.2.3.4/07", "1.2.3.4/024",
                          "10.1/16", "10.0.0.1/09", "10.0.0.0/8"]),
    ("hash:ip,port", "inet", ["010.1.2.3,tcp:80", "0.0.0.0,80", "0.0.0.0,tcp:80", "0,tcp:1", "10.1,udp:53",
                              "10.0.0.1,tcp:080", "10.0.0.1,tcp:80"]),
]  # fmt: skip


def _outcome(items, settype, family):
    try:
        return [tuple(e) for e in P.parse_entries(items, settype, family)]
    except IpsetInputError as exc:
        return str(exc)


@pytest.mark.parametrize("settype, family, items", SHORT_FORMS)
def test_short_forms_same_on_fast_and_general_paths(settype, family, items):
    for item in items:
        fast = _outcome([item], settype, family)
        assert fast == _outcome([{"entry": item}], settype, family), item
    if settype == "hash:ip":  # the bulk path declines what it does not read as inet_pton does
        packed = M._bare_hosts(items[-1:], family)
        assert packed is not None and _outcome(items[-1:], settype, family)[0][1]["ip"] == packed[0]
        if family == "inet":
            assert M._bare_words(items[-1:]) == [int.from_bytes(packed[0], "big")]
            assert all(M._bare_words([i]) is None for i in items[:-1]
                       if not M._bare_hosts([i], family))
        for item in items[:-1]:
            packed = M._bare_hosts([item], family)
            if packed is not None:
                assert _outcome([item], settype, family)[0][1]["ip"] == packed[0]
