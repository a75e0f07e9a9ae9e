# SPDX-License-Identifier: GPL-3.0-or-later
"""Make the repository importable as ``ansible_collections.linux.netlink``.

The repository root is the collection root. Plain ``pytest`` (on any Python from
3.8 on, with or without Ansible installed) needs the collection under an
``ansible_collections/linux/netlink`` path; this builds one out of a symlink.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile

_ROOT = os.path.dirname(os.path.abspath(__file__))


def _collection_root() -> str:
    parent = os.path.dirname(os.path.dirname(os.path.dirname(_ROOT)))
    if os.path.basename(os.path.dirname(os.path.dirname(_ROOT))) == "ansible_collections":
        return parent  # already laid out (ansible-test, ansible-galaxy install)
    # One link per checkout (keyed by its path): two checkouts never test each other's code.
    key = hashlib.sha1(_ROOT.encode()).hexdigest()[:12]
    base = os.path.join(tempfile.gettempdir(), "linux-netlink-pytest-%d-%s" % (os.getuid(), key))
    link = os.path.join(base, "ansible_collections", "linux", "netlink")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if os.path.realpath(link) != _ROOT:
        tmp = "%s.%d" % (link, os.getpid())
        os.symlink(_ROOT, tmp)
        os.replace(tmp, link)
    return base


sys.path.insert(0, _collection_root())

try:  # property tests: reproducible in CI, and no per-example deadline on a loaded machine
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    settings.register_profile("dev", deadline=None)
    settings.load_profile(
        os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
    )
except ImportError:  # the tests that use hypothesis import it themselves and say so
    pass
