# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the table of accelerators (house style 5a).

A step has one public function. A faster variant of it is a private function of the same
module, named ``_fast_*`` (or listed here), that the public function calls first; the
accelerator returns None when it does not apply, and the public function then takes its
general path. Callers (modules, other steps) call only the public function. Each
accelerator has a row here, and tests/unit/plugins/module_utils/_ipset/test_accelerators.py
walks the table (and fails on a ``_fast_*`` function without a row): for generated
inputs, the public function with the accelerator in place and with it replaced by one that
always declines gives equal results and rejects the same inputs with the same error.
Nothing imports this module at run time (it is for the test and for readers).
"""

from __future__ import annotations

from typing import NamedTuple, Tuple


class Accelerator(NamedTuple):
    module: str  # under plugins/module_utils/_ipset
    public: str  # the one public function of the step
    fast: str  # the private accelerator it calls first
    applies: str  # when the accelerator answers (it declines, with None, otherwise)


_FOUR_HASH = "a set that masks nothing, defaults without nomatch, wildcard, before or after; "

ACCELERATORS: Tuple[Accelerator, ...] = (
    Accelerator(
        "parse",
        "parse_entries",
        "_fast_hash_ip4",
        _FOUR_HASH + "hash:ip inet, an item that is a dotted quad other than 0.0.0.0",
    ),
    Accelerator(
        "parse",
        "parse_entries",
        "_fast_hash_ip6",
        _FOUR_HASH + "hash:ip inet6, an item that inet_pton reads, other than ::",
    ),
    Accelerator(
        "parse",
        "parse_entries",
        "_fast_hash_net4",
        _FOUR_HASH + "hash:net inet, a dotted quad with no CIDR or /1../32 in ASCII decimal",
    ),
    Accelerator(
        "parse",
        "parse_entries",
        "_fast_hash_ipport4",
        _FOUR_HASH + "hash:ip,port inet, ADDR,tcp|udp|sctp|udplite:PORT in ASCII decimal",
    ),
    Accelerator(
        "listing",
        "format_entry",
        "_fast_format",
        "hash:ip, hash:net, and hash:ip,port with a protocol that has ports (tcp, udp, sctp,"
        " udplite)",
    ),
    Accelerator(
        "listing",
        "keys_from_kernel",
        "_fast_hash_ip_keys",
        "hash:ip members that all carry an address of the set's family",
    ),
    Accelerator(
        "wire",
        "decode_adt",
        "_decode_uniform",
        "every IPSET_ATTR_DATA record laid out as the first one (the same attributes, sizes and"
        " address families, fixed-size values only), as a kernel dump of one set's members is;"
        " records of one attribute come back as a `wire.OneKey` column, equal to the list",
    ),
    Accelerator(
        "entries",
        "plan",
        "_plan_bare_hosts",
        "a hash:ip set without netmask, bitmask, comments or skbinfo; no extension, refresh or"
        " atomic asked; every item a bare address string other than the zero address",
    ),
    Accelerator(
        "entries_file",
        "read_entries_file",
        "_one_word_lines",
        "an ASCII file of one word per line: no comment, option, blank-padded or CR LF line",
    ),
)
