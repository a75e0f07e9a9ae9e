#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every test of linux.netlink, in order, on a Debian 12 machine as root. The README's test command.
#
#   tests/run-all.sh                     install what is missing, then run every stage
#   STAGES="unit kernel" tests/run-all.sh   only these stages ("unit" selects every unit-* stage)
#   tests/run-all.sh --list              print the stages and exit
#
# Every selected stage runs even when an earlier one failed; the exit status is non-zero when any
# failed. The run ends with a table (stage, result, seconds) and the line "N passed, N failed".
# Logs: tests/output/run-all/<stage>.log. Environment:
#   STAGES                 space-separated stage names or prefixes [all]
#   SKIP_INSTALL=1         do not run tests/install-deps.sh (the venvs must exist)
#   STAGE_TIMEOUT          seconds one stage may take before it is killed and failed [1800]
#   LINUX_NETLINK_VENVS    venv cache of tests/install-deps.sh [/var/tmp/linux-netlink-venvs]
set -uo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
SELF="$ROOT/tests/run-all.sh"
ALL_STAGES=(
    lint unit-py3.8 unit-py3.13 unit-core2.16 kernel sanity sanity-core-newest integration-core2.16
    integration-core-newest hardening vm molecule docs galaxy-build galaxy-importer ansible-lint
)

export LC_ALL=C.UTF-8 LANG=C.UTF-8 # ansible-core refuses to start without a UTF-8 locale
export HOME="${HOME:-/root}" PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 PY_COLORS=0 NO_COLOR=1
export LINUX_NETLINK_VENVS="${LINUX_NETLINK_VENVS:-/var/tmp/linux-netlink-venvs}"

say() { printf '%s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; return 1; }

load_paths() {
    local env="$LINUX_NETLINK_VENVS/paths.env"
    [ -f "$env" ] || { fail "$env missing: run tests/install-deps.sh"; return 1; }
    # shellcheck disable=SC1090
    . "$env"
    VENV_GALAXY="${VENV_GALAXY:-$LINUX_NETLINK_VENVS/galaxy}"
    export VENV_CORE216 VENV_CORENEW VENV_PY38 VENV_GALAXY
}

# A temp dir removed when the stage ends.
stage_tmp() {
    STAGE_TMP="$(mktemp -d "${TMPDIR:-/tmp}/linux-netlink-$1.XXXXXX")"
    trap 'rm -rf "$STAGE_TMP"' EXIT
}

# Never part of the collection, even when .gitignore does not say so (tool caches, test output).
JUNK='(^|/)(\.hypothesis|\.benchmarks|\.pytest_cache|\.ruff_cache|\.mypy_cache|__pycache__|\.tox)/|^tests/output/|\.pyc$|\.tar\.gz$'

# copy_collection DEST: the repository as DEST/ansible_collections/linux/netlink (what
# ansible-test and ansible-galaxy expect). Only files git knows or would track: no .git, no
# caches, no test output. Prints the collection directory.
copy_collection() {
    local dest="$1/ansible_collections/linux/netlink"
    mkdir -p "$dest"
    if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # pipefail: a failing git or rsync fails the copy (grep's "nothing left" aside)
        (cd "$ROOT" && git ls-files -z -c -o --exclude-standard --deduplicate \
            | while IFS= read -r -d '' f; do [ ! -e "$f" ] || printf '%s\0' "$f"; done) \
            | { grep -z -v -E "$JUNK" || [ $? -eq 1 ]; } \
            | rsync -a --from0 --files-from=- "$ROOT/" "$dest/" \
            || { fail "copy_collection: git ls-files or rsync failed"; return 1; }
    else
        rsync -a --exclude .git --exclude '__pycache__' --exclude '.*_cache' --exclude '*.pyc' \
            --exclude .hypothesis --exclude .benchmarks --exclude tests/output \
            --exclude '*.tar.gz' "$ROOT/" "$dest/" || { fail "copy_collection: rsync failed"; return 1; }
    fi
    [ -f "$dest/galaxy.yml" ] || { fail "copy_collection: $dest has no galaxy.yml"; return 1; }
    printf '%s\n' "$dest"
}

# A collections path where linux.netlink is this checkout (a symlink, nothing copied).
link_collection() {
    mkdir -p "$1/ansible_collections/linux"
    ln -sfn "$ROOT" "$1/ansible_collections/linux/netlink"
    printf '%s\n' "$1"
}

# pytest_run PYTHON ARGS...: pytest from the repository root; "no tests collected" is a failure,
# and so is a skipped test: here every binary, package, privilege and fixture is there, so a skip
# can only hide one that is missing.
pytest_run() {
    local python="$1"
    shift
    [ -x "$python" ] || { fail "no interpreter $python: run tests/install-deps.sh"; return 1; }
    say "$("$python" -c 'import platform, sys; print("python", platform.python_version(), sys.executable)')"
    (cd "$ROOT" && HYPOTHESIS_STORAGE_DIRECTORY="${STAGE_TMP:-/tmp}/hypothesis" \
        "$python" -m pytest -p no:cacheprovider -rs "$@") | tee "${STAGE_TMP:-/tmp}/pytest.log"
    local rc="${PIPESTATUS[0]}"
    [ "$rc" -eq 5 ] && fail "pytest collected no tests: $*"
    if [ "$rc" -eq 0 ] && grep -q '^SKIPPED' "${STAGE_TMP:-/tmp}/pytest.log"; then
        fail "pytest skipped tests (lines SKIPPED above): in this run nothing may be missing"
        return 1
    fi
    return "$rc"
}

need_root() {
    [ "$(id -u)" -eq 0 ] || { fail "stage $1 needs root (network namespaces, CAP_NET_ADMIN)"; return 1; }
}

# --------------------------------------------------------------------------------------- stages

stage_lint() {
    local rc=0
    say "+ ruff check ."
    (cd "$ROOT" && "$VENV_CORE216/bin/ruff" check --no-cache --output-format concise .) || rc=1
    say "+ yamllint -s ."
    (cd "$ROOT" && "$VENV_CORE216/bin/yamllint" -s -c .yamllint .) || rc=1
    return "$rc"
}

stage_unit-py3.8() { stage_tmp unit; pytest_run "$VENV_PY38/bin/python" tests/unit; }
stage_unit-py3.13() { stage_tmp unit; pytest_run "$VENV_CORENEW/bin/python" tests/unit; }
stage_unit-core2.16() { stage_tmp unit; pytest_run "$VENV_CORE216/bin/python" tests/unit; }

stage_kernel() {
    need_root kernel || return 1
    stage_tmp kernel
    pytest_run "$VENV_CORE216/bin/python" tests/kernel
}

# Interpreters for ansible-test: python3.X names on PATH for every version we have, so the
# multi-version sanity tests (compile, import) cover 3.8 .. 3.13 where the core supports them.
python_path_dir() {
    local dir="$1" p ver
    mkdir -p "$dir"
    for p in /root/.pyenv/versions/*/bin/python; do
        [ -x "$p" ] || continue
        ver="$("$p" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" || continue
        ln -sfn "$p" "$dir/python$ver"
    done
    printf '%s\n' "$dir"
}

# built_collection VENV DIR: build the collection tarball from a clean copy (the files git
# knows) with VENV's ansible-galaxy into DIR/dist and install it into DIR/installed: what Galaxy
# and its users get. Prints the installed collection directory.
built_collection() {
    local venv="$1" dir="$2" coll tarball
    coll="$(copy_collection "$dir/src")" || return 1
    (cd "$coll" && PATH="$venv/bin:$PATH" ansible-galaxy collection build \
        --output-path "$dir/dist" --force >&2) || { fail "ansible-galaxy collection build"; return 1; }
    tarball="$(ls "$dir"/dist/linux-netlink-*.tar.gz)" || return 1
    PATH="$venv/bin:$PATH" ansible-galaxy collection install -p "$dir/installed" "$tarball" >&2 \
        || { fail "ansible-galaxy collection install $tarball"; return 1; }
    printf '%s\n' "$dir/installed/ansible_collections/linux/netlink"
}

sanity_run() { # sanity_run VENV: ansible-test sanity on the installed tarball, every file in it
    local venv="$1" coll bin
    stage_tmp sanity
    coll="$(built_collection "$venv" "$STAGE_TMP")" || return 1
    bin="$(python_path_dir "$STAGE_TMP/bin")"
    say "+ ansible-test sanity --local (ansible-core $("$venv/bin/python" -c \
        'import ansible; print(ansible.__version__)')) in the installed tarball, $coll"
    (cd "$coll" && PATH="$venv/bin:$bin:$PATH" \
        ansible-test sanity --local --color no --truncate 0 -v)
}

stage_sanity() { sanity_run "$VENV_CORE216"; }
stage_sanity-core-newest() { sanity_run "$VENV_CORENEW"; }

stage_hardening() {
    need_root hardening || return 1
    local rc=0
    VENV="$VENV_CORE216" "$ROOT/tests/hardening/concurrency.sh" || rc=1
    LINUX_NETLINK_VENVS="$LINUX_NETLINK_VENVS" "$ROOT/tests/hardening/compat.sh" || rc=1
    return "$rc"
}

integration_run() { # integration_run VENV
    local venv="$1" coll targets
    need_root integration || return 1
    stage_tmp integration
    targets=$(find "$ROOT/tests/integration/targets" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)
    if [ "$targets" -eq 0 ]; then
        fail "no integration targets under tests/integration/targets"
        return 1
    fi
    coll="$(copy_collection "$STAGE_TMP")" || return 1
    say "+ ansible-test integration --local ($targets targets, ansible-core $("$venv/bin/python" \
        -c 'import ansible; print(ansible.__version__)'))"
    # --allow-destructive: the targets need root and change kernel state, but only inside the
    # throw-away network namespaces they create themselves.
    (cd "$coll" && PATH="$venv/bin:$PATH" \
        ansible-test integration --local --allow-destructive --continue-on-error --color no -v --python \
            "$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')") \
        | tee "$STAGE_TMP/integration.log"
    local rc="${PIPESTATUS[0]}"
    [ "$rc" -eq 0 ] || return "$rc"
    if grep -q "All targets skipped" "$STAGE_TMP/integration.log"; then
        fail "ansible-test skipped every integration target"
        return 1
    fi
}

stage_integration-core2.16() { integration_run "$VENV_CORE216"; }
stage_integration-core-newest() { integration_run "$VENV_CORENEW"; }

stage_vm() {
    need_root vm || return 1
    local entry="$ROOT/tests/vm/run-tests"
    if [ ! -x "$entry" ]; then
        fail "tests/vm/run-tests is missing or not executable: the VM tests cannot run"
        return 1
    fi
    say "+ tests/vm/run-tests"
    (cd "$ROOT" && PATH="$VENV_CORE216/bin:$PATH" "$entry")
}

# A scenario that can only run inside the simulated-radio VM carries a file `in-vm` holding
# the command that runs it there, relative to the repository root, optionally preceded by
# VAR=value settings for tests/vm/run-in-vm, e.g. "LN_VM_RADIOS=5 tests/vm/wifi-role.sh".
molecule_in_vm() { # molecule_in_vm SCENARIO_DIR
    local words=() envs=() cmd
    read -r -a words <"$1/in-vm"
    while [ "${#words[@]}" -gt 0 ] && [[ "${words[0]}" == *=* ]]; do
        envs+=("${words[0]}")
        words=("${words[@]:1}")
    done
    [ "${#words[@]}" -gt 0 ] || { fail "$1/in-vm names no command"; return 1; }
    [ -x "$ROOT/tests/vm/run-in-vm" ] || { fail "tests/vm/run-in-vm is missing"; return 1; }
    cmd="${words[*]}"
    say "+ ${envs[*]} tests/vm/run-in-vm $cmd   (${1#"$ROOT"/} runs inside the VM)"
    (cd "$ROOT" && env "${envs[@]}" PATH="$VENV_CORE216/bin:$PATH" tests/vm/run-in-vm "${words[@]}")
}

stage_molecule() {
    local scenarios=() dir rc=0 coll
    for dir in "$ROOT"/roles/*/molecule/*/; do
        [ -f "$dir/molecule.yml" ] && scenarios+=("${dir%/}")
    done
    if [ "${#scenarios[@]}" -eq 0 ]; then
        fail "no molecule scenarios under roles/*/molecule/: nothing tested the roles"
        return 1
    fi
    need_root molecule || return 1
    stage_tmp molecule
    coll="$(link_collection "$STAGE_TMP/collections")"
    for dir in "${scenarios[@]}"; do
        local role_dir="${dir%/molecule/*}" scenario="${dir##*/}"
        if [ -f "$dir/in-vm" ]; then
            molecule_in_vm "$dir" || { rc=1; say "scenario ${role_dir##*/}/$scenario FAILED"; }
            continue
        fi
        say "+ (cd roles/${role_dir##*/} && molecule test -s $scenario)"
        (cd "$role_dir" && PATH="$VENV_CORE216/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$coll" \
            molecule test -s "$scenario") || { rc=1; say "scenario ${role_dir##*/}/$scenario FAILED"; }
    done
    return "$rc"
}

# galaxy-importer as Galaxy runs it on an upload (without its container and ansible-test steps),
# on the built tarball. It runs ansible-lint itself; any ERROR or WARNING line fails the stage.
stage_galaxy-importer() {
    stage_tmp importer
    local coll tarball out="$STAGE_TMP/importer.log"
    coll="$(copy_collection "$STAGE_TMP/src")" || return 1
    if ! grep -q '^repository:' "$coll/galaxy.yml"; then
        # Galaxy refuses an upload without it; the rest is still worth checking
        say "WARNING: galaxy.yml has no repository: Galaxy refuses the upload until it has a real one."
        say "         The importer below runs on a copy given a stand-in URL, to check the rest."
        printf 'repository: https://example.invalid/stand-in\n' >>"$coll/galaxy.yml"
    fi
    (cd "$coll" && PATH="$VENV_GALAXY/bin:$PATH" ansible-galaxy collection build \
        --output-path "$STAGE_TMP/dist" --force) || return 1
    tarball="$(ls "$STAGE_TMP"/dist/linux-netlink-*.tar.gz)" || return 1
    mkdir -p "$STAGE_TMP/tmp"
    printf '%s\n' '[galaxy-importer]' 'local_image_docker = False' 'run_ansible_test = False' \
        'run_ansible_doc = True' 'run_ansible_lint = True' 'offline_ansible_lint = True' \
        'check_changelog = True' "ansible_local_tmp = $STAGE_TMP/tmp" \
        "tmp_root_dir = $STAGE_TMP/tmp" >"$STAGE_TMP/galaxy-importer.cfg"
    say "+ python -m galaxy_importer.main $(basename "$tarball")"
    # (it writes importer_result.json into the working directory)
    (cd "$STAGE_TMP" && PATH="$VENV_GALAXY/bin:$PATH" \
        GALAXY_IMPORTER_CONFIG="$STAGE_TMP/galaxy-importer.cfg" \
        "$VENV_GALAXY/bin/python" -m galaxy_importer.main "$tarball") 2>&1 | tee "$out"
    local rc="${PIPESTATUS[0]}"
    [ "$rc" -eq 0 ] || { fail "galaxy-importer exited $rc"; return 1; }
    grep -q '^Importer processing completed successfully' "$out" || { fail "no success line"; return 1; }
    if grep -E '^(ERROR|WARNING)' "$out" >/dev/null; then
        fail "galaxy-importer reported $(grep -c -E '^(ERROR|WARNING)' "$out") ERROR/WARNING lines (above)"
        return 1
    fi
}

# ansible-lint, production profile, on the installed tarball: every file that ships, no rule
# skipped. tests/integration/ is left out as Galaxy's importer leaves it out: ansible-lint takes
# ansible-test targets for roles.
stage_ansible-lint() {
    stage_tmp lint
    local coll
    coll="$(built_collection "$VENV_GALAXY" "$STAGE_TMP")" || return 1
    say "+ ansible-lint --profile production ($("$VENV_GALAXY/bin/ansible-lint" --version | head -1))"
    (cd "$coll" && PATH="$VENV_GALAXY/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$STAGE_TMP/installed" \
        ANSIBLE_LOCAL_TEMP="$STAGE_TMP/tmp" XDG_CACHE_HOME="$STAGE_TMP/cache" \
        ansible-lint --profile production --offline --nocolor -f pep8 --exclude tests/integration/)
}

stage_docs() { PATH="$VENV_CORE216/bin:$PATH" bash "$ROOT/tests/build-docs.sh"; }

stage_galaxy-build() {
    stage_tmp build
    local tarball coll
    # Built from a clean copy (the files git knows), as a release from a fresh clone would be.
    coll="$(copy_collection "$STAGE_TMP/src")" || return 1
    say "+ ansible-galaxy collection build"
    (cd "$coll" && PATH="$VENV_CORE216/bin:$PATH" \
        ansible-galaxy collection build --output-path "$STAGE_TMP/dist" --force) || return 1
    tarball="$(ls "$STAGE_TMP"/dist/linux-netlink-*.tar.gz)" || return 1
    say "+ ansible-galaxy collection install $(basename "$tarball")"
    PATH="$VENV_CORE216/bin:$PATH" ansible-galaxy collection install -p "$STAGE_TMP/installed" \
        "$tarball" || return 1
    local installed="$STAGE_TMP/installed/ansible_collections/linux/netlink"
    [ -f "$installed/MANIFEST.json" ] || { fail "installed collection has no MANIFEST.json"; return 1; }
    say "+ ansible-galaxy collection list linux.netlink"
    PATH="$VENV_CORE216/bin:$PATH" ansible-galaxy collection list -p "$STAGE_TMP/installed" \
        linux.netlink || return 1
    local leaked
    leaked="$(tar -tzf "$tarball" | grep -E '(^|/)(\.git|__pycache__|\.pytest_cache|\.ruff_cache|\.hypothesis|tests/output)(/|$)' || true)"
    [ -z "$leaked" ] || { fail "the tarball carries files it must not: $leaked"; return 1; }
    say "tarball: $(basename "$tarball"), $(tar -tzf "$tarball" | wc -l) entries, $(du -h "$tarball" | cut -f1)"
}

# --------------------------------------------------------------------------------------- driver

selected() { # selected STAGE: is it in $STAGES (by name or by prefix before a dash)?
    local want
    [ -z "${STAGES:-}" ] && return 0
    for want in $STAGES; do
        case "$1" in "$want" | "$want"-*) return 0 ;; esac
    done
    return 1
}

run_one_stage() { # the child process of one stage (see main)
    load_paths || exit 1
    "stage_$1"
}

banner() {
    printf '\n%s\n== %s\n%s\n' "$(printf '=%.0s' {1..78})" "$*" "$(printf '=%.0s' {1..78})"
}

main() {
    exec </dev/null
    if [ "${1:-}" = --list ]; then printf '%s\n' "${ALL_STAGES[@]}"; return 0; fi
    if [ "${1:-}" = --stage ]; then run_one_stage "$2"; return; fi

    local logdir="$ROOT/tests/output/run-all" names=() results=() times=() stage start rc
    local timeout_s="${STAGE_TIMEOUT:-1800}" failed=0 passed=0 total_start=$SECONDS
    mkdir -p "$logdir"
    for stage in ${STAGES:-}; do
        local known=0 s
        for s in "${ALL_STAGES[@]}"; do case "$s" in "$stage" | "$stage"-*) known=1 ;; esac; done
        [ "$known" = 1 ] || { say "unknown stage '$stage'; stages: ${ALL_STAGES[*]}"; return 2; }
    done

    banner "deps: tests/install-deps.sh"
    start=$SECONDS
    if [ "${SKIP_INSTALL:-0}" = 1 ]; then
        say "skipped (SKIP_INSTALL=1)"
        rc=0
    else
        bash "$ROOT/tests/install-deps.sh" 2>&1 | tee "$logdir/deps.log"
        rc="${PIPESTATUS[0]}"
    fi
    names+=(deps) times+=($((SECONDS - start)))
    if [ "$rc" -eq 0 ]; then results+=(ok); passed=$((passed + 1)); else results+=(FAILED); failed=$((failed + 1)); fi

    for stage in "${ALL_STAGES[@]}"; do
        selected "$stage" || continue
        banner "$stage"
        start=$SECONDS
        timeout --kill-after=30 "$timeout_s" bash "$SELF" --stage "$stage" 2>&1 | tee "$logdir/$stage.log"
        rc="${PIPESTATUS[0]}"
        [ "$rc" -eq 124 ] && say "FAILED: stage $stage killed after ${timeout_s} s (STAGE_TIMEOUT)"
        names+=("$stage") times+=($((SECONDS - start)))
        if [ "$rc" -eq 0 ]; then
            results+=(ok)
            passed=$((passed + 1))
        else
            results+=("FAILED($rc)")
            failed=$((failed + 1))
        fi
        say "-- $stage: ${results[-1]} in ${times[-1]} s"
    done

    banner "summary ($((SECONDS - total_start)) s; logs in tests/output/run-all/)"
    printf '%-26s %-12s %8s\n' stage result seconds
    local i
    for i in "${!names[@]}"; do
        printf '%-26s %-12s %8s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}"
    done
    printf '%d passed, %d failed\n' "$passed" "$failed"
    [ "$failed" -eq 0 ]
}

main "$@"
