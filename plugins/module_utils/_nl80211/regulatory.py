# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: pure planning for wifi_regdomain (the regulatory domain).

The kernel's regulatory core takes a country from user space as a *hint*
(NL80211_CMD_REQ_SET_REG) and applies it asynchronously, announcing the result with
NL80211_CMD_REG_CHANGE. It ignores a hint equal to the domain in force (no event), holds back a
hint while an earlier request is still being processed, intersects it with a country IE while
a station is connected to an AP that sends one (alpha2 ``98``), and falls back to the world
domain ``00`` for a country its regulatory database does not list. Radios whose driver manages
their own domain (self-managed) are not changed by a hint at all. So `changed` is decided from
the global domain GET_REG reports before and after, never from the request alone.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import RegDomain
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import OptionError

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


def global_domain(domains: Sequence[RegDomain]) -> Optional[RegDomain]:
    return next((d for d in domains if d.wiphy is None), None)


def self_managed(domains: Sequence[RegDomain]) -> List[RegDomain]:
    return [d for d in domains if d.wiphy is not None and d.self_managed]


def view(domains: Sequence[RegDomain], phy_names: Dict[int, str]) -> Dict[str, Any]:
    """What the module shows (and compares in a diff): the global domain and the radios with
    a domain of their own."""
    found = global_domain(domains)
    return {
        "country": found.alpha2 if found else None,
        "dfs_region": found.dfs_region if found else None,
        "radios": [
            {
                "phy": phy_names.get(d.wiphy, "phy#%d" % d.wiphy),
                "country": d.alpha2,
                "dfs_region": d.dfs_region,
                "self_managed": d.self_managed,
            }
            for d in domains
            if d.wiphy is not None
        ],
    }


def warnings(domains: Sequence[RegDomain], phy_names: Dict[int, str], country: str) -> List[str]:
    """One sentence per self-managed radio whose domain the hint does not change."""
    return [
        "%s manages its own regulatory domain (%s, self-managed by its driver): setting the "
        "country to %s does not change it"
        % (phy_names.get(d.wiphy, "phy#%s" % d.wiphy), d.alpha2, country)
        for d in self_managed(domains)
        if d.alpha2 != country
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
