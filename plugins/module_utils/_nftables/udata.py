# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the user data nft keeps in sets and elements.

The kernel stores NFTA_SET_USERDATA and NFTA_SET_ELEM_USERDATA without looking at them; nft
writes TLVs there (u8 type, u8 length, value; integers u32 in host byte order) and reads them
back to print a set the way it was declared: the key's byte order (how ``mark`` values are
shown), ``auto-merge``, a map's data byte order, comments. Types: `uapi.NFTNL_UDATA_*`.
"""

from __future__ import annotations

import struct
from typing import Dict, Iterable, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import ProtocolError

_U32 = struct.Struct("=I")


def pack(items: Iterable[Tuple[int, bytes]]) -> bytes:
    out = []
    for kind, value in items:
        if len(value) > 255:
            raise ValueError("user data value of %d bytes (at most 255)" % len(value))
        out.append(bytes((kind, len(value))) + value)
    return b"".join(out)


def unpack(data: bytes) -> Dict[int, bytes]:
    """The TLVs by type; a TLV that runs past the end raises ProtocolError."""
    out: Dict[int, bytes] = {}
    offset = 0
    while offset + 2 <= len(data):
        kind, length = data[offset], data[offset + 1]
        if offset + 2 + length > len(data):
            raise ProtocolError("user data TLV %d claims %d bytes, %d left"
                                % (kind, length, len(data) - offset - 2))
        out[kind] = data[offset + 2 : offset + 2 + length]
        offset += 2 + length
    return out


def u32(value: int) -> bytes:
    return _U32.pack(value)


def get_u32(value: bytes) -> int:
    return _U32.unpack_from(value)[0] if len(value) >= 4 else 0


def string(text: str) -> bytes:
    """A comment as nft writes it: UTF-8 with its terminating NUL."""
    return text.encode("utf-8") + b"\0"


def get_string(value: bytes) -> str:
    return value.split(b"\0", 1)[0].decode("utf-8", "replace")
