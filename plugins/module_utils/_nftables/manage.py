# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: observe, plan and apply nft sets and elements.

What the modules nft_set, nft_set_element and nft_set_info do, without Ansible: each
function reads the generation first, plans against what it read, and commits one
transaction carrying that generation (nothing when in check mode), then reads back.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Dict, Iterator, List, Optional, Sequence

from ansible_collections.linux.netlink.plugins.module_utils._netlink.codec import gc_paused
from ansible_collections.linux.netlink.plugins.module_utils._nftables import plan as P
from ansible_collections.linux.netlink.plugins.module_utils._nftables import types as T
from ansible_collections.linux.netlink.plugins.module_utils._nftables.client import (
    FAMILIES,
    Element,
    NftClient,
    NftError,
    SetSpec,
    Transaction,
)
from ansible_collections.linux.netlink.plugins.module_utils._nftables.types import (
    NftInputError,
)

# The argument spec of the options that address a table (doc fragment linux.netlink.nftables).
TABLE_SPEC: Dict[str, Any] = {
    "family": {"type": "str", "default": "inet", "choices": sorted(FAMILIES)},
    "table": {"type": "str", "required": True},
}


def describe(spec: SetSpec, elements: Optional[List[Element]] = None) -> Dict[str, Any]:
    """A set as data (module results, diffs); elements in nft syntax when given."""
    out: Dict[str, Any] = {
        "family": spec.family,
        "table": spec.table,
        "name": spec.name,
        "kind": spec.kind,
        "type": spec.key.name,
        "flags": list(spec.flags),
        "timeout": spec.timeout // 1000 if spec.timeout % 1000 == 0 else spec.timeout / 1000,
        "gc_interval": spec.gc_interval // 1000 if spec.gc_interval % 1000 == 0
        else spec.gc_interval / 1000,
        "size": spec.size,
        "policy": spec.policy,
        "auto_merge": spec.auto_merge,
        "counter": spec.counter,
        "comment": spec.comment,
    }
    if spec.data is not None:
        out["map"] = spec.data.name
    if elements is not None:
        out["elements"] = sorted(P.format_element(spec, e) for e in elements)
    return out


def element_data(spec: SetSpec, element: Element) -> Dict[str, Any]:
    """One element as data (nft_set_info)."""
    out: Dict[str, Any] = {"key": P.format_key(spec, element)}
    if element.data is not None:
        out["value"] = (T.format_verdict(*element.data) if isinstance(element.data, tuple)
                        else T.format_value(spec.data, element.data))  # type: ignore[arg-type]
    if element.timeout:
        out["timeout"] = element.timeout / 1000
    if element.expires:
        out["expires"] = element.expires / 1000
    if element.comment:
        out["comment"] = element.comment
    if element.counter is not None:
        out["counter"] = {"packets": element.counter[0], "bytes": element.counter[1]}
    return out


def render(spec: SetSpec, elements: Optional[List[Element]]) -> str:
    """The set in nft syntax, as ``nft list set`` prints it (without the table around it)."""
    lines = ["%s %s {" % (spec.kind, spec.name)]
    kind = spec.key.name + (" : " + spec.data.name if spec.data is not None else "")
    lines.append("\ttype %s" % kind)
    if spec.size:
        lines.append("\tsize %d" % spec.size)
    shown = [f for f in spec.flags if not (f == "timeout" and spec.timeout)]
    if shown:
        lines.append("\tflags %s" % ",".join(sorted(shown)))
    if spec.counter:
        lines.append("\tcounter")
    if spec.timeout:
        lines.append("\ttimeout %s" % P.format_time(spec.timeout))
    if spec.gc_interval:
        lines.append("\tgc-interval %s" % P.format_time(spec.gc_interval))
    if spec.policy != "performance":
        lines.append("\tpolicy %s" % spec.policy)
    if spec.auto_merge:
        lines.append("\tauto-merge")
    if spec.comment:
        lines.append('\tcomment "%s"' % spec.comment)
    if elements:
        lines.append("\telements = { %s }" % ", ".join(
            P.format_element(spec, e) for e in sorted(elements, key=lambda e: e.key)))
    lines.append("}")
    return "\n".join(lines)


def _refusal_if_referenced(client: NftClient, spec: SetSpec, why: str) -> None:
    rules = client.references(spec.family, spec.table).get(spec.name)
    if rules:
        raise NftError(
            "%s %s %s %s is referenced by %s (%s); %s. Remove or change those rules first."
            % (spec.kind, spec.family, spec.table, spec.name,
               "a rule" if len(rules) == 1 else "%d rules" % len(rules), "; ".join(rules), why)
        )


def ensure_set(
    client: NftClient, desired: Optional[SetSpec], family: str, table: str, name: str,
    state: str, create_table: bool, check_mode: bool, given: Optional[Sequence[str]] = None,
) -> Dict[str, Any]:
    """nft_set: the set present as declared (recreated with its elements if it must be),
    or absent. Only the options in ``given`` are compared (None: all of them)."""
    genid = client.genid()
    has_table = client.has_table(family, table)
    current = client.get_set(family, table, name) if has_table else None
    txn = Transaction()
    drift: List[str] = []
    carried: List[Element] = []
    if state == "absent":
        if current is not None:
            _refusal_if_referenced(client, current, "a set in use cannot be deleted")
            txn.del_set(current)
    else:
        if desired is None:
            raise NftInputError("type: needed to create the set (such as ipv4_addr)")
        if not has_table:
            if not create_table:
                raise NftInputError(
                    "table: %s %s does not exist (create_table: true creates it)"
                    % (family, table)
                )
            txn.add_table(family, table)
        if current is None:
            txn.add_set(desired)
        else:
            if given is not None:
                desired = P.converge_spec(current, desired, given)
            drift = P.set_differences(current, desired)
            if drift:
                _refusal_if_referenced(
                    client, current,
                    "the kernel cannot change %s on a live set and a set in use cannot be "
                    "replaced" % ", ".join(drift),
                )
                carried = P.carry_elements(current, desired, client.elements(current))
                txn.del_set(current)
                txn.add_set(desired)
                txn.add_elements(desired, carried, P.labeller(desired))
    if txn and not check_mode:
        client.commit(txn, genid)
    before = describe(current) if current is not None else {}
    if check_mode:
        after = describe(desired) if state == "present" and desired else {}
        if state == "present" and current is not None and not drift:
            after = before
    else:
        now = client.get_set(family, table, name) if state == "present" else None
        after = describe(now) if now is not None else {}
    result: Dict[str, Any] = {"changed": bool(txn), "drift": drift,
                              "diff": {"before": before, "after": after}}
    if after:
        result["set"] = after
    if carried:
        result["recreated_with"] = len(carried)
    return result


def ensure_elements(
    client: NftClient, family: str, table: str, name: str, raw_items: Sequence[Any],
    state: str, check_mode: bool, want_diff: bool = True,
) -> Dict[str, Any]:
    """nft_set_element: elements present, absent, or exactly these, in one transaction.

    The cyclic garbage collector is paused throughout: a large set is many small objects."""
    with gc_paused():
        return _ensure_elements(client, family, table, name, raw_items, state, check_mode,
                                want_diff)


def _ensure_elements(
    client: NftClient, family: str, table: str, name: str, raw_items: Sequence[Any],
    state: str, check_mode: bool, want_diff: bool,
) -> Dict[str, Any]:
    genid = client.genid()
    spec = client.get_set(family, table, name) if client.has_table(family, table) else None
    if spec is None:
        raise NftInputError("set: %s %s %s does not exist (create it with "
                            "linux.netlink.nft_set)" % (family, table, name))
    items = P.parse_elements(spec, raw_items)
    current = client.elements(spec)
    plan = P.plan_elements(spec, current, items, state)
    if not plan.changed or check_mode:
        return _element_result(spec, current, plan, want_diff)
    txn = Transaction()
    if plan.delete:
        txn.del_elements(spec, plan.delete, P.labeller(spec))
    if plan.add:
        txn.add_elements(spec, plan.add, P.labeller(spec))
    with _committed_meanwhile(client, txn, genid):
        return _element_result(spec, current, plan, want_diff)


@contextlib.contextmanager
def _committed_meanwhile(client: NftClient, txn: Transaction, genid: int) -> Iterator[None]:
    """Commit ``txn`` in a thread while the body runs, and raise its error after the body.

    The kernel applies a batch inside the sending thread's system call, which runs without
    Python's GIL: the result is formatted meanwhile (for a fill of 100k addresses the
    ``added`` list, ~40 ms of ~0.25 s) instead of after it."""
    failed: List[BaseException] = []

    def commit() -> None:
        try:
            client.commit(txn, genid)
        except BaseException as exc:  # raised again in the caller's thread, after the body
            failed.append(exc)

    worker = threading.Thread(target=commit, name="nft-commit")
    worker.start()
    try:
        yield
    finally:
        worker.join()
    if failed:
        raise failed[0]


def _element_result(spec: SetSpec, current: List[Element], plan: P.ElementPlan,
                    want_diff: bool) -> Dict[str, Any]:
    """nft_set_element's result: the plan in nft syntax (and the diff, when asked)."""
    result: Dict[str, Any] = {
        "changed": plan.changed,
        "added": sorted(P.labels(spec, plan.add)),
        "removed": sorted(P.labels(spec, plan.delete)),
        "set": describe(spec),
    }
    if want_diff:
        result["diff"] = {
            "before": "\n".join(sorted(P.labels(spec, current))) + "\n",
            "after": "\n".join(sorted(P.labels(spec, plan.after))) + "\n",
        }
    return result


def gather(client: NftClient, family: str, table: str, names: Sequence[str],
           elements: bool) -> Dict[str, Any]:
    """nft_set_info: tables and sets (and their elements), as data and in nft syntax."""
    tables = [{"family": f, "name": t} for f, t in client.tables(family)
              if not table or t == table]
    sets: List[Dict[str, Any]] = []
    for spec, raw in client.sets(family, table):
        if names and raw.get("name") not in names:
            continue
        if spec is None:
            sets.append({"family": raw["family"], "table": raw.get("table"),
                         "name": raw.get("name"), "supported": False})
            continue
        els = client.elements(spec) if elements else None
        entry = describe(spec, els)
        entry["supported"] = True
        entry["nft"] = render(spec, els)
        if els is not None:
            entry["element_data"] = [element_data(spec, e) for e in els]
        sets.append(entry)
    return {"changed": False, "tables": tables, "sets": sets, "genid": client.genid()}
