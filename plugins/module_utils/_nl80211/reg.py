# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the regulatory domain (NL80211_CMD_GET_REG), decoded and as facts.

Pure functions, no socket: `regulatory_from_replies` turns the decoded replies of a GET_REG
dump into a `Regulatory` (the kernel's global domain, then one `RegDomain` per radio that has
its own: self-managed ones, and ones a driver hint gave their own copy), and
`regulatory_facts` turns that into plain data; the end of the file plans `wifi_regdomain`.
The client's `Nl80211Client.regdomain()` asks the kernel; the facts and
`linux.netlink.wifi_regdomain` both read through here.

The layout is net/wireless/nl80211.c's (Linux 6.1) ``nl80211_get_reg_dump()``: one
NL80211_CMD_GET_REG message for the global domain (NL80211_ATTR_REG_ALPHA2,
NL80211_ATTR_DFS_REGION when set, NL80211_ATTR_REG_RULES; NL80211_ATTR_USER_REG_HINT_TYPE when
the last hint came from a cellular base station), then one per radio with NL80211_ATTR_WIPHY
and, for a self-managed radio, the flag NL80211_ATTR_WIPHY_SELF_MANAGED_REG. GET_REG needs no
privilege (no GENL_ADMIN_PERM in nl80211_ops).
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Union

from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import OptionError


class RegRule(NamedTuple):
    """One rule of a regulatory domain, in the kernel's units."""

    start_khz: int
    end_khz: int
    max_bandwidth_khz: int
    max_antenna_gain_mbi: int  # 0: not specified (iw: N/A)
    max_eirp_mbm: int
    dfs_cac_ms: int  # 0: the default (iw: N/A)
    flags: int  # enum nl80211_reg_rule_flags


class RegDomain(NamedTuple):
    """A regulatory domain: the global one (``wiphy`` None) or a radio's own."""

    country: str  # ISO 3166-1 alpha-2, "00" for the world domain, "99" built by intersection
    dfs_region: int  # enum nl80211_dfs_regions
    rules: List[RegRule]
    wiphy: Optional[int] = None
    self_managed: bool = False


class Regulatory(NamedTuple):
    """What a GET_REG dump says: the global domain and the radios' own domains."""

    domain: Optional[RegDomain]  # None only if the kernel sent no global domain
    radios: List[RegDomain]
    cell_base_hint: bool = False  # the last hint came from a cellular base station


def rule_from_attrs(attrs: Dict[str, Any]) -> RegRule:
    return RegRule(
        start_khz=attrs.get("freq_range_start", 0),
        end_khz=attrs.get("freq_range_end", 0),
        max_bandwidth_khz=attrs.get("freq_range_max_bw", 0),
        max_antenna_gain_mbi=attrs.get("power_rule_max_ant_gain", 0),
        max_eirp_mbm=attrs.get("power_rule_max_eirp", 0),
        dfs_cac_ms=attrs.get("dfs_cac_time", 0),
        flags=attrs.get("reg_rule_flags", 0),
    )


def domain_from_attrs(attrs: Dict[str, Any]) -> RegDomain:
    """One decoded GET_REG message (NL80211_ATTR_* keys) -> RegDomain."""
    return RegDomain(
        country=attrs.get("reg_alpha2") or u.REG_TYPE_ALPHA2.get(attrs.get("reg_type", -1), ""),
        dfs_region=attrs.get("dfs_region", u.NL80211_DFS_UNSET),
        rules=[rule_from_attrs(r) for r in attrs.get("reg_rules", [])],
        wiphy=attrs.get("wiphy"),
        self_managed=bool(attrs.get("wiphy_self_managed_reg")),
    )


def regulatory_from_replies(replies: Sequence[Dict[str, Any]]) -> Regulatory:
    """The decoded messages of a GET_REG dump -> Regulatory (radios sorted by index)."""
    domain: Optional[RegDomain] = None
    radios: List[RegDomain] = []
    cell = False
    for attrs in replies:
        if "reg_alpha2" not in attrs and "reg_type" not in attrs:
            continue
        found = domain_from_attrs(attrs)
        if found.wiphy is None:
            domain = found
            cell = attrs.get("user_reg_hint_type") == u.NL80211_USER_REG_HINT_CELL_BASE
        else:
            radios.append(found)
    return Regulatory(domain, sorted(radios, key=lambda d: d.wiphy or 0), cell)


# --------------------------------------------------------------------------- facts


def _mhz(khz: int) -> Union[int, float]:
    """kHz -> MHz, an int when whole (every rule of wireless-regdb's db.txt is)."""
    return khz // 1000 if khz % 1000 == 0 else khz / 1000.0


def rule_flag_names(flags: int) -> List[str]:
    """enum nl80211_reg_rule_flags -> the words iw prints (NO-OUTDOOR, DFS, NO-IR, ...)."""
    return [name for bit, name in u.REG_RULE_FLAG_NAMES if flags & bit]


def rule_facts(rule: RegRule) -> Dict[str, Any]:
    return {
        "start_mhz": _mhz(rule.start_khz),
        "end_mhz": _mhz(rule.end_khz),
        "max_bandwidth_mhz": _mhz(rule.max_bandwidth_khz),
        "max_antenna_gain_dbi": rule.max_antenna_gain_mbi / 100.0,
        "max_eirp_dbm": rule.max_eirp_mbm / 100.0,
        "dfs_cac_ms": rule.dfs_cac_ms,
        "flags": rule_flag_names(rule.flags),
    }


def _region_name(domain: RegDomain) -> str:
    return u.DFS_REGION_NAMES.get(domain.dfs_region, str(domain.dfs_region))


def domain_facts(domain: RegDomain) -> Dict[str, Any]:
    return {
        "country": domain.country,
        "dfs_region": _region_name(domain),
        "rules": [rule_facts(r) for r in domain.rules],
    }


def regulatory_facts(reg: Regulatory, phy_names: Optional[Dict[int, str]] = None) -> Dict[str, Any]:
    """The global domain's facts plus ``radios``: each radio's own domain, with its phy name
    (from ``phy_names``, index -> name) and whether it is self-managed."""
    names = phy_names or {}
    facts: Dict[str, Any] = (
        domain_facts(reg.domain)
        if reg.domain is not None
        else {"country": None, "dfs_region": None, "rules": []}
    )
    facts["cell_base_hint"] = reg.cell_base_hint
    facts["radios"] = []
    for radio in reg.radios:
        index = radio.wiphy if radio.wiphy is not None else -1
        entry = {"phy": names.get(index, "phy%d" % index), "index": index}
        entry["self_managed"] = radio.self_managed
        entry.update(domain_facts(radio))
        facts["radios"].append(entry)
    return facts


# --------------------------------------------------------------------------- wifi_regdomain

# The kernel's regulatory core takes a country from user space as a *hint*
# (NL80211_CMD_REQ_SET_REG) and applies it asynchronously, announcing the result with
# NL80211_CMD_REG_CHANGE. It ignores a hint equal to the domain in force (no event), holds back a
# hint while an earlier request is still being processed, intersects it with a country IE while
# a station is connected to an AP that sends one (alpha2 ``98``), and falls back to the world
# domain ``00`` for a country its regulatory database does not list. Radios whose driver manages
# their own domain (self-managed) are not changed by a hint at all. So `changed` is decided from
# the global domain GET_REG reports before and after, never from the request alone.

WORLD = "00"
SPECIAL = {
    "00": "the world domain",
    "98": "an intersection of two domains (the user's and an AP's country IE)",
    "99": "a driver's own custom domain",
}


def normalise_country(value: str) -> str:
    """'de' -> 'DE'; '00' stays; anything but two ASCII letters or 00 is refused."""
    text = value.strip().upper()
    if text == WORLD or (len(text) == 2 and text.isascii() and text.isalpha()):
        return text
    raise OptionError(
        "country: %r is not an ISO 3166-1 alpha-2 code (two letters) or 00 (world)" % value
    )


def view(regulatory: Regulatory, phy_names: Dict[int, str]) -> Dict[str, Any]:
    """What the module shows (and compares in a diff): the global domain and the radios with
    a domain of their own."""
    found = regulatory.domain
    return {
        "country": found.country if found else None,
        "dfs_region": _region_name(found) if found else None,
        "radios": [
            {
                "phy": phy_names.get(d.wiphy, "phy#%s" % d.wiphy),
                "country": d.country,
                "dfs_region": _region_name(d),
                "self_managed": d.self_managed,
            }
            for d in regulatory.radios
        ],
    }


def warnings(regulatory: Regulatory, phy_names: Dict[int, str], country: str) -> List[str]:
    """One sentence per self-managed radio whose domain the hint does not change."""
    return [
        "%s manages its own regulatory domain (%s, self-managed by its driver): setting the "
        "country to %s does not change it"
        % (phy_names.get(d.wiphy, "phy#%s" % d.wiphy), d.country, country)
        for d in regulatory.radios
        if d.self_managed and d.country != country
    ]


def not_applied(country: str, now: Optional[str]) -> str:
    """Why the domain is not ``country`` after the request, worded."""
    what = SPECIAL.get(now or "", "")
    return (
        "the kernel did not apply country %s: the global regulatory domain is %s%s. The "
        "regulatory core ignores a hint while an earlier regulatory request is still being "
        "processed, intersects it with the country IE of an AP a station is connected to, and "
        "falls back to the world domain 00 for a country its regulatory database "
        "(/lib/firmware/regulatory.db, package wireless-regdb) does not list"
        % (country, now or "unknown", " (%s)" % what if what else "")
    )
