# SPDX-License-Identifier: GPL-3.0-or-later
# ruff: noqa: E501  (messages and expected lines are kept whole, as the task prints them)
"""`entries_file` holding a whole `ipset save` of several sets, on the operator's path.

Sets are made with the `ipset` CLI in a fresh namespace, `ipset save` of all of them is the
file (with the comment header and blank lines an operator's file has), and `ansible-playbook`
runs `linux.netlink.ipset_entry` with that file for ONE set. Oracles: `ipset restore` of the
same file into a second fresh namespace (what the CLI makes of it), and `ipset save` of the
task's namespace afterwards. A file that cannot be the set's (only other sets in it, the set
created there with another type) fails the task and leaves `ipset save` byte-identical.
Needs root, the `ipset` binary and ansible-playbook beside the Python running pytest: without
them these tests fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from typing import Dict, List, Tuple

import pytest
from ansible_collections.linux.netlink.plugins.modules import ipset_entry

# The collections path that holds this checkout as ansible_collections/linux/netlink.
COLLECTIONS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(ipset_entry.__file__)))))))  # fmt: skip
PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")

# The sets an operator's host holds, made with the CLI: the one the task names (`bl`), a
# fail2ban-style set and one of another type. Comments with spaces and a `#`.
SETS = {
    "bl": ("hash:net comment", ['10.0.0.0/24 comment "office # 2"', '192.0.2.7 comment "one host"',
                                "198.51.100.0/25"]),
    "f2b-sshd": ("hash:ip", ["203.0.113.5", "203.0.113.6"]),
    "web": ("hash:ip,port", ["192.0.2.1,tcp:443", "192.0.2.2,udp:53"]),
}  # fmt: skip

PLAY = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - name: members of one set from a file of several
      linux.netlink.ipset_entry:
        set: bl
        entries_file: "{{ item }}"
        state: exact
        netns: "{{ ns }}"
      loop: "{{ files }}"
      register: r
      ignore_errors: true
    - name: keep the results
      ansible.builtin.copy:
        content: "{{ r.results | to_json }}"
        dest: "{{ out }}"
        mode: "0600"
"""


def ipset(netns: str, *args: str, stdin: str = "") -> str:
    done = subprocess.run(["ip", "netns", "exec", netns, "ipset", *args], input=stdin,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, "ipset %s: %s" % (" ".join(args), done.stderr)
    return done.stdout


def members(save: str, name: str) -> List[str]:
    """The `add NAME` lines of a save, sorted (the order of a hash set is the kernel's)."""
    return sorted(line for line in save.splitlines() if line.startswith("add %s " % name))


def playbook(tmp_path, netns: str, files: List[str]) -> Tuple[List[Dict], str]:
    """Run PLAY with these entries files, in order; the registered results, and the output
    (where the warnings are: a registered result does not keep them)."""
    assert shutil.which("ipset"), "the ipset binary (the oracle) is missing: tests/install-deps.sh"
    assert os.access(PLAYBOOK_BIN, os.X_OK), "no ansible-playbook beside %s" % sys.executable
    (tmp_path / "play.yml").write_text(PLAY, encoding="utf-8")
    out = tmp_path / "results.json"
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_LOCALHOST_WARNING="False",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="False", ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"))  # fmt: skip
    extra = {"ns": netns, "files": files, "out": str(out), "ansible_python_interpreter": sys.executable}
    done = subprocess.run([PLAYBOOK_BIN, "-i", "localhost,", "-c", "local", "-e", json.dumps(extra),
                           str(tmp_path / "play.yml")], capture_output=True, text=True, env=env)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(out.read_text(encoding="utf-8")), done.stdout + done.stderr


@pytest.fixture
def saved(tmp_path, make_netns):
    """(namespace with the sets, the `ipset save` file of all of them, that save's text)."""
    with make_netns() as netns:
        for name, (create, lines) in SETS.items():
            ipset(netns, "create", name, *create.split())
            ipset(netns, "restore", stdin="".join("add %s %s\n" % (name, x) for x in lines))
        save = ipset(netns, "save")
        path = tmp_path / "ipsets.save"
        path.write_text("# ipset save, every set of the host\n\n" + save + "\n", encoding="utf-8")
        yield netns, str(path), save


def test_whole_save_converges_one_set_as_restore_does(tmp_path, make_netns, saved):
    netns, path, save = saved
    with make_netns() as ref:  # what the CLI makes of the same file
        ipset(ref, "restore", "-file", path)
        expected = members(ipset(ref, "save"), "bl")
    assert len(expected) == 3
    # drift: a member gone, a stray one, a comment changed
    ipset(netns, "del", "bl", "198.51.100.0/25")
    ipset(netns, "add", "bl", "172.16.0.0/12")
    ipset(netns, "add", "-exist", "bl", "192.0.2.7", "comment", "changed")
    others = {n: members(save, n) for n in ("f2b-sshd", "web")}
    (first, twin), output = playbook(tmp_path, netns, [path, path])
    assert first["changed"] and not first.get("failed"), first
    assert first["entries_file_skipped"] == 4
    assert sorted(first["added"]) == ['192.0.2.7 comment "one host"', "198.51.100.0/25"]
    assert first["removed"] == ["172.16.0.0/12"]
    warning = "[WARNING]: entries_file %r: took only the lines of set 'bl'; skipped 4 entries of f2b-sshd, web" % path
    assert "".join(warning.split()) in "".join(output.split()), output  # wrapped to the terminal
    assert not twin["changed"] and twin["added_count"] == twin["removed_count"] == 0, twin
    after = ipset(netns, "save")
    assert members(after, "bl") == expected
    assert {n: members(after, n) for n in others} == others  # the other sets untouched


def test_a_file_that_is_not_the_sets_changes_nothing(tmp_path, saved):
    netns, path, save = saved
    only_others = tmp_path / "others.save"
    only_others.write_text("\n".join(x for x in save.splitlines() if not re.match(r"\S+ bl ", x)) + "\n",
                           encoding="utf-8")  # fmt: skip
    retyped = tmp_path / "retyped.save"
    retyped.write_text(save.replace("create bl hash:net", "create bl hash:ip"), encoding="utf-8")
    ipset(netns, "add", "bl", "172.16.0.0/12")  # a state the refused files would change
    before = ipset(netns, "save")
    (gone, other_type), _ = playbook(tmp_path, netns, [str(only_others), str(retyped)])
    assert gone["failed"] and not gone["changed"], gone
    assert gone["msg"] == "entries_file %r holds no line of set 'bl'; the sets it holds: f2b-sshd, web" % str(only_others)
    assert other_type["failed"] and not other_type["changed"], other_type
    assert other_type["msg"] == "entries_file %r line 1 creates set 'bl' as hash:ip, but the set is hash:net" % str(retyped)
    assert ipset(netns, "save") == before
