# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: an ipset client over nfnetlink, knowing nothing of Ansible.

Sets are described with the kernel's own attribute keys (see `uapi`): create data such as
``{"timeout": 600, "cadt_flags": IPSET_FLAG_WITH_COMMENT}``, elements such as
``{"ip": b"\\xc0\\x00\\x02\\x01", "cidr": 24}``. Element batches are sent the way
``ipset restore`` sends them: many elements per message (``IPSET_ATTR_ADT``), many messages
per datagram, each element numbered with ``IPSET_ATTR_LINENO`` so that the kernel names the
one it refused.
"""

from __future__ import annotations

import errno
from typing import Any, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset import errmsg, wire
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._netlink import (
    codec,
    errors,
    nfnetlink,
    transport,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (
    NETLINK_NETFILTER,
    NLA_F_NESTED,
    NLM_F_EXCL,
)

FAMILIES = {"inet": nfnetlink.NFPROTO_IPV4, "inet6": nfnetlink.NFPROTO_IPV6}
FAMILY_NAMES = {value: name for name, value in FAMILIES.items()}

_ADT_TYPE = u.IPSET_ATTR_ADT | NLA_F_NESTED
_LINENO = u.IPSET_ATTR_CMD.by_type[u.IPSET_ATTR_LINENO][1]


class SetInfo(NamedTuple):
    """A set as the kernel lists it."""

    name: str
    type: str
    family: Optional[str]  # "inet", "inet6", or None for family-less types
    revision: int
    data: Dict[str, Any]  # the header's IPSET_ATTR_DATA: create options and counts
    # element attribute dicts, when asked for (a `wire.OneKey` when all hold one attribute)
    elements: Optional[Sequence[Dict[str, Any]]]

    @property
    def references(self) -> int:
        return int(self.data.get("references", 0))


class BatchResult(NamedTuple):
    """What the kernel did with a batch of elements.

    ``applied`` are half-open index ranges of the elements the kernel applied; ``error`` the
    first refusal, with ``failed`` the index of the element it named (None when the whole
    message was refused or when there was no error).
    """

    applied: List[Tuple[int, int]]
    error: Optional[errmsg.IpsetError]
    failed: Optional[int]

    @property
    def count(self) -> int:
        return sum(end - start for start, end in self.applied)


class IpsetClient:
    """Talks ipset's nfnetlink protocol; one socket, optionally in another network namespace."""

    def __init__(
        self,
        netns: Optional[str] = None,
        sock: Optional[transport.NetlinkSocket] = None,
        timeout: float = 30.0,
    ) -> None:
        self.sock = sock or transport.NetlinkSocket(NETLINK_NETFILTER, netns=netns, timeout=timeout)
        self.protocol = u.IPSET_PROTOCOL
        self.protocol = self._negotiate()

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "IpsetClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ encoding

    def _payload(self, family: int, attrs: Dict[str, Any]) -> bytes:
        values = {"protocol": self.protocol}
        values.update(attrs)
        return nfnetlink.header(family) + codec.encode(u.IPSET_ATTR_CMD, values)

    def _request(
        self,
        command: int,
        attrs: Dict[str, Any],
        family: int = nfnetlink.NFPROTO_UNSPEC,
        setname: str = "",
        settype: str = "",
        flags: int = 0,
    ) -> List[Dict[str, Any]]:
        msg_type = nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_IPSET, command)
        try:
            replies = self.sock.request(msg_type, self._payload(family, attrs), flags)
        except errors.NetlinkError as exc:
            raise errmsg.IpsetError(exc, command, setname, settype) from None
        return [wire.decode_message(m.payload) for m in replies]

    # ------------------------------------------------------------------ queries

    def _negotiate(self) -> int:
        """The protocol version to speak: ours, unless the kernel only knows older ones."""
        replies = self._request(u.IPSET_CMD_PROTOCOL, {})
        kernel = replies[0].get("protocol", u.IPSET_PROTOCOL) if replies else u.IPSET_PROTOCOL
        kernel_min = replies[0].get("protocol_min", kernel) if replies else kernel
        if kernel < u.IPSET_PROTOCOL_MIN or kernel_min > u.IPSET_PROTOCOL:
            raise errors.ProtocolError(
                "the kernel speaks ipset protocol %d..%d, this collection %d..%d"
                % (kernel_min, kernel, u.IPSET_PROTOCOL_MIN, u.IPSET_PROTOCOL)
            )
        return min(kernel, u.IPSET_PROTOCOL)

    def type_revisions(self, settype: str, family: Optional[str]) -> Tuple[int, int]:
        """(lowest, highest) revision of ``settype`` the kernel supports (IPSET_CMD_TYPE)."""
        nfproto = FAMILIES.get(family or "inet", nfnetlink.NFPROTO_IPV4)
        replies = self._request(
            u.IPSET_CMD_TYPE,
            {"typename": settype, "family": nfproto},
            settype=settype,
        )
        if not replies or "revision" not in replies[0]:
            raise errors.ProtocolError("IPSET_CMD_TYPE: no revision in the kernel's reply")
        top = replies[0]["revision"]
        return replies[0].get("protocol_min", top), top

    def list(self, name: Optional[str] = None, elements: bool = True) -> List[SetInfo]:
        """Every set (or the one named), with its elements unless ``elements`` is False.

        A named set that does not exist raises `IpsetError` with errno ENOENT.
        """
        attrs: Dict[str, Any] = {"setname": name}
        if not elements:
            attrs["flags"] = u.IPSET_FLAG_LIST_HEADER
        msg_type = nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_IPSET, u.IPSET_CMD_LIST)
        try:
            replies = self.sock.dump(
                msg_type, self._payload(nfnetlink.NFPROTO_UNSPEC, attrs), command="IPSET_CMD_LIST"
            )
        except errors.NetlinkError as exc:
            raise errmsg.IpsetError(exc, u.IPSET_CMD_LIST, name or "") from None
        sets: Dict[str, SetInfo] = {}
        parts: Dict[str, List[Sequence[Dict[str, Any]]]] = {}  # each set's elements, per reply
        with codec.gc_paused():
            decoded = [wire.decode_message(msg.payload) for msg in replies]
        for attrs in decoded:
            setname = attrs.get("setname")
            if setname is None:
                raise errors.ProtocolError("IPSET_CMD_LIST: a reply names no set")
            if setname not in sets:
                sets[setname] = SetInfo(
                    setname,
                    attrs.get("typename", ""),
                    FAMILY_NAMES.get(attrs.get("family", 0)),
                    attrs.get("revision", 0),
                    attrs.get("data", {}),
                    None,
                )
                parts[setname] = []
            if elements and "adt" in attrs:
                parts[setname].append(attrs["adt"].get("data", []))
        if not elements:
            return list(sets.values())
        return [info._replace(elements=wire.joined(parts[name])) for name, info in sets.items()]

    def get(self, name: str, elements: bool = True) -> Optional[SetInfo]:
        """One set, or None when it does not exist."""
        try:
            found = self.list(name, elements)
        except errmsg.IpsetError as exc:
            if exc.errno == errno.ENOENT:
                return None
            raise
        return found[0] if found else None

    def index(self, name: str) -> Optional[int]:
        """The set's kernel index (IPSET_CMD_GET_BYNAME), or None when it does not exist.

        The slot the set holds in the kernel's array (rules refer to a set by it); a rename
        or a swap keeps it with the name.
        """
        try:
            replies = self._request(u.IPSET_CMD_GET_BYNAME, {"setname": name}, setname=name)
        except errmsg.IpsetError as exc:
            if exc.errno == errno.ENOENT:
                return None
            raise
        if not replies or "index" not in replies[0]:
            raise errors.ProtocolError("IPSET_CMD_GET_BYNAME: no index in the kernel's reply")
        return int(replies[0]["index"])

    def test(self, name: str, settype: str, family: Optional[str], element: Dict[str, Any]) -> bool:
        """Whether the kernel matches ``element`` in the set (IPSET_CMD_TEST).

        ip_set_utest() in net/netfilter/ipset/ip_set_core.c answers ACK for a match and
        IPSET_ERR_EXIST otherwise; the set type decides what matches (a host in a hash:net
        network, nomatch exceptions, expired timeouts).
        """
        nfproto = FAMILIES[family] if family else nfnetlink.NFPROTO_UNSPEC
        payload = self._payload(nfproto, {"setname": name}) + codec.encode(
            u.IPSET_ATTR_ADT_NEST, {"data": [element]}
        )
        msg_type = nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_IPSET, u.IPSET_CMD_TEST)
        try:
            self.sock.request(msg_type, payload, 0, "IPSET_CMD_TEST")
        except errors.NetlinkError as exc:
            if exc.errno == u.IPSET_ERR_EXIST:
                return False
            raise errmsg.IpsetError(exc, u.IPSET_CMD_TEST, name, settype) from None
        return True

    # ------------------------------------------------------------------ sets

    def create(
        self,
        name: str,
        settype: str,
        family: Optional[str],
        revision: int,
        data: Dict[str, Any],
    ) -> None:
        """IPSET_CMD_CREATE. An identical existing set is not an error (no NLM_F_EXCL)."""
        nfproto = FAMILIES[family] if family else nfnetlink.NFPROTO_UNSPEC
        self._request(
            u.IPSET_CMD_CREATE,
            {
                "setname": name,
                "typename": settype,
                "revision": revision,
                "family": nfproto,
                "data": data,
            },
            nfproto,
            name,
            settype,
        )

    def destroy(self, name: str, must_exist: bool = False) -> None:
        """IPSET_CMD_DESTROY of one set (never all: a name is required).

        Without ``must_exist`` a missing set is not an error (the kernel's IPSET_FLAG_EXIST
        behaviour, asked for by leaving NLM_F_EXCL unset); with it, it raises ENOENT.
        """
        if not name:
            raise ValueError("destroy needs a set name (an empty one would destroy every set)")
        flags = NLM_F_EXCL if must_exist else 0
        self._request(u.IPSET_CMD_DESTROY, {"setname": name}, setname=name, flags=flags)

    def flush(self, name: str) -> None:
        if not name:
            raise ValueError("flush needs a set name (an empty one would flush every set)")
        self._request(u.IPSET_CMD_FLUSH, {"setname": name}, setname=name)

    def rename(self, name: str, new_name: str) -> None:
        self._request(u.IPSET_CMD_RENAME, {"setname": name, "typename": new_name}, setname=name)

    def swap(self, name: str, other: str) -> None:
        """Exchange the contents (and names) of two sets of the same type and family."""
        self._request(u.IPSET_CMD_SWAP, {"setname": name, "typename": other}, setname=name)

    # ------------------------------------------------------------------ elements

    def add(
        self, name: str, settype: str, family: Optional[str], elements: Sequence[Dict[str, Any]]
    ) -> BatchResult:
        """Add elements; one already present is updated in place (its extensions)."""
        return self._adt(u.IPSET_CMD_ADD, name, settype, family, elements)

    def delete(
        self, name: str, settype: str, family: Optional[str], elements: Sequence[Dict[str, Any]]
    ) -> BatchResult:
        """Delete elements; one already absent is not an error."""
        return self._adt(u.IPSET_CMD_DEL, name, settype, family, elements)

    def _adt(
        self,
        command: int,
        name: str,
        settype: str,
        family: Optional[str],
        elements: Sequence[Dict[str, Any]],
    ) -> BatchResult:
        nfproto = FAMILIES[family] if family else nfnetlink.NFPROTO_UNSPEC
        head = self._payload(nfproto, {"setname": name, "lineno": 0})
        msg_type = nfnetlink.msg_type(nfnetlink.NFNL_SUBSYS_IPSET, command)
        spans: List[Tuple[int, int]] = []

        def requests() -> Iterator[Tuple[int, int, bytes]]:
            for start, end, body in wire.pack_elements(elements):
                spans.append((start, end))
                yield msg_type, 0, head + codec.pack_attr(_ADT_TYPE, body)

        outcomes = self.sock.transact(requests(), u.COMMAND_NAMES[command], stop_on_error=True)
        applied: List[Tuple[int, int]] = []
        first: Optional[errmsg.IpsetError] = None
        failed: Optional[int] = None
        for (start, end), outcome in zip(spans, outcomes):
            if outcome.error is None:
                applied.append((start, end))
                continue
            lineno = _echoed_lineno(outcome.error.request)
            stop = start + lineno - 1 if 0 < lineno <= end - start else start
            if stop > start:
                applied.append((start, stop))
            if first is None:
                first = errmsg.IpsetError(outcome.error, command, name, settype)
                failed = stop if lineno else None
        return BatchResult(applied, first, failed)


def _echoed_lineno(request: bytes) -> int:
    """The IPSET_ATTR_LINENO the kernel wrote into the request it echoed (0: none)."""
    if len(request) < nfnetlink.NFGENMSG.size:
        return 0
    try:
        for attr_type, value in codec.iter_attrs(request, nfnetlink.NFGENMSG.size):
            if attr_type == _LINENO.type and len(value) >= 4:
                return int(_LINENO.codec.decode(value))
    except errors.ProtocolError:
        return 0  # the echo may be cut short; then the element is unknown
    return 0


def iter_indexes(spans: Iterable[Tuple[int, int]]) -> Iterator[int]:
    """Every index in a list of half-open ranges."""
    for start, end in spans:
        yield from range(start, end)
