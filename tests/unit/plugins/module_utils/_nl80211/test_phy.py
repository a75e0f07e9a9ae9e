# SPDX-License-Identifier: GPL-3.0-or-later
"""The wifi_phy planner and normalisers, as tables (pure: no kernel, no Ansible)."""

from __future__ import annotations

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import phy as P
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import RadioSettings
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import OptionError, Step

OFF = u.THRESHOLD_OFF
# phy7 as GET_WIPHY reported it in the VM (mac80211_hwsim, Linux 6.1): no antennas
PHY7 = RadioSettings(7, "phy7", 7, 4, OFF, OFF, None, None, None, None)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"rts_threshold": "off"}, {"rts_threshold": OFF}),
        ({"rts_threshold": 0}, {"rts_threshold": 0}),
        ({"rts_threshold": "65536"}, {"rts_threshold": 65536}),
        ({"frag_threshold": 1001}, {"frag_threshold": 1000}),  # the kernel keeps it even
        ({"frag_threshold": "OFF"}, {"frag_threshold": OFF}),
        ({"retry_short": 1, "retry_long": 255}, {"retry_short": 1, "retry_long": 255}),
        ({"antenna_tx": 3}, {"antenna_tx": 3}),
        ({"new_name": " radio-1 "}, {"new_name": "radio-1"}),
        ({"target_netns": "lab"}, {"target": P.Target("lab", "/run/netns/lab", None)}),
        ({"target_netns": "1"}, {"target": P.Target("1", "/proc/1/ns/net", 1)}),
        (
            {"target_netns": "/proc/9/ns/net"},
            {"target": P.Target("/proc/9/ns/net", "/proc/9/ns/net", None)},
        ),
    ],
)
def test_normalise(params, expected):
    want = P.normalise(dict(params, name="phy7"))
    assert {k: getattr(want, k) for k in expected} == expected


@pytest.mark.parametrize(
    "params, message",
    [
        ({"rts_threshold": 65537}, "rts_threshold: 65537 is not off or a number from 0 to 65536"),
        ({"frag_threshold": 255}, "frag_threshold: 255 is not off or a number from 256 to 8000"),
        ({"frag_threshold": "small"}, "frag_threshold: 'small' is not off or a number"),
        ({"retry_short": 0}, "retry_short: 0 is not a number from 1 to 255"),
        ({"retry_long": 256}, "retry_long: 256 is not a number from 1 to 255"),
        ({"antenna_rx": 0}, "antenna_rx: 0 is not a number"),
        ({"new_name": "a" * 20}, "new_name: '" + "a" * 20 + "' is not a radio name (1 to 19"),
        ({"new_name": "a/b"}, "new_name: 'a/b' is not a radio name"),
        ({"new_name": "a b"}, "new_name: 'a b' is not a radio name"),
        ({"target_netns": "no way"}, "target_netns: netns 'no way' is not a valid"),
        ({"target_netns": "0"}, "target_netns: '0' is not a process ID"),
    ],
)
def test_normalise_refuses(params, message):
    with pytest.raises(OptionError) as info:
        P.normalise(dict(params, name="phy7"))
    assert str(info.value).startswith(message)


def test_find_by_name_index_or_new_name():
    radios = [PHY7._replace(index=0, name="phy0"), PHY7._replace(name="lnradio7")]
    assert P.find(P.PhyWant("7"), radios).name == "lnradio7"
    assert P.find(P.PhyWant("phy0"), radios).index == 0
    assert P.find(P.PhyWant("phy7", new_name="lnradio7"), radios).index == 7  # renamed already
    assert P.find(P.PhyWant("phy7"), radios) is None


@pytest.mark.parametrize(
    "want, move, steps",
    [
        (P.PhyWant("phy7", retry_short=7, rts_threshold=OFF), False, []),
        (
            P.PhyWant("phy7", retry_short=5, retry_long=4, rts_threshold=500),
            False,
            [Step("set", {"retry_short": 5, "rts_threshold": 500})],
        ),
        (P.PhyWant("phy7", new_name="phy7"), False, []),
        (
            P.PhyWant("phy7", new_name="r7", frag_threshold=1000, target=P.normalise_target("x")),
            True,
            [
                Step("rename", {"new_name": "r7"}),
                Step("set", {"frag_threshold": 1000}),
                Step("move", {"target_netns": "x"}),
            ],
        ),
        (P.PhyWant("phy7", target=P.normalise_target("x")), False, []),  # there already
        # no antennas reported: both masks sent (the kernel takes both or none)
        (P.PhyWant("phy7", antenna_tx=1), False, [Step("set", {"antenna_tx": 1, "antenna_rx": 1})]),
    ],
)
def test_plan(want, move, steps):
    assert P.plan(want, PHY7, move) == steps


def test_antennas_are_compared_and_the_other_mask_kept():
    radio = PHY7._replace(antenna_tx=3, antenna_rx=3, antenna_avail_tx=3, antenna_avail_rx=3)
    assert P.plan(P.PhyWant("phy7", antenna_tx=3), radio, False) == []
    assert P.plan(P.PhyWant("phy7", antenna_tx=1), radio, False) == [
        Step("set", {"antenna_tx": 1, "antenna_rx": 3})
    ]


def test_view_and_predict():
    before = P.view(PHY7, None)
    assert before["rts_threshold"] == "off" and before["netns"] is None
    steps = P.plan(P.PhyWant("phy7", new_name="r7", rts_threshold=500,
                             target=P.normalise_target("lab")), PHY7, True)  # fmt: skip
    after = P.predict(before, steps)
    assert (after["name"], after["rts_threshold"], after["netns"]) == ("r7", 500, "lab")
    assert [P.describe(s, "phy7") for s in steps] == [
        "rename phy7 to r7",
        "set phy7 rts_threshold=500",
        "move phy7 to network namespace lab",
    ]
