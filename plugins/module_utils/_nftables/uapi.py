# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: nf_tables UAPI constants and attribute tables.

Source: /usr/include/linux/netfilter/nf_tables.h and linux/netfilter.h (Linux 6.1 UAPI
headers, Debian 12). The user-data TLVs at the end are nft's own format (not kernel UAPI):
what nftables 1.0.6 writes into NFTA_SET_USERDATA and NFTA_SET_ELEM_USERDATA, read from
``strace -x nft -f`` captures (see tests/unit/plugins/module_utils/_nftables).

nft sends its big-endian attributes without ``NLA_F_NET_BYTEORDER`` (the kernel does not look
at it); these tables do the same, so requests are byte for byte what nft sends.
"""

from __future__ import annotations

from ansible_collections.linux.netlink.plugins.module_utils._netlink import codec
from ansible_collections.linux.netlink.plugins.module_utils._netlink.codec import Attr, AttrSet

# enum nf_tables_msg_types
NFT_MSG_NEWTABLE = 0
NFT_MSG_GETTABLE = 1
NFT_MSG_DELTABLE = 2
NFT_MSG_NEWCHAIN = 3
NFT_MSG_GETCHAIN = 4
NFT_MSG_DELCHAIN = 5
NFT_MSG_NEWRULE = 6
NFT_MSG_GETRULE = 7
NFT_MSG_DELRULE = 8
NFT_MSG_NEWSET = 9
NFT_MSG_GETSET = 10
NFT_MSG_DELSET = 11
NFT_MSG_NEWSETELEM = 12
NFT_MSG_GETSETELEM = 13
NFT_MSG_DELSETELEM = 14
NFT_MSG_NEWGEN = 15
NFT_MSG_GETGEN = 16

COMMANDS = {
    value: name
    for name, value in globals().items()
    if name.startswith("NFT_MSG_") and isinstance(value, int)
}

# enum nft_set_flags
NFT_SET_ANONYMOUS = 0x1
NFT_SET_CONSTANT = 0x2  # set contents may not change while bound
NFT_SET_INTERVAL = 0x4  # set contains intervals
NFT_SET_MAP = 0x8  # set is used as a dictionary
NFT_SET_TIMEOUT = 0x10  # set uses timeouts
NFT_SET_EVAL = 0x20  # set can be updated from the evaluation path
NFT_SET_OBJECT = 0x40
NFT_SET_CONCAT = 0x80  # set contains a concatenation
NFT_SET_EXPR = 0x100  # set contains expressions

# enum nft_set_policies
NFT_SET_POL_PERFORMANCE = 0
NFT_SET_POL_MEMORY = 1

# enum nft_set_elem_flags
NFT_SET_ELEM_INTERVAL_END = 0x1  # element ends the previous interval
NFT_SET_ELEM_CATCHALL = 0x2

# enum nft_data_types
NFT_DATA_VALUE = 0
NFT_DATA_VERDICT = 0xFFFFFF00

# linux/netfilter.h and enum nft_verdicts
NF_DROP = 0
NF_ACCEPT = 1
NFT_CONTINUE = -1
NFT_BREAK = -2
NFT_JUMP = -3
NFT_GOTO = -4
NFT_RETURN = -5

NFT_NAME_MAXLEN = 256  # names of tables, sets (NLA_STRING, NFT_NAME_MAXLEN - 1 characters)
NFT_USERDATA_MAXLEN = 256

# a signed __be32 (verdict codes are negative for jump, goto, return, ...)
_BE32S = codec.Codec(
    "be32s",
    lambda v: (v & 0xFFFFFFFF).to_bytes(4, "big"),
    lambda b: int.from_bytes(b[:4], "big", signed=True),
    4,
    4,
)

# enum nft_table_attributes
NFTA_TABLE = AttrSet(
    "NFTA_TABLE_",
    (
        Attr(1, "NFTA_TABLE_NAME", codec.STRZ),
        Attr(2, "NFTA_TABLE_FLAGS", codec.BE32),
        Attr(3, "NFTA_TABLE_USE", codec.BE32),
        Attr(4, "NFTA_TABLE_HANDLE", codec.BE64),
        Attr(6, "NFTA_TABLE_USERDATA", codec.BINARY),
        Attr(7, "NFTA_TABLE_OWNER", codec.BE32),
    ),
)

# enum nft_verdict_attributes
NFTA_VERDICT = AttrSet(
    "NFTA_VERDICT_",
    (
        Attr(1, "NFTA_VERDICT_CODE", _BE32S),
        Attr(2, "NFTA_VERDICT_CHAIN", codec.STRZ),
    ),
)

# enum nft_data_attributes
NFTA_DATA = AttrSet(
    "NFTA_DATA_",
    (
        Attr(1, "NFTA_DATA_VALUE", codec.BINARY),
        Attr(2, "NFTA_DATA_VERDICT", codec.NESTED, nested=NFTA_VERDICT),
    ),
)

# enum nft_counter_attributes
NFTA_COUNTER = AttrSet(
    "NFTA_COUNTER_",
    (
        Attr(1, "NFTA_COUNTER_BYTES", codec.BE64),
        Attr(2, "NFTA_COUNTER_PACKETS", codec.BE64),
    ),
)

# enum nft_expr_attributes (the data of the only expression sets carry here: counter)
NFTA_EXPR = AttrSet(
    "NFTA_EXPR_",
    (
        Attr(1, "NFTA_EXPR_NAME", codec.STRZ),
        Attr(2, "NFTA_EXPR_DATA", codec.NESTED, nested=NFTA_COUNTER),
    ),
)

# enum nft_set_field_attributes
NFTA_SET_FIELD = AttrSet(
    "NFTA_SET_FIELD_", (Attr(1, "NFTA_SET_FIELD_LEN", codec.BE32),)
)

# enum nft_list_attributes, holding NFTA_SET_FIELD_*
NFTA_LIST_FIELD = AttrSet(
    "NFTA_LIST_", (Attr(1, "NFTA_LIST_ELEM", codec.NESTED, nested=NFTA_SET_FIELD, multi=True),)
)

# enum nft_set_desc_attributes
NFTA_SET_DESC = AttrSet(
    "NFTA_SET_DESC_",
    (
        Attr(1, "NFTA_SET_DESC_SIZE", codec.BE32),
        Attr(2, "NFTA_SET_DESC_CONCAT", codec.NESTED, nested=NFTA_LIST_FIELD),
    ),
)

# enum nft_set_attributes
NFTA_SET = AttrSet(
    "NFTA_SET_",
    (
        Attr(1, "NFTA_SET_TABLE", codec.STRZ),
        Attr(2, "NFTA_SET_NAME", codec.STRZ),
        Attr(3, "NFTA_SET_FLAGS", codec.BE32),
        Attr(4, "NFTA_SET_KEY_TYPE", codec.BE32),
        Attr(5, "NFTA_SET_KEY_LEN", codec.BE32),
        Attr(6, "NFTA_SET_DATA_TYPE", codec.BE32),
        Attr(7, "NFTA_SET_DATA_LEN", codec.BE32),
        Attr(8, "NFTA_SET_POLICY", codec.BE32),
        Attr(9, "NFTA_SET_DESC", codec.NESTED, nested=NFTA_SET_DESC),
        Attr(10, "NFTA_SET_ID", codec.BE32),
        Attr(11, "NFTA_SET_TIMEOUT", codec.BE64),
        Attr(12, "NFTA_SET_GC_INTERVAL", codec.BE32),
        Attr(13, "NFTA_SET_USERDATA", codec.BINARY),
        Attr(16, "NFTA_SET_HANDLE", codec.BE64),
        Attr(17, "NFTA_SET_EXPR", codec.NESTED, nested=NFTA_EXPR),
    ),
)

# enum nft_set_elem_attributes
NFTA_SET_ELEM = AttrSet(
    "NFTA_SET_ELEM_",
    (
        Attr(1, "NFTA_SET_ELEM_KEY", codec.NESTED, nested=NFTA_DATA),
        Attr(2, "NFTA_SET_ELEM_DATA", codec.NESTED, nested=NFTA_DATA),
        Attr(3, "NFTA_SET_ELEM_FLAGS", codec.BE32),
        Attr(4, "NFTA_SET_ELEM_TIMEOUT", codec.BE64),
        Attr(5, "NFTA_SET_ELEM_EXPIRATION", codec.BE64),
        Attr(6, "NFTA_SET_ELEM_USERDATA", codec.BINARY),
        Attr(7, "NFTA_SET_ELEM_EXPR", codec.NESTED, nested=NFTA_EXPR),
        Attr(10, "NFTA_SET_ELEM_KEY_END", codec.NESTED, nested=NFTA_DATA),
    ),
)

# enum nft_set_elem_list_attributes
NFTA_SET_ELEM_LIST = AttrSet(
    "NFTA_SET_ELEM_LIST_",
    (
        Attr(1, "NFTA_SET_ELEM_LIST_TABLE", codec.STRZ),
        Attr(2, "NFTA_SET_ELEM_LIST_SET", codec.STRZ),
        Attr(3, "NFTA_SET_ELEM_LIST_ELEMENTS", codec.ARRAY, nested=NFTA_SET_ELEM),
        Attr(4, "NFTA_SET_ELEM_LIST_SET_ID", codec.BE32),
    ),
)
NFTA_SET_ELEM_LIST_ELEMENTS = 3
NFTA_LIST_ELEM = 1
NFTA_SET_ELEM_KEY_END = 10  # the last key of a concatenated range (pipapo sets)

# enum nft_gen_attributes
NFTA_GEN = AttrSet(
    "NFTA_GEN_",
    (
        Attr(1, "NFTA_GEN_ID", codec.BE32),
        Attr(2, "NFTA_GEN_PROC_PID", codec.BE32),
        Attr(3, "NFTA_GEN_PROC_NAME", codec.STRZ),
    ),
)

# enum nft_rule_attributes / nft_expr_attributes / nft_lookup_attributes / nft_dynset: just
# what finds the sets a rule references (lookup, dynset and objref expressions).
NFTA_LOOKUP = AttrSet("NFTA_LOOKUP_", (Attr(1, "NFTA_LOOKUP_SET", codec.STRZ),))
NFTA_RULE_EXPR = AttrSet(
    "NFTA_EXPR_",
    (
        Attr(1, "NFTA_EXPR_NAME", codec.STRZ),
        Attr(2, "NFTA_EXPR_DATA", codec.BINARY),
    ),
)
NFTA_RULE_EXPRS = AttrSet(
    "NFTA_LIST_", (Attr(1, "NFTA_LIST_ELEM", codec.NESTED, nested=NFTA_RULE_EXPR, multi=True),)
)
NFTA_RULE = AttrSet(
    "NFTA_RULE_",
    (
        Attr(1, "NFTA_RULE_TABLE", codec.STRZ),
        Attr(2, "NFTA_RULE_CHAIN", codec.STRZ),
        Attr(3, "NFTA_RULE_HANDLE", codec.BE64),
        Attr(4, "NFTA_RULE_EXPRESSIONS", codec.NESTED, nested=NFTA_RULE_EXPRS),
    ),
)
# The attribute naming the set in each expression type that references one:
# NFTA_LOOKUP_SET (lookup), NFTA_DYNSET_SET_NAME (dynset), NFTA_OBJREF_SET_NAME (objref).
SET_REFERENCES = {"lookup": 1, "dynset": 1, "objref": 4}

# nft's user-data TLVs (u8 type, u8 length, value), enum nftnl_udata_set_types
NFTNL_UDATA_SET_KEYBYTEORDER = 0
NFTNL_UDATA_SET_DATABYTEORDER = 1
NFTNL_UDATA_SET_MERGE_ELEMENTS = 2
NFTNL_UDATA_SET_KEY_TYPEOF = 3
NFTNL_UDATA_SET_DATA_TYPEOF = 4
NFTNL_UDATA_SET_EXPR = 5
NFTNL_UDATA_SET_DATA_INTERVAL = 6
NFTNL_UDATA_SET_COMMENT = 7
# enum nftnl_udata_set_elem_types
NFTNL_UDATA_SET_ELEM_COMMENT = 0
NFTNL_UDATA_SET_ELEM_FLAGS = 1
# nft's enum byteorder
BYTEORDER_INVALID = 0
BYTEORDER_HOST_ENDIAN = 1
BYTEORDER_BIG_ENDIAN = 2
