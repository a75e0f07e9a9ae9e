# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: decode 802.11 information elements and BSS fields into facts.

Input is what nl80211 hands over for a BSS: the raw element bytes of
NL80211_BSS_INFORMATION_ELEMENTS / NL80211_BSS_BEACON_IES and the u16 NL80211_BSS_CAPABILITY.
Nothing here does I/O, and nothing here raises on malformed element bytes: a decoder that runs
out of data keeps what it read and says why in an ``error`` string.

Sources: IEEE Std 802.11-2020 (9.4.1.4 Capability Information, 9.4.2 elements, Table 9-92
element IDs, Table 9-149 cipher suites, Table 9-151 AKM suites, Figure 9-344 RSN capabilities),
IEEE Std 802.11ax-2021 (9.4.2.249 HE Operation); element names follow the kernel's
include/linux/ieee80211.h (``enum ieee80211_eid``, ``WLAN_CAPABILITY_*``). The WPA (v1)
element is the Wi-Fi Alliance vendor element 00-50-F2 type 1.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any, Callable, Dict, List, Optional, Tuple

# enum ieee80211_eid (include/linux/ieee80211.h) - only those decoded here
WLAN_EID_SSID = 0
WLAN_EID_SUPP_RATES = 1
WLAN_EID_DS_PARAMS = 3
WLAN_EID_TIM = 5
WLAN_EID_COUNTRY = 7
WLAN_EID_QBSS_LOAD = 11  # BSS Load
WLAN_EID_ERP_INFO = 42
WLAN_EID_HT_CAPABILITY = 45
WLAN_EID_RSN = 48
WLAN_EID_EXT_SUPP_RATES = 50
WLAN_EID_MOBILITY_DOMAIN = 54
WLAN_EID_HT_OPERATION = 61
WLAN_EID_MESH_CONFIG = 113
WLAN_EID_MESH_ID = 114
WLAN_EID_EXT_CAPABILITY = 127
WLAN_EID_VHT_CAPABILITY = 191
WLAN_EID_VHT_OPERATION = 192
WLAN_EID_VENDOR_SPECIFIC = 221
WLAN_EID_RSNX = 244  # RSN Extension
WLAN_EID_EXTENSION = 255  # Element ID Extension: the first body octet is the extension ID
# enum ieee80211_eid_ext
WLAN_EID_EXT_HE_OPERATION = 36

Element = namedtuple("Element", "id ext_id body")
Element.__doc__ = "One element: ID, extension ID (Element ID 255 only, else None), body bytes."

OUI_IEEE = b"\x00\x0f\xac"  # IEEE 802.11 suite selectors
OUI_MICROSOFT = b"\x00\x50\xf2"  # WPA, WMM, WPS vendor elements
OUI_WFA = b"\x50\x6f\x9a"  # Wi-Fi Alliance


def _selectors(oui: bytes, names: Dict[int, str]) -> Dict[bytes, str]:
    return {oui + bytes([suite_type]): name for suite_type, name in names.items()}


# Table 9-149 Cipher suite selectors
RSN_CIPHERS = _selectors(OUI_IEEE, {
    0: "USE-GROUP", 1: "WEP-40", 2: "TKIP", 4: "CCMP-128", 5: "WEP-104", 6: "BIP-CMAC-128",
    7: "NO-GROUP-ADDRESSED", 8: "GCMP-128", 9: "GCMP-256", 10: "CCMP-256", 11: "BIP-GMAC-128",
    12: "BIP-GMAC-256", 13: "BIP-CMAC-256",
})  # fmt: skip
# Table 9-151 AKM suite selectors (21 PASN and 24/25 SAE-EXT-KEY from 802.11az/-2024,
# as hostapd's src/common/wpa_common.h spells them), plus Wi-Fi Alliance and Cisco AKMs.
RSN_AKMS = _selectors(OUI_IEEE, {
    1: "802.1X", 2: "PSK", 3: "FT-802.1X", 4: "FT-PSK", 5: "802.1X-SHA256", 6: "PSK-SHA256",
    7: "TDLS", 8: "SAE", 9: "FT-SAE", 10: "AP-PEERKEY", 11: "802.1X-SUITE-B",
    12: "802.1X-SUITE-B-192", 13: "FT-802.1X-SHA384", 14: "FILS-SHA256", 15: "FILS-SHA384",
    16: "FT-FILS-SHA256", 17: "FT-FILS-SHA384", 18: "OWE", 19: "FT-PSK-SHA384",
    20: "PSK-SHA384", 21: "PASN", 24: "SAE-EXT-KEY", 25: "FT-SAE-EXT-KEY",
})  # fmt: skip
RSN_AKMS.update(_selectors(OUI_WFA, {1: "OSEN", 2: "DPP"}))
RSN_AKMS.update(_selectors(b"\x00\x40\x96", {0: "CCKM"}))
# WPA (v1): the same shape as RSN, with 00-50-F2 selectors
WPA_CIPHERS = _selectors(OUI_MICROSOFT, {
    0: "USE-GROUP", 1: "WEP-40", 2: "TKIP", 4: "CCMP-128", 5: "WEP-104",
})  # fmt: skip
WPA_AKMS = _selectors(OUI_MICROSOFT, {1: "802.1X", 2: "PSK"})

# Capability Information field, 9.4.1.4 (names of include/linux/ieee80211.h WLAN_CAPABILITY_*).
# DMG (60 GHz) BSSs lay this field out differently; it is decoded as non-DMG.
CAPABILITY_BITS = (
    "ess", "ibss", "cf_pollable", "cf_poll_request", "privacy", "short_preamble", "pbcc",
    "channel_agility", "spectrum_mgmt", "qos", "short_slot_time", "apsd", "radio_measure",
    "dsss_ofdm", "del_back", "imm_back",
)  # fmt: skip

# Flag tables: (name, bit number)
RSN_CAPABILITY_FLAGS = (
    ("preauth", 0), ("no_pairwise", 1), ("mfp_required", 6), ("mfp_capable", 7),
    ("joint_multiband", 8), ("peerkey", 9), ("spp_amsdu_capable", 10),
    ("spp_amsdu_required", 11), ("pbac", 12), ("extended_key_id", 13), ("ocvc", 14),
)  # fmt: skip
HT_CAPABILITY_FLAGS = (
    ("ldpc", 0), ("channel_width_40", 1), ("greenfield", 4), ("sgi_20", 5), ("sgi_40", 6),
    ("tx_stbc", 7), ("dsss_cck_40", 12), ("intolerant_40", 14), ("lsig_txop_protection", 15),
)  # fmt: skip
VHT_CAPABILITY_FLAGS = (
    ("rx_ldpc", 4), ("sgi_80", 5), ("sgi_160", 6), ("tx_stbc", 7), ("su_beamformer", 11),
    ("su_beamformee", 12), ("mu_beamformer", 19), ("mu_beamformee", 20),
)  # fmt: skip
ERP_FLAGS = (("non_erp_present", 0), ("use_protection", 1), ("barker_preamble_mode", 2))
MESH_CAPABILITY_FLAGS = (
    ("accepting_peerings", 0), ("mcca_supported", 1), ("mcca_enabled", 2), ("forwarding", 3),
    ("mbca_enabled", 4), ("tbtt_adjusting", 5), ("power_save_level", 6),
)  # fmt: skip
RSNX_FLAGS = (("protected_twt", 4), ("sae_h2e", 5), ("sae_pk", 6))
# Table 9-153 Extended Capabilities field; multi-bit fields (41-43, 63-64) are left out.
EXTENDED_CAPABILITY_BITS = {
    0: "20_40_bss_coexistence", 2: "extended_channel_switching", 4: "psmp", 6: "s_psmp",
    7: "event", 8: "diagnostics", 9: "multicast_diagnostics", 10: "location_tracking",
    11: "fms", 12: "proxy_arp", 13: "collocated_interference_reporting", 14: "civic_location",
    15: "geospatial_location", 16: "tfs", 17: "wnm_sleep_mode", 18: "tim_broadcast",
    19: "bss_transition", 20: "qos_traffic_capability", 21: "ac_station_count",
    22: "multiple_bssid", 23: "timing_measurement", 24: "channel_usage", 25: "ssid_list",
    26: "dms", 27: "utc_tsf_offset", 28: "tdls_peer_uapsd_buffer_sta", 29: "tdls_peer_psm",
    30: "tdls_channel_switching", 31: "interworking", 32: "qos_map", 33: "ebr",
    34: "sspn_interface", 36: "msgcf", 37: "tdls_support", 38: "tdls_prohibited",
    39: "tdls_channel_switching_prohibited", 40: "reject_unadmitted_frame",
    44: "identifier_location", 45: "uapsd_coexistence", 46: "wnm_notification", 48: "utf8_ssid",
    62: "operating_mode_notification", 70: "ftm_responder", 71: "ftm_initiator", 72: "fils",
    77: "twt_requester", 78: "twt_responder", 81: "sae_password_identifiers_in_use",
    82: "sae_passwords_used_exclusively", 84: "beacon_protection",
}  # fmt: skip
_EXTENDED_CAPABILITY_FIELDS = frozenset((41, 42, 43, 63, 64))
# Table 9-78 BSS membership selectors (in Supported Rates with the basic bit set)
BSS_MEMBERSHIP_SELECTORS = {
    127: "HT", 126: "VHT", 125: "GLK", 124: "EPD", 123: "SAE-H2E", 122: "HE",
}  # fmt: skip
COUNTRY_ENVIRONMENTS = {0x20: "any", 0x4F: "outdoor", 0x49: "indoor", 0x58: "noncountry"}
HT_SECONDARY_OFFSETS = ("none", "above", "reserved", "below")
HT_PROTECTION = ("none", "nonmember", "20MHz", "non-HT-mixed")
HT_SM_POWER_SAVE = ("static", "dynamic", "reserved", "disabled")
VHT_CHANNEL_WIDTHS = ("20/40", "80/160/80+80", "160", "80+80")  # 0..3, 2 and 3 deprecated
HE_6GHZ_CHANNEL_WIDTHS = ("20", "40", "80", "160/80+80")
MESH_PATH_PROTOCOLS = {1: "HWMP", 255: "vendor"}
MESH_PATH_METRICS = {1: "airtime", 255: "vendor"}
MESH_CONGESTION_CONTROL = {0: "none", 1: "signaling", 255: "vendor"}
MESH_SYNCHRONIZATION = {1: "neighbor-offset", 255: "vendor"}
MESH_AUTHENTICATION = {0: "none", 1: "SAE", 2: "802.1X", 255: "vendor"}


class _Short(Exception):
    """A decoder needed more octets than the element holds."""


class _Reader:
    """Reads little-endian fields off an element body; _Short names the field that did not fit."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def left(self) -> int:
        return len(self.data) - self.pos

    def take(self, size: int, what: str) -> bytes:
        if size > self.left():
            raise _Short(
                "%s: needs %d octet(s) at offset %d, %d left" % (what, size, self.pos, self.left())
            )
        self.pos += size
        return self.data[self.pos - size : self.pos]

    def uint(self, size: int, what: str) -> int:
        return int.from_bytes(self.take(size, what), "little")

    def u8(self, what: str) -> int:
        return self.uint(1, what)

    def u16(self, what: str) -> int:
        return self.uint(2, what)

    def rest(self) -> bytes:
        return self.take(self.left(), "rest")


# --- element walking -----------------------------------------------------------------------


def _walk(data: bytes) -> Tuple[List[Element], Optional[Dict[str, Any]]]:
    """Split into elements; the second value describes a last element cut short (or None)."""
    data = bytes(data or b"")
    elements: List[Element] = []
    pos = 0
    while pos < len(data):
        eid = data[pos]
        length = data[pos + 1] if pos + 1 < len(data) else None
        body = data[pos + 2 : pos + 2 + (length or 0)]
        if length is None or len(body) < length:
            return elements, {"offset": pos, "id": eid, "length": length, "available": len(body)}
        ext_id = None
        if eid == WLAN_EID_EXTENSION and body:
            ext_id, body = body[0], body[1:]
        elements.append(Element(eid, ext_id, body))
        pos += 2 + length
    return elements, None


def parse_ies(data: bytes) -> List[Element]:
    """Elements of ``data`` in order as (id, ext_id, body); a truncated last one is dropped.

    Never raises on any bytes (``bytes``, ``bytearray``, ``memoryview`` or None); a length
    running past the end or a lone trailing octet ends the walk. ``decode_ies`` reports it.
    """
    return _walk(data)[0]


# --- small helpers -------------------------------------------------------------------------


def _flags(value: int, table: Tuple[Tuple[str, int], ...]) -> Dict[str, bool]:
    return {name: bool(value >> bit & 1) for name, bit in table}


def _utf8(raw: bytes) -> Optional[str]:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _oui(raw: bytes) -> str:
    return "-".join("%02x" % octet for octet in raw)


def _suite(raw: bytes, table: Dict[bytes, str]) -> str:
    return table.get(raw) or "%s:%d" % (_oui(raw[:3]), raw[3])


def cipher_suite_name(selector: int) -> str:
    """A cipher suite selector as a u32 (NL80211_ATTR_CIPHER_SUITES: OUI << 8 | type), named as
    in RSN elements ("CCMP-128"), or "00-0f-ac:14" when unknown."""
    return _suite(selector.to_bytes(4, "big"), RSN_CIPHERS)


def _name(table: Dict[int, str], value: int) -> str:
    return table.get(value, "unknown(%d)" % value)


def _run(decoder: Callable[[_Reader, Dict[str, Any]], None], body: bytes) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    try:
        decoder(_Reader(body), out)
    except _Short as exc:
        out["error"] = str(exc)
    return out


# --- element decoders: (reader, output dict) -> None; partial output survives _Short --------


def _text_id(raw: bytes, key: str) -> Dict[str, Any]:
    """An SSID or Mesh ID: str if UTF-8 (else None; "" when empty or all NUL), and its hex."""
    return {key: _utf8(raw) if raw.strip(b"\0") else "", key + "_hex": raw.hex()}


def _ssid(r: _Reader, out: Dict[str, Any]) -> None:
    raw = r.rest()
    out.update(_text_id(raw, "ssid"))
    out["hidden"] = not raw.strip(b"\0")


def _mesh_id(r: _Reader, out: Dict[str, Any]) -> None:
    out.update(_text_id(r.rest(), "mesh_id"))


def _rates(r: _Reader, out: Dict[str, Any]) -> None:
    rates = out.setdefault("supported_rates", [])
    selectors = out.setdefault("bss_membership_selectors", [])
    for octet in r.rest():
        value, basic = octet & 0x7F, bool(octet & 0x80)
        if basic and value in BSS_MEMBERSHIP_SELECTORS:
            selectors.append(BSS_MEMBERSHIP_SELECTORS[value])
            continue
        mbps = "%d.5" % (value // 2) if value % 2 else "%d" % (value // 2)
        rates.append({"mbps": mbps, "kbps": value * 500, "basic": basic})


def _ds(r: _Reader, out: Dict[str, Any]) -> None:
    out["ds_channel"] = r.u8("DS Parameter Set: current channel")


def _tim(r: _Reader, out: Dict[str, Any]) -> None:
    out["dtim_count"] = r.u8("DTIM count")
    out["dtim_period"] = r.u8("DTIM period")
    out["multicast_buffered"] = bool(r.u8("bitmap control") & 1)


def _country(r: _Reader, out: Dict[str, Any]) -> None:
    out["code"] = r.take(2, "country string").decode("latin-1")
    env = r.u8("country string environment")
    out["environment"] = COUNTRY_ENVIRONMENTS.get(env, "table-%d" % env)
    triplets = out["triplets"] = []
    while r.left() >= 3:
        first, second, third = r.take(3, "triplet")
        if first >= 201:  # Operating Extension Identifier
            triplets.append(
                {"extension_id": first, "operating_class": second, "coverage_class": third}
            )
        else:
            triplets.append(
                {
                    "first_channel": first,
                    "num_channels": second,
                    "max_tx_power_dbm": third - 256 if third > 127 else third,
                }
            )
    if r.left() and r.rest() != b"\0":  # a single zero pad octet is allowed
        out["error"] = "trailing octets after the last triplet"


def _bss_load(r: _Reader, out: Dict[str, Any]) -> None:
    out["station_count"] = r.u16("station count")
    util = out["channel_utilization"] = r.u8("channel utilization")
    out["channel_utilization_percent"] = (util * 100 + 127) // 255
    out["available_admission_capacity"] = r.u16("available admission capacity")


def _erp(r: _Reader, out: Dict[str, Any]) -> None:
    out.update(_flags(r.u8("ERP parameters"), ERP_FLAGS))


def _suite_list(
    r: _Reader, out: Dict[str, Any], key: str, what: str, table: Dict[bytes, str]
) -> None:
    count = r.u16(what + " count")
    suites = out[key] = []
    for index in range(count):
        suites.append(_suite(r.take(4, "%s %d" % (what, index)), table))


def _rsn_capabilities(value: int) -> Dict[str, Any]:
    caps: Dict[str, Any] = {"raw": value}
    caps.update(_flags(value, RSN_CAPABILITY_FLAGS))
    caps["ptksa_replay_counters"] = (1, 2, 4, 16)[value >> 2 & 3]
    caps["gtksa_replay_counters"] = (1, 2, 4, 16)[value >> 4 & 3]
    return caps


def _security(
    r: _Reader, out: Dict[str, Any], ciphers: Dict[bytes, str], akms: Dict[bytes, str], rsn: bool
) -> None:
    """RSNE (9.4.2.24) and the WPA element: every field after Version is optional."""
    out["version"] = r.u16("version")
    if r.left():
        out["group_cipher"] = _suite(r.take(4, "group data cipher suite"), ciphers)
    if r.left():
        _suite_list(r, out, "pairwise_ciphers", "pairwise cipher suite", ciphers)
    if r.left():
        _suite_list(r, out, "akm_suites", "AKM suite", akms)
    if r.left():
        out["capabilities"] = _rsn_capabilities(r.u16("RSN capabilities"))
    if rsn and r.left():
        count = r.u16("PMKID count")
        r.take(16 * count, "PMKID list")
        out["pmkid_count"] = count
    if rsn and r.left():
        out["group_mgmt_cipher"] = _suite(r.take(4, "group management cipher suite"), ciphers)


def _rsn(r: _Reader, out: Dict[str, Any]) -> None:
    _security(r, out, RSN_CIPHERS, RSN_AKMS, rsn=True)


def _wpa(r: _Reader, out: Dict[str, Any]) -> None:
    _security(r, out, WPA_CIPHERS, WPA_AKMS, rsn=False)


def _rsnx(r: _Reader, out: Dict[str, Any]) -> None:
    raw = r.take(1, "extended RSN capabilities") + r.rest()
    value = int.from_bytes(raw, "little")
    out["raw"] = raw.hex()
    out.update(_flags(value, RSNX_FLAGS))


def _mobility_domain(r: _Reader, out: Dict[str, Any]) -> None:
    out["mdid"] = r.u16("mobility domain identifier")
    policy = r.u8("FT capability and policy")
    out["ft_over_ds"] = bool(policy & 1)
    out["resource_request"] = bool(policy & 2)


def _ht_capabilities(r: _Reader, out: Dict[str, Any]) -> None:
    info = out["raw"] = r.u16("HT capability information")
    out.update(_flags(info, HT_CAPABILITY_FLAGS))
    out["sm_power_save"] = HT_SM_POWER_SAVE[info >> 2 & 3]
    out["rx_stbc_streams"] = info >> 8 & 3
    out["max_amsdu_length"] = 7935 if info & (1 << 11) else 3839
    ampdu = r.u8("A-MPDU parameters")
    out["max_ampdu_length"] = (1 << (13 + (ampdu & 3))) - 1
    rx_mcs = r.take(16, "supported MCS set")[:4]
    out["rx_spatial_streams"] = max([i + 1 for i, octet in enumerate(rx_mcs) if octet] or [0])


def _ht_operation(r: _Reader, out: Dict[str, Any]) -> None:
    out["primary_channel"] = r.u8("primary channel")
    info = r.uint(5, "HT operation information")
    out["secondary_channel_offset"] = HT_SECONDARY_OFFSETS[info & 3]
    out["sta_channel_width"] = "any" if info & 4 else "20"
    out["rifs"] = bool(info & 8)
    out["ht_protection"] = HT_PROTECTION[info >> 8 & 3]
    out["non_greenfield_present"] = bool(info >> 10 & 1)
    out["obss_non_ht_present"] = bool(info >> 12 & 1)
    out["channel_center_freq_segment2"] = info >> 13 & 0xFF


def _vht_capabilities(r: _Reader, out: Dict[str, Any]) -> None:
    info = out["raw"] = r.uint(4, "VHT capabilities information")
    out["max_mpdu_length"] = (3895, 7991, 11454, None)[info & 3]
    out["supported_channel_width_set"] = info >> 2 & 3
    out.update(_flags(info, VHT_CAPABILITY_FLAGS))


def _vht_bandwidth(width: int, seg0: int, seg1: int) -> str:
    """The operating bandwidth VHT Operation signals (802.11-2020 Table 9-274)."""
    if width == 1:
        if not seg1:
            return "80"
        return "160" if abs(seg1 - seg0) == 8 else ("80+80" if abs(seg1 - seg0) > 16 else "80")
    return VHT_CHANNEL_WIDTHS[width] if width < 4 else "unknown(%d)" % width


def _vht_operation_fields(r: _Reader, out: Dict[str, Any]) -> None:
    width = out["channel_width"] = r.u8("channel width")
    seg0 = out["center_freq_segment0"] = r.u8("channel center frequency segment 0")
    seg1 = out["center_freq_segment1"] = r.u8("channel center frequency segment 1")
    out["bandwidth"] = _vht_bandwidth(width, seg0, seg1)


def _vht_operation(r: _Reader, out: Dict[str, Any]) -> None:
    _vht_operation_fields(r, out)
    out["basic_mcs_nss"] = r.u16("basic VHT-MCS and NSS set")


def _he_operation(r: _Reader, out: Dict[str, Any]) -> None:
    params = r.uint(3, "HE operation parameters")
    out["default_pe_duration"] = params & 7
    out["twt_required"] = bool(params >> 3 & 1)
    out["txop_duration_rts_threshold"] = params >> 4 & 0x3FF
    out["er_su_disable"] = bool(params >> 16 & 1)
    color = r.u8("BSS color information")
    out["bss_color"] = color & 0x3F
    out["partial_bss_color"] = bool(color & 0x40)
    out["bss_color_disabled"] = bool(color & 0x80)
    out["basic_mcs_nss"] = r.u16("basic HE-MCS and NSS set")
    if params >> 14 & 1:  # VHT Operation Information Present
        _vht_operation_fields(r, out.setdefault("vht_operation", {}))
    if params >> 15 & 1:  # Co-Hosted BSS
        out["max_cohosted_bssid_indicator"] = r.u8("max co-hosted BSSID indicator")
    if params >> 17 & 1:  # 6 GHz Operation Information Present
        six = out["operation_6ghz"] = {}
        six["primary_channel"] = r.u8("6 GHz primary channel")
        control = r.u8("6 GHz control")
        six["channel_width"] = HE_6GHZ_CHANNEL_WIDTHS[control & 3]
        six["duplicate_beacon"] = bool(control & 4)
        six["regulatory_info"] = control >> 3 & 7
        six["center_freq_segment0"] = r.u8("6 GHz channel center frequency segment 0")
        six["center_freq_segment1"] = r.u8("6 GHz channel center frequency segment 1")
        six["minimum_rate"] = r.u8("6 GHz minimum rate")


def _mesh_config(r: _Reader, out: Dict[str, Any]) -> None:
    out["path_selection_protocol"] = _name(MESH_PATH_PROTOCOLS, r.u8("path selection protocol"))
    out["path_selection_metric"] = _name(MESH_PATH_METRICS, r.u8("path selection metric"))
    out["congestion_control"] = _name(MESH_CONGESTION_CONTROL, r.u8("congestion control"))
    out["synchronization"] = _name(MESH_SYNCHRONIZATION, r.u8("synchronization method"))
    out["authentication"] = _name(MESH_AUTHENTICATION, r.u8("authentication protocol"))
    formation = r.u8("mesh formation info")
    out["connected_to_gate"] = bool(formation & 1)
    out["peerings"] = formation >> 1 & 0x3F
    out["connected_to_as"] = bool(formation & 0x80)
    out.update(_flags(r.u8("mesh capability"), MESH_CAPABILITY_FLAGS))


def _extended_capabilities(r: _Reader, out: Dict[str, Any]) -> None:
    raw = r.rest()
    value = int.from_bytes(raw, "little")
    out["hex"] = raw.hex()
    out["flags"] = [
        EXTENDED_CAPABILITY_BITS.get(bit, "bit_%d" % bit)
        for bit in range(8 * len(raw))
        if value >> bit & 1 and bit not in _EXTENDED_CAPABILITY_FIELDS
    ]


def _owe_transition(r: _Reader, out: Dict[str, Any]) -> None:
    out["bssid"] = ":".join("%02x" % octet for octet in r.take(6, "BSSID"))
    out.update(_text_id(r.take(r.u8("SSID length"), "SSID"), "ssid"))
    if r.left():
        out["operating_class"] = r.u8("operating class")
        out["channel"] = r.u8("channel")


def _flag_only(key: str) -> Callable[[_Reader, Dict[str, Any]], None]:
    def decode(r: _Reader, out: Dict[str, Any]) -> None:
        out[key] = True

    return decode


# (OUI, vendor type) -> (key in the output or None for top level, decoder)
VENDOR_DECODERS = {
    (OUI_MICROSOFT, 1): ("wpa", _wpa),
    (OUI_MICROSOFT, 2): (None, _flag_only("wmm")),
    (OUI_MICROSOFT, 4): (None, _flag_only("wps")),
    (OUI_WFA, 0x1C): ("owe_transition", _owe_transition),
}


def _vendor(r: _Reader, out: Dict[str, Any]) -> None:
    oui = r.take(3, "vendor specific: OUI")
    vtype = r.u8("vendor type") if r.left() else None
    out["vendor"].append({"oui": _oui(oui), "type": vtype})
    key, decoder = VENDOR_DECODERS.get((oui, vtype), (None, None))
    if decoder is None or key in out:
        return
    if key is None:
        decoder(r, out)
    else:
        out[key] = _run(decoder, r.rest())


# (element ID, extension ID) -> (key in the output or None for top level, decoder)
ELEMENT_DECODERS = {
    (WLAN_EID_SSID, None): (None, _ssid),
    (WLAN_EID_SUPP_RATES, None): (None, _rates),
    (WLAN_EID_EXT_SUPP_RATES, None): (None, _rates),
    (WLAN_EID_DS_PARAMS, None): (None, _ds),
    (WLAN_EID_TIM, None): ("tim", _tim),
    (WLAN_EID_COUNTRY, None): ("country", _country),
    (WLAN_EID_QBSS_LOAD, None): ("bss_load", _bss_load),
    (WLAN_EID_ERP_INFO, None): ("erp", _erp),
    (WLAN_EID_HT_CAPABILITY, None): ("ht_capabilities", _ht_capabilities),
    (WLAN_EID_RSN, None): ("rsn", _rsn),
    (WLAN_EID_MOBILITY_DOMAIN, None): ("mobility_domain", _mobility_domain),
    (WLAN_EID_HT_OPERATION, None): ("ht_operation", _ht_operation),
    (WLAN_EID_MESH_CONFIG, None): ("mesh_config", _mesh_config),
    (WLAN_EID_MESH_ID, None): (None, _mesh_id),
    (WLAN_EID_EXT_CAPABILITY, None): ("extended_capabilities", _extended_capabilities),
    (WLAN_EID_VHT_CAPABILITY, None): ("vht_capabilities", _vht_capabilities),
    (WLAN_EID_VHT_OPERATION, None): ("vht_operation", _vht_operation),
    (WLAN_EID_RSNX, None): ("rsnx", _rsnx),
    (WLAN_EID_EXTENSION, WLAN_EID_EXT_HE_OPERATION): ("he_operation", _he_operation),
    (WLAN_EID_VENDOR_SPECIFIC, None): (None, _vendor),
}
_REPEATABLE = frozenset([(WLAN_EID_VENDOR_SPECIFIC, None)])


def decode_ies(data: bytes) -> Dict[str, Any]:
    """Facts from raw element bytes: a JSON-ready dict of str/int/bool/list/dict/None.

    Always present: ``ssid`` (None when absent or not UTF-8), ``ssid_hex``, ``hidden``,
    ``wps``, ``wmm``, ``vendor``, ``unknown``, ``unknown_ext``, ``errors``, ``truncated``.
    The other keys appear when their element does; a repeated element counts once (the first),
    except vendor elements. Never raises on any bytes.
    """
    elements, truncated = _walk(data)
    out: Dict[str, Any] = {
        "ssid": None, "ssid_hex": None, "hidden": None, "wps": False, "wmm": False,
        "vendor": [], "unknown": [], "unknown_ext": [], "errors": [], "truncated": truncated,
    }  # fmt: skip
    seen = set()
    for element in elements:
        where = (element.id, element.ext_id)
        if where not in ELEMENT_DECODERS:
            unknown, ident = (
                ("unknown_ext", element.ext_id)
                if element.ext_id is not None
                else ("unknown", element.id)
            )
            if ident not in out[unknown]:
                out[unknown].append(ident)
            continue
        if where in seen and where not in _REPEATABLE:
            continue
        seen.add(where)
        key, decoder = ELEMENT_DECODERS[where]
        if key is not None:
            out[key] = _run(decoder, element.body)
            continue
        try:
            decoder(_Reader(element.body), out)
        except _Short as exc:
            out["errors"].append("element %d: %s" % (element.id, exc))
    return out


def decode_capability(capability: int) -> Dict[str, bool]:
    """The 16-bit Capability Information field (NL80211_BSS_CAPABILITY) as name -> bool."""
    return {name: bool(capability >> bit & 1) for bit, name in enumerate(CAPABILITY_BITS)}


# AKM name -> label; labels are listed in this order, unlisted labels after them.
_RSN_LABELS = {
    "PSK": "WPA2-PSK", "FT-PSK": "WPA2-PSK", "PSK-SHA256": "WPA2-PSK",
    "PSK-SHA384": "WPA2-PSK", "FT-PSK-SHA384": "WPA2-PSK",
    "802.1X": "WPA2-EAP", "FT-802.1X": "WPA2-EAP", "802.1X-SHA256": "WPA2-EAP",
    "802.1X-SUITE-B": "WPA2-EAP-SUITE-B",
    "SAE": "WPA3-SAE", "FT-SAE": "WPA3-SAE", "SAE-EXT-KEY": "WPA3-SAE",
    "FT-SAE-EXT-KEY": "WPA3-SAE",
    "802.1X-SUITE-B-192": "WPA3-EAP-SUITE-B-192", "FT-802.1X-SHA384": "WPA3-EAP-SUITE-B-192",
    "OWE": "OWE", "FILS-SHA256": "FILS", "FILS-SHA384": "FILS", "FT-FILS-SHA256": "FILS",
    "FT-FILS-SHA384": "FILS", "DPP": "DPP", "OSEN": "OSEN",
}  # fmt: skip
_WPA_LABELS = {"PSK": "WPA-PSK", "802.1X": "WPA-EAP"}
_LABEL_ORDER = (
    "WEP", "WPA-PSK", "WPA-EAP", "WPA2-PSK", "WPA2-EAP", "WPA2-EAP-SUITE-B", "WPA3-SAE",
    "WPA3-EAP", "WPA3-EAP-SUITE-B-192", "OWE", "FILS", "DPP", "OSEN",
)  # fmt: skip


def _rsn_labels(rsn: Dict[str, Any]) -> List[str]:
    if "akm_suites" not in rsn:  # absent AKM list: 802.1X (9.4.2.24.1), unless cut short
        return ["RSN-unknown"] if "error" in rsn else ["WPA2-EAP"]
    mfp_required = rsn.get("capabilities", {}).get("mfp_required", False)
    labels = []
    for akm in rsn["akm_suites"]:
        label = _RSN_LABELS.get(akm, "RSN-" + akm)
        if akm == "802.1X-SHA256" and mfp_required:  # WPA3-Enterprise (only) mode
            label = "WPA3-EAP"
        labels.append(label)
    return labels


def security_summary(decoded: Dict[str, Any], capability: int) -> List[str]:
    """Security of a BSS as labels: ["WPA2-PSK", "WPA3-SAE"], ["OWE"], ["WEP"], ["open"] ...

    ``decoded`` is a ``decode_ies`` result, ``capability`` the NL80211_BSS_CAPABILITY value.
    """
    labels: List[str] = []
    if isinstance(decoded.get("rsn"), dict):
        labels += _rsn_labels(decoded["rsn"])
    if isinstance(decoded.get("wpa"), dict):
        akms = decoded["wpa"].get("akm_suites", ["802.1X"])
        labels += [_WPA_LABELS.get(akm, "WPA-" + akm) for akm in akms]
    if not labels:
        labels = ["WEP"] if capability & (1 << CAPABILITY_BITS.index("privacy")) else ["open"]
    unique = list(dict.fromkeys(labels))
    rank = {label: index for index, label in enumerate(_LABEL_ORDER)}
    return sorted(unique, key=lambda label: (rank.get(label, len(rank)), unique.index(label)))
