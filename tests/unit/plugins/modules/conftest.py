# SPDX-License-Identifier: GPL-3.0-or-later
"""Running a module's main() in-process (community.general's unit-test pattern).

Fixtures: ``kernel`` (a fresh `FakeIpsetClient`) and ``run`` (``run(module, args)`` -> (failed,
result), against that kernel). `run_module` sets the module arguments, turns
exit_json/fail_json into exceptions carrying the result, and returns (failed, result).
`FakeIpsetClient` stands in for IpsetClient: a small in-memory model of the kernel's ipset
state (sets, headers, members, references) that answers the calls the modules make and records
them, so a test can say what the kernel would hold afterwards and which requests were sent.
Needs ansible-core (skipped where it is missing).
"""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import pytest

pytest.importorskip("ansible")

from ansible.module_utils import basic  # noqa: E402
from ansible.module_utils.common.text.converters import to_bytes  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import locking  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import sets as S  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import types as T  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset import uapi as u  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import (  # noqa: E402
    BatchResult,
    SetInfo,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.entry import (  # noqa: E402
    entry_from_kernel,
)
from ansible_collections.linux.netlink.plugins.module_utils._ipset.errmsg import (  # noqa: E402
    IpsetError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (  # noqa: E402
    NetlinkError,
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


def run_module(monkeypatch: Any, module: Any, client: "FakeIpsetClient",
               args: Dict[str, Any]) -> Tuple[bool, Dict[str, Any]]:  # fmt: skip
    """Run ``module.main()`` against ``client``; (failed, result)."""
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    monkeypatch.setattr(module, "IpsetClient", client.open)
    monkeypatch.setattr(locking, "locked", lambda netns: contextlib.nullcontext())
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
        rev = T.get_type(settype).revision_max
        fake = self.sets[name] = FakeSet(settype, family, rev, data, references)
        fake.slot = self._free_slot()
        for element in members:
            fake.members[self._key(fake, element)] = dict(element)
        return fake

    def saved(self, name: str) -> List[str]:
        """The members of ``name`` in save syntax (what `ipset save` would print), sorted."""
        info = self.get(name)
        assert info is not None
        return S.member_lines(info)

    # --- the client interface the modules use
    @staticmethod
    def _key(fake: FakeSet, element: Dict[str, Any]) -> str:
        return entry_from_kernel(fake.type, fake.family, element).key

    def _info(self, name: str, fake: FakeSet, members: bool) -> SetInfo:
        data = dict(fake.data, references=fake.references, memsize=100, elements=len(fake.members))
        listed = [copy.deepcopy(m) for m in fake.members.values()] if members else None
        return SetInfo(name, fake.type, fake.family, fake.revision, data, listed)

    def type_revisions(self, settype: str, family: Optional[str]) -> Tuple[int, int]:
        self.calls.append(("type", settype))
        if settype in self.unsupported:
            raise _error(u.IPSET_ERR_FIND_TYPE, u.IPSET_CMD_TYPE, settype=settype)
        return 0, T.get_type(settype).revision_max

    def list(self, name: Optional[str] = None, members: bool = True) -> List[SetInfo]:
        return [self._info(n, f, members) for n, f in self.sets.items() if name in (None, n)]

    def get(self, name: str, members: bool = True) -> Optional[SetInfo]:
        fake = self.sets.get(name)
        return None if fake is None else self._info(name, fake, members)

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
