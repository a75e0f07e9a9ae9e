#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Install everything the test suite of linux.netlink needs on a Debian 12 machine, as root.
#
# Idempotent: a second run checks and returns in a few seconds. What it installs:
#   * Debian packages: the oracles (ipset, iptables, nftables, iproute2, iw), the simulated-radio
#     VM (qemu, the stock kernel with mac80211_hwsim, busybox, hostapd, wpasupplicant, ...),
#     strace, git, rsync.
#   * Python virtual environments under $LINUX_NETLINK_VENVS (default /var/tmp/linux-netlink-venvs):
#       core216  ansible-core 2.16.x (oldest supported) on Python 3.11 (else newest 3.10-3.12)
#                + pytest, hypothesis, molecule, antsibull-docs, antsibull-changelog, yamllint,
#                ruff, sphinx (docs build). No pyroute2: the collection must not need it.
#       corenew  newest ansible-core (2.20+ needs Python 3.12+; 3.13 preferred) + pytest, hypothesis
#       galaxy   galaxy-importer + ansible-lint (newest Python), for the Galaxy stages
#       py38     pytest + hypothesis on Python 3.8, the oldest managed-host Python, plus
#                ansible-core 2.16 without dependencies (its module side runs on 3.8)
#   and writes $LINUX_NETLINK_VENVS/paths.env, which tests/run-all.sh sources.
#
# Environment: LINUX_NETLINK_VENVS (cache dir), LINUX_NETLINK_REFRESH=1 (rebuild the venvs),
# LINUX_NETLINK_SKIP_APT=1 (do not touch Debian packages).
set -euo pipefail

CACHE="${LINUX_NETLINK_VENVS:-/var/tmp/linux-netlink-venvs}"
REFRESH="${LINUX_NETLINK_REFRESH:-0}"
export HOME="${HOME:-$(getent passwd "$(id -un)" | cut -d: -f6)}"
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

APT_PACKAGES=(
    ipset iptables nftables iproute2 iw hostapd wireless-regdb wpasupplicant rfkill
    busybox-static qemu-system-x86 linux-image-amd64 strace git rsync python3-venv shellcheck
    # The ipset role's molecule scenario: systemd-analyze verify of its unit, and Debian's
    # ipset-persistent plugin run at its simulated boot.
    systemd ipset-persistent
    libndp0 libglib2.0-0 libcurl3-gnutls libpsl5 # what the NetworkManager binary links against
)

# Requirement sets, one per venv. Ranges, never exact patch versions. Changing a line here
# changes the stamp, so the venv is rebuilt on the next run.
REQ_CORE216=(
    "ansible-core>=2.16,<2.17" pytest hypothesis molecule antsibull-docs antsibull-changelog
    yamllint ruff sphinx sphinx-ansible-theme
)
REQ_CORENEW=("ansible-core>=2.20" pytest hypothesis)
REQ_PY38=(pytest hypothesis)
# What Galaxy runs on an upload: its importer, and ansible-lint (its own venv: both pin
# ansible-core and each other).
REQ_GALAXY=(galaxy-importer ansible-lint)
# ansible-core 2.16's controller needs Python 3.10+, but the module side (ansible.module_utils,
# which a module imports on the managed host) runs on 3.8: installed without its controller
# dependencies, it lets the unit tests run the modules themselves on the oldest target Python.
# shellcheck disable=SC2034  # read through a nameref in make_venv
REQ_PY38_NODEPS=("ansible-core>=2.16,<2.17")

INSTALLED=()
log() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: ERROR: %s\n' "$*" >&2; exit 1; }

install_apt() {
    if [ "${LINUX_NETLINK_SKIP_APT:-0}" = 1 ]; then
        log "apt: skipped (LINUX_NETLINK_SKIP_APT=1)"
        return
    fi
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        log "apt: all ${#APT_PACKAGES[@]} packages already installed"
        return
    fi
    [ "$(id -u)" -eq 0 ] || die "need root to install Debian packages: ${missing[*]}"
    log "apt: installing ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
    INSTALLED+=("apt: ${missing[*]}")
}

# NetworkManager's binary, unpacked from its package (never installed, so never started): the
# oracle of the wifi role's drop-in (`NetworkManager --print-config`, wifi_no_radio target).
install_nm_binary() {
    local dest="$CACHE/network-manager" tmp rc=0
    [ -x "$dest/usr/sbin/NetworkManager" ] && return
    [ "${LINUX_NETLINK_SKIP_APT:-0}" = 1 ] && { log "NetworkManager: skipped (SKIP_APT)"; return; }
    tmp="$(mktemp -d)"
    (cd "$tmp" && apt-get download -qq network-manager </dev/null >/dev/null 2>&1 \
        && dpkg-deb -x network-manager_*.deb "$dest") || rc=$?
    rm -rf "$tmp"
    [ "$rc" -eq 0 ] || die "NetworkManager: apt-get download or dpkg-deb -x failed"
    INSTALLED+=("NetworkManager binary (not installed as a package): $dest")
}

# Candidate interpreters: pyenv versions first, then whatever is on PATH.
candidates() {
    local p v
    for p in /root/.pyenv/versions/*/bin/python; do
        [ -x "$p" ] && echo "$p"
    done
    for v in 3.8 3.9 3.10 3.11 3.12 3.13 3.14 3; do
        p="$(command -v "python$v" 2>/dev/null || true)"
        # Skip pyenv shims: they resolve to one of the versions listed above anyway.
        case "$p" in "" | */.pyenv/shims/*) continue ;; esac
        echo "$p"
    done
}

# Print "major.minor path" for every working interpreter that has the venv module.
probe_pythons() {
    local p ver
    while read -r p; do
        ver="$("$p" -c 'import sys, venv; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" \
            || continue
        echo "$ver $p"
    done < <(candidates) | sort -t' ' -k1,1V -u
}

# pick_python MIN MAX [PREFER]: the PREFER version if present, else the newest in [MIN, MAX].
pick_python() {
    local min="$1" max="$2" prefer="${3:-}" ver path best=""
    while read -r ver path; do
        [ -n "$prefer" ] && [ "$ver" = "$prefer" ] && { echo "$path"; return; }
        if [ "$(printf '%s\n%s\n' "$min" "$ver" | sort -V | head -1)" = "$min" ] \
            && [ "$(printf '%s\n%s\n' "$ver" "$max" | sort -V | head -1)" = "$ver" ]; then
            best="$path"
        fi
    done <<<"$PYTHONS"
    echo "$best"
}

# make_venv NAME PYTHON REQ...: create or reuse the venv $CACHE/NAME.
# NODEPS (an array name, optional): requirements installed afterwards with --no-deps.
# PROBE (optional): the module a working venv imports [pytest].
# $CACHE/NAME is a symlink to $CACHE/.NAME-<hash of python and requirements>: a changed
# requirement builds a new venv beside the old one and switches the link atomically, so a test
# still running on the old venv (another developer's, or CI's) is not pulled from under it.
# The previous venv is kept; older ones are removed.
make_venv() {
    local name="$1" python="$2"
    shift 2
    local link="$CACHE/$name" dir stamp want hash old="" nodeps=()
    if [ -n "${NODEPS:-}" ]; then
        local -n _nodeps="$NODEPS"
        nodeps=("${_nodeps[@]}")
    fi
    want="$("$python" -c 'import platform, sys; print(platform.python_version(), sys.executable)') | $* | no-deps: ${nodeps[*]}"
    hash="$(printf '%s' "$want" | sha256sum | cut -c1-12)"
    dir="$CACHE/.$name-$hash"
    stamp="$dir/.linux-netlink-stamp"
    [ -L "$link" ] && old="$(readlink "$link")"
    if [ "$REFRESH" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
        && "$dir/bin/python" -c "import ${PROBE:-pytest}" >/dev/null 2>&1; then
        [ "$old" = "$dir" ] || point_link "$link" "$dir"
        log "venv $name: up to date ($dir)"
        return
    fi
    log "venv $name: building with $python: $* ${nodeps[*]}"
    rm -rf "$dir"
    "$python" -m venv "$dir"
    pip_q "$dir" --upgrade pip
    pip_q "$dir" "$@"
    if [ "${#nodeps[@]}" -gt 0 ]; then
        pip_q "$dir" --no-deps --ignore-requires-python "${nodeps[@]}"
    fi
    echo "$want" >"$stamp"
    point_link "$link" "$dir"
    local other
    for other in "$CACHE/.$name-"*; do
        [ "$other" = "$dir" ] || [ "$other" = "$old" ] || rm -rf "$other"
    done
    INSTALLED+=("venv $name: $* ${nodeps[*]}")
}

# point_link LINK DIR: make LINK a symlink to DIR in one rename. A venv of an older
# install-deps.sh is a plain directory where the link goes: it is removed first.
point_link() {
    [ -d "$1" ] && [ ! -L "$1" ] && rm -rf "$1"
    ln -sfn "$2" "$1.tmp"
    mv -T "$1.tmp" "$1"
}

# pip_q VENV ARGS...: quiet pip install; drops the warnings about this machine's missing local
# index directories (pip configuration outside the project), keeps everything else.
pip_q() {
    local dir="$1" rc
    shift
    set +e
    "$dir/bin/python" -m pip install -q "$@" </dev/null 2>&1 \
        | grep -v -e "is ignored: it is neither a file nor a directory"
    rc="${PIPESTATUS[0]}"
    set -e
    [ "$rc" -eq 0 ] || die "pip install into $dir failed (exit $rc): $*"
}

# ansible-test bootstraps pip in the venvs of its sanity tests with a get-pip script that it
# downloads from a host outside the package registries this machine reaches. Put a stand-in
# where it looks first (~/.ansible/test/cache/get_pip_<version>.py): ensurepip, then pip from
# PyPI installs the exact pip/setuptools/wheel versions that ansible-test asks for. An existing
# file (for example a real get-pip script) is left alone.
STANDIN="$(cat <<'PYEOF'
# Stand-in for get-pip.py, written by linux.netlink's tests/install-deps.sh: ansible-test runs
# it as "python get_pip_X.py [pip options] pip==X setuptools==Y ..." in a new venv.
import ensurepip
import os
import subprocess
import sys

ensurepip.bootstrap(upgrade=True)
env = dict(os.environ)
# ansible-test runs this with a filtered environment; the system CA bundle stands in for the
# PIP_CERT / SSL_CERT_FILE it dropped (the pip bundled with ensurepip ignores pip.conf's cert).
for bundle in (os.environ.get("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt"):
    if bundle and os.path.isfile(bundle):
        env.setdefault("PIP_CERT", bundle)
        break
# get-pip's own options (newer ansible-test passes them) are no pip install options
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
cmd = [sys.executable, "-m", "pip", "install", "-q"] + args
sys.exit(subprocess.call(cmd, env=env))
PYEOF
)"
install_get_pip_standins() {
    local venv file ver dest
    for venv in "$CACHE/core216" "$CACHE/corenew"; do
        for file in "$venv"/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py; do
            [ -f "$file" ] || continue
            while read -r ver; do
                dest="$HOME/.ansible/test/cache/get_pip_${ver//./_}.py"
                # keep a foreign file (a real get-pip script); refresh our own stand-in
                if [ -f "$dest" ] && ! grep -q 'linux.netlink' "$dest"; then continue; fi
                [ -f "$dest" ] && [ "$(cat "$dest")" = "$STANDIN" ] && continue
                mkdir -p "$(dirname "$dest")"
                printf '%s\n' "$STANDIN" >"$dest"
                INSTALLED+=("ansible-test pip $ver bootstrap stand-in: $dest")
            done < <(grep -o "pip='[0-9.]*'" "$file" | sed "s/pip='\\(.*\\)'/\\1/" | sort -u)
        done
    done
}

version_of() { # version_of VENV DIST
    "$CACHE/$1/bin/python" -c 'import sys
from importlib.metadata import version
print(version(sys.argv[1]))' "$2" 2>/dev/null || echo "-"
}

main() {
    local start=$SECONDS
    mkdir -p "$CACHE"
    # One install at a time on this machine (another developer's run, or CI's, may be going).
    exec 9>"$CACHE/.lock"
    if ! flock -n 9; then
        log "waiting for another tests/install-deps.sh to finish"
        flock 9
    fi
    install_apt
    install_nm_binary
    PYTHONS="$(probe_pythons)"
    [ -n "$PYTHONS" ] || die "no Python 3 interpreter with the venv module found"
    log "pythons found: $(echo "$PYTHONS" | awk '{print $1}' | tr '\n' ' ')"

    local py216 pynew py38
    py216="$(pick_python 3.10 3.12 3.11)"
    pynew="$(pick_python 3.12 3.99 3.13)"
    py38="$(pick_python 3.8 3.8)"
    [ -n "$py216" ] || die "ansible-core 2.16 needs Python 3.10-3.12; none found"
    [ -n "$pynew" ] || die "the newest ansible-core needs Python 3.12+; none found"
    [ -n "$py38" ] || die "Python 3.8 (oldest managed-host Python) not found"

    make_venv core216 "$py216" "${REQ_CORE216[@]}"
    make_venv corenew "$pynew" "${REQ_CORENEW[@]}"
    NODEPS=REQ_PY38_NODEPS make_venv py38 "$py38" "${REQ_PY38[@]}"
    PROBE=galaxy_importer make_venv galaxy "$pynew" "${REQ_GALAXY[@]}"
    install_get_pip_standins

    cat >"$CACHE/paths.env" <<EOF
# Written by tests/install-deps.sh; sourced by tests/run-all.sh.
LINUX_NETLINK_VENVS='$CACHE'
VENV_CORE216='$CACHE/core216'
VENV_CORENEW='$CACHE/corenew'
VENV_PY38='$CACHE/py38'
VENV_GALAXY='$CACHE/galaxy'
EOF

    if [ "${#INSTALLED[@]}" -eq 0 ]; then
        log "nothing to install"
    else
        log "installed:"
        printf '  - %s\n' "${INSTALLED[@]}"
    fi
    log "environments ($((SECONDS - start)) s):"
    local v
    for v in core216 corenew py38; do
        printf '  %-8s python %-8s ansible-core %-8s pytest %-7s hypothesis %s\n' "$v" \
            "$("$CACHE/$v/bin/python" -c 'import platform; print(platform.python_version())')" \
            "$(version_of "$v" ansible-core)" "$(version_of "$v" pytest)" \
            "$(version_of "$v" hypothesis)"
    done
    printf '  core216 tools: molecule %s, antsibull-docs %s, antsibull-changelog %s, ' \
        "$(version_of core216 molecule)" "$(version_of core216 antsibull-docs)" \
        "$(version_of core216 antsibull-changelog)"
    printf 'yamllint %s, ruff %s, sphinx %s\n' "$(version_of core216 yamllint)" \
        "$(version_of core216 ruff)" "$(version_of core216 sphinx)"
    printf '  galaxy   galaxy-importer %s, ansible-lint %s\n' \
        "$(version_of galaxy galaxy-importer)" "$(version_of galaxy ansible-lint)"
}

main "$@"
