# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the 802.11 element decoder (plugins/module_utils/_nl80211/ie.py).

Golden vectors are written by hand from IEEE Std 802.11-2020 (clause 9.4.2, Table 9-149 cipher
suites, Table 9-151 AKMs) and 802.11ax-2021 (9.4.2.249 HE Operation), one field per line;
the full beacons under fixtures/ say how each was assembled.
"""

from __future__ import annotations

import json
import os
import random
import re

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import ie
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.ie import (
    Element,
    decode_capability,
    decode_ies,
    parse_ies,
    security_summary,
)

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is optional
    given = None

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def H(text: str) -> bytes:
    """Hex with '#' comments and any whitespace, one field per line."""
    return bytes.fromhex("".join(line.split("#", 1)[0] for line in text.splitlines()))


def load_fixture(name: str):
    """A fixtures/*.txt file: [capability], [ies] (commented hex), [security], [decoded]."""
    sections, current = {}, None
    with open(os.path.join(FIXTURES, name)) as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            header = re.fullmatch(r"\[([a-z]+)\]", line)
            if header:
                current = sections.setdefault(header.group(1), [])
            elif current is not None:
                current.append(line)
    return (
        int("".join(sections["capability"]), 0),
        bytes.fromhex("".join(sections["ies"])),
        json.loads("\n".join(sections["security"])),
        json.loads("\n".join(sections["decoded"])),
    )


def assert_json_facts(value) -> None:
    """Only str/int/bool/None/list/dict with str keys, and json.dumps accepts it."""
    json.dumps(value)
    stack = [value]
    while stack:
        item = stack.pop()
        assert item is None or isinstance(item, (str, int, bool, list, dict)), repr(item)
        if isinstance(item, dict):
            assert all(isinstance(key, str) for key in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


# --------------------------------------------------------------------------- parse_ies

PARSE_CASES = [
    ("empty", b"", []),
    ("zero-length SSID", H("00 00"), [Element(0, None, b"")]),
    (
        "two elements",
        H("""
        00 02 61 62   # SSID "ab"
        03 01 0b      # DS Parameter Set: channel 11
        """),
        [Element(0, None, b"ab"), Element(3, None, b"\x0b")],
    ),
    (
        "extension element",
        H("""
        ff 03         # Element ID Extension, length 3
           24         #   extension ID 36 (HE Operation)
           aa bb      #   body
        """),
        [Element(255, 36, b"\xaa\xbb")],
    ),
    ("extension element without extension ID", H("ff 00"), [Element(255, None, b"")]),
    ("lone trailing octet", H("00 00 dd"), [Element(0, None, b"")]),
    (
        "length running past the end",
        H("""
        03 01 06      # DS Parameter Set: channel 6
        30 14 01 00   # RSN, length 20, only 2 octets there
        """),
        [Element(3, None, b"\x06")],
    ),
]


@pytest.mark.parametrize(
    "data,expected", [c[1:] for c in PARSE_CASES], ids=[c[0] for c in PARSE_CASES]
)
def test_parse_ies(data, expected):
    assert parse_ies(data) == expected


def test_parse_ies_takes_any_bytes_like():
    for data in (bytearray(b"\x00\x01a"), memoryview(b"\x00\x01a")):
        assert parse_ies(data) == [Element(0, None, b"a")]
    assert parse_ies(None) == []


@pytest.mark.parametrize(
    "data,truncated",
    [
        (H("00 00 dd"), {"offset": 2, "id": 221, "length": None, "available": 0}),
        (H("03 01 06 30 14 01 00"), {"offset": 3, "id": 48, "length": 20, "available": 2}),
        (H("dd ff"), {"offset": 0, "id": 221, "length": 255, "available": 0}),
    ],
)
def test_truncated_last_element_is_reported(data, truncated):
    assert decode_ies(data)["truncated"] == truncated


# --------------------------------------------------------------------------- SSID, rates

EMPTY = {
    "ssid": None, "ssid_hex": None, "hidden": None, "wps": False, "wmm": False, "vendor": [],
    "unknown": [], "unknown_ext": [], "errors": [], "truncated": None,
}  # fmt: skip


def test_empty_data():
    assert decode_ies(b"") == EMPTY


@pytest.mark.parametrize(
    "body,ssid,hidden",
    [
        (b"home", "home", False),
        ("caf\u00e9 \u2615".encode(), "caf\u00e9 \u2615", False),
        (b"", "", True),  # hostapd ignore_broadcast_ssid=1: zero length
        (b"\0" * 8, "", True),  # ignore_broadcast_ssid=2: the length kept, octets zeroed
        (b"\xff\xfe", None, False),  # not UTF-8: only ssid_hex says what it is
    ],
)
def test_ssid(body, ssid, hidden):
    out = decode_ies(bytes([0, len(body)]) + body)
    assert (out["ssid"], out["ssid_hex"], out["hidden"]) == (ssid, body.hex(), hidden)


def test_supported_rates_and_membership_selectors():
    out = decode_ies(
        H("""
        01 04         # Supported Rates, length 4
           82         #   1 Mbps, basic
           0b         #   5.5 Mbps
           ff         #   BSS membership selector 127 (HT PHY), basic bit set
           fb         #   BSS membership selector 123 (SAE hash-to-element only)
        32 01         # Extended Supported Rates, length 1
           7f         #   63.5 Mbps (not basic: a rate, not a selector)
        """)
    )
    assert out["supported_rates"] == [
        {"mbps": "1", "kbps": 1000, "basic": True},
        {"mbps": "5.5", "kbps": 5500, "basic": False},
        {"mbps": "63.5", "kbps": 63500, "basic": False},
    ]
    assert out["bss_membership_selectors"] == ["HT", "SAE-H2E"]


def test_ds_channel_and_its_error():
    assert decode_ies(H("03 01 0b"))["ds_channel"] == 11
    out = decode_ies(H("03 00"))
    assert "ds_channel" not in out
    assert out["errors"] == [
        "element 3: DS Parameter Set: current channel: needs 1 octet(s) at offset 0, 0 left"
    ]


def test_repeated_element_counts_once():
    out = decode_ies(H("00 01 61  00 01 62  03 01 01  03 01 02"))
    assert (out["ssid"], out["ds_channel"]) == ("a", 1)


# --------------------------------------------------------------------------- Country, BSS Load


def test_country_with_operating_extension_and_pad():
    out = decode_ies(
        H("""
        07 0a         # Country, length 10
           55 53      #   "US"
           04         #   environment: Annex E table 4 (global operating classes)
           24 04 17   #   subband: first channel 36, 4 channels, 23 dBm
           c9 73 00   #   operating extension 201, operating class 115, coverage class 0
           00         #   pad to an even length
        """)
    )
    assert out["country"] == {
        "code": "US",
        "environment": "table-4",
        "triplets": [
            {"first_channel": 36, "num_channels": 4, "max_tx_power_dbm": 23},
            {"extension_id": 201, "operating_class": 115, "coverage_class": 0},
        ],
    }


def test_country_negative_power_and_indoor():
    out = decode_ies(H("07 06 4a 50 49 01 0e fb"))  # "JP", 'I', channels 1-14 at -5 dBm
    assert out["country"]["environment"] == "indoor"
    assert out["country"]["triplets"] == [
        {"first_channel": 1, "num_channels": 14, "max_tx_power_dbm": -5}
    ]


def test_bss_load():
    out = decode_ies(
        H("""
        0b 05         # BSS Load, length 5
           2a 01      #   station count 298
           ff         #   channel utilization 255 (100 %)
           10 27      #   available admission capacity 10000 (x 32 us/s)
        """)
    )
    assert out["bss_load"] == {
        "station_count": 298, "channel_utilization": 255, "channel_utilization_percent": 100,
        "available_admission_capacity": 10000,
    }  # fmt: skip


def test_bss_load_short_keeps_what_it_read():
    assert decode_ies(H("0b 02 05 00"))["bss_load"] == {
        "station_count": 5,
        "error": "channel utilization: needs 1 octet(s) at offset 2, 0 left",
    }


# --------------------------------------------------------------------------- RSN and WPA

RSN_FULL = H("""
    30 26             # RSN, length 38
       01 00          #   version 1
       00 0f ac 02    #   group data cipher: TKIP
       02 00          #   pairwise cipher count 2
       00 0f ac 04    #   CCMP-128
       00 0f ac 09    #   GCMP-256
       03 00          #   AKM count 3
       00 0f ac 12    #   OWE (18)
       00 0f ac 18    #   SAE-EXT-KEY (24)
       00 0f ac 0c    #   802.1X-SUITE-B-192 (12)
       e1 40          #   RSN capabilities: preauth, ocvc, MFPC, MFPR, PTKSA 1, GTKSA 4
       00 00          #   PMKID count 0
       00 0f ac 0c    #   group management cipher: BIP-GMAC-256
    """)


def test_rsn_all_fields():
    assert decode_ies(RSN_FULL)["rsn"] == {
        "version": 1,
        "group_cipher": "TKIP",
        "pairwise_ciphers": ["CCMP-128", "GCMP-256"],
        "akm_suites": ["OWE", "SAE-EXT-KEY", "802.1X-SUITE-B-192"],
        "capabilities": {
            "raw": 0x40E1, "preauth": True, "no_pairwise": False, "mfp_required": True,
            "mfp_capable": True, "joint_multiband": False, "peerkey": False,
            "spp_amsdu_capable": False, "spp_amsdu_required": False, "pbac": False,
            "extended_key_id": False, "ocvc": True, "ptksa_replay_counters": 1,
            "gtksa_replay_counters": 4,
        },
        "pmkid_count": 0,
        "group_mgmt_cipher": "BIP-GMAC-256",
    }  # fmt: skip


@pytest.mark.parametrize(
    "suite,name",
    [
        ("000fac01", "WEP-40"), ("000fac05", "WEP-104"), ("000fac06", "BIP-CMAC-128"),
        ("000fac08", "GCMP-128"), ("000fac0a", "CCMP-256"), ("000fac0d", "BIP-CMAC-256"),
        ("000fac03", "00-0f-ac:3"),  # reserved
        ("000fac0e", "00-0f-ac:14"),  # reserved
        ("0050f204", "00-50-f2:4"),  # a WPA selector inside an RSNE is not a known cipher
        ("aabbcc01", "aa-bb-cc:1"),
    ],
)  # fmt: skip
def test_rsn_cipher_names(suite, name):
    body = H("01 00") + bytes.fromhex(suite)
    assert decode_ies(bytes([48, len(body)]) + body)["rsn"]["group_cipher"] == name


@pytest.mark.parametrize(
    "akm,name",
    [
        (1, "802.1X"), (2, "PSK"), (3, "FT-802.1X"), (4, "FT-PSK"), (5, "802.1X-SHA256"),
        (6, "PSK-SHA256"), (8, "SAE"), (9, "FT-SAE"), (11, "802.1X-SUITE-B"),
        (13, "FT-802.1X-SHA384"), (14, "FILS-SHA256"), (18, "OWE"), (20, "PSK-SHA384"),
        (25, "FT-SAE-EXT-KEY"), (99, "00-0f-ac:99"),
    ],
)  # fmt: skip
def test_rsn_akm_names(akm, name):
    body = H("01 00  00 0f ac 04  01 00 00 0f ac 04  01 00 00 0f ac") + bytes([akm])
    assert decode_ies(bytes([48, len(body)]) + body)["rsn"]["akm_suites"] == [name]


def test_rsn_count_running_past_the_end():
    out = decode_ies(
        H("""
        30 0c             # RSN, length 12
           01 00          #   version 1
           00 0f ac 04    #   group: CCMP-128
           05 00          #   pairwise cipher count 5 ...
           00 0f ac 04    #   ... but only one suite follows
        """)
    )
    assert out["rsn"] == {
        "version": 1,
        "group_cipher": "CCMP-128",
        "pairwise_ciphers": ["CCMP-128"],
        "error": "pairwise cipher suite 1: needs 4 octet(s) at offset 12, 0 left",
    }
    assert security_summary(out, 0x0411) == ["RSN-unknown"]


def test_rsn_pmkid_count_past_the_end():
    body = H("01 00 00 0f ac 04 01 00 00 0f ac 04 01 00 00 0f ac 02 00 00 ff ff")
    rsn = decode_ies(bytes([48, len(body)]) + body)["rsn"]
    assert rsn["akm_suites"] == ["PSK"] and "pmkid_count" not in rsn
    assert rsn["error"] == "PMKID list: needs 1048560 octet(s) at offset 22, 0 left"


def test_rsn_version_only_and_one_octet():
    assert decode_ies(H("30 02 01 00"))["rsn"] == {"version": 1}
    assert decode_ies(H("30 01 01"))["rsn"] == {
        "error": "version: needs 2 octet(s) at offset 0, 1 left"
    }
    assert decode_ies(H("30 00"))["rsn"] == {
        "error": "version: needs 2 octet(s) at offset 0, 0 left"
    }


WPA_TKIP_PSK = H("""
    dd 16             # Vendor Specific, length 22
       00 50 f2 01    #   OUI 00-50-F2, type 1: WPA
       01 00          #   version 1
       00 50 f2 02    #   multicast cipher: TKIP
       01 00          #   unicast cipher count 1
       00 50 f2 02    #   TKIP
       01 00          #   AKM count 1
       00 50 f2 02    #   PSK
    """)


def test_wpa_element():
    out = decode_ies(WPA_TKIP_PSK)
    assert out["wpa"] == {
        "version": 1, "group_cipher": "TKIP", "pairwise_ciphers": ["TKIP"],
        "akm_suites": ["PSK"],
    }  # fmt: skip
    assert out["vendor"] == [{"oui": "00-50-f2", "type": 1}]
    assert security_summary(out, 0x0011) == ["WPA-PSK"]


def test_wpa_element_has_no_pmkid_or_group_mgmt_fields():
    """After the capabilities a WPA element ends: more octets are ignored, not read as RSN's."""
    body = WPA_TKIP_PSK[2:] + H("0c 00  01 00  00 0f ac 06")  # capabilities, then junk
    wpa = decode_ies(bytes([221, len(body)]) + body)["wpa"]
    assert wpa["capabilities"]["ptksa_replay_counters"] == 16
    assert "pmkid_count" not in wpa and "group_mgmt_cipher" not in wpa and "error" not in wpa


def test_wpa_short_and_vendor_short():
    out = decode_ies(H("dd 07 00 50 f2 01 01 00 00  dd 02 00 50"))
    assert out["wpa"] == {
        "version": 1, "error": "group data cipher suite: needs 4 octet(s) at offset 2, 1 left",
    }  # fmt: skip
    assert out["errors"] == [
        "element 221: vendor specific: OUI: needs 3 octet(s) at offset 0, 2 left"
    ]


def test_wps_wmm_owe_transition_and_other_vendors():
    out = decode_ies(
        H("""
        dd 05 00 50 f2 04 10          # WPS (00-50-F2 type 4), one attribute octet
        dd 07 00 50 f2 02 00 01 00    # WMM Information element
        dd 0e                         # Vendor Specific, length 14
           50 6f 9a 1c                #   WFA OUI, type 0x1c: OWE Transition Mode
           02 11 22 33 44 55          #   BSSID of the OWE BSS
           03 6f 77 65                #   SSID length 3, "owe"
        dd 03 00 10 18                # Broadcom OUI, no type octet
        """)
    )
    assert (out["wps"], out["wmm"]) == (True, True)
    assert out["owe_transition"] == {
        "bssid": "02:11:22:33:44:55", "ssid_hex": "6f7765", "ssid": "owe",
    }  # fmt: skip
    assert out["vendor"] == [
        {"oui": "00-50-f2", "type": 4},
        {"oui": "00-50-f2", "type": 2},
        {"oui": "50-6f-9a", "type": 0x1C},
        {"oui": "00-10-18", "type": None},
    ]


def test_rsnx():
    assert decode_ies(H("f4 01 20"))["rsnx"] == {  # length 1, SAE hash-to-element (bit 5)
        "raw": "20", "protected_twt": False, "sae_h2e": True, "sae_pk": False,
    }  # fmt: skip


# --------------------------------------------------------------------------- security_summary


def _rsn_ie(akms, caps="0c 00"):
    body = H("01 00 00 0f ac 04 01 00 00 0f ac 04") + bytes([len(akms), 0])
    body += b"".join(b"\x00\x0f\xac" + bytes([akm]) for akm in akms) + H(caps)
    return bytes([48, len(body)]) + body


SUMMARY_CASES = [
    ("open", b"", 0x0401, ["open"]),
    ("WEP: privacy bit, no RSN or WPA", b"", 0x0411, ["WEP"]),
    ("WPA2-PSK", _rsn_ie([2]), 0x0411, ["WPA2-PSK"]),
    ("WPA2-PSK with FT and SHA256", _rsn_ie([2, 4, 6]), 0x0411, ["WPA2-PSK"]),
    ("WPA3-SAE", _rsn_ie([8], "cc 00"), 0x0411, ["WPA3-SAE"]),
    ("transition: SAE listed first", _rsn_ie([8, 2], "8c 00"), 0x0411, ["WPA2-PSK", "WPA3-SAE"]),
    ("OWE", _rsn_ie([18], "cc 00"), 0x0411, ["OWE"]),
    ("WPA2-EAP", _rsn_ie([1]), 0x0411, ["WPA2-EAP"]),
    ("WPA3-Enterprise only", _rsn_ie([5], "cc 00"), 0x0411, ["WPA3-EAP"]),
    ("802.1X-SHA256 without MFPR", _rsn_ie([5]), 0x0411, ["WPA2-EAP"]),
    ("Suite B 192", _rsn_ie([12], "cc 00"), 0x0411, ["WPA3-EAP-SUITE-B-192"]),
    ("SAE-EXT-KEY", _rsn_ie([24], "cc 00"), 0x0411, ["WPA3-SAE"]),
    ("unknown AKM", _rsn_ie([99]), 0x0411, ["RSN-00-0f-ac:99"]),
    ("RSN without AKM list defaults to 802.1X", H("30 06 01 00 00 0f ac 04"), 0x0411,
     ["WPA2-EAP"]),
    ("WPA + WPA2 mixed", WPA_TKIP_PSK + _rsn_ie([2]), 0x0411, ["WPA-PSK", "WPA2-PSK"]),
]  # fmt: skip


@pytest.mark.parametrize(
    "ies,capability,expected", [c[1:] for c in SUMMARY_CASES], ids=[c[0] for c in SUMMARY_CASES]
)
def test_security_summary(ies, capability, expected):
    assert security_summary(decode_ies(ies), capability) == expected


# --------------------------------------------------------------------------- capability


def test_decode_capability():
    # 0x1431: ESS (0), Privacy (4), Short Preamble (5), Short Slot Time (10), Radio Measurement (12)
    caps = decode_capability(0x1431)
    assert [name for name, on in caps.items() if on] == [
        "ess", "privacy", "short_preamble", "short_slot_time", "radio_measure",
    ]  # fmt: skip
    assert list(caps) == list(ie.CAPABILITY_BITS) and len(caps) == 16
    assert not any(decode_capability(0).values())
    assert all(decode_capability(0xFFFF).values())


# --------------------------------------------------------------------------- HT, VHT, HE, mesh


def test_ht_operation_fields():
    out = decode_ies(
        H("""
        3d 16             # HT Operation, length 22
           95             #   primary channel 149
           0f             #   bits 0-7: secondary below (3), STA width any (2), RIFS (3)
           f6             #   bits 8-15: protection 2 (20MHz), non-greenfield (10),
                          #   OBSS non-HT (12), CCFS2 bits 0-2 = 7 (bits 13-15)
           01             #   bits 16-23: CCFS2 bits 3-7 = 1, so CCFS2 = 15
           00 00          #   bits 24-39: no dual beacon / dual CTS / STBC beacon
        """)
        + bytes(16)
    )
    assert out["ht_operation"] == {
        "primary_channel": 149, "secondary_channel_offset": "below", "sta_channel_width": "any",
        "rifs": True, "ht_protection": "20MHz", "non_greenfield_present": True,
        "obss_non_ht_present": True, "channel_center_freq_segment2": 15,
    }  # fmt: skip


@pytest.mark.parametrize(
    "width,seg0,seg1,bandwidth",
    [
        (0, 0, 0, "20/40"),
        (1, 42, 0, "80"),
        (1, 42, 50, "160"),  # 802.11-2020: CCFS1 is the 160 MHz centre, 8 apart from CCFS0
        (1, 42, 155, "80+80"),
        (2, 50, 0, "160"),  # deprecated signalling
        (3, 42, 155, "80+80"),  # deprecated signalling
        (7, 0, 0, "unknown(7)"),
    ],
)
def test_vht_operation_bandwidth(width, seg0, seg1, bandwidth):
    out = decode_ies(bytes([192, 5, width, seg0, seg1, 0xFC, 0xFF]))
    assert out["vht_operation"] == {
        "channel_width": width, "center_freq_segment0": seg0, "center_freq_segment1": seg1,
        "bandwidth": bandwidth, "basic_mcs_nss": 0xFFFC,
    }  # fmt: skip


def test_he_operation_6ghz():
    out = decode_ies(
        H("""
        ff 0c             # Element ID Extension, length 12
           24             #   extension ID 36: HE Operation
           f4 3f 02       #   HE operation parameters: PE 4, TXOP RTS threshold 1023,
                          #   6 GHz operation information present (bit 17)
           81             #   BSS color 1, BSS color disabled (bit 7)
           fc ff          #   basic HE-MCS and NSS set
           25             #   6 GHz: primary channel 37
           03             #   control: channel width 3 (160/80+80 MHz)
           27 2f          #   CCFS0 39, CCFS1 47
           0c             #   minimum rate 12 (6 Mbps)
        """)
    )
    assert out["he_operation"] == {
        "default_pe_duration": 4, "twt_required": False, "txop_duration_rts_threshold": 1023,
        "er_su_disable": False, "bss_color": 1, "partial_bss_color": False,
        "bss_color_disabled": True, "basic_mcs_nss": 0xFFFC,
        "operation_6ghz": {
            "primary_channel": 37, "channel_width": "160/80+80", "duplicate_beacon": False,
            "regulatory_info": 0, "center_freq_segment0": 39, "center_freq_segment1": 47,
            "minimum_rate": 12,
        },
    }  # fmt: skip
    assert out["unknown_ext"] == []


def test_he_operation_vht_info_cohosted_and_short():
    out = decode_ies(
        H("""
        ff 0b 24          # HE Operation, length 11
           08 c0 00       #   TWT required (bit 3), VHT info present (14), co-hosted (15)
           05 fc ff       #   BSS color 5; basic HE-MCS and NSS set
           01 2a 00       #   VHT operation information: 80 MHz at 42
           03             #   max co-hosted BSSID indicator 3
        """)
    )
    he = out["he_operation"]
    assert he["twt_required"] and he["bss_color"] == 5 and he["max_cohosted_bssid_indicator"] == 3
    assert he["vht_operation"] == {
        "channel_width": 1, "center_freq_segment0": 42, "center_freq_segment1": 0,
        "bandwidth": "80",
    }  # fmt: skip
    short = decode_ies(H("ff 05 24 00 40 00 00"))["he_operation"]  # VHT info promised, absent
    assert short["error"] == "basic HE-MCS and NSS set: needs 2 octet(s) at offset 4, 0 left"


def test_mesh_id_and_config():
    out = decode_ies(
        H("""
        72 04 6d 65 73 68 # Mesh ID, length 4, "mesh"
        71 07             # Mesh Configuration, length 7
           01             #   path selection protocol: HWMP
           01             #   path selection metric: airtime
           00             #   congestion control: none
           01             #   synchronization: neighbor offset
           01             #   authentication: SAE
           05             #   formation info: connected to gate, 2 peerings
           09             #   capability: accepting peerings, forwarding
        """)
    )
    assert (out["mesh_id"], out["mesh_id_hex"]) == ("mesh", "6d657368")
    assert out["mesh_config"] == {
        "path_selection_protocol": "HWMP", "path_selection_metric": "airtime",
        "congestion_control": "none", "synchronization": "neighbor-offset",
        "authentication": "SAE", "connected_to_gate": True, "peerings": 2,
        "connected_to_as": False, "accepting_peerings": True, "mcca_supported": False,
        "mcca_enabled": False, "forwarding": True, "mbca_enabled": False,
        "tbtt_adjusting": False, "power_save_level": False,
    }  # fmt: skip


def test_extended_capabilities_bits():
    out = decode_ies(
        H("""
        7f 0b                      # Extended Capabilities, length 11
           01 00 08 80             #   bit 0 20/40 coexistence, bit 19 BSS transition,
                                   #   bit 31 interworking
           00 02 00 40             #   bit 41 (service interval granularity: a field, left
                                   #   out), bit 62 operating mode notification
           00 40 12                #   bit 78 TWT responder, bit 81 SAE password IDs,
                                   #   bit 84 beacon protection
        """)
    )
    assert out["extended_capabilities"] == {
        "hex": "0100088000020040004012",
        "flags": [
            "20_40_bss_coexistence", "bss_transition", "interworking",
            "operating_mode_notification", "twt_responder", "sae_password_identifiers_in_use",
            "beacon_protection",
        ],
    }  # fmt: skip
    assert decode_ies(H("7f 01 02"))["extended_capabilities"]["flags"] == ["bit_1"]


def test_unknown_elements_listed_once():
    out = decode_ies(H("46 05 00 00 00 00 00  46 05 00 00 00 00 00  ff 02 23 00  ff 00"))
    assert (out["unknown"], out["unknown_ext"]) == ([70, 255], [35])


# --------------------------------------------------------------------------- full beacons

BEACONS = [
    "captured_ln_open_presp.txt",  # real: hostapd 2.10 + mac80211_hwsim in the project VM
    "captured_ln_wpa2_beacon.txt",  # real, as above
    "beacon_open.txt",  # assembled by hand the way hostapd 2.10 writes them (see each header)
    "beacon_wpa2_psk.txt",
    "beacon_sae.txt",
]


@pytest.mark.parametrize("name", BEACONS)
def test_beacon_fixture(name):
    capability, ies, security, decoded = load_fixture(name)
    out = decode_ies(ies)
    assert out == decoded
    assert security_summary(out, capability) == security
    assert_json_facts(out)


@pytest.mark.parametrize("name", BEACONS)
def test_every_prefix_of_a_beacon(name):
    """Cut anywhere: decodes, what was whole stays, the cut element is reported."""
    ies = load_fixture(name)[1]
    for end in range(len(ies) + 1):
        out = decode_ies(ies[:end])
        assert_json_facts(out)
        assert len(parse_ies(ies[:end])) <= len(parse_ies(ies))


# --------------------------------------------------------------------------- never raises


def _check_total(data: bytes) -> None:
    out = decode_ies(data)
    assert_json_facts(out)
    assert json.loads(json.dumps(out)) == out
    security_summary(out, 0xFFFF)
    again = b"".join(
        bytes([e.id, len(e.body) + (e.ext_id is not None)])
        + (b"" if e.ext_id is None else bytes([e.ext_id]))
        + e.body
        for e in parse_ies(data)
    )
    assert data.startswith(again) and len(data) - len(again) < 257


# Element bodies of every decoded ID, built from random octets: reaches the decoders' insides.
_IDS = sorted({eid for eid, _ in ie.ELEMENT_DECODERS})


def _random_elements(rng: random.Random) -> bytes:
    out = bytearray()
    for _ in range(rng.randrange(8)):
        eid = rng.choice(_IDS + [rng.randrange(256)])
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(40)))
        if eid == 221 and rng.random() < 0.7:  # WPA, WPS, OWE transition
            body = (
                rng.choice([b"\x00\x50\xf2\x01", b"\x00\x50\xf2\x04", b"\x50\x6f\x9a\x1c"]) + body
            )
        if eid == 255 and body:
            body = bytes([rng.choice([35, 36, rng.randrange(256)])]) + body[1:]
        out += bytes([eid, min(len(body), 255)]) + body[:255]
    return bytes(out[: len(out) - rng.randrange(3)]) if out else bytes(out)


def test_random_inputs_never_raise():
    rng = random.Random(80211)  # fixed seed: runs without hypothesis, same cases every time
    for _ in range(3000):
        _check_total(bytes(rng.randrange(256) for _ in range(rng.randrange(64))))
        _check_total(_random_elements(rng))


if given is not None:

    @settings(max_examples=500, deadline=None)
    @given(st.binary(max_size=600))
    def test_hypothesis_random_bytes(data):
        _check_total(data)

    @settings(max_examples=500, deadline=None)
    @given(
        st.lists(
            st.tuples(st.sampled_from(_IDS), st.binary(max_size=60)),
            max_size=12,
        ),
        st.integers(min_value=0, max_value=3),
    )
    def test_hypothesis_element_sequences(elements, cut):
        data = b"".join(bytes([eid, len(body)]) + body for eid, body in elements)
        _check_total(data[: max(0, len(data) - cut)])
