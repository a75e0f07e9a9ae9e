# SPDX-License-Identifier: GPL-3.0-or-later
"""linux.netlink.wifi_scan_facts's main() on a kernel without a wireless stack.

The kernel is nltest's fake socket answering the generic netlink controller's
CTRL_CMD_GETFAMILY "nl80211" with ENOENT, which is what Linux answers for a family that is not
registered (genl_ctrl_getfamily -> -ENOENT; the host kernel of the test machines does exactly
this, see tests/integration/targets/wifi_no_radio for the same on the real kernel). The real
client and facts code run against it.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
from typing import Any, Dict, Tuple

import pytest

pytest.importorskip("ansible")

from ansible.module_utils import basic  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._netlink import genetlink  # noqa: E402
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (  # noqa: E402
    Nl80211Client,
)
from ansible_collections.linux.netlink.plugins.modules import wifi_scan_facts  # noqa: E402

from conftest import (  # noqa: E402
    AnsibleExitJson,
    AnsibleFailJson,
    _exit_json,
    _fail_json,
    module_args,
)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "module_utils", "_netlink"))
import nltest  # noqa: E402

NO_STACK = "no wireless stack: the kernel has no nl80211"


class NoNl80211(nltest.FakeKernel):
    """A kernel whose generic netlink controller does not know nl80211 (no cfg80211)."""

    def __init__(self) -> None:
        super().__init__(handler=self.answer)
        self.asked = []

    def answer(self, req: Any) -> list:
        assert req.type == genetlink.GENL_ID_CTRL, "only the controller may be asked"
        self.asked.append(req.type)
        return [self.error(req, errno.ENOENT)]


def run(monkeypatch: Any, args: Dict[str, Any]) -> Tuple[bool, Dict[str, Any], NoNl80211]:
    kernel = NoNl80211()
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)
    monkeypatch.setattr(
        wifi_scan_facts, "Nl80211Client", functools.partial(Nl80211Client, socket_factory=kernel)
    )
    with module_args(args):
        try:
            wifi_scan_facts.main()
        except AnsibleExitJson as exc:
            return False, exc.args[0], kernel
        except AnsibleFailJson as exc:
            return True, exc.args[0], kernel
    raise AssertionError("the module returned without exit_json or fail_json")


@pytest.mark.parametrize("args", [{}, {"netns": None}, {"flush": True}, {"passive": True}])
def test_no_options_on_a_host_without_wifi_is_a_fact_not_a_failure(
    monkeypatch: Any, args: Dict[str, Any]
) -> None:
    failed, result, kernel = run(monkeypatch, args)
    assert not failed, result
    assert kernel.asked, "the module never asked the kernel"
    assert result["changed"] is False
    assert result["scanned"] == []
    assert list(result["ansible_facts"]) == ["netlink_wifi"]
    facts = result["ansible_facts"]["netlink_wifi"]
    assert facts["available"] is False
    assert facts["reason"].startswith(NO_STACK)
    assert (facts["phys"], facts["interfaces"], facts["scan"]) == ([], [], {})


@pytest.mark.parametrize(
    "args,option",
    [
        ({"interface": "wlan0"}, "interface"),
        ({"trigger": True}, "trigger"),
        ({"interface": "wlan0", "trigger": True, "frequencies": [2412]}, "interface"),
    ],
)
def test_a_request_that_needs_a_radio_fails_and_names_the_option(
    monkeypatch: Any, args: Dict[str, Any], option: str
) -> None:
    failed, result, _ = run(monkeypatch, args)
    assert failed, result
    assert result["msg"].startswith("%s: %s" % (option, NO_STACK)), result["msg"]
    assert "ansible_facts" not in result


def test_bad_options_are_refused_before_the_kernel_is_asked(monkeypatch: Any) -> None:
    failed, result, kernel = run(monkeypatch, {"ssids": ["x"]})
    assert failed and result["msg"] == "ssids: only with trigger=true"
    assert kernel.asked == []


@pytest.mark.parametrize(
    "subset", [["all"], ["min"], ["!all"], ["stations", "survey"], ["!survey"], ["regulatory"]]
)
def test_a_host_without_wifi_answers_after_one_request_whatever_is_gathered(
    monkeypatch: Any, subset: list
) -> None:
    """The fleet path: gather_facts on a wired host asks the controller once, then stops."""
    failed, result, kernel = run(monkeypatch, {"gather_subset": subset})
    assert not failed, result
    assert kernel.asked == [genetlink.GENL_ID_CTRL]
    facts = result["ansible_facts"]["netlink_wifi"]
    assert facts["available"] is False and facts["gathered"] == []
    assert (facts["links"], facts["stations"], facts["survey"], facts["regulatory"]) == (
        {}, {}, {}, {}
    )  # fmt: skip


def test_an_unknown_subset_is_refused_before_the_kernel_is_asked(monkeypatch: Any) -> None:
    failed, result, kernel = run(monkeypatch, {"gather_subset": ["stations", "!radios", "x"]})
    assert failed
    assert result["msg"] == (
        "gather_subset: unknown !radios, x (choose from all, min, scan, link, stations, survey, "
        "regulatory, each optionally with a leading !)"
    )
    assert kernel.asked == []


@pytest.mark.parametrize(
    "subset, trigger, chosen",
    [
        (["all"], False, ["scan", "link", "stations", "survey", "regulatory"]),
        (["min"], False, []),
        (["!all"], False, []),
        (["!all", "link"], False, ["link"]),
        (["!survey"], False, ["scan", "link", "stations", "regulatory"]),
        (["!survey", "!stations"], False, ["scan", "link", "regulatory"]),
        (["stations", "link"], False, ["link", "stations"]),
        (["all", "!scan"], False, ["link", "stations", "survey", "regulatory"]),
        (["min", "survey"], False, ["survey"]),
        (["min"], True, ["scan"]),  # a triggered scan is always read
        ([], False, ["scan", "link", "stations", "survey", "regulatory"]),
    ],
)
def test_gather_subset_reads_as_setup_does(subset: list, trigger: bool, chosen: list) -> None:
    assert wifi_scan_facts.subsets({"gather_subset": subset, "trigger": trigger}) == chosen
