# SPDX-License-Identifier: GPL-3.0-or-later
"""Security properties of the collection (issue 7, last bullet).

* No shell and no other program anywhere under plugins/: no subprocess, os.system, popen,
  exec*/spawn*, pty, AnsibleModule.run_command.
* Names are checked against the kernel's limits before anything is sent: set names
  IPSET_MAXNAMELEN - 1 = 31 bytes, interface names IFNAMSIZ - 1 = 15 bytes, in bytes, not
  characters.
* Nothing is written to a world-writable place: the only file the collection writes is its
  lock, in a 0700 directory it owns (or it refuses the directory); the lock itself 0600,
  never followed through a symlink.
* No secret in a return value or a log line: every option whose name suggests a secret is
  no_log, and no module logs (module.log, print, syslog).
"""

from __future__ import annotations

import ast
import os
import re
import stat
from typing import Any, Dict, List

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import (
    locking,
    parse,
    swap,
    typetable,
    uapi,
)
from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import Error
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import IFNAMSIZ

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLUGINS = os.path.join(ROOT, "plugins")


def _sources() -> List[str]:
    out = []
    for top, _dirs, files in os.walk(PLUGINS):
        out += [os.path.join(top, f) for f in files if f.endswith(".py")]
    return sorted(out)


FORBIDDEN_MODULES = {"subprocess", "pty", "pexpect", "commands", "popen2", "shlex_run"}
FORBIDDEN_CALLS = {"system", "popen", "spawnl", "spawnlp", "spawnv", "spawnvp", "execv",
                   "execve", "execvp", "execl", "execlp", "fork", "forkpty", "run_command",
                   "posix_spawn", "posix_spawnp", "startfile"}  # fmt: skip
LOGGING_CALLS = {"log", "print", "syslog", "debug"}


def _offences(path: str) -> List[str]:
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += ["import " + a.name for a in node.names if a.name in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module in FORBIDDEN_MODULES:
            found.append("from %s import" % node.module)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FORBIDDEN_CALLS:
                found.append("call %s()" % name)
            if name in LOGGING_CALLS:
                found.append("log call %s()" % name)
            for keyword in node.keywords:
                if keyword.arg in ("shell", "use_unsafe_shell"):
                    found.append("%s= argument" % keyword.arg)
    return ["%s: %s" % (os.path.relpath(path, ROOT), f) for f in found]


def test_plugins_exist() -> None:
    assert len(_sources()) > 20  # the walk found the tree (a wrong path would pass the rest)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: os.path.relpath(p, PLUGINS))
def test_no_shell_no_programs_no_logging(path: str) -> None:
    assert _offences(path) == []


def test_the_scanner_catches_what_it_forbids(tmp_path: Any) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import subprocess\nimport os\nos.system('x')\nsubprocess.run('x', shell=True)\n"
        "module.run_command(['ip'])\nmodule.log('psk')\n"
    )
    offences = " ".join(_offences(str(bad)))
    for what in ("import subprocess", "call system()", "shell= argument", "call run_command()",
                 "log call log()"):  # fmt: skip
        assert what in offences


# --------------------------------------------------------------------------- name limits


@pytest.mark.parametrize(
    "name,ok",
    [("a" * 31, True), ("a" * 32, False), ("é" * 15 + "a", True), ("é" * 16, False),
     ("", False), ("a\nb", False), ("\ud800", False)],  # fmt: skip
)
def test_set_names_against_ipset_maxnamelen(name: str, ok: bool) -> None:
    assert uapi.IPSET_MAXNAMELEN == 32
    if ok:
        assert swap.check_name(name) == name
    else:
        with pytest.raises(typetable.IpsetInputError):
            swap.check_name(name)


@pytest.mark.parametrize(
    "member,ok",
    [("a" * 31, True), ("a" * 32, False), ("é" * 16, False), ("x,y", False)],
)
def test_list_set_members_against_ipset_maxnamelen(member: str, ok: bool) -> None:
    if ok:
        assert parse.parse_entries([member], "list:set", None)[0].key == member
    else:
        with pytest.raises(typetable.IpsetInputError, match="entry"):
            parse.parse_entries([member], "list:set", None)


@pytest.mark.parametrize(
    "iface,ok",
    [("e" * 15, True), ("e" * 16, False), ("é" * 7 + "e", True), ("é" * 8, False),
     ("physdev:" + "e" * 15, True), ("physdev:" + "e" * 16, False)],  # fmt: skip
)
def test_interface_names_against_ifnamsiz(iface: str, ok: bool) -> None:
    assert IFNAMSIZ == 16  # linux/if.h
    item = "10.0.0.0/8," + iface
    if ok:
        parse.parse_entries([item], "hash:net,iface", "inet")
    else:
        with pytest.raises(typetable.IpsetInputError, match="longer than 15"):
            parse.parse_entries([item], "hash:net,iface", "inet")


@pytest.mark.parametrize("name,ok", [("w" * 15, True), ("w" * 16, False), ("é" * 8, False)])
def test_wifi_interface_names_against_ifnamsiz(name: str, ok: bool) -> None:
    plan = pytest.importorskip(
        "ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan"
    )
    params = {"name": name, "state": "present", "type": "monitor"}
    if ok:
        plan.normalise(params)
    else:
        with pytest.raises(ValueError, match="name"):
            plan.normalise(params)


# --------------------------------------------------------------------------- lock directory


def test_lock_dir_is_private(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    lock_dir = tmp_path / "run" / "linux.netlink"
    monkeypatch.setattr(locking, "LOCK_DIR", str(lock_dir))
    old = os.umask(0)  # the most permissive umask: the code must not rely on it
    try:
        with locking.locked(None):
            files = os.listdir(lock_dir)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(lock_dir).st_mode) == 0o700
    assert len(files) == 1 and files[0].startswith("ipset-")
    assert stat.S_IMODE(os.stat(lock_dir / files[0]).st_mode) == 0o600


def test_lock_dir_made_private_again(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    lock_dir = tmp_path / "linux.netlink"
    lock_dir.mkdir()
    lock_dir.chmod(0o777)
    monkeypatch.setattr(locking, "LOCK_DIR", str(lock_dir))
    with locking.locked(None):
        pass
    assert stat.S_IMODE(os.stat(lock_dir).st_mode) == 0o700


def test_lock_dir_symlink_refused(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "world-writable"
    elsewhere.mkdir()
    elsewhere.chmod(0o1777)
    link = tmp_path / "linux.netlink"
    link.symlink_to(elsewhere)
    monkeypatch.setattr(locking, "LOCK_DIR", str(link))
    with pytest.raises(Error, match="refusing"), locking.locked(None):
        pass
    assert os.listdir(elsewhere) == []


def test_lock_file_symlink_not_followed(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    lock_dir = tmp_path / "linux.netlink"
    lock_dir.mkdir(mode=0o700)
    ident = os.stat("/proc/thread-self/ns/net")
    target = tmp_path / "victim"
    (lock_dir / ("ipset-%d-%d.lock" % (ident.st_dev, ident.st_ino))).symlink_to(target)
    monkeypatch.setattr(locking, "LOCK_DIR", str(lock_dir))
    with locking.locked(None):
        pass
    assert not target.exists()


# --------------------------------------------------------------------------- secrets

SECRET = re.compile(
    r"(^|_)(pass|password|passphrase|psk|secret|key|keys|token|credential|sae_password|wep_key)"
    r"($|_)",
    re.I,
)


def _argument_specs() -> Dict[str, Dict[str, Any]]:
    """Every module's argument spec, as main() hands it to AnsibleModule."""
    basic = pytest.importorskip("ansible.module_utils.basic")
    import importlib

    specs: Dict[str, Dict[str, Any]] = {}

    class Captured(Exception):
        pass

    def capture(self: Any, argument_spec: Dict[str, Any], **_kw: Any) -> None:
        raise Captured(argument_spec)

    names = sorted(f[:-3] for f in os.listdir(os.path.join(PLUGINS, "modules"))
                   if f.endswith(".py") and not f.startswith("_"))  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(basic.AnsibleModule, "__init__", capture)
        for name in names:
            module = importlib.import_module("ansible_collections.linux.netlink.plugins.modules."
                                             + name)  # fmt: skip
            try:
                module.main()
            except Captured as done:
                specs[name] = done.args[0]
    return specs


def _options(spec: Dict[str, Any], prefix: str = "") -> List[tuple]:
    out = []
    for name, opts in spec.items():
        out.append((prefix + name, opts))
        out += _options(opts.get("options") or {}, prefix + name + ".")
    return out


def test_every_module_spec_was_read() -> None:
    specs = _argument_specs()
    assert {"ipset", "ipset_entry", "ipset_info"} <= set(specs)


@pytest.mark.parametrize("name,secret", [("psk", True), ("wpa_passphrase", True),
                                         ("sae_password", True), ("key", True),
                                         ("passive", False), ("monitor_flags", False)])
def test_secret_pattern(name: str, secret: bool) -> None:
    assert bool(SECRET.search(name)) is secret


def test_secret_looking_options_are_no_log() -> None:
    for module, spec in _argument_specs().items():
        for name, opts in _options(spec):
            if SECRET.search(name):
                assert opts.get("no_log") is True, "%s: option %s is not no_log" % (module, name)
