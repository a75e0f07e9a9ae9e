# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: ipset's kernel error codes, worded once per (command, code).

The kernel answers ipset requests with errnos above 4096 (enum ipset_errno in ip_set.h and the
type-specific enums, which reuse the same numbers for hash, bitmap and list types), or with
ordinary errnos whose meaning depends on the command. This is the only place they are worded.
"""

from __future__ import annotations

import errno
from typing import Dict, Optional, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._netlink import errors

ANY = 0  # any command

# (command, code) -> text; looked up with the command first, then ANY.
_GENERIC: Dict[Tuple[int, int], str] = {
    (ANY, u.IPSET_ERR_PROTOCOL): "the kernel rejected the request as an ipset protocol error",
    (ANY, u.IPSET_ERR_FIND_TYPE): "the kernel does not support this set type (or revision)",
    (ANY, u.IPSET_ERR_MAX_SETS): "the kernel's limit on the number of sets is reached",
    (ANY, u.IPSET_ERR_BUSY): "the set is in use by a kernel component (a firewall rule or a "
    "list:set) and cannot be destroyed",
    (ANY, u.IPSET_ERR_EXIST_SETNAME2): "a set with the new name already exists",
    (u.IPSET_CMD_SWAP, u.IPSET_ERR_EXIST_SETNAME2): "the second set does not exist",
    (ANY, u.IPSET_ERR_TYPE_MISMATCH): "the sets have different types or families and cannot "
    "be swapped",
    (ANY, u.IPSET_ERR_EXIST): "the element is already in the set",
    (u.IPSET_CMD_DEL, u.IPSET_ERR_EXIST): "the element is not in the set",
    (u.IPSET_CMD_TEST, u.IPSET_ERR_EXIST): "the element is not in the set",
    (ANY, u.IPSET_ERR_INVALID_CIDR): "the prefix length (CIDR) is invalid for this set",
    (ANY, u.IPSET_ERR_INVALID_NETMASK): "the netmask is invalid",
    (ANY, u.IPSET_ERR_INVALID_FAMILY): "the set type does not support this address family",
    (ANY, u.IPSET_ERR_TIMEOUT): "the set was created without timeout support",
    (ANY, u.IPSET_ERR_REFERENCED): "the set is referenced and cannot be renamed or swapped",
    (ANY, u.IPSET_ERR_IPADDR_IPV4): "an IPv4 address was expected",
    (ANY, u.IPSET_ERR_IPADDR_IPV6): "an IPv6 address was expected",
    (ANY, u.IPSET_ERR_COUNTER): "the set was created without counters",
    (ANY, u.IPSET_ERR_COMMENT): "the set was created without comment support",
    (ANY, u.IPSET_ERR_INVALID_MARKMASK): "the markmask is invalid",
    (ANY, u.IPSET_ERR_SKBINFO): "the set was created without skbinfo support",
    (ANY, u.IPSET_ERR_BITMASK_NETMASK_EXCL): "netmask and bitmask cannot be used together",
    (ANY, errno.ENOENT): "the set does not exist",
    (u.IPSET_CMD_CREATE, errno.EEXIST): "a set of that name exists with another type, family "
    "or revision",
    (u.IPSET_CMD_RENAME, errno.EEXIST): "a set with the new name already exists",
    (ANY, errno.ERANGE): "a value is out of the range the kernel accepts",
    (ANY, errno.EMSGSIZE): "the request was too large for the kernel",
    (ANY, errno.ENOMEM): "the kernel ran out of memory",
}

# Type-specific codes (>= IPSET_ERR_TYPE_SPECIFIC), by the type's method ("hash", ...).
_SPECIFIC: Dict[Tuple[str, int], str] = {
    ("hash", u.IPSET_ERR_HASH_FULL): "the set is full (maxelem reached)",
    ("hash", u.IPSET_ERR_HASH_ELEM): "a null-valued element cannot be stored in a hash set",
    ("hash", u.IPSET_ERR_INVALID_PROTO): "the protocol is invalid",
    ("hash", u.IPSET_ERR_MISSING_PROTO): "a protocol must be given with the port",
    ("hash", u.IPSET_ERR_HASH_RANGE_UNSUPPORTED): "a range is not supported in this component",
    ("hash", u.IPSET_ERR_HASH_RANGE): "the range is invalid (it covers the whole address space)",
    ("bitmap", u.IPSET_ERR_BITMAP_RANGE): "the element is outside the range of the set",
    ("bitmap", u.IPSET_ERR_BITMAP_RANGE_SIZE): "the range exceeds the size limit of the type",
    ("list", u.IPSET_ERR_NAME): "the set to add, delete or test as an element does not exist",
    ("list", u.IPSET_ERR_LOOP): "a list:set cannot be a member of a list:set",
    ("list", u.IPSET_ERR_BEFORE): "no reference set was given for before/after",
    ("list", u.IPSET_ERR_NAMEREF): "the set named in before/after does not exist",
    ("list", u.IPSET_ERR_LIST_FULL): "the list:set is full",
    ("list", u.IPSET_ERR_REF_EXIST): "the set named in before/after is not in the list",
}


def describe(command: int, code: int, settype: str = "") -> Optional[str]:
    """The worded meaning of an ipset error, or None when ipset gives it no special meaning."""
    if code >= u.IPSET_ERR_TYPE_SPECIFIC:
        return _SPECIFIC.get((settype.split(":", 1)[0], code))
    return _GENERIC.get((command, code)) or _GENERIC.get((ANY, code))


class IpsetError(errors.NetlinkError):
    """A kernel refusal of an ipset request, worded for people."""

    def __init__(
        self, source: errors.NetlinkError, command: int, setname: str = "", settype: str = ""
    ):
        text = describe(command, source.errno, settype) or source.reason
        if source.message and source.message not in text:
            text = "%s (%s)" % (text, source.message)
        self.setname = setname
        super().__init__(
            source.errno, u.COMMAND_NAMES.get(command, str(command)), text, source.request
        )

    def __str__(self) -> str:
        where = "set %r: " % self.setname if self.setname else ""
        return "%s%s [%s]" % (where, self.message, self.command)
