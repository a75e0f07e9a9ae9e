# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for frequency <-> channel conversion (plugins/module_utils/_nl80211/channels.py).

Expected values: IEEE 802.11-2020 Annex E (2.4 GHz channel 14 at 2484 MHz, 5 GHz channel
starting frequency 5000 MHz and 4000 MHz for Japan's 182-196, 60 GHz 56160 + 2160 x n), 6 GHz
from 802.11ax-2021 27.3.23.2 (5950 MHz start, channel 2 at 5935 MHz), S1G from the US
plan (902 MHz start, 500 kHz raster); the enum values are checked against the installed UAPI
header when there is one.
"""

from __future__ import annotations

import os
import re

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import channels as ch
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.channels import (
    NL80211_BAND_2GHZ,
    NL80211_BAND_5GHZ,
    NL80211_BAND_6GHZ,
    NL80211_BAND_60GHZ,
    NL80211_BAND_S1GHZ,
)

HEADER = "/usr/include/linux/nl80211.h"

FREQUENCIES = [
    # (MHz, kHz offset, band, channel)
    (2412, 0, NL80211_BAND_2GHZ, 1),
    (2437, 0, NL80211_BAND_2GHZ, 6),
    (2472, 0, NL80211_BAND_2GHZ, 13),
    (2484, 0, NL80211_BAND_2GHZ, 14),
    (2407, 0, NL80211_BAND_2GHZ, None),  # "channel 0"
    (2414, 0, NL80211_BAND_2GHZ, None),  # off the 5 MHz raster
    (2477, 0, NL80211_BAND_2GHZ, None),  # between 13 and 14
    (4920, 0, NL80211_BAND_5GHZ, 184),
    (4980, 0, NL80211_BAND_5GHZ, 196),
    (4905, 0, NL80211_BAND_5GHZ, None),
    (5005, 0, NL80211_BAND_5GHZ, 1),
    (5180, 0, NL80211_BAND_5GHZ, 36),
    (5320, 0, NL80211_BAND_5GHZ, 64),
    (5500, 0, NL80211_BAND_5GHZ, 100),
    (5745, 0, NL80211_BAND_5GHZ, 149),
    (5825, 0, NL80211_BAND_5GHZ, 165),
    (5885, 0, NL80211_BAND_5GHZ, 177),
    (5905, 0, NL80211_BAND_5GHZ, 181),
    (5910, 0, NL80211_BAND_5GHZ, None),  # 182 is 4910 MHz, not 5910
    (5925, 0, NL80211_BAND_6GHZ, None),
    (5935, 0, NL80211_BAND_6GHZ, 2),
    (5955, 0, NL80211_BAND_6GHZ, 1),
    (5975, 0, NL80211_BAND_6GHZ, 5),
    (6115, 0, NL80211_BAND_6GHZ, 33),
    (7115, 0, NL80211_BAND_6GHZ, 233),
    (7120, 0, NL80211_BAND_6GHZ, None),
    (58320, 0, NL80211_BAND_60GHZ, 1),
    (60480, 0, NL80211_BAND_60GHZ, 2),
    (69120, 0, NL80211_BAND_60GHZ, 6),
    (70200, 0, NL80211_BAND_60GHZ, None),
    (902, 500, NL80211_BAND_S1GHZ, 1),
    (903, 0, NL80211_BAND_S1GHZ, 2),
    (915, 0, NL80211_BAND_S1GHZ, 26),
    (927, 500, NL80211_BAND_S1GHZ, 51),
    (902, 250, NL80211_BAND_S1GHZ, None),
    (0, 0, None, None),
    (1000, 0, None, None),
    (3000, 0, None, None),
    (45000, 0, None, None),
]


@pytest.mark.parametrize("mhz,offset,band,channel", FREQUENCIES)
def test_frequency_to_band_and_channel(mhz, offset, band, channel):
    assert ch.freq_to_band(mhz, offset) == band
    assert ch.freq_to_channel(mhz, offset) == channel


@pytest.mark.parametrize(
    "channel,band,khz",
    [
        (1, NL80211_BAND_2GHZ, 2412000),
        (14, NL80211_BAND_2GHZ, 2484000),
        (15, NL80211_BAND_2GHZ, None),
        (0, NL80211_BAND_2GHZ, None),
        (-1, NL80211_BAND_5GHZ, None),
        (36, NL80211_BAND_5GHZ, 5180000),
        (181, NL80211_BAND_5GHZ, 5905000),
        (182, NL80211_BAND_5GHZ, 4910000),
        (196, NL80211_BAND_5GHZ, 4980000),
        (197, NL80211_BAND_5GHZ, None),
        (1, NL80211_BAND_6GHZ, 5955000),
        (2, NL80211_BAND_6GHZ, 5935000),
        (233, NL80211_BAND_6GHZ, 7115000),
        (234, NL80211_BAND_6GHZ, None),
        (6, NL80211_BAND_60GHZ, 69120000),
        (7, NL80211_BAND_60GHZ, None),
        (1, NL80211_BAND_S1GHZ, 902500),
        (52, NL80211_BAND_S1GHZ, None),
        (1, 99, None),
    ],
)
def test_channel_to_frequency(channel, band, khz):
    assert ch.channel_to_freq_khz(channel, band) == khz
    assert ch.channel_to_freq(channel, band) == (None if khz is None else khz // 1000)


@pytest.mark.parametrize(
    "band,last",
    [
        (NL80211_BAND_2GHZ, 14),
        (NL80211_BAND_5GHZ, 196),
        (NL80211_BAND_6GHZ, 233),
        (NL80211_BAND_60GHZ, 6),
        (NL80211_BAND_S1GHZ, 51),
    ],
)
def test_round_trip_every_channel(band, last):
    for channel in range(1, last + 1):
        khz = ch.channel_to_freq_khz(channel, band)
        assert khz is not None, channel
        mhz, offset = divmod(khz, 1000)
        assert ch.freq_to_band(mhz, offset) == band, channel
        assert ch.freq_to_channel(mhz, offset) == channel, channel


def test_width_names():
    assert [ch.chan_width_name(w) for w in (0, 1, 2, 3, 4, 5, 6, 13)] == [
        "20_noht", "20", "40", "80", "80p80", "160", "5", "320",
    ]  # fmt: skip
    assert ch.chan_width_name(99) == "unknown(99)"
    assert set(ch.CHAN_WIDTH_MHZ) == set(ch.CHAN_WIDTH_NAMES)


def test_describe_frequency():
    assert ch.describe_frequency(5180) == {
        "frequency": 5180, "frequency_khz": 5180000, "band": "5GHz", "channel": 36,
    }  # fmt: skip
    assert ch.describe_frequency(915, 500)["band"] == "900MHz"
    assert ch.describe_frequency(100) == {
        "frequency": 100, "frequency_khz": 100000, "band": None, "channel": None,
    }  # fmt: skip


def _header_enum(name: str):
    with open(HEADER) as handle:
        text = handle.read()
    body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    members = [m.split("=")[0].strip() for m in body.split(",")]
    return [m for m in members if m and not m.startswith("__") and not m.startswith("NUM_")]


@pytest.mark.skipif(not os.path.exists(HEADER), reason="no UAPI header installed")
@pytest.mark.parametrize(
    "enum,prefix",
    [
        ("nl80211_band", "NL80211_BAND_"),
        ("nl80211_chan_width", "NL80211_CHAN_WIDTH_"),
        ("nl80211_bss_scan_width", "NL80211_BSS_CHAN_WIDTH_"),
    ],
)
def test_constants_match_the_uapi_header(enum, prefix):
    """Every member we define has the header's value (enum order, no explicit values)."""
    members = _header_enum(enum)
    ours = {name: value for name, value in vars(ch).items() if name.startswith(prefix)}
    assert ours
    for name, value in ours.items():
        assert members.index(name) == value, name
