# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced inside the VM by tests/vm/wifi/guest-run-tests.sh and demo/wifi-in-vm.sh: puts the
# Python that runs Ansible (and pytest) into the guest's RAM and exports what ansible-playbook
# needs. Sets PY (the interpreter) and LN_WIFI_COLLECTIONS. Returns non-zero on failure.
#
# Source of the runtime: $LN_WIFI_RUNTIME, a tar made on the host by tests/vm/run-tests
# (tests/vm/wifi/make-runtime.py); without it, the guest packs one itself from
# $LINUX_NETLINK_ANSIBLE_VENV [/var/tmp/linux-netlink-venvs/core216] (slower: one pass over 9p),
# unless the host's run-tests cache holds a tar newer than that venv's packages.
# Why: under TCG, each file lookup over the 9p root is a round trip to the host; importing
# Ansible from the shared venv made every task take tens of seconds.
ln_wifi_python() {
    local repo=$1 venv=${LINUX_NETLINK_ANSIBLE_VENV:-/var/tmp/linux-netlink-venvs/core216}
    local tarball=${LN_WIFI_RUNTIME:-} cached
    if [ -z "$tarball" ]; then
        # The newest tar run-tests left in the host's cache, if newer than the venv's packages.
        for cached in $(ls -t /var/tmp/linux-netlink-vm-*/wifi-runtime-*.tar 2>/dev/null); do
            if [ "$cached" -nt "$(ls -d "$venv"/lib/python3*/site-packages | head -n 1)" ]; then
                tarball=$cached
            fi
            break
        done
    fi
    if [ -z "$tarball" ] || [ ! -s "$tarball" ]; then
        [ -x "$venv/bin/python" ] || { echo "guest-python: no $venv/bin/python" >&2; return 1; }
        tarball=/tmp/ln-wifi-runtime.tar
        "$venv/bin/python" "$repo/tests/vm/wifi/make-runtime.py" "$tarball" || return 1
    fi
    mkdir -p /tmp/lnpy && tar -xf "$tarball" -C /tmp/lnpy || return 1
    [ "$tarball" = /tmp/ln-wifi-runtime.tar ] && rm -f "$tarball"
    PY=$(ls /tmp/lnpy/python/bin/python3.* | head -n 1)
    export LD_LIBRARY_PATH=/tmp/lnpy/python/lib
    # The collection, copied (not linked) so that Ansible's lookups stay in RAM too.
    LN_WIFI_COLLECTIONS=/tmp/ln-collections
    local coll=$LN_WIFI_COLLECTIONS/ansible_collections/linux/netlink
    mkdir -p "$coll" && cp -a "$repo/galaxy.yml" "$repo/meta" "$repo/plugins" "$coll/" || return 1
    [ -d "$repo/roles" ] && cp -a "$repo/roles" "$coll/"
    export ANSIBLE_COLLECTIONS_PATH=$LN_WIFI_COLLECTIONS ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=0
    export ANSIBLE_LOCAL_TEMP=/tmp/ansible-local ANSIBLE_REMOTE_TEMP=/tmp/ansible-remote
    export ANSIBLE_PYTHON_INTERPRETER="$PY" ANSIBLE_PIPELINING=1 ANSIBLE_NOCOLOR=1
    export ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_DEPRECATION_WARNINGS=0
    export ANSIBLE_MODULE_COMPRESSION=ZIP_STORED  # no inflating of module payloads under TCG
    "$PY" -c "import ansible.release" || return 1
}
