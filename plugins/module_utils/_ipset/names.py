# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the protocol and ICMP name tables ipset reads and prints.

Protocols as getprotobyname()/getprotobynumber() answer from Debian netbase /etc/protocols;
ICMP and ICMPv6 type/code names as ipset's lib/icmp.c and lib/icmpv6.c list them.
"""

from __future__ import annotations

from typing import Dict, Tuple

# protocols (Debian netbase /etc/protocols, as getprotobyname()/getprotobynumber() there).
# number: (name ipset prints, aliases accepted); "icmpv6" is accepted as ipset does.
_PROTOCOLS = {
    0: ("ip", ("IP", "hopopt", "HOPOPT")), 1: ("icmp", ("ICMP",)), 2: ("igmp", ("IGMP",)),
    3: ("ggp", ("GGP",)), 4: ("ipencap", ("IP-ENCAP",)), 5: ("st", ("ST",)),
    6: ("tcp", ("TCP",)), 8: ("egp", ("EGP",)), 9: ("igp", ("IGP",)), 12: ("pup", ("PUP",)),
    17: ("udp", ("UDP",)), 20: ("hmp", ("HMP",)), 22: ("xns-idp", ("XNS-IDP",)),
    27: ("rdp", ("RDP",)), 29: ("iso-tp4", ("ISO-TP4",)), 33: ("dccp", ("DCCP",)),
    36: ("xtp", ("XTP",)), 37: ("ddp", ("DDP",)), 38: ("idpr-cmtp", ("IDPR-CMTP",)),
    41: ("ipv6", ("IPv6",)), 43: ("ipv6-route", ("IPv6-Route",)),
    44: ("ipv6-frag", ("IPv6-Frag",)), 45: ("idrp", ("IDRP",)), 46: ("rsvp", ("RSVP",)),
    47: ("gre", ("GRE",)), 50: ("esp", ("IPSEC-ESP",)), 51: ("ah", ("IPSEC-AH",)),
    57: ("skip", ("SKIP",)), 58: ("ipv6-icmp", ("IPv6-ICMP", "icmpv6")),
    59: ("ipv6-nonxt", ("IPv6-NoNxt",)), 60: ("ipv6-opts", ("IPv6-Opts",)),
    73: ("rspf", ("RSPF", "CPHB")), 81: ("vmtp", ("VMTP",)), 88: ("eigrp", ("EIGRP",)),
    89: ("ospf", ("OSPFIGP",)), 93: ("ax.25", ("AX.25",)), 94: ("ipip", ("IPIP",)),
    97: ("etherip", ("ETHERIP",)), 98: ("encap", ("ENCAP",)), 103: ("pim", ("PIM",)),
    108: ("ipcomp", ("IPCOMP",)), 112: ("vrrp", ("VRRP",)), 115: ("l2tp", ("L2TP",)),
    124: ("isis", ("ISIS",)), 132: ("sctp", ("SCTP",)), 133: ("fc", ("FC",)),
    135: ("mobility-header", ("Mobility-Header",)), 136: ("udplite", ("UDPLite",)),
    137: ("mpls-in-ip", ("MPLS-in-IP",)), 138: ("manet", ("MANET",)), 139: ("hip", ("HIP",)),
    140: ("shim6", ("Shim6",)), 141: ("wesp", ("WESP",)), 142: ("rohc", ("ROHC",)),
    143: ("ethernet", ("Ethernet",)),
}  # fmt: skip
PROTO_NAMES: Dict[int, str] = {num: names[0] for num, names in _PROTOCOLS.items()}
PROTO_NUMBERS: Dict[str, int] = {}
for _num, (_name, _aliases) in _PROTOCOLS.items():
    PROTO_NUMBERS[_name] = _num
    for _alias in _aliases:
        PROTO_NUMBERS[_alias] = _num
PROTO_NUMBERS["ICMPv6"] = 58

IPPROTO_ICMP = 1
IPPROTO_ICMPV6 = 58
# ip_set_getport.h ip_set_proto_with_ports(): the protocols whose port is a real port
PROTOS_WITH_PORTS = frozenset({6, 17, 132, 136})  # tcp, udp, sctp, udplite

# ipset lib/icmp.c and lib/icmpv6.c, in table order: names are matched case-insensitively
# by prefix, first hit wins (as name_to_icmp() does); the first name of a type/code prints.
ICMP_NAMES: Tuple[Tuple[str, int, int], ...] = (
    ("echo-reply", 0, 0), ("pong", 0, 0), ("network-unreachable", 3, 0),
    ("host-unreachable", 3, 1), ("protocol-unreachable", 3, 2), ("port-unreachable", 3, 3),
    ("fragmentation-needed", 3, 4), ("source-route-failed", 3, 5), ("network-unknown", 3, 6),
    ("host-unknown", 3, 7), ("network-prohibited", 3, 9), ("host-prohibited", 3, 10),
    ("TOS-network-unreachable", 3, 11), ("TOS-host-unreachable", 3, 12),
    ("communication-prohibited", 3, 13), ("host-precedence-violation", 3, 14),
    ("precedence-cutoff", 3, 15), ("source-quench", 4, 0), ("network-redirect", 5, 0),
    ("host-redirect", 5, 1), ("TOS-network-redirect", 5, 2), ("TOS-host-redirect", 5, 3),
    ("echo-request", 8, 0), ("ping", 8, 0), ("router-advertisement", 9, 0),
    ("router-solicitation", 10, 0), ("ttl-zero-during-transit", 11, 0),
    ("ttl-zero-during-reassembly", 11, 1), ("ip-header-bad", 12, 0),
    ("required-option-missing", 12, 1), ("timestamp-request", 13, 0),
    ("timestamp-reply", 14, 0), ("address-mask-request", 17, 0),
    ("address-mask-reply", 18, 0),
)  # fmt: skip
ICMPV6_NAMES: Tuple[Tuple[str, int, int], ...] = (
    ("no-route", 1, 0), ("communication-prohibited", 1, 1), ("address-unreachable", 1, 3),
    ("port-unreachable", 1, 4), ("packet-too-big", 2, 0), ("ttl-zero-during-transit", 3, 0),
    ("ttl-zero-during-reassembly", 3, 1), ("bad-header", 4, 0),
    ("unknown-header-type", 4, 1), ("unknown-option", 4, 2), ("echo-request", 128, 0),
    ("ping", 128, 0), ("echo-reply", 129, 0), ("pong", 129, 0),
    ("router-solicitation", 133, 0), ("router-advertisement", 134, 0),
    ("neighbour-solicitation", 135, 0), ("neigbour-solicitation", 135, 0),
    ("neighbour-advertisement", 136, 0), ("neigbour-advertisement", 136, 0),
    ("redirect", 137, 0),
)  # fmt: skip


def _icmp_print_table(table: Tuple[Tuple[str, int, int], ...]) -> Dict[int, str]:
    out: Dict[int, str] = {}
    for name, itype, code in table:
        out.setdefault(itype << 8 | code, name)
    return out


ICMP_PRINT = {IPPROTO_ICMP: _icmp_print_table(ICMP_NAMES),
              IPPROTO_ICMPV6: _icmp_print_table(ICMPV6_NAMES)}  # fmt: skip
ICMP_PARSE = {IPPROTO_ICMP: ICMP_NAMES, IPPROTO_ICMPV6: ICMPV6_NAMES}


def proto_port_text(proto: int, port: int) -> str:
    """``proto:port`` as ipset prints it (icmp type/code by name when it has one)."""
    name = PROTO_NAMES.get(proto) or str(proto)
    if proto in ICMP_PRINT:
        return "%s:%s" % (name, ICMP_PRINT[proto].get(port) or "%d/%d" % (port >> 8, port & 255))
    return "%s:%d" % (name, port)
