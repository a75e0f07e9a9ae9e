# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the nl80211 generic netlink protocol, as constants and tables.

Source: /usr/include/linux/nl80211.h (Linux 6.1 UAPI headers, Debian 12 linux-libc-dev
6.1.187-1), names and values exactly as there; the header's comment is quoted where it says
more than the name. Only what the wifi modules use is listed; the decoder skips the rest.

nl80211 nests some lists in a way the generic ``ARRAY`` codec does not cover: the attribute
type of each element carries the value (``NL80211_ATTR_SUPPORTED_IFTYPES``: one flag attribute
per interface type; ``NL80211_ATTR_MNTR_FLAGS``: one flag per monitor flag), the element is a
bare value (``NL80211_ATTR_SCAN_FREQUENCIES``: u32s; ``NL80211_ATTR_SCAN_SSIDS``: raw SSIDs), or
the element type is a key (``NL80211_ATTR_WIPHY_BANDS``: one nest per ``enum nl80211_band``).
The small codecs below cover these shapes; everything else is the stack's codec.
"""

from __future__ import annotations

import struct
from typing import Any, Dict, Iterable, List

from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._netlink.codec import Attr, AttrSet
from ansible_collections.linux.netlink.plugins.module_utils._netlink.uapi import NLA_F_NESTED

NL80211_GENL_NAME = "nl80211"
NL80211_MULTICAST_GROUP_CONFIG = "config"
NL80211_MULTICAST_GROUP_SCAN = "scan"
NL80211_MULTICAST_GROUP_REG = "regulatory"
NL80211_MULTICAST_GROUP_MLME = "mlme"

# The genlmsghdr version iw and wpa_supplicant send; nl80211 ignores it.
NL80211_GENL_VERSION = 0

# include/linux/ieee80211.h (not UAPI; the kernel's limits, checked by nl80211's policy)
IEEE80211_MAX_SSID_LEN = 32
IEEE80211_MAX_MESH_ID_LEN = 32

# enum nl80211_commands (the ones used here)
NL80211_CMD_GET_WIPHY = 1  # request information about a wiphy or dump request
NL80211_CMD_SET_WIPHY = 2
NL80211_CMD_NEW_WIPHY = 3  # wiphy info, reply to GET_WIPHY or notification
NL80211_CMD_DEL_WIPHY = 4
NL80211_CMD_GET_INTERFACE = 5  # request an interface's configuration; or dump all
NL80211_CMD_SET_INTERFACE = 6  # set type of a virtual interface
NL80211_CMD_NEW_INTERFACE = 7  # newly created virtual interface or response to GET
NL80211_CMD_DEL_INTERFACE = 8  # virtual interface was deleted, or delete request
NL80211_CMD_GET_STATION = 17  # get station attributes for station identified by NL80211_ATTR_MAC
# on the interface identified by NL80211_ATTR_IFINDEX (or dump them all)
NL80211_CMD_NEW_STATION = 19  # the reply to GET_STATION (and a new-station event)
NL80211_CMD_REQ_SET_REG = 27  # ask the wireless core to set the regulatory domain to the
# specified ISO/IEC 3166-1 alpha2 country code
NL80211_CMD_GET_REG = 31  # ask the wireless core to send us its currently set regulatory
# domain; as a dump, also the regulatory domain of each radio that has its own
NL80211_CMD_GET_SCAN = 32  # get scan results
NL80211_CMD_TRIGGER_SCAN = 33  # trigger a new scan with the given parameters
NL80211_CMD_NEW_SCAN_RESULTS = 34  # scan notification (as a reply to GET_SCAN and on the
# "scan" multicast group)
NL80211_CMD_SCAN_ABORTED = 35  # scan was aborted, for unspecified reasons
NL80211_CMD_REG_CHANGE = 36  # the regulatory domain has been changed (on the "regulatory"
# multicast group)
NL80211_CMD_JOIN_IBSS = 43  # join a new IBSS (SSID and frequency at least); also the
# notification when the IBSS is joined
NL80211_CMD_LEAVE_IBSS = 44  # leave the IBSS
NL80211_CMD_CONNECT = 46  # connection request and notification (its result, with
# NL80211_ATTR_STATUS_CODE)
NL80211_CMD_DISCONNECT = 48  # drop a given connection; also the notification of a
# disconnection
NL80211_CMD_SET_WIPHY_NETNS = 49  # set a wiphy's netns; all its devices follow
NL80211_CMD_GET_SURVEY = 50  # get survey results, e.g. channel occupation or noise level
NL80211_CMD_NEW_SURVEY_RESULTS = 51  # survey data notification (as a reply to GET_SURVEY)
NL80211_CMD_SET_POWER_SAVE = 61  # set powersave, using NL80211_ATTR_PS_STATE
NL80211_CMD_GET_POWER_SAVE = 62  # get powersave status in NL80211_ATTR_PS_STATE
NL80211_CMD_SET_CHANNEL = 65  # set the channel (NL80211_ATTR_WIPHY_FREQ and the attributes
# determining channel width) the given interface shall operate on
NL80211_CMD_JOIN_MESH = 68  # join a mesh (the mesh ID must be given)
NL80211_CMD_LEAVE_MESH = 69  # leave the mesh network
NL80211_CMD_START_P2P_DEVICE = 89
NL80211_CMD_STOP_P2P_DEVICE = 90
NL80211_CMD_WIPHY_REG_CHANGE = 113  # like REG_CHANGE, for a wiphy's own (self-managed) domain
NL80211_CMD_ABORT_SCAN = 114  # stop an ongoing scan

COMMAND_NAMES = {
    value: name for name, value in list(globals().items()) if name.startswith("NL80211_CMD_")
}

# enum nl80211_attrs (the ones used here)
NL80211_ATTR_WIPHY = 1
NL80211_ATTR_WIPHY_NAME = 2
NL80211_ATTR_IFINDEX = 3
NL80211_ATTR_IFNAME = 4
NL80211_ATTR_IFTYPE = 5
NL80211_ATTR_MAC = 6
NL80211_ATTR_STA_INFO = 21  # information about a station, part of station info given for
# GET_STATION, nested attribute containing info as possible, see &enum nl80211_sta_info
NL80211_ATTR_WIPHY_BANDS = 22  # information about an operating bands, nested per band
NL80211_ATTR_MNTR_FLAGS = 23  # flags, nested element with NLA_FLAG attributes of
# &enum nl80211_mntr_flags
NL80211_ATTR_MESH_ID = 24  # mesh id (1-32 bytes)
NL80211_ATTR_SUPPORTED_IFTYPES = 32  # nested attribute containing all supported interface
# types, each a flag attribute with the number of the interface mode
NL80211_ATTR_REG_ALPHA2 = 33  # an ISO-3166-alpha2 country code for which the current
# regulatory domain should be set to or is already set to
NL80211_ATTR_REG_RULES = 34  # a nested array of regulatory domain regulatory rules
NL80211_ATTR_WIPHY_FREQ = 38  # frequency of the selected channel in MHz
NL80211_ATTR_WIPHY_CHANNEL_TYPE = 39
NL80211_ATTR_IE = 42
NL80211_ATTR_MAX_NUM_SCAN_SSIDS = 43  # number of SSIDs you can scan with a single scan
# request, a wiphy attribute
NL80211_ATTR_SCAN_FREQUENCIES = 44  # nested attribute with frequencies (in MHz)
NL80211_ATTR_SCAN_SSIDS = 45  # nested attribute with SSIDs, leave out for passive scanning
# and include a zero-length SSID (wildcard) for wildcard scan
NL80211_ATTR_GENERATION = 46
NL80211_ATTR_BSS = 47  # scan result BSS, see &enum nl80211_bss
NL80211_ATTR_REG_INITIATOR = 48  # who changed the regulatory domain (enum nl80211_reg_initiator)
NL80211_ATTR_REG_TYPE = 49  # type of regulatory domain (enum nl80211_reg_type)
NL80211_ATTR_SSID = 52
NL80211_ATTR_REASON_CODE = 54  # reason code for disconnection (u16)
NL80211_ATTR_MAX_SCAN_IE_LEN = 56
NL80211_ATTR_CIPHER_SUITES = 57  # a set of u32 values indicating the supported cipher
# suites
NL80211_ATTR_WIPHY_RETRY_SHORT = 61  # TX retry limit for frames whose length is less than
# or equal to the RTS threshold; allowed range: 1..255; u8
NL80211_ATTR_WIPHY_RETRY_LONG = 62  # TX retry limit for frames whose length is greater than
# the RTS threshold; allowed range: 1..255; u8
NL80211_ATTR_WIPHY_FRAG_THRESHOLD = 63  # allowed range: 256..8000, disable fragmentation with
# (u32)-1; u32
NL80211_ATTR_WIPHY_RTS_THRESHOLD = 64  # allowed range: 0..65536, disable with (u32)-1; u32
NL80211_ATTR_TIMED_OUT = 65  # the connection request timed out (flag)
NL80211_ATTR_STATUS_CODE = 72  # StatusCode for the connection result (u16)
NL80211_ATTR_PID = 82  # process ID of a network namespace
NL80211_ATTR_4ADDR = 83  # use 4-address frames on a virtual interface
NL80211_ATTR_SURVEY_INFO = 84  # survey information about a channel, part of the survey
# response for GET_SURVEY, nested attribute containing info as possible, see
# &enum nl80211_survey_info
NL80211_ATTR_PS_STATE = 93  # powersave state, using enum nl80211_ps_state values
NL80211_ATTR_WIPHY_TX_POWER_SETTING = 97  # transmit power setting type, enum
# nl80211_tx_power_setting
NL80211_ATTR_WIPHY_TX_POWER_LEVEL = 98  # transmit power level in signed mBm units
NL80211_ATTR_WIPHY_ANTENNA_TX = 105  # bitmap of allowed antennas for transmitting
NL80211_ATTR_WIPHY_ANTENNA_RX = 106  # bitmap of allowed antennas for receiving
NL80211_ATTR_WIPHY_ANTENNA_AVAIL_TX = 113  # bitmap of antennas which are available for
# configuration as TX antennas
NL80211_ATTR_WIPHY_ANTENNA_AVAIL_RX = 114
NL80211_ATTR_INTERFACE_COMBINATIONS = 120  # nested attribute listing the supported
# interface combinations; each is a nested attribute of &enum nl80211_if_combination_attrs
NL80211_ATTR_SOFTWARE_IFTYPES = 121  # interface types that are software
NL80211_ATTR_FEATURE_FLAGS = 143
NL80211_ATTR_DFS_REGION = 146  # region for regulatory rules which this country abides to
# when initiating radiation on DFS channels (u8, &enum nl80211_dfs_regions)
NL80211_ATTR_WDEV = 153  # wireless device identifier, used for pseudo-devices that don't
# have a netdev (u64)
NL80211_ATTR_USER_REG_HINT_TYPE = 154  # type of regulatory hint passed from userspace
# (&enum nl80211_user_reg_hint_type)
NL80211_ATTR_SCAN_FLAGS = 158  # scan request control flags (u32)
NL80211_ATTR_CHANNEL_WIDTH = 159  # u32 attribute containing one of the values of
# &enum nl80211_chan_width
NL80211_ATTR_CENTER_FREQ1 = 160
NL80211_ATTR_CENTER_FREQ2 = 161
NL80211_ATTR_SPLIT_WIPHY_DUMP = 174  # flag attribute, userspace supports receiving the data
# for a single wiphy split across multiple messages
NL80211_ATTR_SOCKET_OWNER = 204
NL80211_ATTR_WIPHY_SELF_MANAGED_REG = 216  # flag attribute: the regulatory information
# was obtained from the private regdomain of a device with self-managed regulatory
NL80211_ATTR_EXT_FEATURES = 217
NL80211_ATTR_NETNS_FD = 219  # file descriptor of a network namespace (u32)
NL80211_ATTR_TIMEOUT_REASON = 248  # why a connection attempt timed out (enum
# nl80211_timeout_reason)
NL80211_ATTR_WIPHY_FREQ_OFFSET = 290

# enum nl80211_iftype
NL80211_IFTYPE_UNSPECIFIED = 0
NL80211_IFTYPE_ADHOC = 1
NL80211_IFTYPE_STATION = 2
NL80211_IFTYPE_AP = 3
NL80211_IFTYPE_AP_VLAN = 4
NL80211_IFTYPE_WDS = 5
NL80211_IFTYPE_MONITOR = 6
NL80211_IFTYPE_MESH_POINT = 7
NL80211_IFTYPE_P2P_CLIENT = 8
NL80211_IFTYPE_P2P_GO = 9
NL80211_IFTYPE_P2P_DEVICE = 10
NL80211_IFTYPE_OCB = 11
NL80211_IFTYPE_NAN = 12
NUM_NL80211_IFTYPES = 13

# The modules' names for enum nl80211_iftype: the UAPI name without its prefix, lower case.
IFTYPE_NAMES = {
    value: name[len("NL80211_IFTYPE_") :].lower()
    for name, value in list(globals().items())
    if name.startswith("NL80211_IFTYPE_") and name != "NL80211_IFTYPE_UNSPECIFIED"
}
IFTYPES = {name: value for value, name in IFTYPE_NAMES.items()}

# enum nl80211_mntr_flags
NL80211_MNTR_FLAG_FCSFAIL = 1  # pass frames with bad FCS
NL80211_MNTR_FLAG_PLCPFAIL = 2  # pass frames with bad PLCP
NL80211_MNTR_FLAG_CONTROL = 3  # pass control frames
NL80211_MNTR_FLAG_OTHER_BSS = 4  # disable BSSID filtering
NL80211_MNTR_FLAG_COOK_FRAMES = 5  # report frames after processing
NL80211_MNTR_FLAG_ACTIVE = 6  # use the configured MAC address and ACK incoming unicast
# packets

# The names `iw` gives the monitor flags (and the modules take).
MNTR_FLAG_NAMES = {
    NL80211_MNTR_FLAG_FCSFAIL: "fcsfail",
    NL80211_MNTR_FLAG_PLCPFAIL: "plcpfail",
    NL80211_MNTR_FLAG_CONTROL: "control",
    NL80211_MNTR_FLAG_OTHER_BSS: "otherbss",
    NL80211_MNTR_FLAG_COOK_FRAMES: "cook",
    NL80211_MNTR_FLAG_ACTIVE: "active",
}
MNTR_FLAGS = {name: value for value, name in MNTR_FLAG_NAMES.items()}

# enum nl80211_band, enum nl80211_chan_width, enum nl80211_bss_scan_width: see channels.py

# enum nl80211_bss_status
NL80211_BSS_STATUS_AUTHENTICATED = 0
NL80211_BSS_STATUS_ASSOCIATED = 1
NL80211_BSS_STATUS_IBSS_JOINED = 2
BSS_STATUS_NAMES = {0: "authenticated", 1: "associated", 2: "ibss_joined"}

# enum nl80211_reg_initiator
NL80211_REGDOM_SET_BY_CORE = 0  # core queried CRDA for a dynamic world regulatory domain
NL80211_REGDOM_SET_BY_USER = 1  # user asked the wireless core to set the regulatory domain
NL80211_REGDOM_SET_BY_DRIVER = 2  # a wireless drivers has hinted to the wireless core it
# thinks its knows the regulatory domain we should be in
NL80211_REGDOM_SET_BY_COUNTRY_IE = 3  # the wireless core has received an 802.11 country
# information element with regulatory information it thinks we should consider
REG_INITIATOR_NAMES = {0: "core", 1: "user", 2: "driver", 3: "country_ie"}

# enum nl80211_reg_type
NL80211_REGDOM_TYPE_COUNTRY = 0  # the regulatory domain set is one that pertains to a
# specific country (NL80211_ATTR_REG_ALPHA2 says which)
NL80211_REGDOM_TYPE_WORLD = 1  # the regulatory domain set is the world regulatory domain
NL80211_REGDOM_TYPE_CUSTOM_WORLD = 2  # a custom world regulatory domain of a driver
NL80211_REGDOM_TYPE_INTERSECTION = 3  # an intersection between two regulatory domains
# The alpha2 the kernel's regulatory core uses for the types that are no country (reg.c).
REG_TYPE_ALPHA2 = {1: "00", 2: "99", 3: "98"}

# enum nl80211_timeout_reason
NL80211_TIMEOUT_UNSPECIFIED = 0  # timeout reason unspecified
NL80211_TIMEOUT_SCAN = 1  # scanning timed out
NL80211_TIMEOUT_AUTH = 2  # authentication timed out
NL80211_TIMEOUT_ASSOC = 3  # association timed out
TIMEOUT_REASON_NAMES = {0: "", 1: "scanning", 2: "authentication", 3: "association"}

# enum nl80211_scan_flags
NL80211_SCAN_FLAG_LOW_PRIORITY = 1 << 0  # scan request has low priority
NL80211_SCAN_FLAG_FLUSH = 1 << 1  # flush cache before scanning
NL80211_SCAN_FLAG_AP = 1 << 2  # force a scan even if the interface is configured as AP
NL80211_SCAN_FLAG_RANDOM_ADDR = 1 << 3

# enum nl80211_ps_state
NL80211_PS_DISABLED = 0  # powersave is disabled
NL80211_PS_ENABLED = 1  # powersave is enabled

# enum nl80211_tx_power_setting
NL80211_TX_POWER_AUTOMATIC = 0  # automatically determine transmit power
NL80211_TX_POWER_LIMITED = 1  # limit TX power by the mBm parameter
NL80211_TX_POWER_FIXED = 2  # fix TX power to the mBm parameter

# enum nl80211_feature_flags (NL80211_ATTR_FEATURE_FLAGS)
NL80211_FEATURE_VIF_TXPOWER = 1 << 9  # the device supports per-vif TX power setting

# The threshold value that disables RTS/CTS and fragmentation ((u32)-1).
THRESHOLD_OFF = 0xFFFFFFFF


# enum nl80211_sta_flags (bits of struct nl80211_sta_flag_update's mask and set), as iw names
# them in `station dump`
NL80211_STA_FLAG_AUTHORIZED = 1  # station is authorized (802.1X)
NL80211_STA_FLAG_SHORT_PREAMBLE = 2  # station is capable of receiving frames with short
# barker preamble
NL80211_STA_FLAG_WME = 3  # station is WME/QoS capable
NL80211_STA_FLAG_MFP = 4  # station uses management frame protection
NL80211_STA_FLAG_AUTHENTICATED = 5  # station is authenticated
NL80211_STA_FLAG_TDLS_PEER = 6  # station is a TDLS peer
NL80211_STA_FLAG_ASSOCIATED = 7  # station is associated
STA_FLAG_NAMES = {
    NL80211_STA_FLAG_AUTHORIZED: "authorized",
    NL80211_STA_FLAG_SHORT_PREAMBLE: "short_preamble",
    NL80211_STA_FLAG_WME: "wme",
    NL80211_STA_FLAG_MFP: "mfp",
    NL80211_STA_FLAG_AUTHENTICATED: "authenticated",
    NL80211_STA_FLAG_TDLS_PEER: "tdls_peer",
    NL80211_STA_FLAG_ASSOCIATED: "associated",
}

# enum nl80211_plink_state (a mesh peer link), in iw's words
PLINK_STATE_NAMES = ("LISTEN", "OPN_SNT", "OPN_RCVD", "CNF_RCVD", "ESTAB", "HOLDING", "BLOCKED")

# enum nl80211_mesh_power_mode, in iw's words (0 is NL80211_MESH_POWER_UNKNOWN)
MESH_POWER_MODE_NAMES = ("UNKNOWN", "ACTIVE", "LIGHT SLEEP", "DEEP SLEEP")

# enum nl80211_dfs_state (NL80211_FREQUENCY_ATTR_DFS_STATE)
NL80211_DFS_USABLE = 0  # the channel can be used, but channel availability check (CAC) must
# be performed before using it for AP or IBSS
NL80211_DFS_UNAVAILABLE = 1  # a radar has been detected on this channel, it is therefore
# marked as not available
NL80211_DFS_AVAILABLE = 2  # the channel availability check has been done, so the channel can
# be used
DFS_STATE_NAMES = {0: "usable", 1: "unavailable", 2: "available"}

# enum nl80211_dfs_regions (NL80211_ATTR_DFS_REGION)
NL80211_DFS_UNSET = 0  # country has no DFS master region specified
NL80211_DFS_FCC = 1  # country follows DFS master rules from FCC
NL80211_DFS_ETSI = 2  # country follows DFS master rules from ETSI
NL80211_DFS_JP = 3  # country follows DFS master rules from JP/MKK/Telec
DFS_REGION_NAMES = {0: "unset", 1: "FCC", 2: "ETSI", 3: "JP"}

# enum nl80211_reg_rule_flags (NL80211_ATTR_REG_RULE_FLAGS), with the words iw prints
NL80211_RRF_NO_OFDM = 1 << 0  # OFDM modulation not allowed
NL80211_RRF_NO_CCK = 1 << 1  # CCK modulation not allowed
NL80211_RRF_NO_INDOOR = 1 << 2  # indoor operation not allowed
NL80211_RRF_NO_OUTDOOR = 1 << 3  # outdoor operation not allowed
NL80211_RRF_DFS = 1 << 4  # DFS support is required to be used
NL80211_RRF_PTP_ONLY = 1 << 5  # this is only for Point To Point links
NL80211_RRF_PTMP_ONLY = 1 << 6  # this is only for Point To Multi Point links
NL80211_RRF_NO_IR = 1 << 7  # no mechanisms that initiate radiation are allowed
NL80211_RRF_AUTO_BW = 1 << 11  # maximum available bandwidth should be calculated based on
# contiguous rules and wider channels will be allowed to cross multiple contiguous/overlapping
# frequency ranges
NL80211_RRF_IR_CONCURRENT = 1 << 12  # see NL80211_FREQUENCY_ATTR_IR_CONCURRENT
NL80211_RRF_NO_HT40MINUS = 1 << 13  # channels can't be used in HT40- operation
NL80211_RRF_NO_HT40PLUS = 1 << 14  # channels can't be used in HT40+ operation
NL80211_RRF_NO_80MHZ = 1 << 15  # 80MHz operation not allowed
NL80211_RRF_NO_160MHZ = 1 << 16  # 160MHz operation not allowed
NL80211_RRF_NO_HE = 1 << 17  # HE operation not allowed
NL80211_RRF_NO_320MHZ = 1 << 18  # 320MHz operation not allowed
REG_RULE_FLAG_NAMES = (
    (NL80211_RRF_NO_OFDM, "NO-OFDM"),
    (NL80211_RRF_NO_CCK, "NO-CCK"),
    (NL80211_RRF_NO_INDOOR, "NO-INDOOR"),
    (NL80211_RRF_NO_OUTDOOR, "NO-OUTDOOR"),
    (NL80211_RRF_DFS, "DFS"),
    (NL80211_RRF_PTP_ONLY, "PTP-ONLY"),
    (NL80211_RRF_PTMP_ONLY, "PTMP-ONLY"),
    (NL80211_RRF_NO_IR, "NO-IR"),  # iw 5.19 prints "PASSIVE-SCAN" (the flag's old name)
    (NL80211_RRF_AUTO_BW, "AUTO-BW"),
    (NL80211_RRF_IR_CONCURRENT, "IR-CONCURRENT"),
    (NL80211_RRF_NO_HT40MINUS, "NO-HT40MINUS"),
    (NL80211_RRF_NO_HT40PLUS, "NO-HT40PLUS"),
    (NL80211_RRF_NO_80MHZ, "NO-80MHZ"),
    (NL80211_RRF_NO_160MHZ, "NO-160MHZ"),
    (NL80211_RRF_NO_HE, "NO-HE"),
    (NL80211_RRF_NO_320MHZ, "NO-320MHZ"),
)

# enum nl80211_user_reg_hint_type (NL80211_ATTR_USER_REG_HINT_TYPE)
NL80211_USER_REG_HINT_USER = 0  # a user sent the hint
NL80211_USER_REG_HINT_CELL_BASE = 1  # the hint comes from a cellular base station
NL80211_USER_REG_HINT_INDOOR = 2  # a user sent an hint indicating that the platform is
# operating in an indoor environment
USER_REG_HINT_NAMES = {0: "user", 1: "cell_base", 2: "indoor"}


# --------------------------------------------------------------------------- nl80211's lists


def _flag_types_decode(payload: bytes) -> List[int]:
    return sorted(attr_type for attr_type, _value in codec.iter_attrs(payload))


def _flag_types_encode(values: Iterable[int]) -> bytes:
    return b"".join(codec.pack_attr(int(v), b"") for v in sorted(set(values)))


# A nest of flag attributes whose types are the values: [2, 3, 6] <-> {STATION, AP, MONITOR}.
FLAG_TYPES = codec.Codec("flag-types", _flag_types_encode, _flag_types_decode)


def _indexed_codec(name: str, inner: codec.Codec) -> codec.Codec:
    """A nest of bare values numbered 1, 2, ... (the attribute type is only an index)."""

    def encode(values: Iterable[Any]) -> bytes:
        return b"".join(
            codec.pack_attr(index, inner.encode(v)) for index, v in enumerate(values, 1)
        )

    def decode(payload: bytes) -> List[Any]:
        return [inner.decode(item) for _type, item in codec.iter_attrs(payload)]

    return codec.Codec(name, encode, decode)


U32_LIST = _indexed_codec("u32[]", codec.U32)
BINARY_LIST = _indexed_codec("binary[]", codec.BINARY)
S8_LIST = _indexed_codec("s8[]", codec.S8)  # NL80211_STA_INFO_CHAIN_SIGNAL: dBm per chain


def _packed_u32_decode(payload: bytes) -> List[int]:
    count = len(payload) // 4
    return list(struct.unpack("=%dI" % count, payload[: count * 4]))


# NL80211_ATTR_CIPHER_SUITES: a bare array of host-order u32 (not attributes)
PACKED_U32 = codec.Codec(
    "u32-packed[]", lambda values: struct.pack("=%dI" % len(values), *values), _packed_u32_decode
)
# struct nl80211_sta_flag_update { __u32 mask; __u32 set; } -> (mask, set)
STA_FLAG_UPDATE = codec.Codec(
    "nl80211_sta_flag_update", lambda v: struct.pack("=II", *v), lambda b: struct.unpack("=II", b),
    8, 8,
)  # fmt: skip


def _keyed_codec(name: str, table: AttrSet) -> codec.Codec:
    """A nest whose element types are keys (band numbers): {type: decoded nest}."""

    def encode(values: Dict[int, Dict[str, Any]]) -> bytes:
        return b"".join(
            codec.pack_attr(key | NLA_F_NESTED, codec.encode(table, value))
            for key, value in sorted(values.items())
        )

    def decode(payload: bytes) -> Dict[int, Dict[str, Any]]:
        return {key: codec.decode(table, item) for key, item in codec.iter_attrs(payload)}

    return codec.Codec(name, encode, decode)


# --------------------------------------------------------------------------- tables

# enum nl80211_frequency_attr
NL80211_FREQUENCY_ATTR = AttrSet(
    "NL80211_FREQUENCY_ATTR_",
    (
        Attr(1, "NL80211_FREQUENCY_ATTR_FREQ", codec.U32),  # Frequency in MHz
        Attr(2, "NL80211_FREQUENCY_ATTR_DISABLED", codec.FLAG),
        Attr(3, "NL80211_FREQUENCY_ATTR_NO_IR", codec.FLAG),  # no mechanisms that initiate
        # radiation are permitted on this channel
        Attr(5, "NL80211_FREQUENCY_ATTR_RADAR", codec.FLAG),  # radar detection is mandatory
        Attr(6, "NL80211_FREQUENCY_ATTR_MAX_TX_POWER", codec.U32),  # in mBm (100 * dBm)
        Attr(7, "NL80211_FREQUENCY_ATTR_DFS_STATE", codec.U32),
        Attr(8, "NL80211_FREQUENCY_ATTR_DFS_TIME", codec.U32),  # time in milliseconds for how
        # long this channel is in this DFS state
        Attr(9, "NL80211_FREQUENCY_ATTR_NO_HT40_MINUS", codec.FLAG),
        Attr(10, "NL80211_FREQUENCY_ATTR_NO_HT40_PLUS", codec.FLAG),
        Attr(11, "NL80211_FREQUENCY_ATTR_NO_80MHZ", codec.FLAG),
        Attr(12, "NL80211_FREQUENCY_ATTR_NO_160MHZ", codec.FLAG),
        Attr(13, "NL80211_FREQUENCY_ATTR_DFS_CAC_TIME", codec.U32),  # DFS CAC time in ms
        Attr(14, "NL80211_FREQUENCY_ATTR_INDOOR_ONLY", codec.FLAG),
        Attr(20, "NL80211_FREQUENCY_ATTR_OFFSET", codec.U32),  # frequency offset in KHz
    ),
)

# enum nl80211_bitrate_attr
NL80211_BITRATE_ATTR = AttrSet(
    "NL80211_BITRATE_ATTR_",
    (
        Attr(1, "NL80211_BITRATE_ATTR_RATE", codec.U32),  # Bitrate in units of 100 kbps
        Attr(2, "NL80211_BITRATE_ATTR_2GHZ_SHORTPREAMBLE", codec.FLAG),
    ),
)

# enum nl80211_band_attr
NL80211_BAND_ATTR = AttrSet(
    "NL80211_BAND_ATTR_",
    (
        Attr(1, "NL80211_BAND_ATTR_FREQS", codec.ARRAY, nested=NL80211_FREQUENCY_ATTR),
        Attr(2, "NL80211_BAND_ATTR_RATES", codec.ARRAY, nested=NL80211_BITRATE_ATTR),
        Attr(4, "NL80211_BAND_ATTR_HT_CAPA", codec.U16),
        Attr(8, "NL80211_BAND_ATTR_VHT_CAPA", codec.U32),
    ),
)

# enum nl80211_rate_info (NL80211_STA_INFO_TX_BITRATE / _RX_BITRATE)
NL80211_RATE_INFO = AttrSet(
    "NL80211_RATE_INFO_",
    (
        Attr(1, "NL80211_RATE_INFO_BITRATE", codec.U16),  # total bitrate (u16, 100kbit/s)
        Attr(2, "NL80211_RATE_INFO_MCS", codec.U8),  # mcs index for 802.11n (u8)
        Attr(3, "NL80211_RATE_INFO_40_MHZ_WIDTH", codec.FLAG),
        Attr(4, "NL80211_RATE_INFO_SHORT_GI", codec.FLAG),  # 400ns guard interval
        Attr(5, "NL80211_RATE_INFO_BITRATE32", codec.U32),  # total bitrate (u32, 100kbit/s)
        Attr(6, "NL80211_RATE_INFO_VHT_MCS", codec.U8),
        Attr(7, "NL80211_RATE_INFO_VHT_NSS", codec.U8),  # number of streams in VHT
        Attr(8, "NL80211_RATE_INFO_80_MHZ_WIDTH", codec.FLAG),
        Attr(9, "NL80211_RATE_INFO_80P80_MHZ_WIDTH", codec.FLAG),
        Attr(10, "NL80211_RATE_INFO_160_MHZ_WIDTH", codec.FLAG),
        Attr(11, "NL80211_RATE_INFO_10_MHZ_WIDTH", codec.FLAG),
        Attr(12, "NL80211_RATE_INFO_5_MHZ_WIDTH", codec.FLAG),
        Attr(13, "NL80211_RATE_INFO_HE_MCS", codec.U8),  # HE MCS index (u8, 0-11)
        Attr(14, "NL80211_RATE_INFO_HE_NSS", codec.U8),  # HE NSS value (u8, 1-8)
        Attr(15, "NL80211_RATE_INFO_HE_GI", codec.U8),  # HE guard interval identifier
        Attr(16, "NL80211_RATE_INFO_HE_DCM", codec.U8),  # HE DCM value (u8, 0/1)
        Attr(17, "NL80211_RATE_INFO_HE_RU_ALLOC", codec.U8),  # HE RU allocation, if not present
        # then non-OFDMA was used
        Attr(18, "NL80211_RATE_INFO_320_MHZ_WIDTH", codec.FLAG),
        Attr(19, "NL80211_RATE_INFO_EHT_MCS", codec.U8),  # EHT MCS index (u8, 0-15)
        Attr(20, "NL80211_RATE_INFO_EHT_NSS", codec.U8),  # EHT NSS value (u8, 1-8)
        Attr(21, "NL80211_RATE_INFO_EHT_GI", codec.U8),  # EHT guard interval identifier
        Attr(22, "NL80211_RATE_INFO_EHT_RU_ALLOC", codec.U8),
    ),
)

# enum nl80211_sta_bss_param (NL80211_STA_INFO_BSS_PARAM: the station's view of the BSS)
NL80211_STA_BSS_PARAM = AttrSet(
    "NL80211_STA_BSS_PARAM_",
    (
        Attr(1, "NL80211_STA_BSS_PARAM_CTS_PROT", codec.FLAG),  # CTS protection is enabled
        Attr(2, "NL80211_STA_BSS_PARAM_SHORT_PREAMBLE", codec.FLAG),
        Attr(3, "NL80211_STA_BSS_PARAM_SHORT_SLOT_TIME", codec.FLAG),
        Attr(4, "NL80211_STA_BSS_PARAM_DTIM_PERIOD", codec.U8),
        Attr(5, "NL80211_STA_BSS_PARAM_BEACON_INTERVAL", codec.U16),
    ),
)

# enum nl80211_sta_info (NL80211_ATTR_STA_INFO); the per-TID statistics are skipped
NL80211_STA_INFO = AttrSet(
    "NL80211_STA_INFO_",
    (
        Attr(1, "NL80211_STA_INFO_INACTIVE_TIME", codec.U32),  # time since last activity (ms)
        Attr(2, "NL80211_STA_INFO_RX_BYTES", codec.U32),  # total received bytes (MPDU length)
        Attr(3, "NL80211_STA_INFO_TX_BYTES", codec.U32),  # total transmitted bytes
        Attr(4, "NL80211_STA_INFO_LLID", codec.U16),  # the station's mesh LLID
        Attr(5, "NL80211_STA_INFO_PLID", codec.U16),  # the station's mesh PLID
        Attr(6, "NL80211_STA_INFO_PLINK_STATE", codec.U8),  # peer link state for the station
        Attr(7, "NL80211_STA_INFO_SIGNAL", codec.S8),  # signal strength of last received
        # PPDU (u8, dBm)
        Attr(8, "NL80211_STA_INFO_TX_BITRATE", codec.NESTED, nested=NL80211_RATE_INFO),
        Attr(9, "NL80211_STA_INFO_RX_PACKETS", codec.U32),  # total received packets (MSDUs
        # and MMPDUs)
        Attr(10, "NL80211_STA_INFO_TX_PACKETS", codec.U32),
        Attr(11, "NL80211_STA_INFO_TX_RETRIES", codec.U32),  # total retries (MPDUs)
        Attr(12, "NL80211_STA_INFO_TX_FAILED", codec.U32),  # total failed packets (MPDUs)
        Attr(13, "NL80211_STA_INFO_SIGNAL_AVG", codec.S8),  # signal strength average (dBm)
        Attr(14, "NL80211_STA_INFO_RX_BITRATE", codec.NESTED, nested=NL80211_RATE_INFO),
        Attr(15, "NL80211_STA_INFO_BSS_PARAM", codec.NESTED, nested=NL80211_STA_BSS_PARAM),
        Attr(16, "NL80211_STA_INFO_CONNECTED_TIME", codec.U32),  # time since the station is
        # last connected (seconds)
        Attr(17, "NL80211_STA_INFO_STA_FLAGS", STA_FLAG_UPDATE),
        Attr(18, "NL80211_STA_INFO_BEACON_LOSS", codec.U32),  # count of times beacon loss
        # was detected
        Attr(19, "NL80211_STA_INFO_T_OFFSET", codec.S64),  # timing offset w.r.t. this STA
        Attr(20, "NL80211_STA_INFO_LOCAL_PM", codec.U32),  # local mesh STA link-specific
        # power mode
        Attr(21, "NL80211_STA_INFO_PEER_PM", codec.U32),
        Attr(22, "NL80211_STA_INFO_NONPEER_PM", codec.U32),
        Attr(23, "NL80211_STA_INFO_RX_BYTES64", codec.U64),
        Attr(24, "NL80211_STA_INFO_TX_BYTES64", codec.U64),
        Attr(25, "NL80211_STA_INFO_CHAIN_SIGNAL", S8_LIST),  # per-chain signal strength of
        # last PPDU
        Attr(26, "NL80211_STA_INFO_CHAIN_SIGNAL_AVG", S8_LIST),
        Attr(27, "NL80211_STA_INFO_EXPECTED_THROUGHPUT", codec.U32),  # kbps
        Attr(28, "NL80211_STA_INFO_RX_DROP_MISC", codec.U64),
        Attr(29, "NL80211_STA_INFO_BEACON_RX", codec.U64),  # beacons received from this peer
        Attr(30, "NL80211_STA_INFO_BEACON_SIGNAL_AVG", codec.S8),
        Attr(32, "NL80211_STA_INFO_RX_DURATION", codec.U64),  # usec
        Attr(34, "NL80211_STA_INFO_ACK_SIGNAL", codec.S8),  # signal of the last ACK frame
        Attr(35, "NL80211_STA_INFO_ACK_SIGNAL_AVG", codec.S8),
        Attr(36, "NL80211_STA_INFO_RX_MPDUS", codec.U32),
        Attr(37, "NL80211_STA_INFO_FCS_ERROR_COUNT", codec.U32),
        Attr(38, "NL80211_STA_INFO_CONNECTED_TO_GATE", codec.U8),  # path to a mesh gate
        Attr(39, "NL80211_STA_INFO_TX_DURATION", codec.U64),  # usec
        Attr(40, "NL80211_STA_INFO_AIRTIME_WEIGHT", codec.U16),
        Attr(41, "NL80211_STA_INFO_AIRTIME_LINK_METRIC", codec.U32),  # for mesh stations
        Attr(42, "NL80211_STA_INFO_ASSOC_AT_BOOTTIME", codec.U64),  # CLOCK_BOOTTIME, ns
        Attr(43, "NL80211_STA_INFO_CONNECTED_TO_AS", codec.U8),  # path to an auth. server
    ),
)

# enum nl80211_survey_info (NL80211_ATTR_SURVEY_INFO)
NL80211_SURVEY_INFO = AttrSet(
    "NL80211_SURVEY_INFO_",
    (
        Attr(1, "NL80211_SURVEY_INFO_FREQUENCY", codec.U32),  # center frequency of channel
        Attr(2, "NL80211_SURVEY_INFO_NOISE", codec.S8),  # noise level of channel (u8, dBm)
        Attr(3, "NL80211_SURVEY_INFO_IN_USE", codec.FLAG),  # channel is currently being used
        Attr(4, "NL80211_SURVEY_INFO_TIME", codec.U64),  # amount of time (in ms) that the
        # radio was turned on (on channel or globally)
        Attr(5, "NL80211_SURVEY_INFO_TIME_BUSY", codec.U64),  # ms the primary channel was
        # sensed busy (either due to activity or energy detect)
        Attr(6, "NL80211_SURVEY_INFO_TIME_EXT_BUSY", codec.U64),  # ms the extension channel
        # was sensed busy
        Attr(7, "NL80211_SURVEY_INFO_TIME_RX", codec.U64),  # ms the radio spent receiving
        Attr(8, "NL80211_SURVEY_INFO_TIME_TX", codec.U64),  # ms the radio spent transmitting
        Attr(9, "NL80211_SURVEY_INFO_TIME_SCAN", codec.U64),  # ms the radio spent for scan
        Attr(11, "NL80211_SURVEY_INFO_TIME_BSS_RX", codec.U64),  # ms receiving local BSS data
        Attr(12, "NL80211_SURVEY_INFO_FREQUENCY_OFFSET", codec.U32),  # in KHz
    ),
)

# enum nl80211_reg_rule_attr (one rule of NL80211_ATTR_REG_RULES)
NL80211_REG_RULE_ATTR = AttrSet(
    "NL80211_ATTR_",
    (
        Attr(1, "NL80211_ATTR_REG_RULE_FLAGS", codec.U32),  # &enum nl80211_reg_rule_flags
        Attr(2, "NL80211_ATTR_FREQ_RANGE_START", codec.U32),  # starting frequency (KHz)
        Attr(3, "NL80211_ATTR_FREQ_RANGE_END", codec.U32),  # ending frequency (KHz)
        Attr(4, "NL80211_ATTR_FREQ_RANGE_MAX_BW", codec.U32),  # maximum allowed bandwidth
        Attr(5, "NL80211_ATTR_POWER_RULE_MAX_ANT_GAIN", codec.U32),  # maximum allowed antenna
        # gain (mBi)
        Attr(6, "NL80211_ATTR_POWER_RULE_MAX_EIRP", codec.U32),  # maximum allowed EIRP (mBm)
        Attr(7, "NL80211_ATTR_DFS_CAC_TIME", codec.U32),  # DFS CAC time in milliseconds
    ),
)

# enum nl80211_iface_limit_attrs (one limit of NL80211_IFACE_COMB_LIMITS)
NL80211_IFACE_LIMIT = AttrSet(
    "NL80211_IFACE_LIMIT_",
    (
        Attr(1, "NL80211_IFACE_LIMIT_MAX", codec.U32),  # maximum number of interfaces that can
        # use this limit
        Attr(2, "NL80211_IFACE_LIMIT_TYPES", FLAG_TYPES),  # nested attribute containing the
        # supported interface types, each a flag attribute with the number of the mode
    ),
)

# enum nl80211_if_combination_attrs (one entry of NL80211_ATTR_INTERFACE_COMBINATIONS)
NL80211_IFACE_COMB = AttrSet(
    "NL80211_IFACE_COMB_",
    (
        Attr(1, "NL80211_IFACE_COMB_LIMITS", codec.ARRAY, nested=NL80211_IFACE_LIMIT),
        Attr(2, "NL80211_IFACE_COMB_MAXNUM", codec.U32),  # total number of interfaces that
        # may be brought up in this combination
        Attr(3, "NL80211_IFACE_COMB_STA_AP_BI_MATCH", codec.FLAG),  # beacon intervals within
        # this group must be all the same even for infrastructure and AP/GO combinations
        Attr(4, "NL80211_IFACE_COMB_NUM_CHANNELS", codec.U32),  # number of different
        # channels that may be used in this group
        Attr(5, "NL80211_IFACE_COMB_RADAR_DETECT_WIDTHS", codec.U32),  # bitmap of channel
        # widths supported for radar detection
        Attr(6, "NL80211_IFACE_COMB_RADAR_DETECT_REGIONS", codec.U32),  # bitmap of DFS
        # regions supported for radar detection
        Attr(7, "NL80211_IFACE_COMB_BI_MIN_GCD", codec.U32),  # minimum beacon interval GCD
    ),
)

# enum nl80211_bss
NL80211_BSS = AttrSet(
    "NL80211_BSS_",
    (
        Attr(1, "NL80211_BSS_BSSID", codec.fixed(6)),
        Attr(2, "NL80211_BSS_FREQUENCY", codec.U32),  # frequency in MHz
        Attr(3, "NL80211_BSS_TSF", codec.U64),
        Attr(4, "NL80211_BSS_BEACON_INTERVAL", codec.U16),
        Attr(5, "NL80211_BSS_CAPABILITY", codec.U16),
        Attr(6, "NL80211_BSS_INFORMATION_ELEMENTS", codec.BINARY),  # from the last frame
        # received (probe response or beacon)
        Attr(7, "NL80211_BSS_SIGNAL_MBM", codec.S32),  # signal strength in mBm (100 * dBm)
        Attr(8, "NL80211_BSS_SIGNAL_UNSPEC", codec.U8),  # 0..100
        Attr(9, "NL80211_BSS_STATUS", codec.U32),  # &enum nl80211_bss_status
        Attr(10, "NL80211_BSS_SEEN_MS_AGO", codec.U32),
        Attr(11, "NL80211_BSS_BEACON_IES", codec.BINARY),
        Attr(12, "NL80211_BSS_CHAN_WIDTH", codec.U32),  # &enum nl80211_bss_scan_width
        Attr(13, "NL80211_BSS_BEACON_TSF", codec.U64),
        Attr(14, "NL80211_BSS_PRESP_DATA", codec.FLAG),  # the data came from a probe response
        Attr(15, "NL80211_BSS_LAST_SEEN_BOOTTIME", codec.U64),  # CLOCK_BOOTTIME, in ns
        Attr(17, "NL80211_BSS_PARENT_TSF", codec.U64),
        Attr(18, "NL80211_BSS_PARENT_BSSID", codec.fixed(6)),
        Attr(20, "NL80211_BSS_FREQUENCY_OFFSET", codec.U32),  # in KHz
        Attr(21, "NL80211_BSS_MLO_LINK_ID", codec.U8),
        Attr(22, "NL80211_BSS_MLD_ADDR", codec.fixed(6)),
    ),
)

# enum nl80211_attrs
NL80211_ATTR = AttrSet(
    "NL80211_ATTR_",
    (
        Attr(NL80211_ATTR_WIPHY, "NL80211_ATTR_WIPHY", codec.U32),
        Attr(NL80211_ATTR_WIPHY_NAME, "NL80211_ATTR_WIPHY_NAME", codec.STRZ),
        Attr(NL80211_ATTR_IFINDEX, "NL80211_ATTR_IFINDEX", codec.U32),
        Attr(NL80211_ATTR_IFNAME, "NL80211_ATTR_IFNAME", codec.STRZ),
        Attr(NL80211_ATTR_IFTYPE, "NL80211_ATTR_IFTYPE", codec.U32),
        Attr(NL80211_ATTR_MAC, "NL80211_ATTR_MAC", codec.fixed(6)),
        Attr(NL80211_ATTR_STA_INFO, "NL80211_ATTR_STA_INFO", codec.NESTED, nested=NL80211_STA_INFO),
        Attr(
            NL80211_ATTR_WIPHY_BANDS,
            "NL80211_ATTR_WIPHY_BANDS",
            _keyed_codec("bands", NL80211_BAND_ATTR),
            NLA_F_NESTED,
        ),
        Attr(NL80211_ATTR_MNTR_FLAGS, "NL80211_ATTR_MNTR_FLAGS", FLAG_TYPES, NLA_F_NESTED),
        Attr(NL80211_ATTR_MESH_ID, "NL80211_ATTR_MESH_ID", codec.BINARY),
        Attr(
            NL80211_ATTR_SUPPORTED_IFTYPES,
            "NL80211_ATTR_SUPPORTED_IFTYPES",
            FLAG_TYPES,
            NLA_F_NESTED,
        ),
        Attr(NL80211_ATTR_REG_ALPHA2, "NL80211_ATTR_REG_ALPHA2", codec.STRZ),
        Attr(
            NL80211_ATTR_REG_RULES,
            "NL80211_ATTR_REG_RULES",
            codec.ARRAY,
            nested=NL80211_REG_RULE_ATTR,
        ),
        Attr(NL80211_ATTR_WIPHY_FREQ, "NL80211_ATTR_WIPHY_FREQ", codec.U32),
        Attr(NL80211_ATTR_WIPHY_CHANNEL_TYPE, "NL80211_ATTR_WIPHY_CHANNEL_TYPE", codec.U32),
        Attr(NL80211_ATTR_IE, "NL80211_ATTR_IE", codec.BINARY),
        Attr(NL80211_ATTR_MAX_NUM_SCAN_SSIDS, "NL80211_ATTR_MAX_NUM_SCAN_SSIDS", codec.U8),
        Attr(
            NL80211_ATTR_SCAN_FREQUENCIES, "NL80211_ATTR_SCAN_FREQUENCIES", U32_LIST, NLA_F_NESTED
        ),
        Attr(NL80211_ATTR_SCAN_SSIDS, "NL80211_ATTR_SCAN_SSIDS", BINARY_LIST, NLA_F_NESTED),
        Attr(NL80211_ATTR_GENERATION, "NL80211_ATTR_GENERATION", codec.U32),
        Attr(NL80211_ATTR_BSS, "NL80211_ATTR_BSS", codec.NESTED, nested=NL80211_BSS),
        Attr(NL80211_ATTR_REG_INITIATOR, "NL80211_ATTR_REG_INITIATOR", codec.U8),
        Attr(NL80211_ATTR_REG_TYPE, "NL80211_ATTR_REG_TYPE", codec.U8),
        Attr(NL80211_ATTR_SSID, "NL80211_ATTR_SSID", codec.BINARY),
        Attr(NL80211_ATTR_REASON_CODE, "NL80211_ATTR_REASON_CODE", codec.U16),
        Attr(NL80211_ATTR_MAX_SCAN_IE_LEN, "NL80211_ATTR_MAX_SCAN_IE_LEN", codec.U16),
        Attr(NL80211_ATTR_CIPHER_SUITES, "NL80211_ATTR_CIPHER_SUITES", PACKED_U32),
        Attr(NL80211_ATTR_WIPHY_RETRY_SHORT, "NL80211_ATTR_WIPHY_RETRY_SHORT", codec.U8),
        Attr(NL80211_ATTR_WIPHY_RETRY_LONG, "NL80211_ATTR_WIPHY_RETRY_LONG", codec.U8),
        Attr(NL80211_ATTR_WIPHY_FRAG_THRESHOLD, "NL80211_ATTR_WIPHY_FRAG_THRESHOLD", codec.U32),
        Attr(NL80211_ATTR_WIPHY_RTS_THRESHOLD, "NL80211_ATTR_WIPHY_RTS_THRESHOLD", codec.U32),
        Attr(NL80211_ATTR_TIMED_OUT, "NL80211_ATTR_TIMED_OUT", codec.FLAG),
        Attr(NL80211_ATTR_STATUS_CODE, "NL80211_ATTR_STATUS_CODE", codec.U16),
        Attr(NL80211_ATTR_PID, "NL80211_ATTR_PID", codec.U32),
        Attr(NL80211_ATTR_4ADDR, "NL80211_ATTR_4ADDR", codec.U8),
        Attr(
            NL80211_ATTR_SURVEY_INFO,
            "NL80211_ATTR_SURVEY_INFO",
            codec.NESTED,
            nested=NL80211_SURVEY_INFO,
        ),
        Attr(NL80211_ATTR_PS_STATE, "NL80211_ATTR_PS_STATE", codec.U32),
        Attr(NL80211_ATTR_WIPHY_TX_POWER_SETTING, "NL80211_ATTR_WIPHY_TX_POWER_SETTING", codec.U32),
        Attr(NL80211_ATTR_WIPHY_TX_POWER_LEVEL, "NL80211_ATTR_WIPHY_TX_POWER_LEVEL", codec.S32),
        Attr(NL80211_ATTR_WIPHY_ANTENNA_TX, "NL80211_ATTR_WIPHY_ANTENNA_TX", codec.U32),
        Attr(NL80211_ATTR_WIPHY_ANTENNA_RX, "NL80211_ATTR_WIPHY_ANTENNA_RX", codec.U32),
        Attr(NL80211_ATTR_WIPHY_ANTENNA_AVAIL_TX, "NL80211_ATTR_WIPHY_ANTENNA_AVAIL_TX", codec.U32),
        Attr(NL80211_ATTR_WIPHY_ANTENNA_AVAIL_RX, "NL80211_ATTR_WIPHY_ANTENNA_AVAIL_RX", codec.U32),
        Attr(
            NL80211_ATTR_INTERFACE_COMBINATIONS,
            "NL80211_ATTR_INTERFACE_COMBINATIONS",
            codec.ARRAY,
            nested=NL80211_IFACE_COMB,
        ),
        Attr(
            NL80211_ATTR_SOFTWARE_IFTYPES,
            "NL80211_ATTR_SOFTWARE_IFTYPES",
            FLAG_TYPES,
            NLA_F_NESTED,
        ),
        Attr(NL80211_ATTR_FEATURE_FLAGS, "NL80211_ATTR_FEATURE_FLAGS", codec.U32),
        Attr(NL80211_ATTR_DFS_REGION, "NL80211_ATTR_DFS_REGION", codec.U8),
        Attr(NL80211_ATTR_WDEV, "NL80211_ATTR_WDEV", codec.U64),
        Attr(NL80211_ATTR_USER_REG_HINT_TYPE, "NL80211_ATTR_USER_REG_HINT_TYPE", codec.U32),
        Attr(NL80211_ATTR_SCAN_FLAGS, "NL80211_ATTR_SCAN_FLAGS", codec.U32),
        Attr(NL80211_ATTR_CHANNEL_WIDTH, "NL80211_ATTR_CHANNEL_WIDTH", codec.U32),
        Attr(NL80211_ATTR_CENTER_FREQ1, "NL80211_ATTR_CENTER_FREQ1", codec.U32),
        Attr(NL80211_ATTR_CENTER_FREQ2, "NL80211_ATTR_CENTER_FREQ2", codec.U32),
        Attr(NL80211_ATTR_SPLIT_WIPHY_DUMP, "NL80211_ATTR_SPLIT_WIPHY_DUMP", codec.FLAG),
        Attr(NL80211_ATTR_SOCKET_OWNER, "NL80211_ATTR_SOCKET_OWNER", codec.FLAG),
        Attr(
            NL80211_ATTR_WIPHY_SELF_MANAGED_REG, "NL80211_ATTR_WIPHY_SELF_MANAGED_REG", codec.FLAG
        ),
        Attr(NL80211_ATTR_EXT_FEATURES, "NL80211_ATTR_EXT_FEATURES", codec.BINARY),
        Attr(NL80211_ATTR_NETNS_FD, "NL80211_ATTR_NETNS_FD", codec.U32),
        Attr(NL80211_ATTR_TIMEOUT_REASON, "NL80211_ATTR_TIMEOUT_REASON", codec.U32),
        Attr(NL80211_ATTR_WIPHY_FREQ_OFFSET, "NL80211_ATTR_WIPHY_FREQ_OFFSET", codec.U32),
    ),
)
