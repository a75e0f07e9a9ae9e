# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the collection: reading an ``entries_file`` (a list of entries, or the output
of ``ipset save``), as ``ipset restore`` reads its input. Loaded only when a task gives one."""

from __future__ import annotations

import re
from typing import Dict, List, NamedTuple, Optional, Tuple

from ansible_collections.linux.netlink.plugins.module_utils._ipset import typetable

# `ipset restore` syntax in an entries file: the commands `ipset save` writes (and their short
# forms), the global options restore takes anywhere on a line, the commands that are refused.
_SAVE_CREATE = ("create", "-N")
_SAVE_ADD = ("add", "-A")
_SAVE_GLOBALS = frozenset(("-exist", "-!", "-quiet", "-q"))
_SAVE_REFUSED = frozenset(("del", "-D", "flush", "-F", "destroy", "-X", "rename", "-E", "swap",
                           "-W", "test", "-T", "list", "-L", "save", "-S"))  # fmt: skip
_SAVE_FIRST = _SAVE_GLOBALS.union(_SAVE_CREATE, _SAVE_ADD, _SAVE_REFUSED)  # a command's first word
_SAVE_WORD = re.compile(r'(?:[^\s"]|"[^"]*")+|"')  # a word, "quoted parts" kept whole


class EntriesFile(NamedTuple):
    """What `read_entries_file` took from a file for one set."""

    entries: List[str]
    skipped: int  # `add` lines of other sets
    other_sets: Tuple[str, ...]  # the other sets the file holds, in file order

    def warning(self, path: str, name: str) -> Optional[str]:
        if not self.other_sets:
            return None
        return "entries_file %r: took only the lines of set %r; skipped %d entr%s of %s" % (
            path, name, self.skipped, "y" if self.skipped == 1 else "ies",
            ", ".join(self.other_sets))  # fmt: skip


def read_entries_file(path: str, name: str, settype: str) -> EntriesFile:
    """Entries for set ``name`` (of type ``settype``) from a file: one per line with ``#``
    comments and blank lines, or ``ipset save`` output of one or several sets, of which only
    the lines of ``name`` are taken. Raises `IpsetInputError` when the file cannot be used:
    the named set created there with another type, or only other sets in it."""
    try:
        with open(path, encoding="utf-8") as handle:
            content = handle.read()
    except OSError as exc:
        raise typetable.IpsetInputError(
            "entries_file %r cannot be read: %s" % (path, exc.strerror)
        ) from None
    except UnicodeDecodeError as exc:
        raise typetable.IpsetInputError("entries_file %r is not UTF-8: %s" % (path, exc)) from None
    words = _one_word_lines(content)  # accelerator (see accelerators.py)
    if words is not None:
        return EntriesFile(words, 0, ())
    out: List[str] = []
    others: Dict[str, None] = {}
    skipped, own = 0, False
    for number, line in enumerate(content.splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        head = text.split(None, 1)
        if len(head) == 1 or head[0] not in _SAVE_FIRST:  # an entry (most lines of a list)
            out.append(text)
            continue
        words = _SAVE_WORD.findall(text) if '"' in text else text.split()
        words = [w for w in words if w not in _SAVE_GLOBALS]
        command = words[0] if len(words) > 1 else ""  # one word: an entry (list:set "add")
        if command in _SAVE_ADD or command in _SAVE_CREATE:
            if len(words) < 3:
                what = "entry" if command in _SAVE_ADD else "set type"
                raise typetable.IpsetInputError(
                    "entries_file %r: line %r has no %s" % (path, line, what)
                )
            if words[1] != name:
                others[words[1]] = None
                skipped += command in _SAVE_ADD
                continue
            own = True
            if command in _SAVE_ADD:
                out.append(" ".join(words[2:]))
            elif words[2] != settype:
                raise typetable.IpsetInputError(
                    "entries_file %r line %d creates set %r as %s, but the set is %s"
                    % (path, number, name, words[2], settype)
                )
        elif command in _SAVE_REFUSED:
            raise typetable.IpsetInputError(
                "entries_file %r line %d: %r: only the create and add lines of ipset save are "
                "taken" % (path, number, line.strip())
            )
        elif words:
            out.append(text)
    if others and not own and not out:
        raise typetable.IpsetInputError(
            "entries_file %r holds no line of set %r; the sets it holds: %s"
            % (path, name, ", ".join(others))
        )
    return EntriesFile(out, skipped, tuple(others))


_NOT_ONE_WORD = "# \t\r\x0b\x0c\x1c\x1d\x1e\x1f"  # a comment, or whitespace but "\n"


def _one_word_lines(text: str) -> Optional[List[str]]:
    """`read_entries_file`'s lines when each is one ASCII word (a plain blocklist): the
    file's words, in one split. None, to take the general path, for anything else:
    comments, options, ``ipset save`` lines, indentation, CR LF, non-ASCII."""
    if not text.isascii() or any(c in text for c in _NOT_ONE_WORD):
        return None
    return text.split()
