# SPDX-License-Identifier: GPL-3.0-or-later
"""Namespace names and the errors of entering one; no root needed (setns is faked where the
test would need CAP_SYS_ADMIN)."""

from __future__ import annotations

import ctypes
import errno
import os

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._netlink import netns
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import (
    Error,
    NamespaceError,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.transport import (
    NetlinkSocket,
)


@pytest.mark.parametrize(
    "name, path",
    [
        ("blue", "/run/netns/blue"),
        ("ln-test-1a2b", "/run/netns/ln-test-1a2b"),
        ("a.b_c-D9", "/run/netns/a.b_c-D9"),
        ("...", "/run/netns/..."),
        ("x" * 255, "/run/netns/" + "x" * 255),
        ("/proc/1/ns/net", "/proc/1/ns/net"),  # a path is taken as it is
        ("/var/run/netns/blue", "/var/run/netns/blue"),
    ],
)
def test_netns_path(name, path):
    assert netns.netns_path(name) == path


@pytest.mark.parametrize(
    "name",
    [".", "..", "", "a b", "x" * 256, "ns$", "tab\t", "new\nline", "é", "a:b", "*"],
)
def test_invalid_names(name):
    with pytest.raises(NamespaceError) as exc:
        netns.netns_path(name)
    assert str(exc.value) == "netns %r is not a valid namespace name" % name
    assert isinstance(exc.value, Error)


@pytest.mark.parametrize("value", [None, ""])
def test_no_namespace_stays_here(value):
    with netns.entered(value):
        pass


def test_missing_namespace_by_name():
    with pytest.raises(NamespaceError) as exc, netns.entered("ln-test-does-not-exist"):
        pytest.fail("the body must not run")
    assert str(exc.value) == (
        "network namespace 'ln-test-does-not-exist' does not exist "
        "(no /run/netns/ln-test-does-not-exist)"
    )


def test_missing_namespace_by_path(tmp_path):
    path = str(tmp_path / "nope")
    with pytest.raises(NamespaceError) as exc, netns.entered(path):
        pass
    assert str(exc.value) == "network namespace %r does not exist (no %s)" % (path, path)


def test_namespace_that_cannot_be_opened(tmp_path):
    # a directory: O_RDONLY opens it, and setns refuses it: not a namespace file
    with pytest.raises(NamespaceError) as exc, netns.entered(str(tmp_path)):
        pass
    assert str(exc.value) == ("cannot enter network namespace %r: Invalid argument" % str(tmp_path))


def test_regular_file_is_not_a_namespace(tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(NamespaceError) as exc, netns.entered(str(path)):
        pytest.fail("the body must not run")
    assert str(exc.value) == "cannot enter network namespace %r: Invalid argument" % str(path)


def test_unreadable_namespace_file(tmp_path, monkeypatch):
    def refuse(path, flags):
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr(netns.os, "open", refuse)
    with pytest.raises(NamespaceError) as exc, netns.entered("/run/netns/x"):
        pass
    assert str(exc.value) == "cannot open network namespace /run/netns/x: Permission denied"


class FakeSetns:
    """Stands in for os.setns: records (fd, nstype) and fails when told."""

    def __init__(self, fail_with=0):
        self.calls = []
        self.fail_with = fail_with

    def __call__(self, fd, nstype):
        self.calls.append((fd, nstype))
        if self.fail_with and len(self.calls) == 1:
            raise OSError(self.fail_with, os.strerror(self.fail_with))


def test_enter_and_come_back(tmp_path, monkeypatch):
    fake = FakeSetns()
    monkeypatch.setattr(netns.os, "setns", fake, raising=False)
    target = tmp_path / "ns"
    target.write_text("")
    with netns.entered(str(target)):
        assert len(fake.calls) == 1
    (entered_fd, kind), (home_fd, kind2) = fake.calls
    assert kind == kind2 == netns.CLONE_NEWNET
    assert entered_fd != home_fd
    for fd in (entered_fd, home_fd):  # both closed afterwards
        with pytest.raises(OSError):
            os.fstat(fd)


def test_come_back_even_when_the_body_fails(tmp_path, monkeypatch):
    fake = FakeSetns()
    monkeypatch.setattr(netns.os, "setns", fake, raising=False)
    target = tmp_path / "ns"
    target.write_text("")
    with pytest.raises(RuntimeError), netns.entered(str(target)):
        raise RuntimeError("boom")
    assert len(fake.calls) == 2


def test_setns_eperm_wording(tmp_path, monkeypatch):
    monkeypatch.setattr(netns.os, "setns", FakeSetns(errno.EPERM), raising=False)
    target = tmp_path / "ns"
    target.write_text("")
    with pytest.raises(NamespaceError) as exc, netns.entered(str(target)):
        pytest.fail("the body must not run")
    assert str(exc.value) == (
        "entering network namespace %r needs CAP_SYS_ADMIN (use become)" % str(target)
    )


def test_setns_through_libc_before_python_3_12(tmp_path, monkeypatch):
    """Python < 3.12 has no os.setns: the libc call and its errno are used instead."""

    class FakeLibc:
        def __init__(self):
            self.calls = []

        def setns(self, fd, nstype):
            self.calls.append((fd, nstype))
            ctypes.set_errno(errno.EPERM)
            return -1

    libc = FakeLibc()
    monkeypatch.delattr(netns.os, "setns", raising=False)
    monkeypatch.setattr(ctypes, "CDLL", lambda *a, **kw: libc)  # netns loads ctypes when needed
    target = tmp_path / "ns"
    target.write_text("")
    with pytest.raises(NamespaceError, match="needs CAP_SYS_ADMIN"), netns.entered(str(target)):
        pass
    assert [nstype for _, nstype in libc.calls] == [netns.CLONE_NEWNET]


def test_socket_in_missing_namespace():
    with pytest.raises(NamespaceError, match="does not exist"):
        NetlinkSocket(0, netns="ln-test-does-not-exist")
