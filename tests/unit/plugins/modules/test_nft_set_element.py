# SPDX-License-Identifier: GPL-3.0-or-later
"""linux.netlink.nft_set_element's main() against a fake nf_tables kernel (conftest.py here).

Each case: the set (nft_set options and elements), the module arguments, and what must come
out: failed and the message, or changed, added, removed, and the elements the kernel holds
afterwards (read back through the real client) and the batches sent.
"""

from __future__ import annotations

import pytest

pytest.importorskip("ansible")

from ansible_collections.linux.netlink.plugins.modules import nft_set_element  # noqa: E402

PLAIN = {"type": "ipv4_addr"}
INTERVAL = {"type": "ipv4_addr", "flags": ["interval"], "auto_merge": True}
CONCAT = {"type": "ipv4_addr . inet_service", "flags": ["interval"]}
MAP = {"type": "inet_service", "map": "verdict"}
TIMEOUT = {"type": "ipv4_addr", "timeout": "1h"}

# (id, set options, elements before, args, expected)
CASES = [
    ("present adds", PLAIN, ["10.0.0.1"], {"elements": ["10.0.0.2", "10.0.0.1"]},
     dict(changed=True, added=["10.0.0.2"], removed=[], after=["10.0.0.1", "10.0.0.2"])),
    ("present of what is there", PLAIN, ["10.0.0.1"], {"elements": ["10.0.0.1"]},
     dict(changed=False, after=["10.0.0.1"], batches=0)),
    ("absent", PLAIN, ["10.0.0.1", "10.0.0.2"], {"elements": ["10.0.0.2", "10.0.0.3"],
                                                 "state": "absent"},
     dict(changed=True, removed=["10.0.0.2"], after=["10.0.0.1"])),
    ("exact is one batch", PLAIN, ["10.0.0.1", "10.0.0.2"],
     {"elements": ["10.0.0.2", "10.0.0.3"], "state": "exact"},
     dict(changed=True, added=["10.0.0.3"], removed=["10.0.0.1"], after=["10.0.0.2", "10.0.0.3"],
          batch=["NFT_MSG_DELSETELEM", "NFT_MSG_NEWSETELEM"])),
    ("check mode sends nothing", PLAIN, ["10.0.0.1"],
     {"elements": ["10.0.0.3"], "state": "exact", "_ansible_check_mode": True},
     dict(changed=True, added=["10.0.0.3"], removed=["10.0.0.1"], after=["10.0.0.1"], batches=0)),
    ("intervals merge", INTERVAL, ["10.0.0.0/24"], {"elements": ["10.0.1.0/24"]},
     dict(changed=True, added=["10.0.0.0/23"], removed=["10.0.0.0/24"], after=["10.0.0.0/23"])),
    ("intervals split", INTERVAL, ["10.0.0.0/25"], {"elements": ["10.0.0.64"], "state": "absent"},
     dict(changed=True, after=["10.0.0.0/26", "10.0.0.65-10.0.0.127"])),
    ("concatenated ranges", CONCAT, ["10.0.0.0/8 . 80-90"],
     {"elements": ["10.0.0.0/8 . 80-90", "192.0.2.1 . ssh"], "state": "exact"},
     dict(changed=True, added=["192.0.2.1 . 22"], after=["10.0.0.0/8 . 80-90", "192.0.2.1 . 22"])),
    ("map data replaced", MAP, ["22 : accept"], {"elements": ["22 : drop"]},
     dict(changed=True, added=["22 : drop"], removed=["22 : accept"], after=["22 : drop"])),
    ("own counter", PLAIN, ["10.0.0.1"], {"elements": [{"key": "10.0.0.1", "counter": True}]},
     dict(changed=True, added=["10.0.0.1 counter"], after=["10.0.0.1 counter"])),
    ("the set's timeout is no change", TIMEOUT, ["10.0.0.1"],
     {"elements": [{"key": "10.0.0.1", "timeout": 3600}]}, dict(changed=False, batches=0)),
    # bad input: named, nothing sent
    ("one bad element changes nothing", PLAIN, ["10.0.0.1"],
     {"elements": ["10.0.0.2", "10.0.0.300"], "state": "exact"},
     dict(failed=True, msg="element 10.0.0.300: '10.0.0.300' is not an IPv4 address",
          after=["10.0.0.1"], batches=0)),
    ("an overlap is named", {"type": "ipv4_addr", "flags": ["interval"]}, [],
     {"elements": ["10.0.0.0/24", "10.0.0.5"]},
     dict(failed=True, msg="element 10.0.0.5 overlaps element 10.0.0.0/24", batches=0)),
    ("concatenated ranges that share a key", CONCAT, ["10.0.0.0/8 . 80-90"],
     {"elements": ["10.1.0.0/16 . 85"]},
     dict(failed=True, msg="element 10.1.0.0/16 . 85 overlaps element 10.0.0.0/8 . 80-90 in "
          "the set", after=["10.0.0.0/8 . 80-90"], batches=0)),
    ("a set is not a map", PLAIN, [], {"elements": ["10.0.0.1 : accept"]},
     dict(failed=True, msg="element 10.0.0.1: a set (not a map) takes no value", batches=0)),
    ("no timeout flag", PLAIN, [], {"elements": [{"key": "10.0.0.1", "timeout": 5}]},
     dict(failed=True, msg="element 10.0.0.1: timeout: the set has no timeout flag", batches=0)),
    ("unknown keys", PLAIN, [], {"elements": [{"key": "10.0.0.1", "ttl": 5}]},
     dict(failed=True, msg="unknown keys ttl", batches=0)),
    # the kernel refuses: named through the extended-ACK offset, nothing applied
    ("a full set", dict(PLAIN, size=2), ["10.0.0.1"],
     {"elements": ["10.0.0.2", "10.0.0.3"]},
     dict(failed=True, msg="NFT_MSG_NEWSETELEM: set inet filter s: element 10.0.0.3: the set is "
          "full (its size is reached) (ENFILE)", after=["10.0.0.1"], batches=1)),
]


@pytest.mark.parametrize("options,before,args,expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_cases(nft_kernel, nft_run, options, before, args, expected):
    nft_kernel.nft("inet", "filter", "s", before, **options)
    failed, result = nft_run(nft_set_element, dict({"table": "filter", "set": "s",
                                                    "_ansible_diff": True}, **args))
    assert failed == expected.get("failed", False), result
    if failed:
        assert expected["msg"] in result["msg"]
    else:
        assert result["changed"] == expected["changed"]
        for key in ("added", "removed"):
            if key in expected:
                assert result[key] == expected[key]
        after = expected.get("after", before)
        if not args.get("_ansible_check_mode"):
            assert result["diff"]["after"] == "".join(e + "\n" for e in after) or not after
    if "after" in expected:
        assert nft_kernel.listed("inet", "filter", "s") == expected["after"]
    if "batches" in expected:
        assert len(nft_kernel.batches) == expected["batches"]
    if "batch" in expected:
        assert nft_kernel.batches == [expected["batch"]]


def test_diff_shows_before_and_after(nft_kernel, nft_run):
    nft_kernel.nft("inet", "filter", "s", ["10.0.0.1"], **PLAIN)
    failed, result = nft_run(nft_set_element, {"table": "filter", "set": "s",
                                               "elements": ["10.0.0.2"], "state": "exact",
                                               "_ansible_diff": True})
    assert not failed
    assert result["diff"] == {"before": "10.0.0.1\n", "after": "10.0.0.2\n"}


def test_elements_file(nft_kernel, nft_run, tmp_path):
    nft_kernel.nft("inet", "filter", "s", [], **INTERVAL)
    path = tmp_path / "list.txt"
    path.write_text("# blocklist\n10.0.0.0/24\n\n192.0.2.7  # one host\n")
    args = {"table": "filter", "set": "s", "elements_file": str(path), "state": "exact"}
    failed, result = nft_run(nft_set_element, args)
    assert not failed and result["added"] == ["10.0.0.0/24", "192.0.2.7"]
    failed, result = nft_run(nft_set_element, args)
    assert not failed and not result["changed"]
    failed, result = nft_run(nft_set_element, dict(args, elements_file=str(tmp_path / "nope")))
    assert failed and result["msg"].startswith("path: cannot read")


def test_missing_set_and_concurrent_change(nft_kernel, nft_run):
    failed, result = nft_run(nft_set_element, {"table": "filter", "set": "s",
                                               "elements": ["10.0.0.1"]})
    assert failed and "set: inet filter s does not exist" in result["msg"]
    nft_kernel.nft("inet", "filter", "s", ["10.0.0.1"], **PLAIN)
    nft_kernel.before_batch = lambda kernel: setattr(kernel, "genid", kernel.genid + 1)
    failed, result = nft_run(nft_set_element, {"table": "filter", "set": "s",
                                               "elements": ["10.0.0.2"], "state": "exact"})
    assert failed and "the ruleset changed since it was read" in result["msg"]
    assert "nothing was applied" in result["msg"]
    assert nft_kernel.listed("inet", "filter", "s") == ["10.0.0.1"]
