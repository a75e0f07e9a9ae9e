# SPDX-License-Identifier: GPL-3.0-or-later
"""Every accelerator in _ipset.accelerators.ACCELERATORS against its general path.

For each row, the public function runs twice on the same generated input: as shipped, and
with the accelerator replaced by one that always declines (so the general path answers).
Results must be equal, and an input one side rejects the other must reject with the same
error. A row needs a driver here (how to call the public function, and inputs that reach
both paths); a row without one fails.
"""

from __future__ import annotations

import importlib
import inspect
import os
import tempfile
from typing import Any, Callable, Dict, Tuple

import pytest
from ansible_collections.linux.netlink.plugins.module_utils._ipset.accelerators import (
    ACCELERATORS,
    Accelerator,
)
from hypothesis import given, settings
from hypothesis import strategies as st

PACKAGE = "ansible_collections.linux.netlink.plugins.module_utils._ipset."

# ------------------------------------------------------------------ read_entries_file

# Lines as they occur in entry files, and near misses of the one-word form.
LINES = st.sampled_from(
    [
        "10.0.0.1", "192.0.2.7/32", "2001:db8::1", "10.0.0.1,tcp:80", "10.0.0.0/8,eth0",
        "#x", "# a comment", "add bl 10.0.0.2", "add bl", "add", "create bl hash:ip",
        "add other 10.0.0.8", "create other hash:net", "-exist", "COMMIT", "flush",
        "10.0.0.3 timeout 5", '10.0.0.4 comment "a b"', "", " ", "\t10.0.0.5", "10.0.0.6 ",
        "caf\u00e9", "10.0.0.7\u00a0", "\u0661\u0660.0.0.1",
    ]
)  # fmt: skip
ENDS = st.sampled_from(
    ["\n", "\n", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85",
     "\u2028", "\u2029", ""]
)  # fmt: skip
TEXT = st.one_of(
    st.lists(st.tuples(LINES, ENDS), max_size=12).map(lambda p: "".join(a + b for a, b in p)),
    st.lists(st.sampled_from(["10.0.0.1", "10.0.0.22", "::1", "x"]), max_size=12).map(
        lambda words: "".join(w + "\n" for w in words)
    ),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)
FILE = st.one_of(TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=40))


def read_entries_file(module: Any, data: bytes) -> Any:
    # the same path for both sides: it is part of the error messages compared
    path = os.path.join(tempfile.gettempdir(), "linux-netlink-accel-%d" % os.getpid())
    with open(path, "wb") as handle:
        handle.write(data)
    try:
        return module.read_entries_file(path, "bl", "hash:ip")
    finally:
        os.unlink(path)


# ------------------------------------------------------------------ the walk

DRIVERS: Dict[Tuple[str, str], Tuple[Callable[[Any, Any], Any], Any]] = {
    ("members", "read_entries_file"): (read_entries_file, FILE),
}


def outcome(call: Callable[[], Any]) -> Tuple[str, Any]:
    try:
        return ("ok", call())
    except Exception as exc:  # noqa: BLE001 - the kind and the words are what is compared
        return (type(exc).__name__, str(exc))


def declining(*_args: Any, **_kwargs: Any) -> None:
    return None


@pytest.mark.parametrize("row", ACCELERATORS, ids=lambda r: "%s.%s" % (r.module, r.fast))
def test_row_is_a_private_accelerator_of_its_public_function(row: Accelerator) -> None:
    module = importlib.import_module(PACKAGE + row.module)
    assert row.fast.startswith("_") and not row.public.startswith("_")
    assert callable(getattr(module, row.fast))
    assert row.fast in inspect.getsource(getattr(module, row.public))
    assert (row.module, row.public) in DRIVERS, "no driver for this row"


@pytest.mark.parametrize("row", ACCELERATORS, ids=lambda r: "%s.%s" % (r.module, r.fast))
def test_accelerator_equals_general_path(row: Accelerator, monkeypatch: Any) -> None:
    module = importlib.import_module(PACKAGE + row.module)
    call, inputs = DRIVERS[(row.module, row.public)]
    fast = getattr(module, row.fast)

    @settings(max_examples=400, deadline=None)
    @given(inputs)
    def check(data: Any) -> None:
        with monkeypatch.context() as patch:
            patch.setattr(module, row.fast, fast)
            shipped = outcome(lambda: call(module, data))
            patch.setattr(module, row.fast, declining)
            general = outcome(lambda: call(module, data))
        assert shipped == general

    check()


def test_a_plain_blocklist_takes_the_accelerator() -> None:
    """So that the walk above compares two paths, not the general path with itself."""
    from ansible_collections.linux.netlink.plugins.module_utils._ipset import members

    assert members._one_word_lines("10.0.0.1\n192.0.2.0/24\n\n2001:db8::1") == [
        "10.0.0.1",
        "192.0.2.0/24",
        "2001:db8::1",
    ]
    assert members._one_word_lines("10.0.0.1\r\n") is None
    assert members._one_word_lines("# list\n10.0.0.1\n") is None
