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
    normalise_txpower,
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


# --------------------------------------------------------------------------- channel, power

# phy1's 2.4 GHz channels with their maximum power, as the VM's GET_WIPHY reported them
RADIO = [p._replace(bands={"2.4GHz": [{"freq": 2412, "max_tx_power_dbm": 20.0},
                                      {"freq": 2437, "max_tx_power_dbm": 20.0}]})
         for p in PHYS]  # fmt: skip


def monitor(up=True, freq=None, width=None, centre=None, level=20.0):
    return Interface("mon1", 12, 0x100000002, 1, "monitor", "02:00:00:00:01:00", False, freq,
                     width, centre, None, level, None, up)  # fmt: skip


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"frequency": 2437}, (2437, None, None)),
        ({"frequency": 2437, "width": "40"}, (2437, 2, 2447)),
        ({"frequency": 2462, "width": "40"}, (2462, 2, 2452)),  # channel 11: below (class 84)
        ({"frequency": 2437, "width": "40", "center_frequency1": 2427}, (2437, 2, 2427)),
        ({"frequency": 5180, "width": "80"}, (5180, 3, 5210)),
        ({"frequency": 5180, "width": "160", "center_frequency1": "5250"}, (5180, 5, 5250)),
        ({"frequency": 2412, "width": "20_noht"}, (2412, 0, 2412)),
        ({"frequency": "2412", "width": "20"}, (2412, 1, 2412)),
    ],
)
def test_normalise_channel(params, expected):
    want = normalise(dict(params, name="mon1"))
    assert (want.frequency, want.width, want.center_freq1) == expected


@pytest.mark.parametrize(
    "params, message",
    [
        ({"width": "40"}, "^width: needs frequency"),
        ({"center_frequency1": 2422}, "^center_frequency1: needs frequency"),
        ({"frequency": 2412, "center_frequency1": 2422}, "^center_frequency1: needs width"),
        ({"frequency": 2414}, "^frequency: 2414 MHz is not the centre of a 20 MHz channel"),
        ({"frequency": 2412.5}, "^frequency: 2412.5 is not a whole number"),
        ({"frequency": 2412, "width": "80"}, "^center_frequency1: cannot be derived"),
        ({"frequency": 2412, "width": "30"}, "^width: '30' is not one of"),
        (
            {"frequency": 2412, "width": "20", "center_frequency1": 2422},
            "^center_frequency1: 2422 MHz is not the centre of a 20 MHz channel holding 2412",
        ),
        (
            {"frequency": 5180, "width": "80", "center_frequency1": 5230},
            "^center_frequency1: 5230 MHz is not the centre of a 80 MHz channel holding 5180",
        ),
        ({"frequency": 2412, "type": "station"}, "^frequency: only a monitor interface"),
        ({"txpower": "max"}, "^txpower: 'max' is neither 'auto' nor"),
        ({"txpower": {"mode": "fixed"}}, "^txpower: mode fixed needs dbm"),
        ({"txpower": {"mode": "boost", "dbm": 3}}, "^txpower: mode 'boost' is not one of"),
        ({"txpower": {"mode": "auto", "dbm": 3}}, "^txpower: mode auto takes no dbm"),
        ({"txpower": {"mode": "limit", "dbm": 3, "x": 1}}, "^txpower: unknown key"),
        ({"txpower": {"mode": "limit", "dbm": "3.5"}}, "^txpower.dbm: '3.5' is not a whole"),
        ({"txpower": {"mode": "limit", "dbm": True}}, "^txpower.dbm: True is not a whole"),
    ],
)
def test_normalise_channel_and_power_refuse(params, message):
    with pytest.raises(OptionError, match=message):
        normalise(dict(params, name="mon1"))


@pytest.mark.parametrize(
    "given, expected",
    [
        ("auto", ("auto", None)),
        (" AUTO ", ("auto", None)),
        ({"mode": "auto"}, ("auto", None)),
        ({"mode": "limit", "dbm": 15}, ("limit", 15)),
        ({"mode": "Fixed", "dbm": "10"}, ("fixed", 10)),
        ({"mode": "fixed", "dbm": 10.0}, ("fixed", 10)),
        (None, None),
    ],
)
def test_normalise_txpower(given, expected):
    assert normalise_txpower(given) == expected
    if expected is not None:
        mode, dbm = expected
        again = "auto" if mode == "auto" else {"mode": mode, "dbm": dbm}
        assert normalise_txpower(again) == expected  # idempotent


TUNE_2437_40 = Step("set_channel", {"frequency": 2437, "width": 2, "center_freq1": 2447})
RADIO_PLANS = [
    # (id, want, current, power_save reported, steps)
    ("same channel", Want("mon1", frequency=2437, width=2, center_freq1=2447),
     monitor(freq=2437, width=2, centre=2447), None, []),
    ("same frequency, width not asked", Want("mon1", frequency=2437),
     monitor(freq=2437, width=2, centre=2447), None, []),
    ("other width", Want("mon1", frequency=2437, width=2, center_freq1=2447),
     monitor(freq=2437, width=0, centre=2437), None, [TUNE_2437_40]),
    ("other frequency, no width: 20_noht", Want("mon1", frequency=2412),
     monitor(freq=2437, width=2, centre=2447), None,
     [Step("set_channel", {"frequency": 2412, "width": 0, "center_freq1": 2412})]),
    ("down: up first, then tune", Want("mon1", up=True, frequency=2437, width=2,
                                       center_freq1=2447),
     monitor(up=False), None, [Step("set_up", {"up": True}), TUNE_2437_40]),
    ("fixed at the level: nothing", Want("mon1", txpower=("fixed", 20)), monitor(), None, []),
    ("fixed below the level", Want("mon1", txpower=("fixed", 10)), monitor(), None,
     [Step("set_txpower", {"mode": "fixed", "dbm": 10, "radio": True})]),
    ("limit above the level: nothing", Want("mon1", txpower=("limit", 25)), monitor(), None, []),
    ("limit below the level", Want("mon1", txpower=("limit", 15)), monitor(), None,
     [Step("set_txpower", {"mode": "limit", "dbm": 15, "radio": True})]),
    ("auto at the channel's maximum: nothing", Want("mon1", txpower=("auto", None)),
     monitor(freq=2412), None, []),
    ("auto below the channel's maximum", Want("mon1", txpower=("auto", None)),
     monitor(freq=2412, level=10.0), None,
     [Step("set_txpower", {"mode": "auto", "dbm": None, "radio": True})]),
    ("auto without a channel: not compared", Want("mon1", txpower=("auto", None)),
     monitor(level=10.0), None, []),
    ("fixed without a reported level", Want("mon1", txpower=("fixed", 10)),
     monitor(level=None), None, [Step("set_txpower", {"mode": "fixed", "dbm": 10, "radio": True})]),
    ("power before the channel", Want("mon1", frequency=2412, txpower=("fixed", 10)),
     monitor(freq=2437), None, [Step("set_txpower", {"mode": "fixed", "dbm": 10, "radio": True}),
                                Step("set_channel", {"frequency": 2412, "width": 0,
                                                     "center_freq1": 2412})]),
    ("a station's own power", Want("wlan1", txpower=("fixed", 10)), iface(), None,
     [Step("set_txpower", {"mode": "fixed", "dbm": 10, "radio": False})]),
    ("power save as reported", Want("wlan1", power_save=True), iface(), True, []),
    ("power save differs", Want("wlan1", power_save=True), iface(), False,
     [Step("set_power_save", {"enabled": True})]),
]  # fmt: skip


@pytest.mark.parametrize(
    "want, current, power_save, steps",
    [p[1:] for p in RADIO_PLANS],
    ids=[p[0] for p in RADIO_PLANS],
)
def test_plan_channel_and_power(want, current, power_save, steps):
    assert plan(want, current, RADIO, power_save) == steps


def test_plan_channel_and_power_of_a_new_interface():
    want = Want("mon1", type="monitor", phy="phy1", up=True, frequency=2437, width=2,
                center_freq1=2447, txpower=("auto", None), power_save=False)  # fmt: skip
    steps = plan(want, None, RADIO)
    assert [s.action for s in steps] == ["create", "set_up", "set_channel", "set_power_save"]
    want = want._replace(txpower=("fixed", 10))
    steps = plan(want, None, RADIO)
    assert [s.action for s in steps] == ["create", "set_up", "set_txpower", "set_channel",
                                         "set_power_save"]  # fmt: skip
    assert steps[2].args == {"mode": "fixed", "dbm": 10, "radio": True}  # a monitor: its radio
    after = predict(want, None, steps, RADIO)
    assert (after["frequency"], after["channel"], after["band"], after["width"]) == (
        2437, 6, "2.4GHz", "40")  # fmt: skip
    assert after["power_save"] is False


@pytest.mark.parametrize(
    "want, current, message",
    [
        (Want("mon1", frequency=2437), monitor(up=False),
         "^frequency: the kernel tunes a monitor interface only while it is up"),
        (Want("mon1", frequency=2437, up=False), monitor(),
         "^frequency: the kernel tunes a monitor interface only while it is up"),
        (Want("wlan1", frequency=2437), iface(up=True), "^frequency: only a monitor interface"),
        (Want("mon1", type="station", phy="phy1", frequency=2437), None,
         "^frequency: only a monitor interface"),
        (Want("wlan1", mesh_id="other"), iface(type_="mesh_point")._replace(mesh_id=b"ln-mesh"),
         "^mesh_id: wlan1 is in mesh 'ln-mesh', not 'other'"),
    ],
)  # fmt: skip
def test_plan_channel_refusals(want, current, message):
    with pytest.raises(OptionError, match=message):
        plan(want, current, RADIO)
