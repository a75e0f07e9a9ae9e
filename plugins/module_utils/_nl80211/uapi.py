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

# enum nl80211_commands (the ones used here)
NL80211_CMD_GET_WIPHY = 1  # request information about a wiphy or dump request
NL80211_CMD_SET_WIPHY = 2
NL80211_CMD_NEW_WIPHY = 3  # wiphy info, reply to GET_WIPHY or notification
NL80211_CMD_DEL_WIPHY = 4
NL80211_CMD_GET_INTERFACE = 5  # request an interface's configuration; or dump all
NL80211_CMD_SET_INTERFACE = 6  # set type of a virtual interface
NL80211_CMD_NEW_INTERFACE = 7  # newly created virtual interface or response to GET
NL80211_CMD_DEL_INTERFACE = 8  # virtual interface was deleted, or delete request
NL80211_CMD_REQ_SET_REG = 27  # ask the wireless core to set the regulatory domain to the
# specified ISO/IEC 3166-1 alpha2 country code
NL80211_CMD_GET_REG = 31  # ask the wireless core for its currently set regulatory domain
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
NL80211_ATTR_WIPHY_BANDS = 22  # information about an operating bands, nested per band
NL80211_ATTR_MNTR_FLAGS = 23  # flags, nested element with NLA_FLAG attributes of
# &enum nl80211_mntr_flags
NL80211_ATTR_MESH_ID = 24  # mesh id (1-32 bytes)
NL80211_ATTR_SUPPORTED_IFTYPES = 32  # nested attribute containing all supported interface
# types, each a flag attribute with the number of the interface mode
NL80211_ATTR_REG_ALPHA2 = 33  # an ISO-3166-alpha2 country code for which the current
# regulatory domain should be set to or is already set to
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
NL80211_ATTR_PS_STATE = 93  # powersave state, using enum nl80211_ps_state values
NL80211_ATTR_WIPHY_TX_POWER_SETTING = 97  # transmit power setting type, enum
# nl80211_tx_power_setting
NL80211_ATTR_WIPHY_TX_POWER_LEVEL = 98  # transmit power level in signed mBm units
NL80211_ATTR_WIPHY_ANTENNA_TX = 105  # bitmap of allowed antennas for transmitting
NL80211_ATTR_WIPHY_ANTENNA_RX = 106  # bitmap of allowed antennas for receiving
NL80211_ATTR_WIPHY_ANTENNA_AVAIL_TX = 113  # bitmap of antennas which are available for
# configuration as TX antennas
NL80211_ATTR_WIPHY_ANTENNA_AVAIL_RX = 114
NL80211_ATTR_SOFTWARE_IFTYPES = 121  # interface types that are software
NL80211_ATTR_FEATURE_FLAGS = 143
NL80211_ATTR_DFS_REGION = 146  # region for regulatory rules this regulatory domain
# should comply with (enum nl80211_dfs_regions)
NL80211_ATTR_WDEV = 153  # wireless device identifier, used for pseudo-devices that don't
# have a netdev (u64)
NL80211_ATTR_SCAN_FLAGS = 158  # scan request control flags (u32)
NL80211_ATTR_CHANNEL_WIDTH = 159  # u32 attribute containing one of the values of
# &enum nl80211_chan_width
NL80211_ATTR_CENTER_FREQ1 = 160
NL80211_ATTR_CENTER_FREQ2 = 161
NL80211_ATTR_SPLIT_WIPHY_DUMP = 174  # flag attribute, userspace supports receiving the data
# for a single wiphy split across multiple messages
NL80211_ATTR_SOCKET_OWNER = 204
NL80211_ATTR_WIPHY_SELF_MANAGED_REG = 216  # flag: the regulatory domain of this wiphy is
# managed by its driver (GET_REG per wiphy)
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

# enum nl80211_dfs_regions
NL80211_DFS_UNSET = 0
NL80211_DFS_FCC = 1
NL80211_DFS_ETSI = 2
NL80211_DFS_JP = 3
DFS_REGION_NAMES = {0: "unset", 1: "FCC", 2: "ETSI", 3: "JP"}

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
        Attr(NL80211_ATTR_WIPHY_RETRY_SHORT, "NL80211_ATTR_WIPHY_RETRY_SHORT", codec.U8),
        Attr(NL80211_ATTR_WIPHY_RETRY_LONG, "NL80211_ATTR_WIPHY_RETRY_LONG", codec.U8),
        Attr(NL80211_ATTR_WIPHY_FRAG_THRESHOLD, "NL80211_ATTR_WIPHY_FRAG_THRESHOLD", codec.U32),
        Attr(NL80211_ATTR_WIPHY_RTS_THRESHOLD, "NL80211_ATTR_WIPHY_RTS_THRESHOLD", codec.U32),
        Attr(NL80211_ATTR_TIMED_OUT, "NL80211_ATTR_TIMED_OUT", codec.FLAG),
        Attr(NL80211_ATTR_STATUS_CODE, "NL80211_ATTR_STATUS_CODE", codec.U16),
        Attr(NL80211_ATTR_PID, "NL80211_ATTR_PID", codec.U32),
        Attr(NL80211_ATTR_4ADDR, "NL80211_ATTR_4ADDR", codec.U8),
        Attr(NL80211_ATTR_PS_STATE, "NL80211_ATTR_PS_STATE", codec.U32),
        Attr(NL80211_ATTR_WIPHY_TX_POWER_SETTING, "NL80211_ATTR_WIPHY_TX_POWER_SETTING", codec.U32),
        Attr(NL80211_ATTR_WIPHY_TX_POWER_LEVEL, "NL80211_ATTR_WIPHY_TX_POWER_LEVEL", codec.S32),
        Attr(NL80211_ATTR_WIPHY_ANTENNA_TX, "NL80211_ATTR_WIPHY_ANTENNA_TX", codec.U32),
        Attr(NL80211_ATTR_WIPHY_ANTENNA_RX, "NL80211_ATTR_WIPHY_ANTENNA_RX", codec.U32),
        Attr(NL80211_ATTR_WIPHY_ANTENNA_AVAIL_TX, "NL80211_ATTR_WIPHY_ANTENNA_AVAIL_TX", codec.U32),
        Attr(NL80211_ATTR_WIPHY_ANTENNA_AVAIL_RX, "NL80211_ATTR_WIPHY_ANTENNA_AVAIL_RX", codec.U32),
        Attr(
            NL80211_ATTR_SOFTWARE_IFTYPES,
            "NL80211_ATTR_SOFTWARE_IFTYPES",
            FLAG_TYPES,
            NLA_F_NESTED,
        ),
        Attr(NL80211_ATTR_FEATURE_FLAGS, "NL80211_ATTR_FEATURE_FLAGS", codec.U32),
        Attr(NL80211_ATTR_DFS_REGION, "NL80211_ATTR_DFS_REGION", codec.U8),
        Attr(NL80211_ATTR_WDEV, "NL80211_ATTR_WDEV", codec.U64),
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
