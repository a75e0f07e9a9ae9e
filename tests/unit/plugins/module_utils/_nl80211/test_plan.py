# SPDX-License-Identifier: GPL-3.0-or-later
"""The wifi_interface planner and normalisers, as tables (pure: no kernel, no Ansible)."""

from __future__ import annotations

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import Interface, Phy
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import (
    OptionError,
    Step,
    Want,
    normalise,
    normalise_flags,
    normalise_mac,
    normalise_type,
    plan,
    predict,
)

HWSIM = ["adhoc", "station", "ap", "ap_vlan", "monitor", "mesh_point", "p2p_client", "p2p_go",
         "p2p_device", "ocb"]  # what mac80211_hwsim phys list (captured in the VM)  # fmt: skip
PHYS = [Phy(i, "phy%d" % i, HWSIM, ["ap_vlan", "monitor"], {}, 4) for i in range(3)]


def iface(name="wlan1", phy=1, type_="station", mac="02:00:00:00:01:00", up=False, addr4=False):
    return Interface(name, 3, 0x100000001, phy, type_, mac, addr4, None, None, None, None, 20.0,
                     None, up)  # fmt: skip


# --------------------------------------------------------------------------- normalisers


@pytest.mark.parametrize(
    "given, expected",
    [
        ("station", "station"),
        ("managed", "station"),
        ("IBSS", "adhoc"),
        ("mesh", "mesh_point"),
        ("mesh-point", "mesh_point"),
        ("p2p-go", "p2p_go"),
        (" Monitor ", "monitor"),
        ("nan", "nan"),
        (None, None),
    ],
)
def test_normalise_type(given, expected):
    assert normalise_type(given) == expected
    assert normalise_type(expected) == expected  # idempotent


@pytest.mark.parametrize("given", ["wireless", "", "unspecified", "sta tion"])
def test_normalise_type_refuses(given):
    with pytest.raises(OptionError, match="^type: "):
        normalise_type(given)


@pytest.mark.parametrize(
    "given, expected",
    [
        ("02:00:00:AA:BB:CC", "02:00:00:aa:bb:cc"),
        ("02-00-00-aa-bb-cc", "02:00:00:aa:bb:cc"),
        ("2:0:0:a:b:c", "02:00:00:0a:0b:0c"),
        (None, None),
    ],
)
def test_normalise_mac(given, expected):
    assert normalise_mac(given) == expected
    assert normalise_mac(expected) == expected


@pytest.mark.parametrize(
    "given, message",
    [
        ("02:00:00:zz:00:01", "is not a MAC address"),
        ("02:00:00:00:01", "is not a MAC address"),
        ("02:00:00:00:01:00:00", "is not a MAC address"),
        ("020:00:00:00:01:00", "is not a MAC address"),
        ("01:00:5e:00:00:01", "is a multicast address"),
    ],
)
def test_normalise_mac_refuses(given, message):
    with pytest.raises(OptionError, match="^mac: .*" + message):
        normalise_mac(given)


@pytest.mark.parametrize(
    "given, expected",
    [
        (["otherbss", "control", "control"], ("control", "otherbss")),
        (["none"], ()),
        ([], ()),
        (None, None),
        (["COOK", "active"], ("active", "cook")),
    ],
)
def test_normalise_flags(given, expected):
    assert normalise_flags(given) == expected


@pytest.mark.parametrize(
    "given, message", [(["none", "control"], "cannot be combined"), (["fcs"], "unknown flag")]
)
def test_normalise_flags_refuses(given, message):
    with pytest.raises(OptionError, match="^monitor_flags: .*" + message):
        normalise_flags(given)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"name": ""}, "^name: "),
        ({"name": "a" * 16}, "^name: "),
        ({"name": "wl/an"}, "^name: "),
        ({"name": "wl an"}, "^name: "),
        ({"name": "wlan:1"}, "^name: "),
        ({"name": "mon0", "type": "station", "monitor_flags": ["control"]}, "^monitor_flags: "),
        ({"name": "m0", "type": "monitor", "mesh_id": "x"}, "^mesh_id: only for type"),
        ({"name": "m0", "mesh_id": "x" * 33}, "^mesh_id: must be 1 to 32"),
    ],
)
def test_normalise_refuses(params, message):
    with pytest.raises(OptionError, match=message):
        normalise(params)


# --------------------------------------------------------------------------- plan

CREATE_MON = {"phy": 1, "name": "mon1", "iftype": "monitor", "mac": None, "use_4addr": None,
              "monitor_flags": ("control",), "mesh_id": None}  # fmt: skip

PLANS = [
    # (id, want, current, steps)
    ("absent, missing: nothing", Want("x", "absent"), None, []),
    ("absent, present: delete", Want("wlan1", "absent"), iface(), [Step("delete", {})]),
    (
        "create monitor with flags",
        Want("mon1", type="monitor", phy="phy1", monitor_flags=("control",)),
        None,
        [Step("create", CREATE_MON)],
    ),
    (
        "create by index, then up",
        Want("mon1", type="monitor", phy="1", monitor_flags=("control",), up=True),
        None,
        [Step("create", CREATE_MON), Step("set_up", {"up": True})],
    ),
    ("same: nothing", Want("wlan1", type="station", phy="phy1"), iface(), []),
    (
        "monitor flags on an existing monitor are not compared (not observable)",
        Want("wlan1", type="monitor", monitor_flags=("fcsfail",)),
        iface(type_="monitor"),
        [],
    ),
    (
        "retype in place",
        Want("wlan1", type="monitor", monitor_flags=()),
        iface(up=True),
        [Step("set_interface", {"iftype": "monitor", "monitor_flags": ()})],
    ),
    (
        "retype to mesh with its id",
        Want("wlan1", type="mesh_point", mesh_id="m"),
        iface(),
        [Step("set_interface", {"iftype": "mesh_point", "mesh_id": "m"})],
    ),
    (
        "4addr and mac and down",
        Want("wlan1", mac="02:00:00:00:01:99", use_4addr=True, up=False),
        iface(up=True),
        [
            Step("set_interface", {"use_4addr": True}),
            Step("set_mac", {"mac": "02:00:00:00:01:99"}),
            Step("set_up", {"up": False}),
        ],
    ),
    (
        "on another phy: recreated, keeping type and admin state",
        Want("wlan1", phy="phy2"),
        iface(up=True),
        [
            Step("delete", {}),
            Step(
                "create",
                {
                    "phy": 2,
                    "name": "wlan1",
                    "iftype": "station",
                    "mac": None,
                    "use_4addr": None,
                    "monitor_flags": None,
                    "mesh_id": None,
                },
            ),
            Step("set_up", {"up": True}),
        ],
    ),  # fmt: skip
    ("same phy by index: nothing", Want("wlan1", phy="1", up=False), iface(), []),
]


@pytest.mark.parametrize("want, current, steps", [p[1:] for p in PLANS], ids=[p[0] for p in PLANS])
def test_plan(want, current, steps):
    assert plan(want, current, PHYS) == steps


@pytest.mark.parametrize(
    "want, current, message",
    [
        (
            Want("n0", type="nan", phy="phy1"),
            None,
            "^type: phy1 cannot create interfaces of type nan",
        ),
        (Want("w0", type="wds", phy="0"), None, "^type: phy0 cannot create interfaces of type wds"),
        (Want("n0", type="station"), None, "^phy: needed to create n0"),
        (Want("n0", phy="phy1"), None, "^type: needed to create n0"),
        (Want("n0"), None, "^phy and type: needed"),
        (Want("n0", type="station", phy="phy7"), None, "^phy: there is no radio 'phy7'"),
        (Want("wlan1", type="nan"), iface(), "^type: phy1 cannot create interfaces of type nan"),
    ],
)
def test_plan_refuses(want, current, message):
    with pytest.raises(OptionError, match=message):
        plan(want, current, PHYS)


def test_predict_is_what_the_steps_make():
    want = Want("mon1", type="monitor", phy="phy1", up=True)
    after = predict(want, None, plan(want, None, PHYS), PHYS)
    assert after == {"name": "mon1", "ifindex": None, "wdev": None, "phy": "phy1",
                     "phy_index": 1, "type": "monitor", "mac": None, "up": True,
                     "use_4addr": False}  # fmt: skip
    want = Want("wlan1", "absent")
    assert predict(want, iface(), plan(want, iface(), PHYS), PHYS) == {}
    want = Want("wlan1", type="ap", mac="02:00:00:00:01:99")
    after = predict(want, iface(), plan(want, iface(), PHYS), PHYS)
    assert (after["type"], after["mac"], after["ifindex"]) == ("ap", "02:00:00:00:01:99", 3)
