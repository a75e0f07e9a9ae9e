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


# --------------------------------------------------------------------------- channel plans

# IEEE 802.11-2020 Annex E, Table E-4 (global operating classes): the channel centre frequency
# indices of the 40, 80 and 160 MHz channels at 5 GHz (classes 116-127 list the 40 MHz ones by
# primary channel; 128 and 129 by centre index), and 6 GHz classes 132-134 (802.11ax-2021).
PLAN_5GHZ = {
    40: [38, 46, 54, 62, 102, 110, 118, 126, 134, 142, 151, 159, 167, 175],
    80: [42, 58, 106, 122, 138, 155, 171],
    160: [50, 114, 163],
}
PLAN_6GHZ = {
    40: list(range(3, 232, 8)),
    80: list(range(7, 216, 16)),
    160: list(range(15, 208, 32)),
}
WIDTH = {40: ch.NL80211_CHAN_WIDTH_40, 80: ch.NL80211_CHAN_WIDTH_80, 160: ch.NL80211_CHAN_WIDTH_160}


def _primaries(centre: int, mhz: int):
    """The 20 MHz channel numbers inside a block of ``mhz`` centred on channel ``centre``."""
    half = mhz // 10  # channel numbers from the centre to the edge
    return range(centre - half + 2, centre + half, 4)


@pytest.mark.parametrize("mhz", [40, 80, 160])
def test_centre_frequency_of_every_5ghz_and_6ghz_channel(mhz):
    for plan, start, band in ((PLAN_5GHZ, 5000, "5"), (PLAN_6GHZ, 5950, "6")):
        covered = set()
        for centre in plan[mhz]:
            for primary in _primaries(centre, mhz):
                freq = start + 5 * primary
                assert ch.center_freq1(freq, WIDTH[mhz]) == start + 5 * centre, (band, freq)
                covered.add(primary)
        # every other 20 MHz channel of the band is in no block of this width
        for primary in range(1, 234 if band == "6" else 178, 4 if band == "6" else 1):
            freq = start + 5 * primary
            if primary in covered or ch.freq_to_channel(freq) is None:
                continue
            if band == "5" and primary % 4 and primary < 149:
                continue
            with pytest.raises(ValueError, match="in no %d MHz channel" % mhz):
                ch.center_freq1(freq, WIDTH[mhz])


@pytest.mark.parametrize(
    "freq, width, centre",
    [
        (2412, ch.NL80211_CHAN_WIDTH_20_NOHT, 2412),
        (2412, ch.NL80211_CHAN_WIDTH_20, 2412),
        (5180, ch.NL80211_CHAN_WIDTH_20, 5180),
        (2412, ch.NL80211_CHAN_WIDTH_40, 2422),  # class 83: channel 1, secondary above
        (2452, ch.NL80211_CHAN_WIDTH_40, 2462),  # channel 9: still class 83
        (2457, ch.NL80211_CHAN_WIDTH_40, 2447),  # channel 10: class 84, secondary below
        (2472, ch.NL80211_CHAN_WIDTH_40, 2462),  # channel 13
        (5180, ch.NL80211_CHAN_WIDTH_80, 5210),  # channel 36 -> centre 42
        (5240, ch.NL80211_CHAN_WIDTH_160, 5250),  # channel 48 -> centre 50
    ],
)
def test_centre_frequency_examples(freq, width, centre):
    assert ch.center_freq1(freq, width) == centre


@pytest.mark.parametrize(
    "freq, width, message",
    [
        (2484, ch.NL80211_CHAN_WIDTH_40, "has no 40 MHz channel on 2.4 GHz"),
        (2412, ch.NL80211_CHAN_WIDTH_80, "has no 80 MHz channel on 2.4 GHz"),
        (2414, ch.NL80211_CHAN_WIDTH_20, "not the centre of a 20 MHz channel"),
        (5182, ch.NL80211_CHAN_WIDTH_40, "not the centre of a 20 MHz channel"),
        (5725, ch.NL80211_CHAN_WIDTH_80, "channel 145) is in no 80 MHz channel"),
        (5745, ch.NL80211_CHAN_WIDTH_80P80, "width 80p80 has no standard centre frequency"),
    ],
)
def test_centre_frequency_refusals(freq, width, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ch.center_freq1(freq, width)
