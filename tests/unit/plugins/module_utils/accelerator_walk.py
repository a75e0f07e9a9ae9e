# SPDX-License-Identifier: GPL-3.0-or-later
"""The walk every accelerator table gets (house style 5a), shared by the _ipset and
_nftables tests.

For each row of a table, the public function runs twice on the same generated input: as
shipped, and with the accelerator replaced by one that always declines (so the general path
answers). Results must be equal, and an input one side rejects the other must reject with the
same error. A row needs a driver (how to call the public function, and inputs that reach both
paths); a row without one fails.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any, Callable, Dict, Sequence, Tuple

import pytest
from hypothesis import given, settings

Drivers = Dict[Tuple[str, str], Tuple[Callable[[Any, Any], Any], Any]]


def outcome(call: Callable[[], Any]) -> Tuple[str, Any]:
    try:
        return ("ok", call())
    except Exception as exc:  # noqa: BLE001 - the kind and the words are what is compared
        return (type(exc).__name__, str(exc))


def declining(*_args: Any, **_kwargs: Any) -> None:
    return None


def walk(package: str, rows: Sequence[Any], drivers: Drivers, max_examples: int) -> Tuple:
    """The two tests of a table: each row is a private accelerator of its public function
    with a driver, and for generated inputs both paths answer the same."""

    def row_id(row: Any) -> str:
        return "%s.%s" % (row.module, row.fast)

    @pytest.mark.parametrize("row", rows, ids=row_id)
    def test_row_is_a_private_accelerator_of_its_public_function(row: Any) -> None:
        module = importlib.import_module(package + row.module)
        assert row.fast.startswith("_") and not row.public.startswith("_")
        assert callable(getattr(module, row.fast))
        assert row.fast in inspect.getsource(getattr(module, row.public))
        assert (row.module, row.public) in drivers, "no driver for this row"

    @pytest.mark.parametrize("row", rows, ids=row_id)
    def test_accelerator_equals_general_path(row: Any, monkeypatch: Any) -> None:
        module = importlib.import_module(package + row.module)
        call, inputs = drivers[(row.module, row.public)]
        fast = getattr(module, row.fast)

        @settings(max_examples=max_examples, deadline=None)
        @given(inputs)
        def check(data: Any) -> None:
            with monkeypatch.context() as patch:
                patch.setattr(module, row.fast, fast)
                shipped = outcome(lambda: call(module, data))
                patch.setattr(module, row.fast, declining)
                general = outcome(lambda: call(module, data))
            assert shipped == general

        check()

    return (
        test_row_is_a_private_accelerator_of_its_public_function,
        test_accelerator_equals_general_path,
    )
