#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Build and check the documentation of linux.netlink; any error fails (tests/run-all.sh: docs).
#
#   1. antsibull-docs lint-collection-docs --plugin-docs: the docsite files (docs/docsite/*.yml,
#      rst guides), every plugin's and role's docs against the schema, semantic markup, and
#      references between them;
#   2. ansible-doc renders every module (options, examples, return values);
#   3. the docsite is built with Sphinx (antsibull-docs sphinx-init + collection), warnings are
#      errors. Output: tests/output/docs/html (or $DOCS_DEST).
#
# Needs ansible-core, antsibull-docs and sphinx on PATH (the core216 venv of install-deps.sh;
# run-all.sh puts it first on PATH). Works offline: no intersphinx inventories are fetched.
set -euo pipefail

ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
DEST="${DOCS_DEST:-$ROOT/tests/output/docs}"
export LC_ALL=C.UTF-8 LANG=C.UTF-8 ANSIBLE_NOCOLOR=1

VENV="${LINUX_NETLINK_VENVS:-/var/tmp/linux-netlink-venvs}/core216"
if ! command -v antsibull-docs >/dev/null 2>&1 && [ -x "$VENV/bin/antsibull-docs" ]; then
    export PATH="$VENV/bin:$PATH"
fi
for tool in antsibull-docs ansible-doc sphinx-build rsync; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build-docs: $tool not found (run tests/install-deps.sh)" >&2; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/linux-netlink-docs.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# The collection as $WORK/ansible_collections/linux/netlink: only files git tracks or would
# track (no caches, no test output).
COLL="$WORK/ansible_collections/linux/netlink"
mkdir -p "$COLL"
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -z -c -o --exclude-standard --deduplicate \
        | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) \
        | grep -z -v -E '(^|/)(\.hypothesis|\.benchmarks|[^/]*_cache|__pycache__)/|^tests/output/|\.pyc$' \
        | rsync -a --from0 --files-from=- "$ROOT/" "$COLL/"
else
    rsync -a --exclude .git --exclude '__pycache__' --exclude '.*_cache' --exclude tests/output \
        "$ROOT/" "$COLL/"
fi
export ANSIBLE_COLLECTIONS_PATH="$WORK" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false

step() { printf '\n--- %s\n' "$*"; }
FAILED=()

# Every step runs, so one run shows every problem; the script fails at the end if any did.
step "antsibull-docs lint-collection-docs --plugin-docs"
antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs \
    --validate-collection-refs self --disallow-unknown-collection-refs "$COLL" \
    || FAILED+=("antsibull-docs lint-collection-docs")

step "ansible-doc: every module renders"
render_module() { # render_module FQCN
    local out part
    if ! out="$(ansible-doc -t module "$1" 2>&1)"; then
        printf '%s\n' "$out" >&2
        return 1
    fi
    # A fragment or reference that failed to load shows as a warning, not an exit status.
    if grep -E '^\[WARNING\]|^ERROR' <<<"$out" >&2; then
        return 1
    fi
    for part in OPTIONS EXAMPLES 'RETURN VALUES'; do
        grep -q "^$part" <<<"$out" || { echo "no $part section" >&2; return 1; }
    done
    echo "ok: $1 ($(wc -l <<<"$out") lines)"
}
modules=()
for f in "$COLL"/plugins/modules/*.py; do
    [ -e "$f" ] || continue
    name="$(basename "$f" .py)"
    [ "$name" = __init__ ] || modules+=("linux.netlink.$name")
done
if [ "${#modules[@]}" -eq 0 ]; then
    echo "no modules yet"
else
    for m in "${modules[@]}"; do
        render_module "$m" || FAILED+=("ansible-doc $m")
    done
fi

step "sphinx: docsite"
SITE="$WORK/site"
# Offline: no intersphinx inventory is fetched. References the generated pages make to the
# Ansible docsite (other collections' plugins, ansible-core's reference pages) resolve to plain
# links instead; every other unresolved reference is still an error (-W, nitpicky).
CONF_EXTRA="$(cat <<'PYEOF'

# Added by tests/build-docs.sh (linux.netlink): offline build.
intersphinx_mapping = {}
_ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/latest/"
_ANSIBLE_LABELS = {
    "ansible_configuration_settings": "reference_appendices/config.html",
    "common_return_values": "reference_appendices/common_return_values.html",
}


def _ansible_docsite_ref(app, env, node, contnode):
    """A missing :ref: to the Ansible docsite becomes a link to the page."""
    from docutils import nodes

    target = node.get("reftarget", "")
    page = _ANSIBLE_LABELS.get(target)
    if page is None and target.startswith("ansible_collections.") and not target.startswith(
        "ansible_collections.linux.netlink."
    ):
        parts = target.split("__", 1)[0].split(".")
        if len(parts) == 4:  # ansible_collections.NS.COLL.PLUGIN_TYPE
            page = "collections/%s/%s/%s.html" % tuple(parts[1:])
    if page is None:
        return None
    ref = nodes.reference("", "", internal=False, refuri=_ANSIBLE_DOCS + page)
    ref.append(contnode)
    return ref


def setup(app):
    app.connect("missing-reference", _ansible_docsite_ref)
PYEOF
)"
build_site() {
    mkdir -p "$SITE"
    antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error \
        --dest-dir "$SITE" linux.netlink >/dev/null || return 1
    printf '%s\n' "$CONF_EXTRA" >>"$SITE/conf.py"
    mkdir -p "$SITE/rst"
    chmod og-w "$SITE/rst"
    (cd "$SITE" && antsibull-docs --config-file antsibull-docs.cfg collection --cleanup everything \
        --fail-on-error --use-current --squash-hierarchy --dest-dir rst linux.netlink) || return 1
    (cd "$SITE" && sphinx-build -q -W --keep-going -b html -c . rst build/html) || return 1
    rm -rf "$DEST"
    mkdir -p "$DEST"
    cp -a "$SITE/build/html" "$DEST/html"
    echo "site: ${DEST#"$ROOT"/}/html ($(find "$DEST/html" -name '*.html' | wc -l) pages)"
}
build_site || FAILED+=("sphinx docsite")

echo
if [ "${#FAILED[@]}" -gt 0 ]; then
    printf 'build-docs: FAILED: %s\n' "${FAILED[@]}"
    exit 1
fi
echo "build-docs: ok"
