# SPDX-License-Identifier: GPL-3.0-or-later
"""Oracle test: _ipset.entry parses and formats members exactly as the ipset(8) CLI does.

For a sample of inputs per set type built into the running kernel, the inputs are added with
the real ``ipset`` tool in a fresh network namespace (``unshare -n``) and the keys of
``ipset save`` are compared with the keys `parse_entries` gives for the same inputs. The
test needs root (namespaces, CAP_NET_ADMIN) and the ipset binary; the host is never touched.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._ipset import entry as E
from ansible_collections.linux.netlink.plugins.module_utils._ipset import parse as P
from ansible_collections.linux.netlink.plugins.module_utils._ipset import sets as S
from ansible_collections.linux.netlink.plugins.module_utils._ipset.client import IpsetClient

pytestmark = pytest.mark.kernel

# Root is checked for every kernel test by conftest.py. A missing binary is a failure, never a
# skip: tests/install-deps.sh installs both.
_MISSING = [tool for tool in ("ipset", "unshare") if shutil.which(tool) is None]
if _MISSING:
    pytest.fail("the oracle needs the %s binaries (tests/install-deps.sh installs them)"
                % " and ".join(_MISSING), pytrace=False)  # fmt: skip


def _ipset_keys(create, items):
    """Run ``ipset create`` + ``ipset add`` in a new netns; return the saved (key, tail)s."""
    lines = ["create s %s" % create] + ["add -exist s %s" % item for item in items]
    script = "ipset restore <<'EOF'\n%s\nEOF\nipset save s" % "\n".join(lines)
    proc = subprocess.run(
        ["unshare", "-n", "sh", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    out = []
    for line in proc.stdout.splitlines():
        if line.startswith("add s "):
            words = line[len("add s "):].split(" ", 1)
            out.append((words[0], " " + words[1] if len(words) > 1 else ""))
    return out


SAMPLES = [
    ("hash:ip", "inet", "", {}, ["10.0.0.1", "10.0.1.1-10.0.1.3", "10.0.2.1/30", "10.0.3.1/32",
                                 "255.255.255.255"]),
    ("hash:ip", "inet", "netmask 24", {"netmask": 24},
     ["10.1.2.3", "10.1.3.0/23", "10.0.0.5-10.0.1.3"]),
    ("hash:ip", "inet", "bitmask 255.255.0.255", {"bitmask": "255.255.0.255"}, ["10.1.2.3"]),
    ("hash:ip", "inet6", "family inet6", {},
     ["2001:DB8:0:0::1", "2001:db8::/128", "::ffff:1.2.3.4", "2001:db8:0:0:1:0:0:1"]),
    ("hash:ip", "inet6", "family inet6 netmask 64", {"netmask": 64}, ["2001:db8:1:2:3::4"]),
    ("hash:net", "inet", "", {},
     ["10.0.0.5/24", "10.0.1.1/32", "10.0.2.1", "10.0.3.0-10.0.3.9", "10.0.5.0/1",
      "192.0.2.0-192.0.2.254", "10.9.0.0/16 nomatch"]),
    ("hash:net", "inet6", "family inet6", {}, ["2001:db8::5/64", "2001:db8::1/128", "::1"]),
    ("hash:ip,port", "inet", "", {},
     ["192.0.2.1,80", "192.0.2.1,tcp:81", "192.0.2.1,udp:53", "192.0.2.1,sctp:9",
      "192.0.2.1,udplite:9", "192.0.2.2,icmp:ping", "192.0.2.2,icmp:echo-reply",
      "192.0.2.2,icmp:3/4", "192.0.2.2,icmp:255/255", "192.0.2.3,gre:0", "192.0.2.3,253:0",
      "192.0.2.4,tcp:http", "192.0.2.4,tcp:90-92", "192.0.2.8/31,udp:1", "192.0.2.5,tcp:0",
      "192.0.2.5,tcp:65535", "192.0.2.5,TCP:5", "192.0.2.5,tcp:0x50", "192.0.2.6,icmp:h"]),
    ("hash:ip,port", "inet6", "family inet6", {},
     ["2001:db8::1,80", "2001:db8::1,icmpv6:1/0", "2001:db8::1,ipv6-icmp:echo-request",
      "2001:db8::1,58:2/0", "2001:db8::1,tcp:1-2"]),
    ("hash:ip,port", "inet", "netmask 24", {"netmask": 24}, ["10.1.2.3,tcp:80"]),
    ("hash:net,port", "inet", "", {},
     ["10.0.0.5/24,tcp:80", "10.0.1.1,udp:53", "10.0.2.0-10.0.2.2,tcp:1", "10.0.3.0/24,tcp:5-6",
      "10.0.4.0/32,icmp:ping", "10.0.5.0/24,gre:0"]),
    ("hash:ip,port,ip", "inet", "", {},
     ["10.0.0.1,tcp:80,10.0.0.2", "10.0.0.5-10.0.0.6,udp:1,10.1.1.1"]),
    ("hash:ip,port,net", "inet", "", {},
     ["10.0.0.1,tcp:80,10.0.0.0/8", "10.0.0.1,tcp:80,10.0.0.7/24",
      "10.0.0.1,tcp:80,10.2.0.0-10.2.0.2", "10.0.0.2/31,udp:2,10.3.3.3"]),
    ("hash:net,iface", "inet", "", {},
     ["10.0.0.0/24,eth0", "10.0.1.0/24,physdev:eth1", "10.0.2.1,eth+",
      "10.0.3.0-10.0.3.3,lo", "0.0.0.0/0,eth0", "10.0.5.0/24,abcdefghijklmno"]),
    ("hash:net,iface", "inet6", "family inet6", {}, ["2001:db8::/32,eth0", "::/0,eth1"]),
    ("bitmap:ip", "inet", "range 192.168.0.0/24", {},
     ["192.168.0.1", "192.168.0.10-192.168.0.12", "192.168.0.16/30"]),
    ("bitmap:ip", "inet", "range 192.168.0.0-192.168.3.255 netmask 24", {"netmask": 24},
     ["192.168.1.77", "192.168.2.0/23"]),
    ("bitmap:ip,mac", "inet", "range 10.0.0.0/24", {},
     ["10.0.0.1,aa:bb:cc:dd:ee:ff", "10.0.0.2", "10.0.0.3,0:1:2:3:4:5",
      "10.0.0.4,AA:BB:CC:DD:EE:0F"]),
    ("bitmap:port", None, "range 0-65535", {}, ["0", "65535", "ftp", "1500-1502", "tcp:1600"]),
    ("hash:ip", "inet", "counters comment skbinfo", {},
     ['10.0.0.1 packets 5 bytes 7 comment "hi there" skbmark 0x1/0xff skbprio 1:2 skbqueue 3',
      "10.0.0.3 skbmark 0x5/0xffffffff skbprio 10:ff"]),
    ("hash:net", "inet", "counters comment", {}, ['10.0.4.0/24 nomatch comment "x" packets 1']),
]  # fmt: skip


@pytest.mark.parametrize("settype, family, create, kwargs, items", SAMPLES)
def test_parse_matches_ipset_save(settype, family, create, kwargs, items):
    saved = _ipset_keys("%s %s" % (settype, create), items)
    entries = P.parse_entries(items, settype, family, **kwargs)
    assert sorted(E.entry_text(e) for e in entries) == sorted(key for key, _ in saved)
    if "counters" in create:  # no timeout, so the saved tail is deterministic
        # a set with counters lists them for every member, 0 when the add gave none
        tails = {e.key: E.format_extensions(dict({"packets": 0, "bytes": 0}, **e.ext))
                 for e in entries}  # fmt: skip
        assert {key: tails[key] for key, _ in saved} == dict(saved)

def test_list_set_order_and_placement():
    script = (
        "ipset create a hash:ip; ipset create b hash:ip; ipset create c hash:ip; "
        "ipset create l list:set; ipset add l a; ipset add l b; ipset add l %s; "
        "ipset save l" % shlex.quote("c,before,b")
    )
    proc = subprocess.run(["unshare", "-n", "sh", "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    saved = [line.split()[2] for line in proc.stdout.splitlines() if line.startswith("add ")]
    entries = P.parse_entries(["a", "b", "c,before,b"], "list:set", None)
    assert saved == ["a", "c", "b"]
    assert {e.key for e in entries} == set(saved)
    assert entries[2].position == ("before", "b")


@pytest.mark.parametrize("settype, family, create, kwargs, items", SAMPLES)
def test_member_lines_are_what_ipset_save_prints(settype, family, create, kwargs, items, netns):
    """sets.entry_lines is what the unit fakes (FakeIpsetClient.saved) take for `ipset save`:
    here, over the kernel's own listing, it must print exactly the member lines the CLI does."""
    lines = ["create s %s %s" % (settype, create)] + ["add -exist s %s" % i for i in items]
    subprocess.run(["ip", "netns", "exec", netns, "ipset", "restore"], check=True,
                   input="\n".join(lines) + "\n", text=True)  # fmt: skip
    proc = subprocess.run(["ip", "netns", "exec", netns, "ipset", "save", "s"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    saved = sorted(line[len("add s "):] for line in proc.stdout.splitlines()
                   if line.startswith("add s "))  # fmt: skip
    with IpsetClient(netns=netns) as client:
        info = client.get("s")
    assert info is not None
    assert S.entry_lines(info) == saved
