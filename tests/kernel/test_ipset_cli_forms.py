# SPDX-License-Identifier: GPL-3.0-or-later
"""Oracle test: every numeric form of an entry means to us what it means to the ``ipset`` CLI.

Each input is added alone, with the real ``ipset`` tool, to an empty set in a fresh network
namespace (``unshare -n``), and removed with ``ipset del``; `parse_entries` must accept the
inputs the CLI accepts, giving the keys ``ipset save`` prints, and refuse the ones the CLI
refuses, for ``add`` and ``del`` alike (ipset_entry validates the same way whatever the state).
Needs root and the ipset and unshare binaries: without them it fails.
"""

from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
from typing import Dict, List, Optional, Tuple

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import parse as P
from ansible_collections.linux.netlink.plugins.module_utils._ipset import types as T
from ansible_collections.linux.netlink.plugins.module_utils._ipset.typetable import IpsetInputError

# (type, create options for the CLI, family, parse kwargs, inputs)
FORMS = [
    ("hash:ip", "", "inet", {},
     ["10.1", "10.1.2", "10", "0", "167838211", "4294967295", "4294967296", "1.65536",
      "1.256.1", "010.1.2.3", "012.1.2.3", "1.2.3.04", "1.2.3.08", "09.1.2.3", "00",
      "000000000001", "0x0a.1.2.3", "0x0a010203", "10.0x01.2.3", "1.2.3.4.", "1..2", "+1.2.3.4",
      "-1.2.3.4", "10.1-10.3", "192.168.0/30", "10.1/31", "1.2.3.4/08", "1.2.3.4/030",
      "1.2.3.4/0x1f", "1.2.3.4/+31", "1.2.3.4/-0", "1.2.3.4/-32", "0.0.0.0", "0/32",
      "10.3-10.1", "10.0.0.9-10.0.0.7", "10.0.0.1-0.0.0.0", "10.0.0.1-0"]),
    ("hash:net", "", "inet", {},
     ["192.168.0/24", "0/0", "0/1", "10.1/16", "10/8", "0", "1.2.3.4/024", "1.2.3.4/0x18",
      "1.2.3.4/08", "1.2.3.4/+8", "1.2.3-1.2.4", "10.1-10.2", "0x10/8", "010/8", "1.2.3.4/33",
      "1.2.3.4/", "1.2.4-1.2.3", "10.0.0.9-10.0.0.7"]),
    ("hash:ip,port", "", "inet", {},
     ["192.168.0,tcp:80", "010.1.2.3,udp:53", "10.1,80", "0.0.0.0,80", "0,tcp:1",
      "0.0.0.0,tcp:80", "0x0a.0.0.1,80", "10.0.0.1,tcp:9-1", "10.0.0.1,90-80",
      "10.0.0.9-10.0.0.7,tcp:80"]),
    ("hash:ip,port", "family inet6", "inet6", {}, ["::,80", "::1,udp:53", "10.1,80"]),
    ("hash:net,iface", "", "inet", {},
     ["192.168.0/24,eth0", "0/0,eth0", "10.1/16,physdev:eth1", "0x0a.0.0.0/8,eth0"]),
    ("hash:net,port", "", "inet", {}, ["192.168.0/24,tcp:22", "0/0,tcp:1", "10.1,udp:1"]),
    ("hash:ip,port,net", "", "inet", {},
     ["10.1,tcp:80,192.168.0/24", "0,tcp:80,10/8", "10.0.0.1,tcp:80,0/0"]),
    ("hash:ip,port,ip", "", "inet", {},
     ["10.1,tcp:80,10.2", "0,tcp:1,0", "10.1/32,tcp:80,10.2", "10.1,tcp:80,10.2/32"]),
    ("hash:ip,port,ip", "family inet6", "inet6", {},
     ["::1,80,::2", "::1/128,80,::2", "::1,80,::2/128"]),
    ("hash:ip", "family inet6", "inet6", {}, ["::1/128", "::1", "::/127"]),
    ("bitmap:ip,mac", "range 10.0.0.0/24", "inet", {},
     ["10.0.0.1,00:11:22:33:44:55", "10.0.0.1", "10.0.0.1/32,00:11:22:33:44:55", "10.0.0.1/32",
      "10.0.0.0/31,00:11:22:33:44:55", "10.0.0.1-10.0.0.2,00:11:22:33:44:55"]),
    ("hash:ip", "netmask 24", "inet", {"netmask": 24}, ["10.1.2", "0.0.0.5", "192.168.1"]),
    ("bitmap:ip", "range 10.0.0.0/16", "inet", {},
     ["10.1", "10.0.2", "012.0.0.1", "10.1-10.3", "10.0.0/30", "0x0a.0.0.1", "10.3-10.1"]),
    ("bitmap:port", "range 0-1024", None, {},
     ["080", "0x50", "tcp:010", "+80", "1-0x10", "udp:07", "0x10-1", "tcp:20-10"]),
]  # fmt: skip

_MARK = "@@"


Outcome = Tuple[Optional[List[str]], bool]


def _cli(settype: str, create: str, items: List[str]) -> Dict[str, Outcome]:
    """Per input: (the keys ``ipset save`` lists after adding it alone, or None when ``ipset
    add`` refused it; whether ``ipset del`` of it was accepted, the element being present)."""
    lines = ["set -u", "ipset create s %s %s || exit 1" % (settype, create)]
    for item in items:
        quoted = shlex.quote(item)
        lines += [
            "ipset flush s",
            "echo %s %s" % (_MARK, quoted),
            "if ipset add s %s 2>/dev/null; then ipset save s; "
            "ipset del s %s 2>/dev/null && echo DEL-OK; fi" % (quoted, quoted),
        ]
    proc = subprocess.run(
        ["unshare", "-n", "sh", "-c", "\n".join(lines)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    out: Dict[str, Outcome] = {}
    current = None
    for line in proc.stdout.splitlines():
        if line.startswith(_MARK + " "):
            current = line[len(_MARK) + 1:]
            out[current] = (None, False)
        elif line.startswith("add s ") and current is not None:
            keys = out[current][0] or []
            out[current] = (keys + [line.split()[2]], False)
        elif line == "DEL-OK" and current is not None:
            out[current] = (out[current][0], True)
    assert sorted(out) == sorted(items), proc.stdout
    return out


def test_binaries_present():
    missing = [b for b in ("ipset", "unshare") if shutil.which(b) is None]
    assert not missing, "the oracle needs %s (tests/install-deps.sh installs them)" % missing


@pytest.mark.parametrize("settype, create, family, kwargs, items", FORMS)
def test_forms_mean_what_the_cli_means(settype, create, family, kwargs, items):
    cli = _cli(settype, create, items)
    for item in items:
        keys, deleted = cli[item]
        try:
            ours = sorted(e.key for e in P.parse_entries([item], settype, family, **kwargs))
        except IpsetInputError as exc:
            assert keys is None, "%s: the CLI took %r as %s, we refused: %s" % (
                settype, item, keys, exc)
            continue
        assert keys is not None, "%s: the CLI refused %r, we read it as %s" % (
            settype, item, ours)
        if settype == "bitmap:ip,mac":  # our key of a member is its IP (one MAC per IP)
            keys = [key.split(",")[0] for key in keys]
        assert ours == sorted(keys), item
        assert deleted, "%s: ipset del %r was refused" % (settype, item)


def test_del_refused_as_add_is():
    """What ``ipset add`` refuses, ``ipset del`` refuses too (so does state=absent)."""
    script = (
        "ipset create p hash:ip,port; ipset create i hash:ip; "
        "ipset del p 0.0.0.0,80 2>/dev/null && echo P-DEL-OK; "
        "ipset del i 0.0.0.0 2>/dev/null && echo I-DEL-OK; true"
    )
    proc = subprocess.run(["unshare", "-n", "sh", "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout == "", (proc.stdout, proc.stderr)
    for settype, item in (("hash:ip,port", "0.0.0.0,80"), ("hash:ip", "0.0.0.0")):
        with pytest.raises(IpsetInputError, match="zero address"):
            P.parse_entries([item], settype, "inet")


# Create options with addresses: (type, option, value); the CLI's `create` line is the oracle.
CREATE_FORMS = [
    ("bitmap:ip", "range", "192.168.0/24"),
    ("bitmap:ip", "range", "10.1-10.5"),
    ("bitmap:ip", "range", "192.168.0.0/024"),
    ("bitmap:ip", "range", "0x0a.0.0.0/24"),
    ("bitmap:ip", "range", "010.0.0.0/0x18"),
    ("bitmap:ip,mac", "range", "10.0/16"),
    ("hash:ip", "bitmask", "255.255"),
    ("hash:ip", "bitmask", "255.0xff.0.0"),
]


def _cli_create(settype: str, option: str, value: str) -> Optional[str]:
    """The value ``ipset save`` prints for the option, or None when ``ipset create`` refused."""
    script = "ipset create s %s %s %s && ipset save s" % (settype, option, shlex.quote(value))
    proc = subprocess.run(["unshare", "-n", "sh", "-c", script], capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    words = proc.stdout.split()
    return words[words.index(option) + 1]


@pytest.mark.parametrize("settype, option, value", CREATE_FORMS)
def test_create_options_read_as_the_cli_reads_them(settype, option, value):
    cli = _cli_create(settype, option, value)
    try:
        header = T.normalise_create_options(settype, "inet", {option: value})
    except IpsetInputError as exc:
        assert cli is None, "the CLI took %s %r as %s, we refused: %s" % (option, value, cli, exc)
        return
    assert cli is not None, "the CLI refused %s %r, we took it: %s" % (option, value, header)
    if option == "range":
        ours = "%s-%s" % (socket.inet_ntoa(header["ip"]), socket.inet_ntoa(header["ip_to"]))
    else:
        ours = socket.inet_ntoa(header["bitmask"])
    assert ours == cli
