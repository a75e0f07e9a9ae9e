# SPDX-License-Identifier: GPL-3.0-or-later
"""A fake ipset kernel on top of nltest: sets and members kept in memory, faults on demand.

`FakeIpset` is an `nltest.FakeKernel` whose handler speaks enough of ipset's nfnetlink
protocol (net/netfilter/ipset/ip_set_core.c, Linux 6.x) for `IpsetClient` and the modules:
PROTOCOL, TYPE, CREATE, DESTROY, FLUSH, RENAME, SWAP, LIST (a dump: one header message, then
the members), ADD, DEL. It behaves as the kernel does where the client depends on it:

* ADD/DEL walk the elements of a message in order and stop at the first refused one; the
  elements before it stay applied, and the error echoes the request with the command-level
  IPSET_ATTR_LINENO set to the refused element's line number (``call_ad()``);
* every message of a datagram is processed, even after one failed;
* ADD of a present element updates its extensions (no NLM_F_EXCL: ``-exist``), DEL of an
  absent one is not an error.

Faults: ``refuse(pred, errno)`` refuses each element the predicate picks;
``fail_message(n, errno)`` refuses the n-th ADT message (0-based) as a whole;
``on_reply`` rewrites the replies to one request (transport faults: ENOBUFS, DUMP_INTR, bad
sequence numbers, truncation, EINTR).
"""

from __future__ import annotations

import copy
import errno
import struct
from typing import Any, Callable, Dict, List, Optional, Tuple

from _netlink import nltest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import typetable
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec, nfnetlink
from ansible_collections.linux.netlink.plugins.module_utils._netlink.codec import Message
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NLM_F_DUMP,
    NLM_F_EXCL,
)

# Element attributes that make an element's identity (the rest are extensions).
IDENTITY = ("ip", "cidr", "ip2", "cidr2", "port", "proto", "ether", "iface", "mark", "name")
EXTENSIONS = ("timeout", "packets", "bytes", "comment", "skbmark", "skbprio", "skbqueue")
_PHYSDEV = u.IPSET_FLAG_PHYSDEV
_KEEP_FLAGS = u.IPSET_FLAG_PHYSDEV | u.IPSET_FLAG_NOMATCH | u.IPSET_FLAG_IFACE_WILDCARD
MEMBERS_PER_MESSAGE = 200  # the kernel fills a dump message to a page; this splits as often


class FakeSet:
    def __init__(self, name: str, settype: str, family: int, revision: int, data: Dict) -> None:
        self.name = name
        self.type = settype
        self.family = family
        self.revision = revision
        self.data = dict(data)
        self.members: Dict[Tuple, Dict[str, Any]] = {}
        self.references = 0

    def state(self) -> Tuple:
        members = tuple(sorted((k, tuple(sorted(v.items()))) for k, v in self.members.items()))
        header = tuple(sorted(self.data.items()))
        return (self.type, self.family, self.revision, header, members)


def identity(elem: Dict[str, Any]) -> Tuple:
    key = tuple((k, elem[k]) for k in IDENTITY if k in elem)
    return key + (("physdev", bool(elem.get("cadt_flags", 0) & _PHYSDEV)),)


def stored(elem: Dict[str, Any], header: Dict[str, Any]) -> Dict[str, Any]:
    """The element as the kernel lists it: identity, flags, extensions the set has."""
    out = {k: elem[k] for k in IDENTITY if k in elem}
    flags = elem.get("cadt_flags", 0) & _KEEP_FLAGS
    if flags:
        out["cadt_flags"] = flags
    with_flags = header.get("cadt_flags", 0)
    if "timeout" in header:
        out["timeout"] = elem.get("timeout", header["timeout"])
    if with_flags & u.IPSET_FLAG_WITH_COUNTERS:
        out["packets"] = elem.get("packets", 0)
        out["bytes"] = elem.get("bytes", 0)
    if with_flags & u.IPSET_FLAG_WITH_COMMENT and elem.get("comment"):
        out["comment"] = elem["comment"]
    if with_flags & u.IPSET_FLAG_WITH_SKBINFO:
        for key in ("skbmark", "skbprio", "skbqueue"):
            if key in elem:
                out[key] = elem[key]
    return out


class FakeIpset(nltest.FakeKernel):
    """nltest's kernel with ipset state. ``sets`` maps names to `FakeSet`."""

    def __init__(self, kernel_revisions: Optional[Dict[str, int]] = None) -> None:
        super().__init__(handler=self._handle)
        self.sets: Dict[str, FakeSet] = {}
        self.revisions = kernel_revisions or {
            name: t.revision_max for name, t in typetable.SET_TYPES.items()
        }
        self.refusals: List[Tuple[Callable[[str, Dict[str, Any]], bool], int]] = []
        self.message_failures: Dict[int, int] = {}
        self.adt_messages = 0  # ADT messages seen so far
        self.applied: List[Tuple[str, str, Tuple]] = []  # (command, set, identity) in order
        self.on_reply: Optional[Callable[[Message, List[nltest.Item]], List[nltest.Item]]] = None
        self.commands: List[str] = []

    # ---------------------------------------------------------------- test helpers

    def state(self) -> Dict[str, Tuple]:
        return {name: s.state() for name, s in sorted(self.sets.items())}

    def refuse(self, pred: Callable[[str, Dict[str, Any]], bool], err: int) -> None:
        """Refuse (errno ``err``) every ADD/DEL element for which ``pred(cmd, elem)``."""
        self.refusals.append((pred, err))

    def fail_message(self, index: int, err: int) -> None:
        self.message_failures[index] = err

    def add_set(self, name: str, settype: str, family: str = "inet", **data: Any) -> FakeSet:
        fam = {"inet": 2, "inet6": 10, "": 0}[family]
        s = self.sets[name] = FakeSet(name, settype, fam, self.revisions[settype], data)
        return s

    def keys(self, name: str) -> List[Tuple]:
        return sorted(self.sets[name].members)

    # ---------------------------------------------------------------- protocol

    def _handle(self, msg: Message) -> List[nltest.Item]:
        replies = self._answer(msg)
        if self.on_reply is not None:
            replies = self.on_reply(msg, replies)
        return replies

    def _answer(self, msg: Message) -> List[nltest.Item]:
        command = msg.type & 0xFF
        self.commands.append(u.COMMAND_NAMES.get(command, str(command)))
        attrs = codec.decode(u.IPSET_ATTR_CMD, msg.payload, nfnetlink.NFGENMSG.size)
        handler = getattr(self, "_cmd_%s" % u.COMMAND_NAMES[command][10:].lower(), None)
        if handler is None:
            return [self.error(msg, errno.EOPNOTSUPP)]
        try:
            return handler(msg, attrs)
        except _Refused as exc:
            return [self.error(exc.request or msg, exc.errno)]

    def _reply(self, msg: Message, values: Dict[str, Any], family: int = 0) -> bytes:
        payload = nfnetlink.header(family) + codec.encode(u.IPSET_ATTR_CMD, values)
        return self.message(msg, msg.type, payload)

    def _cmd_protocol(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        return [self._reply(msg, {"protocol": 7, "protocol_min": 6}), self.ack(msg)]

    def _cmd_type(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        name = attrs.get("typename", "")
        if name not in self.revisions:
            raise _Refused(u.IPSET_ERR_FIND_TYPE)
        top = self.revisions[name]
        reply = {"protocol": 7, "typename": name, "family": attrs.get("family", 0),
                 "revision": top, "protocol_min": 0}  # fmt: skip
        return [self._reply(msg, reply), self.ack(msg)]

    def _get(self, attrs: Dict) -> FakeSet:
        found = self.sets.get(attrs.get("setname", ""))
        if found is None:
            raise _Refused(errno.ENOENT)
        return found

    def _cmd_create(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        name, settype = attrs["setname"], attrs["typename"]
        if settype not in self.revisions:
            raise _Refused(u.IPSET_ERR_FIND_TYPE)
        old = self.sets.get(name)
        if old is not None:
            if old.type != settype or msg.flags & NLM_F_EXCL:
                raise _Refused(errno.EEXIST)
            return [self.ack(msg)]
        data = dict(attrs.get("data", {}))
        data.pop("protocol", None)
        if settype.startswith("hash:"):
            data.setdefault("hashsize", 1024)
            data.setdefault("maxelem", 65536)
        self.sets[name] = FakeSet(name, settype, attrs.get("family", 0), attrs["revision"], data)
        return [self.ack(msg)]

    def _cmd_destroy(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        name = attrs.get("setname", "")
        if name not in self.sets:
            if msg.flags & NLM_F_EXCL:
                raise _Refused(errno.ENOENT)
            return [self.ack(msg)]
        if self.sets[name].references:
            raise _Refused(u.IPSET_ERR_BUSY)
        del self.sets[name]
        return [self.ack(msg)]

    def _cmd_get_byname(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        found = self._get(attrs)
        index = list(self.sets.values()).index(found)  # a slot per set, in creation order
        return [self._reply(msg, {"protocol": 7, "family": found.family, "index": index}),
                self.ack(msg)]  # fmt: skip

    def _cmd_flush(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        self._get(attrs).members.clear()
        return [self.ack(msg)]

    def _cmd_rename(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        found, new = self._get(attrs), attrs["typename"]
        if new in self.sets:
            raise _Refused(u.IPSET_ERR_EXIST_SETNAME2)
        del self.sets[found.name]
        found.name = new
        self.sets[new] = found
        return [self.ack(msg)]

    def _cmd_swap(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        first = self._get(attrs)
        second = self.sets.get(attrs["typename"])
        if second is None:
            raise _Refused(u.IPSET_ERR_EXIST_SETNAME2)
        if (first.type, first.family) != (second.type, second.family):
            raise _Refused(u.IPSET_ERR_TYPE_MISMATCH)
        first.name, second.name = second.name, first.name
        self.sets[first.name], self.sets[second.name] = first, second
        return [self.ack(msg)]

    def _cmd_list(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        assert msg.flags & NLM_F_DUMP, "IPSET_CMD_LIST is always a dump"
        name = attrs.get("setname")
        if name is not None and name not in self.sets:
            raise _Refused(errno.ENOENT)
        chosen = [self.sets[name]] if name is not None else list(self.sets.values())
        header_only = attrs.get("flags", 0) & u.IPSET_FLAG_LIST_HEADER
        payloads: List[bytes] = []
        for s in chosen:
            data = dict(s.data)
            data.update(elements=len(s.members), references=s.references, memsize=1000)
            head = {"protocol": 7, "setname": s.name, "typename": s.type, "revision": s.revision,
                    "family": s.family, "data": data}  # fmt: skip
            payloads.append(nfnetlink.header(s.family) + codec.encode(u.IPSET_ATTR_CMD, head))
            if header_only:
                continue
            members = list(s.members.values())
            for start in range(0, len(members), MEMBERS_PER_MESSAGE):
                part = {"protocol": 7, "setname": s.name,
                        "adt": {"data": members[start : start + MEMBERS_PER_MESSAGE]}}  # fmt: skip
                payloads.append(nfnetlink.header(s.family) + codec.encode(u.IPSET_ATTR_CMD, part))
        return list(self.multipart(msg, msg.type, payloads))

    def _cmd_add(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        return self._adt(msg, attrs, add=True)

    def _cmd_del(self, msg: Message, attrs: Dict) -> List[nltest.Item]:
        return self._adt(msg, attrs, add=False)

    def _adt(self, msg: Message, attrs: Dict, add: bool) -> List[nltest.Item]:
        index = self.adt_messages
        self.adt_messages += 1
        target = self._get(attrs)
        if index in self.message_failures:
            raise _Refused(self.message_failures[index])
        command = "add" if add else "del"
        for lineno, elem in enumerate(attrs.get("adt", {}).get("data", []), 1):
            for pred, err in self.refusals:
                if pred(command, elem):
                    raise _Refused(err, _with_lineno(msg, elem.get("lineno", lineno)))
            key = identity(elem)
            if add:
                target.members[key] = stored(elem, target.data)
            elif key in target.members:
                del target.members[key]
            else:
                continue
            self.applied.append((command, target.name, key))
        return [self.ack(msg)]


class _Refused(Exception):
    def __init__(self, err: int, request: Optional[Message] = None) -> None:
        super().__init__(err)
        self.errno = err
        self.request = request


def _with_lineno(msg: Message, lineno: int) -> Message:
    """The request with its command-level IPSET_ATTR_LINENO set, as call_ad() echoes it."""
    payload = bytearray(msg.payload)
    offset = nfnetlink.NFGENMSG.size
    while offset + 4 <= len(payload):
        length, attr_type = codec.NLATTR.unpack_from(payload, offset)
        if attr_type & 0x3FFF == 9 and length == 8:
            struct.pack_into("=I", payload, offset + 4, lineno)
            break
        offset += codec.align(max(length, 4))
    return msg._replace(payload=bytes(payload))


def snapshot(kernel: FakeIpset) -> Dict[str, Tuple]:
    return copy.deepcopy(kernel.state())
