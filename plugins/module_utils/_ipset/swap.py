# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: changing a set by name, beside its entries.

Set names checked as the kernel takes them; a set rebuilt beside the old one and swapped in
atomically (`rebuild`), and what an interrupted rebuild left behind (`clean_leftover`); a
set header's addresses and range as text. What converging a set's entries needs of sets;
declaring and converging whole sets is in `sets`.
"""

from __future__ import annotations

import hashlib
import socket
from typing import Any, Dict, Mapping, Optional, Sequence

from ansible_collections.linux.netlink.plugins.module_utils._ipset import typetable
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (
    BatchResult,
    IpsetClient,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink import errors

_TEMP_PREFIX = "lnswap-"


class ApplyError(errors.Error):
    """A change was refused part way; ``result`` says exactly what the kernel now holds."""

    def __init__(self, message: str, result: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.result = result or {}


def check_name(name: str, what: str = "name") -> str:
    """Set names are 1..31 bytes (IPSET_MAXNAMELEN with its NUL)."""
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate, possible in JSON input
        raise typetable.IpsetInputError("%s %r is not valid Unicode text" % (what, name)) from None
    if not name or size > u.IPSET_MAXNAMELEN - 1:
        raise typetable.IpsetInputError(
            "%s %r must be 1 to %d bytes long" % (what, name, u.IPSET_MAXNAMELEN - 1)
        )
    if any(c in name for c in "\0\n"):
        raise typetable.IpsetInputError("%s %r contains a control character" % (what, name))
    return name


def temp_name(name: str) -> str:
    """The deterministic name of the set a rebuild of ``name`` fills before the swap."""
    return _TEMP_PREFIX + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def ip_text(packed: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET6 if len(packed) == 16 else socket.AF_INET, packed)


def range_text(data: Mapping[str, Any]) -> Optional[str]:
    """A bitmap set's ``range`` from its header, as ``ipset save`` prints it; None if none."""
    if "ip" in data and "ip_to" in data:
        return "%s-%s" % (ip_text(data["ip"]), ip_text(data["ip_to"]))
    if "port" in data and "port_to" in data:
        return "%d-%d" % (data["port"], data["port_to"])
    return None


def clean_leftover(client: IpsetClient, name: str, check_mode: bool = False) -> Optional[str]:
    """Deal with the temporary set an interrupted rebuild of ``name`` left (call under
    `locked`, so that no rebuild is running); returns a warning for the task, or None.

    A rebuild that changes type or family destroys the old set before it renames the new,
    complete one: if it was stopped between the two, the temporary set is the only copy of
    the entries, so it is renamed into place instead of destroyed.
    """
    temp = temp_name(name)
    if client.get(temp, elements=False) is None:
        return None
    if client.get(name, elements=False) is None:
        if not check_mode:
            client.rename(temp, name)
        return "%s set %r, the complete result of an interrupted rebuild, as %r" % (
            "would restore" if check_mode else "restored",
            temp,
            name,
        )
    if not check_mode:
        client.destroy(temp)
    return "%s set %r, left behind by an interrupted rebuild of %r" % (
        "would remove" if check_mode else "removed",
        temp,
        name,
    )


def rebuild(
    client: IpsetClient,
    name: str,
    settype: str,
    family: Optional[str],
    revision: int,
    header: Dict[str, Any],
    elements: Sequence[Dict[str, Any]],
    swap: bool = True,
) -> None:
    """Build a set beside ``name``, fill it, then put it in the old one's place.

    With ``swap`` (same type and family) the exchange is atomic: rules that reference the set
    never see it missing or half filled. Without it (another type or family; only for sets
    nothing references) the old set is destroyed and the new one renamed. A failure before
    that point destroys the half-built set and leaves the original exactly as it was.
    """
    temp = temp_name(name)
    clean_leftover(client, name)
    client.create(temp, settype, family, revision, header)
    try:
        result = client.add(temp, settype, family, elements)
        if result.error is not None:
            raise _batch_error(result, elements, "while filling the replacement set")
        if swap:
            client.swap(name, temp)
        else:
            client.destroy(name, must_exist=True)
    except BaseException:
        client.destroy(temp)
        raise
    if swap:
        client.destroy(temp)
    else:
        client.rename(temp, name)


def _batch_error(result: BatchResult, elements: Sequence[Dict[str, Any]], when: str) -> ApplyError:
    which = ""
    if result.failed is not None and result.failed < len(elements):
        which = "element %d " % (result.failed + 1)
    return ApplyError("%s%s: %s" % (which, when, result.error))
