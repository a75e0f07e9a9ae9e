# SPDX-License-Identifier: GPL-3.0-or-later
"""The regulatory domain decoder (reg.py) on golden bytes.

The VM's hwsim radios have no domain of their own, so a GET_REG message for a self-managed
radio cannot be captured there; the vector below is built by hand, one attribute per line, in
the layout of nl80211_send_regdom() / nl80211_put_regdom() of net/wireless/nl80211.c (Linux
6.1): NL80211_ATTR_REG_ALPHA2 as a NUL-terminated string, NL80211_ATTR_DFS_REGION a u8,
NL80211_ATTR_REG_RULES a nest (without NLA_F_NESTED, nla_nest_start_noflag) of rules whose
attribute types are their indexes counted from 0, each rule seven u32s, then NL80211_ATTR_WIPHY
and the flag NL80211_ATTR_WIPHY_SELF_MANAGED_REG. Values: wireless-regdb's DE rule for
5250-5330 MHz (db.txt: "(5250 - 5330 @ 80), (100 mW), NO-OUTDOOR, DFS, AUTO-BW").
The captured global domain is tested in test_facts_vm.py.
"""

from __future__ import annotations

from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import reg
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u

SELF_MANAGED_DE = bytes.fromhex(
    "07002100"  # NL80211_ATTR_REG_ALPHA2 (33), 3 bytes
    "44450000"  # "DE\0" + padding
    "05009200"  # NL80211_ATTR_DFS_REGION (146), u8
    "02000000"  # NL80211_DFS_ETSI + padding
    "40002200"  # NL80211_ATTR_REG_RULES (34), 60 bytes
    "3c000000"  # rule 0 (type 0, no NLA_F_NESTED), 56 bytes
    "08000100"
    "18080000"  # NL80211_ATTR_REG_RULE_FLAGS = NO_OUTDOOR | DFS | AUTO_BW (0x0818)
    "08000200"
    "d01b5000"  # NL80211_ATTR_FREQ_RANGE_START = 5250000 kHz
    "08000300"
    "50545100"  # NL80211_ATTR_FREQ_RANGE_END = 5330000 kHz
    "08000400"
    "80380100"  # NL80211_ATTR_FREQ_RANGE_MAX_BW = 80000 kHz
    "08000500"
    "00000000"  # NL80211_ATTR_POWER_RULE_MAX_ANT_GAIN = 0 mBi
    "08000600"
    "d0070000"  # NL80211_ATTR_POWER_RULE_MAX_EIRP = 2000 mBm (100 mW)
    "08000700"
    "60ea0000"  # NL80211_ATTR_DFS_CAC_TIME = 60000 ms
    "08000100"
    "05000000"  # NL80211_ATTR_WIPHY = 5
    "0400d800"  # NL80211_ATTR_WIPHY_SELF_MANAGED_REG (216), flag
)


def test_the_vector_flags_are_the_uapi_bits() -> None:
    assert u.NL80211_RRF_NO_OUTDOOR | u.NL80211_RRF_DFS | u.NL80211_RRF_AUTO_BW == 0x0818


def test_self_managed_radio_decodes() -> None:
    attrs = codec.decode(u.NL80211_ATTR, SELF_MANAGED_DE)
    found = reg.regulatory_from_replies([attrs])
    assert found.domain is None
    (radio,) = found.radios
    assert radio == reg.RegDomain(
        country="DE",
        dfs_region=u.NL80211_DFS_ETSI,
        rules=[reg.RegRule(5250000, 5330000, 80000, 0, 2000, 60000, 0x0818)],
        wiphy=5,
        self_managed=True,
    )
    facts = reg.regulatory_facts(found, {5: "phy5"})
    assert facts["country"] is None and facts["rules"] == []
    assert facts["radios"] == [
        {
            "phy": "phy5",
            "index": 5,
            "self_managed": True,
            "country": "DE",
            "dfs_region": "ETSI",
            "rules": [
                {
                    "start_mhz": 5250,
                    "end_mhz": 5330,
                    "max_bandwidth_mhz": 80,
                    "max_antenna_gain_dbi": 0.0,
                    "max_eirp_dbm": 20.0,
                    "dfs_cac_ms": 60000,
                    "flags": ["NO-OUTDOOR", "DFS", "AUTO-BW"],
                }
            ],
        }
    ]


def test_round_trip_through_the_table() -> None:
    attrs = codec.decode(u.NL80211_ATTR, SELF_MANAGED_DE)
    again = codec.decode(u.NL80211_ATTR, codec.encode(u.NL80211_ATTR, attrs))
    assert again == attrs


def test_global_then_radios_and_the_cell_base_hint() -> None:
    glob = {"reg_alpha2": "US", "dfs_region": 1, "reg_rules": [], "user_reg_hint_type": 1}
    radios = [{"reg_alpha2": "JP", "wiphy": 7}, {"reg_alpha2": "DE", "wiphy": 2}]
    found = reg.regulatory_from_replies([radios[0], glob, radios[1], {"wiphy": 9}])
    assert found.domain is not None and found.domain.country == "US"
    assert found.cell_base_hint is True
    assert [r.wiphy for r in found.radios] == [2, 7]  # by index; a message without alpha2 skipped
    assert [r.self_managed for r in found.radios] == [False, False]
    facts = reg.regulatory_facts(found)
    assert facts["dfs_region"] == "FCC" and facts["radios"][0]["phy"] == "phy2"


def test_fractional_mhz_stays_exact() -> None:
    rule = reg.rule_facts(reg.RegRule(863500, 868000, 500, 0, 1400, 0, 0))
    assert (rule["start_mhz"], rule["end_mhz"], rule["max_bandwidth_mhz"]) == (863.5, 868, 0.5)
    assert rule["max_eirp_dbm"] == 14.0 and rule["flags"] == []
