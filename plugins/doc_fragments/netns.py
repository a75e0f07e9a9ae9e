# SPDX-License-Identifier: GPL-3.0-or-later
"""The netns option shared by every module of the collection."""
from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  netns:
    description:
      - The network namespace to work in, instead of the one the module runs in.
      - A name, as created by C(ip netns add), which means the file of that name under
        C(/run/netns); or a path to a namespace file, such as C(/proc/1234/ns/net) for the
        namespace of process 1234 (a container, for example).
      - Entering another namespace needs C(CAP_SYS_ADMIN), so run the task with become.
    type: str
"""
