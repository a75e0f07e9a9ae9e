# SPDX-License-Identifier: GPL-3.0-or-later
"""Pack the Python that runs Ansible and pytest in the VM into one tar, for the guest's tmpfs.

Run with the venv's own python: ``VENV/bin/python make-runtime.py OUT.tar``. The tar holds the
real interpreter of the venv (its base installation: binary, libpython, standard library with
its bytecode, no test suites) and, in its site-packages, the distributions ansible-core and
pytest need (their requirement closure, found with importlib.metadata). Why: under TCG every
file lookup over the guest's 9p root costs a round trip to the host; a task of ansible-playbook
run from the shared venv took about 30 s, from the guest's RAM a few seconds.
"""

from __future__ import annotations

import os
import re
import sys
import sysconfig
import tarfile
from importlib import metadata

ROOTS = ("ansible-core", "pytest")
SKIP_STDLIB = {"test", "site-packages", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3"}


def closure(names):
    seen, todo = {}, list(names)
    while todo:
        name = re.split(r"[ ;<>=!~\[(]", todo.pop(), maxsplit=1)[0]
        key = name.lower().replace("_", "-")
        if not name or key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional or platform-only requirement
        seen[key] = dist
        todo.extend(r for r in dist.requires or () if "extra ==" not in r)
    return seen


def main(out: str) -> None:
    base = sys.base_prefix
    ver = "python%d.%d" % sys.version_info[:2]
    stdlib = sysconfig.get_paths()["stdlib"]
    site = sysconfig.get_paths()["purelib"]
    tmp = out + ".tmp"

    def lean(info: tarfile.TarInfo):
        return None if re.search(r"\.opt-[12]\.pyc$|/ansible_test/", info.name) else info

    with tarfile.open(tmp, "w") as tar:
        tar.add(os.path.realpath(os.path.join(base, "bin", ver)), "python/bin/" + ver)
        libdir = os.path.join(base, "lib")
        for name in sorted(os.listdir(libdir)):
            if name.startswith("libpython") and ".so" in name:
                tar.add(os.path.join(libdir, name), "python/lib/" + name)
        for name in sorted(os.listdir(stdlib)):
            if name in SKIP_STDLIB or name.startswith("config-"):
                continue
            tar.add(os.path.join(stdlib, name), "python/lib/%s/%s" % (ver, name), filter=lean)
        for dist in closure(ROOTS).values():
            for path in dist.files or ():
                src = os.path.realpath(os.path.join(site, str(path)))
                if os.path.isfile(src) and src.startswith(os.path.realpath(site) + os.sep):
                    tar.add(src, "python/lib/%s/site-packages/%s" % (ver, path), filter=lean)
    os.replace(tmp, out)


if __name__ == "__main__":
    main(sys.argv[1])
