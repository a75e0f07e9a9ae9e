# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: pure planning for wifi_phy (normalise, find, plan, view, predict).

A radio is found by name or index in the namespace the module works in, or (when it was moved
there already) in the target namespace; `plan` compares the wanted settings with what
NL80211_CMD_GET_WIPHY reported (a `RadioSettings`) and returns the steps, in the order they are
applied: rename, thresholds and retry limits (one request), antennas, and the move last.
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Sequence

from ansible_collections.linux.netlink.plugins.module_utils._netlink.errors import NamespaceError
from ansible_collections.linux.netlink.plugins.module_utils._netlink.netns import netns_path
from ansible_collections.linux.netlink.plugins.module_utils._nl80211 import uapi as u
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.model import RadioSettings
from ansible_collections.linux.netlink.plugins.module_utils._nl80211.plan import OptionError, Step

WIPHY_NAME_MAX = 19  # nl80211's policy: NL80211_ATTR_WIPHY_NAME is a NUL string of up to 20 - 1
SETTINGS = ("retry_short", "retry_long", "frag_threshold", "rts_threshold")


class Target(NamedTuple):
    """Where to move the radio: a namespace file, or the namespace of a process."""

    spec: str  # as given
    path: str  # the namespace file (/run/netns/NAME, a path, or /proc/PID/ns/net)
    pid: Optional[int]


class PhyWant(NamedTuple):
    name: str  # a radio name, or its index as digits
    new_name: Optional[str] = None
    target: Optional[Target] = None
    retry_short: Optional[int] = None
    retry_long: Optional[int] = None
    frag_threshold: Optional[int] = None  # u.THRESHOLD_OFF for off
    rts_threshold: Optional[int] = None
    antenna_tx: Optional[int] = None
    antenna_rx: Optional[int] = None


def _number(option: str, value: Any, low: int, high: int, off: bool = False) -> Optional[int]:
    if value is None:
        return None
    if off and (value is False or str(value).strip().lower() in ("off", "false", "no")):
        return u.THRESHOLD_OFF
    text = str(value).strip().lower()
    try:
        number = int(text, 0) if not isinstance(value, int) or isinstance(value, bool) else value
    except ValueError:
        number = None
    if isinstance(value, bool) or number is None or not low <= number <= high:
        raise OptionError(
            "%s: %r is not %s from %d to %d" % (option, value, "off or a number" if off else
                                                "a number", low, high)
        )  # fmt: skip
    return number


def normalise_name(option: str, value: Any) -> Optional[str]:
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text.encode("utf-8")) > WIPHY_NAME_MAX or "/" in text:
        raise OptionError(
            "%s: %r is not a radio name (1 to %d bytes, no '/')" % (option, value, WIPHY_NAME_MAX)
        )
    if any(c.isspace() for c in text) or text in (".", ".."):
        raise OptionError("%s: %r is not a radio name" % (option, value))
    return text


def normalise_target(value: Any) -> Optional[Target]:
    """A name under /run/netns, a path to a namespace file, or a process ID."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if text.isdigit():
        pid = int(text)
        if pid <= 0:
            raise OptionError("target_netns: %r is not a process ID" % value)
        return Target(text, "/proc/%d/ns/net" % pid, pid)
    try:
        return Target(text, netns_path(text), None)
    except NamespaceError as exc:
        raise OptionError("target_netns: %s" % exc) from None


def normalise(params: Dict[str, Any]) -> PhyWant:
    name = normalise_name("name", params.get("name"))
    if name is None:
        raise OptionError("name: required")
    frag = _number("frag_threshold", params.get("frag_threshold"), 256, 8000, off=True)
    if frag is not None and frag != u.THRESHOLD_OFF:
        frag &= ~1  # the kernel keeps an even threshold (rounds an odd one down)
    want = PhyWant(
        name=name,
        new_name=normalise_name("new_name", params.get("new_name")),
        target=normalise_target(params.get("target_netns")),
        retry_short=_number("retry_short", params.get("retry_short"), 1, 255),
        retry_long=_number("retry_long", params.get("retry_long"), 1, 255),
        frag_threshold=frag,
        rts_threshold=_number("rts_threshold", params.get("rts_threshold"), 0, 65536, off=True),
        antenna_tx=_number("antenna_tx", params.get("antenna_tx"), 1, 0xFFFFFFFF),
        antenna_rx=_number("antenna_rx", params.get("antenna_rx"), 1, 0xFFFFFFFF),
    )
    return want


# --------------------------------------------------------------------------- find and plan


def _matches(radio: RadioSettings, spec: str) -> bool:
    return radio.name == spec or (spec.isdigit() and radio.index == int(spec))


def find(want: PhyWant, radios: Sequence[RadioSettings]) -> Optional[RadioSettings]:
    """The radio by ``name``, or by ``new_name`` when it was renamed already."""
    for spec in (want.name, want.new_name):
        if spec is None:
            continue
        found = next((r for r in radios if _matches(r, spec)), None)
        if found is not None:
            return found
    return None


def plan(want: PhyWant, radio: RadioSettings, move: bool) -> List[Step]:
    """The steps that take ``radio`` to ``want``; ``move``: it is not in the target namespace."""
    steps = []
    if want.new_name is not None and want.new_name != radio.name:
        steps.append(Step("rename", {"new_name": want.new_name}))
    changes = {
        key: getattr(want, key)
        for key in SETTINGS
        if getattr(want, key) is not None and getattr(want, key) != getattr(radio, key)
    }
    if changes:
        steps.append(Step("set", changes))
    if want.antenna_tx is not None or want.antenna_rx is not None:
        tx = want.antenna_tx if want.antenna_tx is not None else radio.antenna_tx
        rx = want.antenna_rx if want.antenna_rx is not None else radio.antenna_rx
        tx = tx if tx is not None else rx  # the kernel takes both or neither, as iw sends them
        rx = rx if rx is not None else tx
        if (tx, rx) != (radio.antenna_tx, radio.antenna_rx):
            steps.append(Step("set", {"antenna_tx": tx, "antenna_rx": rx}))
    if move:
        steps.append(Step("move", {"target_netns": want.target.spec if want.target else None}))
    return steps


# --------------------------------------------------------------------------- views


def _threshold(value: Optional[int]) -> Any:
    return "off" if value == u.THRESHOLD_OFF else value


def view(radio: Optional[RadioSettings], netns: Optional[str]) -> Dict[str, Any]:
    """What the module shows of a radio (and compares in a diff); ``netns``: where it is."""
    if radio is None:
        return {}
    return {
        "name": radio.name,
        "index": radio.index,
        "netns": netns,
        "retry_short": radio.retry_short,
        "retry_long": radio.retry_long,
        "frag_threshold": _threshold(radio.frag_threshold),
        "rts_threshold": _threshold(radio.rts_threshold),
        "antenna_tx": radio.antenna_tx,
        "antenna_rx": radio.antenna_rx,
        "antenna_available_tx": radio.antenna_avail_tx,
        "antenna_available_rx": radio.antenna_avail_rx,
    }


def predict(before: Dict[str, Any], steps: Sequence[Step]) -> Dict[str, Any]:
    """The view after ``steps`` (check mode)."""
    after = dict(before)
    for step in steps:
        if step.action == "rename":
            after["name"] = step.args["new_name"]
        elif step.action == "set":
            after.update({k: _threshold(v) for k, v in step.args.items()})
        elif step.action == "move":
            after["netns"] = step.args["target_netns"]
    return after


def describe(step: Step, name: str) -> str:
    if step.action == "rename":
        return "rename %s to %s" % (name, step.args["new_name"])
    if step.action == "move":
        return "move %s to network namespace %s" % (name, step.args["target_netns"])
    return "set %s %s" % (
        name,
        ", ".join("%s=%s" % (k, _threshold(v)) for k, v in sorted(step.args.items())),
    )
