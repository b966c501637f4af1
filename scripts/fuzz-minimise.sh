#!/usr/bin/env bash
# Replaces the committed seeds of TARGET with the minimised union of them and the inputs in DIR:
# libFuzzer's set-cover merge over edges (no hit counters, no value profile), so the archive keeps
# the fewest inputs that reach every edge any of them reaches.
#   scripts/fuzz-minimise.sh TARGET DIR
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/fuzz-limits.sh
target=${1:?usage: scripts/fuzz-minimise.sh TARGET DIR}
dir=${2:?usage: scripts/fuzz-minimise.sh TARGET DIR}
bin=$FUZZ_BIN/$target
[ -x "$bin" ] || fuzz_build "$target"
old=$(mktemp -d) min=$(mktemp -d)
python3 scripts/fuzz_seeds.py unpack "$target" "$old"
"$bin" -set_cover_merge=1 -use_counters=0 -use_value_profile=0 -rss_limit_mb=256 -timeout=10 \
  -max_len="$(fuzz_max_len "$target")" "$min" "$old" "$dir" >/dev/null 2>&1
python3 scripts/fuzz_seeds.py pack "$target" "$min"
rm -rf "$old" "$min"
