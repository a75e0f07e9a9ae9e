# SPDX-License-Identifier: GPL-3.0-or-later
"""linux.netlink.wifi_link's and wifi_regdomain's main(): on a kernel without a wireless stack
(nltest's controller answering ENOENT for "nl80211", as Linux does without cfg80211, see
test_wifi_scan_facts.py), and wifi_regdomain's decisions against a scripted client.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, List, Tuple

import pytest

pytest.importorskip("ansible")

from ansible_collections.linux.netlink.plugins.module_utils._nl80211.client import (  # noqa: E402
    Nl80211Client,
    RegulatoryTimeout,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import (  # noqa: E402
    Phy,
)
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.reg import (  # noqa: E402
    RegDomain,
    Regulatory,
)
from ansible_collections.linux.netlink.plugins.modules import (  # noqa: E402
    wifi_link,
    wifi_regdomain,
)
from test_wifi_scan_facts import NO_STACK, NoNl80211  # noqa: E402

from conftest import call_main  # noqa: E402


def run(monkeypatch: Any, module: Any, args: Dict[str, Any], client: Any) -> Tuple[bool, Dict]:
    monkeypatch.setattr(module, "Nl80211Client", client)
    return call_main(monkeypatch, module, args)


@pytest.mark.parametrize(
    "module, args",
    [
        (wifi_link, {"interface": "wlan0", "ssid": "x"}),
        (wifi_link, {"interface": "wlan0", "state": "absent"}),
        (wifi_regdomain, {"country": "DE"}),
        (wifi_regdomain, {}),
    ],
)
def test_without_cfg80211_the_task_fails_clearly(monkeypatch, module, args) -> None:
    kernel = NoNl80211()
    client = functools.partial(Nl80211Client, socket_factory=kernel)
    failed, result = run(monkeypatch, module, args, client)
    assert failed and result["msg"].startswith(NO_STACK), result
    assert kernel.asked, "the module never asked the kernel"


class RegClient:
    """The client calls wifi_regdomain makes, scripted: ``after`` is the domain the kernel
    reports once the request was sent (None: the request times out, nothing changes)."""

    def __init__(self, before: Regulatory, after: Regulatory, announce=True) -> None:
        self.domains, self.after, self.announce = before, after, announce
        self.requests: List[str] = []

    def __call__(self, netns=None) -> "RegClient":
        return self

    def __enter__(self) -> "RegClient":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def regdomain(self) -> Regulatory:
        return self.domains

    def phys(self) -> List[Phy]:
        return [Phy(4, "phy4", [], [], {}, 4)]

    def set_regdomain(self, alpha2: str, timeout: float) -> Dict[str, Any]:
        self.requests.append(alpha2)
        self.domains = self.after
        if not self.announce:
            raise RegulatoryTimeout("no announcement")
        return {}


WORLD = RegDomain("00", 0, [], None, False)  # NL80211_DFS_UNSET
DE = RegDomain("DE", 2, [], None, False)  # NL80211_DFS_ETSI
OWN = RegDomain("US", 1, [], 4, True)  # NL80211_DFS_FCC, self-managed


def test_set_read_back_and_idempotent(monkeypatch) -> None:
    client = RegClient(Regulatory(WORLD, [OWN]), Regulatory(DE, [OWN]))
    failed, result = run(monkeypatch, wifi_regdomain, {"country": "de"}, client)
    assert not failed and result["changed"] and client.requests == ["DE"]
    assert result["regdomain"]["country"] == "DE"
    assert result["diff"]["before"]["country"] == "00"
    assert result["warnings"] == [
        "phy4 manages its own regulatory domain (US, self-managed by its driver): setting the "
        "country to DE does not change it"
    ]
    assert result["regdomain"]["radios"][0]["phy"] == "phy4"
    failed, result = run(monkeypatch, wifi_regdomain, {"country": "DE"}, client)
    assert not failed and not result["changed"] and client.requests == ["DE"]


def test_check_mode_sends_nothing(monkeypatch) -> None:
    client = RegClient(Regulatory(WORLD, []), Regulatory(DE, []))
    args = {"country": "DE", "_ansible_check_mode": True}
    failed, result = run(monkeypatch, wifi_regdomain, args, client)
    assert not failed and result["changed"] and client.requests == []
    assert result["regdomain"]["country"] == "DE"


def test_a_hint_the_kernel_did_not_apply_fails_with_what_it_did(monkeypatch) -> None:
    # `iw reg set XZ` after DE on the VM's 6.1 kernel: no announcement, the world domain.
    client = RegClient(Regulatory(DE, []), Regulatory(WORLD, []), announce=False)
    failed, result = run(monkeypatch, wifi_regdomain, {"country": "XZ", "timeout": 1}, client)
    assert failed and result["changed"] is True
    assert result["msg"].startswith("the kernel did not apply country XZ: the global regulatory "
                                    "domain is 00 (the world domain)")  # fmt: skip
    client = RegClient(
        Regulatory(DE, []), Regulatory(DE, []), announce=False
    )  # ignored: nothing changed at all
    failed, result = run(monkeypatch, wifi_regdomain, {"country": "FR", "timeout": 1}, client)
    assert failed and result["changed"] is False and "is DE." in result["msg"]


def test_bad_country_is_refused_before_anything_is_sent(monkeypatch) -> None:
    client = RegClient(Regulatory(WORLD, []), Regulatory(DE, []))
    failed, result = run(monkeypatch, wifi_regdomain, {"country": "Germany"}, client)
    assert failed and result["msg"].startswith("country: 'Germany' is not an ISO 3166-1")
    assert client.requests == []


@pytest.mark.parametrize(
    "module, args",
    [(wifi_link, {"interface": "wlan0", "timeout": 0}), (wifi_regdomain, {"timeout": -1})],
)
def test_timeout_must_be_positive(monkeypatch, module, args) -> None:
    failed, result = run(
        monkeypatch, module, args, RegClient(Regulatory(WORLD, []), Regulatory(DE, []))
    )
    assert failed and result["msg"] == "timeout: must be more than 0 seconds"
