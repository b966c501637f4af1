#!/usr/bin/env bash
# Runs one cargo-fuzz target for a given time, starting from its committed seeds, under the
# limits of a phone (scripts/fuzz-limits.sh).
#   scripts/fuzz.sh TARGET [SECONDS] [--shared] [--keep]
# The seeds (fuzz/seeds/TARGET.tar.gz) are unpacked into fuzz/work/TARGET, where the run adds
# what it finds. With --keep, the seeds are then replaced by the minimised union (libFuzzer's
# set-cover merge over edges): commit the archive. With --shared, the shared interop corpus
# (../shared/corpus, GPL material) is added as a read-only seed folder under fuzz/work/; what a
# --shared run finds is never packed into the committed seeds. Crashes land in
# fuzz/artifacts/TARGET: copy a fixed one into fuzz/regressions/TARGET so that `cargo test`
# replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/fuzz-limits.sh
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS] [--shared] [--keep]}
secs=${2:-60}
shift $(( $# < 2 ? $# : 2 ))
shared=0; keep=0
for a in "$@"; do
  case "$a" in --shared) shared=1 ;; --keep) keep=1 ;; esac
done
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
work="fuzz/work/$target"
rm -rf "$work" && mkdir -p "$work" "fuzz/artifacts/$target"
python3 scripts/fuzz_seeds.py unpack "$target" "$work"
dirs=("work/$target")
if [ $shared = 1 ] && [ -d ../shared/corpus ]; then
  seeds="fuzz/work/$target-shared-seeds"
  mkdir -p "$seeds"
  python3 - "$seeds" <<'PY'
import os, sys, glob
out = sys.argv[1]
for f in glob.glob("../shared/corpus/mms/*/*.hex"):
    hexs = "".join(l.strip() for l in open(f) if not l.startswith("#"))
    try:
        data = bytes.fromhex(hexs)
    except ValueError:
        continue
    open(os.path.join(out, os.path.basename(f)[:-4]), "wb").write(data)
for f in glob.glob("../shared/corpus/push/**/*", recursive=True):
    if os.path.isfile(f) and not f.endswith((".md", ".txt", ".xml")):
        open(os.path.join(out, os.path.basename(f)), "wb").write(open(f, "rb").read())
PY
  dirs+=("work/$target-shared-seeds")
  keep=0
fi
fuzz_build "$target"
(cd fuzz && "../$FUZZ_BIN/$target" "${dirs[@]}" -max_total_time="$secs" "${FUZZ_FLAGS[@]}" \
  -max_len="$(fuzz_max_len "$target")" $(fuzz_extra_flags "$target") -print_final_stats=1 -artifact_prefix="artifacts/$target/")
if [ $keep = 1 ]; then
  scripts/fuzz-minimise.sh "$target" "$work"
fi
