# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: 802.11 frequency <-> channel number, band and width names.

Sources: ``enum nl80211_band``, ``enum nl80211_chan_width`` and ``enum nl80211_bss_scan_width``
from /usr/include/linux/nl80211.h (Linux 6.1 UAPI, Debian 12); the channel raster follows the
kernel's ``ieee80211_channel_to_freq_khz()`` / ``ieee80211_freq_khz_to_channel()``
(net/wireless/util.c), which cite IEEE 802.11-2020 17.3.8.4.2, 27.3.23.2 and Annex E.
Unlike the kernel, a frequency off the raster gives None, not a rounded channel number.
"""

from __future__ import annotations

from typing import Dict, Optional

# enum nl80211_band
NL80211_BAND_2GHZ = 0  # 2.4 GHz ISM band
NL80211_BAND_5GHZ = 1  # around 5 GHz band (4.9 - 5.7 GHz)
NL80211_BAND_60GHZ = 2  # around 60 GHz band (58.32 - 69.12 GHz)
NL80211_BAND_6GHZ = 3  # around 6 GHz band (5.9 - 7.2 GHz)
NL80211_BAND_S1GHZ = 4  # around 900MHz, supported by S1G PHYs
NL80211_BAND_LC = 5  # light communication band (placeholder)

BAND_NAMES: Dict[int, str] = {
    NL80211_BAND_2GHZ: "2.4GHz",
    NL80211_BAND_5GHZ: "5GHz",
    NL80211_BAND_60GHZ: "60GHz",
    NL80211_BAND_6GHZ: "6GHz",
    NL80211_BAND_S1GHZ: "900MHz",
    NL80211_BAND_LC: "LC",
}

# enum nl80211_chan_width
NL80211_CHAN_WIDTH_20_NOHT = 0  # 20 MHz, non-HT channel
NL80211_CHAN_WIDTH_20 = 1  # 20 MHz HT channel
NL80211_CHAN_WIDTH_40 = 2  # 40 MHz channel
NL80211_CHAN_WIDTH_80 = 3  # 80 MHz channel
NL80211_CHAN_WIDTH_80P80 = 4  # 80+80 MHz channel
NL80211_CHAN_WIDTH_160 = 5  # 160 MHz channel
NL80211_CHAN_WIDTH_5 = 6  # 5 MHz OFDM channel
NL80211_CHAN_WIDTH_10 = 7  # 10 MHz OFDM channel
NL80211_CHAN_WIDTH_1 = 8  # 1 MHz OFDM channel
NL80211_CHAN_WIDTH_2 = 9  # 2 MHz OFDM channel
NL80211_CHAN_WIDTH_4 = 10  # 4 MHz OFDM channel
NL80211_CHAN_WIDTH_8 = 11  # 8 MHz OFDM channel
NL80211_CHAN_WIDTH_16 = 12  # 16 MHz OFDM channel
NL80211_CHAN_WIDTH_320 = 13  # 320 MHz channel

# Value -> the UAPI name without its prefix, lower case: "20_noht", "80p80", ...
CHAN_WIDTH_NAMES: Dict[int, str] = {
    value: name[len("NL80211_CHAN_WIDTH_") :].lower()
    for name, value in sorted(globals().items())
    if name.startswith("NL80211_CHAN_WIDTH_")
}
CHAN_WIDTH_MHZ: Dict[int, int] = {
    NL80211_CHAN_WIDTH_20_NOHT: 20, NL80211_CHAN_WIDTH_20: 20, NL80211_CHAN_WIDTH_40: 40,
    NL80211_CHAN_WIDTH_80: 80, NL80211_CHAN_WIDTH_80P80: 160, NL80211_CHAN_WIDTH_160: 160,
    NL80211_CHAN_WIDTH_5: 5, NL80211_CHAN_WIDTH_10: 10, NL80211_CHAN_WIDTH_1: 1,
    NL80211_CHAN_WIDTH_2: 2, NL80211_CHAN_WIDTH_4: 4, NL80211_CHAN_WIDTH_8: 8,
    NL80211_CHAN_WIDTH_16: 16, NL80211_CHAN_WIDTH_320: 320,
}  # fmt: skip

# enum nl80211_bss_scan_width (NL80211_BSS_CHAN_WIDTH: width of the control channel)
NL80211_BSS_CHAN_WIDTH_20 = 0  # control channel is 20 MHz wide or compatible
NL80211_BSS_CHAN_WIDTH_10 = 1  # control channel is 10 MHz wide
NL80211_BSS_CHAN_WIDTH_5 = 2  # control channel is 5 MHz wide
NL80211_BSS_CHAN_WIDTH_1 = 3  # control channel is 1 MHz wide
NL80211_BSS_CHAN_WIDTH_2 = 4  # control channel is 2 MHz wide

BSS_CHAN_WIDTH_MHZ: Dict[int, int] = {
    NL80211_BSS_CHAN_WIDTH_20: 20, NL80211_BSS_CHAN_WIDTH_10: 10, NL80211_BSS_CHAN_WIDTH_5: 5,
    NL80211_BSS_CHAN_WIDTH_1: 1, NL80211_BSS_CHAN_WIDTH_2: 2,
}  # fmt: skip

# S1G: only the US plan (channel starting frequency 902 MHz, 500 kHz raster), as the kernel.
_S1G_START_KHZ = 902000


def freq_to_band(freq_mhz: int, offset_khz: int = 0) -> Optional[int]:
    """The NL80211_BAND_* of a centre frequency (NL80211_BSS_FREQUENCY [+ _OFFSET]), or None."""
    khz = freq_mhz * 1000 + offset_khz
    if 2400000 <= khz <= 2500000:
        return NL80211_BAND_2GHZ
    if 4900000 <= khz < 5925000:
        return NL80211_BAND_5GHZ
    if 5925000 <= khz <= 7125000:
        return NL80211_BAND_6GHZ
    if 58320000 <= khz <= 70200000:
        return NL80211_BAND_60GHZ
    if 750000 <= khz < 1000000:
        return NL80211_BAND_S1GHZ
    return None


def _raster(khz: int, start_khz: int, step_khz: int, first: int, last: int) -> Optional[int]:
    channel, rest = divmod(khz - start_khz, step_khz)
    return channel if not rest and first <= channel <= last else None


def freq_to_channel(freq_mhz: int, offset_khz: int = 0) -> Optional[int]:
    """The channel number of a centre frequency, or None when it is not on a channel raster."""
    khz = freq_mhz * 1000 + offset_khz
    band = freq_to_band(freq_mhz, offset_khz)
    if band == NL80211_BAND_2GHZ:
        return 14 if khz == 2484000 else _raster(khz, 2407000, 5000, 1, 13)
    if band == NL80211_BAND_5GHZ:
        if 4910000 <= khz <= 4980000:  # Japan, channels 182..196
            return _raster(khz, 4000000, 5000, 182, 196)
        return _raster(khz, 5000000, 5000, 1, 181)
    if band == NL80211_BAND_6GHZ:
        return 2 if khz == 5935000 else _raster(khz, 5950000, 5000, 1, 233)
    if band == NL80211_BAND_60GHZ:
        return _raster(khz, 56160000, 2160000, 1, 6)
    if band == NL80211_BAND_S1GHZ:
        return _raster(khz, _S1G_START_KHZ, 500, 1, 51)
    return None


def channel_to_freq_khz(channel: int, band: int) -> Optional[int]:
    """The centre frequency in kHz of a channel in an NL80211_BAND_*, or None."""
    if channel <= 0:
        return None
    mhz = None
    if band == NL80211_BAND_2GHZ:
        mhz = 2484 if channel == 14 else (2407 + channel * 5 if channel < 14 else None)
    elif band == NL80211_BAND_5GHZ:
        if channel <= 196:
            mhz = 4000 + channel * 5 if channel >= 182 else 5000 + channel * 5
    elif band == NL80211_BAND_6GHZ:
        mhz = 5935 if channel == 2 else (5950 + channel * 5 if channel <= 233 else None)
    elif band == NL80211_BAND_60GHZ:
        mhz = 56160 + channel * 2160 if channel <= 6 else None
    elif band == NL80211_BAND_S1GHZ:
        return _S1G_START_KHZ + channel * 500 if channel <= 51 else None
    return None if mhz is None else mhz * 1000


def channel_to_freq(channel: int, band: int) -> Optional[int]:
    """The centre frequency in MHz (rounded down, as the kernel) of a channel, or None."""
    khz = channel_to_freq_khz(channel, band)
    return None if khz is None else khz // 1000


def chan_width_name(width: int) -> str:
    """The name of an enum nl80211_chan_width value ("20_noht", "80p80"), "unknown(N)" else."""
    return CHAN_WIDTH_NAMES.get(width, "unknown(%d)" % width)


def describe_frequency(freq_mhz: int, offset_khz: int = 0) -> Dict[str, object]:
    """Facts for a BSS frequency: {"frequency", "frequency_khz", "band", "channel"}."""
    band = freq_to_band(freq_mhz, offset_khz)
    return {
        "frequency": freq_mhz,
        "frequency_khz": freq_mhz * 1000 + offset_khz,
        "band": None if band is None else BAND_NAMES[band],
        "channel": freq_to_channel(freq_mhz, offset_khz),
    }


# --------------------------------------------------------------------------- channel plans

# The widths a module can ask for, by the names of enum nl80211_chan_width.
WIDTHS: Dict[str, int] = {
    "20_noht": NL80211_CHAN_WIDTH_20_NOHT,
    "20": NL80211_CHAN_WIDTH_20,
    "40": NL80211_CHAN_WIDTH_40,
    "80": NL80211_CHAN_WIDTH_80,
    "160": NL80211_CHAN_WIDTH_160,
}

# 5 GHz: the lowest 20 MHz channel of each 40/80/160 MHz channel of IEEE 802.11-2020 Annex E,
# Table E-4 (global operating classes 116/117 and 126/127 for 40 MHz, 128 for 80 MHz, 129 for
# 160 MHz); the centre channel is the middle of the block.
_5GHZ_BLOCKS: Dict[int, tuple] = {
    40: (36, 44, 52, 60, 100, 108, 116, 124, 132, 140, 149, 157, 165, 173),
    80: (36, 52, 100, 116, 132, 149, 165),
    160: (36, 100, 149),
}


def center_freq1(freq_mhz: int, width: int) -> int:
    """The centre frequency (MHz) of a channel of ``width`` (enum nl80211_chan_width: 20_noht,
    20, 40, 80 or 160) whose primary 20 MHz channel is at ``freq_mhz``, by the standard plan.

    2.4 GHz 40 MHz: the secondary channel is above the primary for channels 1-9 (operating
    class 83) and below for 10-13 (class 84). 5 GHz: the blocks of Annex E (see
    ``_5GHZ_BLOCKS``). 6 GHz: blocks aligned on channel 1 (802.11ax-2021 27.3.23.2).
    ValueError says why there is none.
    """
    mhz = CHAN_WIDTH_MHZ.get(width)
    if width not in WIDTHS.values() or mhz is None:
        raise ValueError("width %s has no standard centre frequency" % chan_width_name(width))
    band = freq_to_band(freq_mhz)
    channel = freq_to_channel(freq_mhz)
    if band is None or channel is None:
        raise ValueError("%d MHz is not the centre of a 20 MHz channel" % freq_mhz)
    if mhz == 20:
        return freq_mhz
    if band == NL80211_BAND_2GHZ:
        if mhz != 40 or channel > 13:
            raise ValueError(
                "%d MHz (channel %d) has no %d MHz channel on 2.4 GHz" % (freq_mhz, channel, mhz)
            )
        return freq_mhz + 10 if channel <= 9 else freq_mhz - 10
    step = mhz // 20 * 4  # channel numbers spanned by the block
    if band == NL80211_BAND_5GHZ:
        for first in _5GHZ_BLOCKS[mhz]:
            if first <= channel < first + step and (channel - first) % 4 == 0:
                return 5000 + (first + step // 2 - 2) * 5
    elif band == NL80211_BAND_6GHZ and channel % 4 == 1:
        first = (channel - 1) // step * step + 1
        centre = first + step // 2 - 2
        if centre + step // 2 - 2 <= 233:
            return 5950 + centre * 5
    raise ValueError(
        "%d MHz (channel %d) is in no %d MHz channel of the standard plan"
        % (freq_mhz, channel, mhz)
    )
