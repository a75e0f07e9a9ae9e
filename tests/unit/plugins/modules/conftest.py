# SPDX-License-Identifier: GPL-3.0-or-later
"""Running a module's main() in-process (community.general's unit-test pattern).

Fixtures: ``kernel`` (a fresh `FakeIpsetClient`) and ``run`` (``run(module, args)`` -> (failed,
result), against that kernel); ``nft_kernel`` (a fresh `FakeNftKernel`) and ``nft_run``, the
same for the nft_* modules. `run_module` sets the module arguments, turns exit_json/fail_json
into exceptions carrying the result, and returns (failed, result).
`FakeIpsetClient` stands in for IpsetClient: a small in-memory model of the kernel's ipset
state (sets, headers, members, references) that answers the calls the modules make and records
them, so a test can say what the kernel would hold afterwards and which requests were sent.
`FakeNftKernel` stands in one layer lower, for the socket under the real NftClient: it answers
nf_tables dumps and batches from an in-memory ruleset (tables, sets, elements as the requests
carried them, rules that reference sets, the generation), applies a batch whole or not at all,
refuses as the kernel does (EEXIST, ENOENT, EBUSY, ENFILE with the extended-ACK offset of the
element, ERESTART on a stale generation), and records every batch.
Needs ansible-core (skipped where it is missing).
"""

from __future__ import annotations

import contextlib
import copy
import errno
import json
import struct
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import pytest

pytest.importorskip("ansible")

from ansible.module_utils import basic  # noqa: E402
from ansible.module_utils.common.text.converters import to_bytes  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import locking  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import sets as S  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import types as T  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import typetable as TT  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (  # noqa: E402
    BatchResult,
    SetInfo,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.errmsg import (  # noqa: E402
    IpsetError,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.listing import (  # noqa: E402
    entry_from_kernel,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink import (  # noqa: E402
    codec,
    nfnetlink,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (  # noqa: E402
    NetlinkError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (  # noqa: E402
    Outcome,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import (  # noqa: E402
    NLA_F_NESTED,
    NLMSG_HDRLEN,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables import (  # noqa: E402
    client as NC,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables import (  # noqa: E402
    plan as NP,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables import (  # noqa: E402
    uapi as nu,
)


class AnsibleExitJson(Exception):
    """exit_json was called; ``args[0]`` is the result."""


class AnsibleFailJson(Exception):
    """fail_json was called; ``args[0]`` is the result."""


def _exit_json(self: Any, **kwargs: Any) -> None:
    kwargs.setdefault("changed", False)
    raise AnsibleExitJson(kwargs)


def _fail_json(self: Any, **kwargs: Any) -> None:
    kwargs["failed"] = True
    raise AnsibleFailJson(kwargs)


@contextlib.contextmanager
def module_args(args: Dict[str, Any]) -> Iterator[None]:
    """The module's arguments, the way the ansible-core in use takes them."""
    args = dict(args)
    args.setdefault("_ansible_remote_tmp", "/tmp")
    args.setdefault("_ansible_keep_remote_files", False)
    try:  # ansible-core 2.19+
        from ansible.module_utils.testing import patch_module_args
    except ImportError:
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved
        return
    with patch_module_args(args):
        yield


def run_module(monkeypatch: Any, module: Any, client: Any,
               args: Dict[str, Any]) -> Tuple[bool, Dict[str, Any]]:  # fmt: skip
    """Run ``module.main()`` against ``client`` (a fake kernel); (failed, result)."""
    monkeypatch.setattr(module, client.CLIENT, client.open)
    monkeypatch.setattr(locking, "locked", lambda netns: contextlib.nullcontext())
    return call_main(monkeypatch, module, args)


def call_main(monkeypatch: Any, module: Any, args: Dict[str, Any]) -> Tuple[bool, Dict[str, Any]]:
    """Run ``module.main()`` with ``args`` (its client already patched); (failed, result)."""
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    with module_args(args):
        try:
            module.main()
        except AnsibleExitJson as exc:
            return False, exc.args[0]
        except AnsibleFailJson as exc:
            return True, exc.args[0]
    raise AssertionError("the module returned without exit_json or fail_json")


def _error(code: int, command: int, name: str = "", settype: str = "") -> IpsetError:
    return IpsetError(NetlinkError(code, u.COMMAND_NAMES[command], "", b""), command, name, settype)


_STATS = ("references", "memsize", "elements")
_EXT_FLAGS = {
    "comment": T.IPSET_FLAG_WITH_COMMENT,
    "packets": T.IPSET_FLAG_WITH_COUNTERS,
    "bytes": T.IPSET_FLAG_WITH_COUNTERS,
    "skbmark": T.IPSET_FLAG_WITH_SKBINFO,
    "skbprio": T.IPSET_FLAG_WITH_SKBINFO,
    "skbqueue": T.IPSET_FLAG_WITH_SKBINFO,
}


class FakeSet:
    def __init__(self, settype: str, family: Optional[str], revision: int,
                 data: Dict[str, Any], references: int = 0) -> None:  # fmt: skip
        self.type, self.family, self.revision = settype, family, revision
        self.data = dict(T.kernel_defaults(settype), **data)
        if "hashsize" in self.data:
            self.data.setdefault("initval", 0x12345678)
        self.references = references
        self.members: Dict[str, Dict[str, Any]] = {}  # key -> element attributes, in order
        self.slot = -1  # the kernel's index: the first free slot when created


class FakeIpsetClient:
    """An in-memory ipset kernel. ``unsupported`` types answer IPSET_ERR_FIND_TYPE."""

    protocol = 7
    CLIENT = "IpsetClient"  # what the modules open, replaced by `open`

    def __init__(self, unsupported: Sequence[str] = ("hash:mac", "hash:ip,mark")) -> None:
        self.sets: Dict[str, FakeSet] = {}
        self.unsupported = set(unsupported)
        self.calls: List[Tuple[Any, ...]] = []

    # the modules do `with IpsetClient(netns=...) as client`
    def open(self, netns: Optional[str] = None) -> "FakeIpsetClient":
        return self

    def __enter__(self) -> "FakeIpsetClient":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    # --- building state for a test
    def make(self, name: str, settype: str = "hash:ip", family: Optional[str] = "inet",
             members: Sequence[Dict[str, Any]] = (), references: int = 0,
             **data: Any) -> FakeSet:  # fmt: skip
        rev = TT.get_type(settype).revision_max
        fake = self.sets[name] = FakeSet(settype, family, rev, data, references)
        fake.slot = self._free_slot()
        for element in members:
            fake.members[self._key(fake, element)] = dict(element)
        return fake

    def saved(self, name: str) -> List[str]:
        """The members of ``name`` in save syntax (what `ipset save` would print), sorted."""
        info = self.get(name)
        assert info is not None
        return S.entry_lines(info)

    # --- the client interface the modules use
    @staticmethod
    def _key(fake: FakeSet, element: Dict[str, Any]) -> str:
        return entry_from_kernel(fake.type, fake.family, element).key

    def _info(self, name: str, fake: FakeSet, elements: bool) -> SetInfo:
        data = dict(fake.data, references=fake.references, memsize=100, elements=len(fake.members))
        listed = [copy.deepcopy(m) for m in fake.members.values()] if elements else None
        return SetInfo(name, fake.type, fake.family, fake.revision, data, listed)

    def type_revisions(self, settype: str, family: Optional[str]) -> Tuple[int, int]:
        self.calls.append(("type", settype))
        if settype in self.unsupported:
            raise _error(u.IPSET_ERR_FIND_TYPE, u.IPSET_CMD_TYPE, settype=settype)
        return 0, TT.get_type(settype).revision_max

    def list(self, name: Optional[str] = None, elements: bool = True) -> List[SetInfo]:
        return [self._info(n, f, elements) for n, f in self.sets.items() if name in (None, n)]

    def get(self, name: str, elements: bool = True) -> Optional[SetInfo]:
        fake = self.sets.get(name)
        return None if fake is None else self._info(name, fake, elements)

    def create(self, name: str, settype: str, family: Optional[str], revision: int,
               data: Dict[str, Any]) -> None:  # fmt: skip
        self.calls.append(("create", name, settype, family, revision, dict(data)))
        if name in self.sets:
            raise _error(17, u.IPSET_CMD_CREATE, name, settype)  # EEXIST
        self.sets[name] = FakeSet(settype, family, revision, data)
        self.sets[name].slot = self._free_slot()

    def destroy(self, name: str, must_exist: bool = False) -> None:
        self.calls.append(("destroy", name))
        fake = self.sets.get(name)
        if fake is None:
            if must_exist:
                raise _error(2, u.IPSET_CMD_DESTROY, name)
            return
        if fake.references:
            raise _error(u.IPSET_ERR_BUSY, u.IPSET_CMD_DESTROY, name)
        del self.sets[name]

    def swap(self, name: str, other: str) -> None:
        self.calls.append(("swap", name, other))
        a, b = self.sets[name], self.sets[other]
        if (a.type, a.family) != (b.type, b.family):
            raise _error(u.IPSET_ERR_TYPE_MISMATCH, u.IPSET_CMD_SWAP, name)
        a.references, b.references = b.references, a.references  # references stay with names
        a.slot, b.slot = b.slot, a.slot  # and so do the slots (ip_set_swap())
        self.sets[name], self.sets[other] = b, a

    def rename(self, name: str, new_name: str) -> None:
        self.calls.append(("rename", name, new_name))
        if name not in self.sets:
            raise _error(2, u.IPSET_CMD_RENAME, name)
        if new_name in self.sets:
            raise _error(u.IPSET_ERR_EXIST_SETNAME2, u.IPSET_CMD_RENAME, name)
        if self.sets[name].references:  # ip_set_rename(): a set in use keeps its name
            raise _error(u.IPSET_ERR_REFERENCED, u.IPSET_CMD_RENAME, name)
        self.sets[new_name] = self.sets.pop(name)

    def _free_slot(self) -> int:
        taken = {fake.slot for fake in self.sets.values()}
        return next(slot for slot in range(len(taken) + 1) if slot not in taken)

    def index(self, name: str) -> Optional[int]:
        fake = self.sets.get(name)
        return None if fake is None else fake.slot

    def test(self, name: str, settype: str, family: Optional[str],
             element: Dict[str, Any]) -> bool:  # fmt: skip
        """Membership by key only: containment and timeouts are the real kernel's (tested
        in tests/kernel and the ipset_info integration target)."""
        self.calls.append(("test", name))
        fake = self.sets[name]
        return self._key(fake, element) in fake.members

    def add(self, name: str, settype: str, family: Optional[str],
            elements: Sequence[Dict[str, Any]]) -> BatchResult:  # fmt: skip
        self.calls.append(("add", name, len(elements)))
        fake = self.sets[name]
        flags = fake.data.get("cadt_flags", 0)
        for index, element in enumerate(elements):
            missing = [k for k, bit in _EXT_FLAGS.items() if k in element and not flags & bit]
            if missing or ("timeout" in element and "timeout" not in fake.data):
                code = u.IPSET_ERR_TIMEOUT if not missing else u.IPSET_ERR_COMMENT
                applied = [(0, index)] if index else []
                return BatchResult(applied, _error(code, u.IPSET_CMD_ADD, name, settype), index)
            stored = {k: v for k, v in element.items() if k != "nameref"}
            fake.members[self._key(fake, stored)] = stored
        return BatchResult([(0, len(elements))], None, None)

    def delete(self, name: str, settype: str, family: Optional[str],
               elements: Sequence[Dict[str, Any]]) -> BatchResult:  # fmt: skip
        self.calls.append(("del", name, len(elements)))
        fake = self.sets[name]
        for element in elements:
            fake.members.pop(self._key(fake, element), None)
        return BatchResult([(0, len(elements))], None, None)


@pytest.fixture
def kernel() -> FakeIpsetClient:
    return FakeIpsetClient()


@pytest.fixture
def run(monkeypatch: Any, kernel: FakeIpsetClient) -> Any:
    def runner(module: Any, args: Dict[str, Any]) -> Tuple[bool, Dict[str, Any]]:
        return run_module(monkeypatch, module, kernel, args)

    return runner


# --------------------------------------------------------------------------- nf_tables


class FakeNftKernel:
    """The kernel end of an nf_tables socket (see the module docstring)."""

    CLIENT = "NftClient"

    def __init__(self) -> None:
        self.genid = 1
        self.tables: List[Tuple[int, str]] = []  # (nfproto, name)
        self.sets: Dict[Tuple[int, str, str], Dict[str, Any]] = {}  # attrs + "elements"
        self.rules: List[Tuple[int, str, str]] = []  # (nfproto, table, set a lookup names)
        self.batches: List[List[str]] = []  # the commands of every batch sent
        self.before_batch: Optional[Any] = None  # called first: a concurrent change
        self._handle = 0

    # the modules do `with NftClient(netns=...) as client`
    def open(self, netns: Optional[str] = None) -> Any:
        return NC.NftClient(sock=self)  # type: ignore[arg-type]

    def close(self) -> None:
        pass

    # --- building state for a test (through the same batches the modules send)
    def nft(self, family: str, table: str, name: str, elements: Sequence[Any] = (),
            references: int = 0, **options: Any) -> None:  # fmt: skip
        params = dict(family=family, table=table, name=name, map=None, flags=None,
                      timeout=None, gc_interval=None, size=None, policy=None,
                      auto_merge=False, counter=False, comment=None)
        params.update(options)
        spec = NP.set_spec(params)
        txn = NC.Transaction()
        if (NC.FAMILIES[family], table) not in self.tables:
            txn.add_table(family, table)
        txn.add_set(spec)
        txn.add_elements(spec, [i.element for i in NP.parse_elements(spec, elements)], str)
        client = self.open()
        client.commit(txn)
        self.rules.extend([(NC.FAMILIES[family], table, name)] * references)
        self.batches.clear()

    def listed(self, family: str, table: str, name: str) -> List[str]:
        """The set's elements in nft syntax, sorted: what the real client reads back."""
        client = self.open()
        spec = client.get_set(family, table, name)
        assert spec is not None
        return sorted(NP.labels(spec, client.elements(spec)))

    # --- the socket interface NftClient uses
    def _reply(self, attrs: bytes, family: int = 0) -> codec.Message:
        return codec.Message(0, 0, 0, 0, nfnetlink.header(family) + attrs)

    def request(self, msg_type: int, payload: bytes, flags: int = 0,
                command: str = "") -> List[codec.Message]:  # fmt: skip
        assert msg_type & 0xFF == nu.NFT_MSG_GETGEN, command
        return [self._reply(codec.encode(nu.NFTA_GEN, {"id": self.genid}))]

    def dump(self, msg_type: int, payload: bytes, flags: int = 0, command: str = "",
             retries: int = 5) -> List[codec.Message]:  # fmt: skip
        cmd, family = msg_type & 0xFF, payload[0]
        out = []
        if cmd == nu.NFT_MSG_GETTABLE:
            for fam, name in self.tables:
                if family in (0, fam):
                    out.append(self._reply(codec.encode(nu.NFTA_TABLE, {"name": name}), fam))
        elif cmd == nu.NFT_MSG_GETSET:
            table = codec.decode(nu.NFTA_SET, payload, 4).get("table")
            for (fam, tab, _name), attrs in self.sets.items():
                if family in (0, fam) and table in (None, tab):
                    shown = {k: v for k, v in attrs.items() if k not in ("elements", "id")}
                    out.append(self._reply(codec.encode(nu.NFTA_SET, shown), fam))
        elif cmd == nu.NFT_MSG_GETSETELEM:
            head = codec.decode(nu.NFTA_SET_ELEM_LIST, payload, 4)
            fake = self.sets.get((family, head["table"], head["set"]))
            if fake is None:
                raise NetlinkError(errno.ENOENT, command)
            body = b"".join(self._listed(fake, raw) for raw in fake["elements"].values())
            attrs = codec.encode(nu.NFTA_SET_ELEM_LIST, {"table": head["table"],
                                                          "set": head["set"]})
            attrs += codec.pack_attr(nu.NFTA_SET_ELEM_LIST_ELEMENTS | NLA_F_NESTED, body)
            out.append(self._reply(attrs, family))
        elif cmd == nu.NFT_MSG_GETRULE:
            table = codec.decode(nu.NFTA_RULE, payload, 4).get("table")
            for handle, (fam, tab, name) in enumerate(self.rules, 1):
                if family == fam and table == tab:
                    lookup = {"name": "lookup", "data": codec.pack_attr(1, name.encode() + b"\0")}
                    out.append(self._reply(codec.encode(nu.NFTA_RULE, {
                        "table": tab, "chain": "input", "handle": handle,
                        "expressions": {"elem": [lookup]}}), fam))
        else:
            raise AssertionError("dump of %s" % command)
        return out

    @staticmethod
    def _listed(fake: Dict[str, Any], raw: bytes) -> bytes:
        """An element as the kernel lists it: a set's counter shows in every element."""
        if (fake.get("expr") or {}).get("name") == "counter" and b"counter" not in raw:
            expr = codec.encode(nu.NFTA_EXPR, {"name": "counter",
                                               "data": {"bytes": 0, "packets": 0}})
            raw = raw + codec.pack_attr(7 | NLA_F_NESTED, expr)
        return codec.pack_attr(1 | NLA_F_NESTED, raw)

    def batch(self, requests: Sequence[Tuple[int, int, bytes]], head: Tuple[int, int, bytes],
              tail: Tuple[int, int, bytes], command: str = "") -> List[Outcome]:  # fmt: skip
        if self.before_batch is not None:
            self.before_batch(self)
        self.batches.append([nu.COMMANDS[t & 0xFF] for t, _f, _p in requests])
        genid = codec.decode(nfnetlink.NFNL_BATCH, head[2], 4).get("genid")
        if genid is not None and genid != self.genid:
            raise NetlinkError(errno.ERESTART, command)
        saved = copy.deepcopy((self.tables, self.sets, self._handle))
        outcomes = []
        for msg_type, flags, payload in requests:
            try:
                self._apply(msg_type & 0xFF, flags, payload)
                outcomes.append(Outcome([], None))
            except NetlinkError as exc:
                outcomes.append(Outcome([], exc))
        if any(o.error is not None for o in outcomes):
            self.tables, self.sets, self._handle = saved  # all or nothing
        else:
            self.genid += 1
        return outcomes

    def _apply(self, cmd: int, flags: int, payload: bytes) -> None:
        family = payload[0]
        name = nu.COMMANDS[cmd]
        if cmd == nu.NFT_MSG_NEWTABLE:
            table = codec.decode(nu.NFTA_TABLE, payload, 4)["name"]
            if (family, table) not in self.tables:
                self.tables.append((family, table))
            return
        if cmd in (nu.NFT_MSG_NEWSET, nu.NFT_MSG_DELSET):
            attrs = codec.decode(nu.NFTA_SET, payload, 4)
            key = (family, attrs["table"], attrs["name"])
            if cmd == nu.NFT_MSG_DELSET:
                if key not in self.sets:
                    raise NetlinkError(errno.ENOENT, name)
                if key in self.rules:
                    raise NetlinkError(errno.EBUSY, name)
                del self.sets[key]
                return
            if (family, attrs["table"]) not in self.tables:
                raise NetlinkError(errno.ENOENT, name)
            if key in self.sets:
                raise NetlinkError(errno.EEXIST, name)
            self._handle += 1
            self.sets[key] = dict(attrs, handle=self._handle, elements={})
            return
        head = codec.decode(nu.NFTA_SET_ELEM_LIST, payload, 4)
        fake = self.sets.get((family, head["table"], head["set"]))
        if fake is None:
            raise NetlinkError(errno.ENOENT, name)
        size = (fake.get("desc") or {}).get("size", 0)
        for at, raw in _list_elements(payload):
            element = codec.decode(nu.NFTA_SET_ELEM, raw)
            ident = (element["key"]["value"], element.get("flags", 0) & 1,
                     (element.get("key_end") or {}).get("value"))
            offset = NLMSG_HDRLEN + at
            if cmd == nu.NFT_MSG_DELSETELEM:
                if fake["elements"].pop(ident, None) is None:
                    raise NetlinkError(errno.ENOENT, name, offset=offset)
            elif ident in fake["elements"]:
                raise NetlinkError(errno.EEXIST, name, offset=offset)
            elif size and len(fake["elements"]) >= size:
                raise NetlinkError(errno.ENFILE, name, offset=offset)
            else:
                fake["elements"][ident] = raw


def _list_elements(payload: bytes) -> Iterator[Tuple[int, bytes]]:
    """(offset in ``payload``, body) of each NFTA_LIST_ELEM of NFTA_SET_ELEM_LIST_ELEMENTS."""
    at = 4
    while at < len(payload):
        length, kind = struct.unpack_from("=HH", payload, at)
        if kind & 0x3FFF == nu.NFTA_SET_ELEM_LIST_ELEMENTS:
            inner = at + 4
            while inner < at + length:
                size = struct.unpack_from("=H", payload, inner)[0]
                yield inner, payload[inner + 4 : inner + size]
                inner += codec.align(size)
        at += codec.align(length)


@pytest.fixture
def nft_kernel() -> FakeNftKernel:
    return FakeNftKernel()


@pytest.fixture
def nft_run(monkeypatch: Any, nft_kernel: FakeNftKernel) -> Any:
    def runner(module: Any, args: Dict[str, Any]) -> Tuple[bool, Dict[str, Any]]:
        return run_module(monkeypatch, module, nft_kernel, args)

    return runner
