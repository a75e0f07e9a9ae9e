#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# nftables set benchmark (issue 15), in a throw-away network namespace:
#
#     sudo benchmarks/run_nft.sh [--runs 5] [--count 100000] [--cases 1,2,3,4]
#
# Needs root and the `nft` tool (the reference). Prints a table; exits 0 even when a target is
# MISSED. Not part of the test suite.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ "$(id -u)" == 0 ]] || { echo "run_nft.sh: needs root" >&2; exit 1; }
command -v nft >/dev/null || { echo "run_nft.sh: needs nft (apt-get install nftables)" >&2; exit 1; }
exec unshare --net -- "${PYTHON:-python3}" "$HERE/bench_nft.py" "$@"
