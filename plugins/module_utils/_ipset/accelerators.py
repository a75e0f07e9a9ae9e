# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: the table of accelerators (house style 5a).

A step has one public function. A faster variant of it is a private function of the same
module that the public function calls first; the accelerator returns None when it does not
apply, and the public function then takes its general path. Each accelerator has a row
here, and tests/unit/plugins/module_utils/_ipset/test_accelerators.py walks the table: for
generated inputs, the public function with the accelerator in place and with it replaced
by one that always declines gives equal results and rejects the same inputs with the same
error. Nothing imports this module at run time (it is for the test and for readers).
"""

from __future__ import annotations

from typing import NamedTuple, Tuple


class Accelerator(NamedTuple):
    module: str  # under plugins/module_utils/_ipset
    public: str  # the one public function of the step
    fast: str  # the private accelerator it calls first
    applies: str  # when the accelerator answers (it declines, with None, otherwise)


ACCELERATORS: Tuple[Accelerator, ...] = (
    Accelerator(
        "members",
        "read_entries_file",
        "_one_word_lines",
        "an ASCII file of one word per line: no comment, option, blank-padded or CR LF line",
    ),
)
