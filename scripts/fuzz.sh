#!/usr/bin/env bash
# Runs one cargo-fuzz target for a given time and keeps new corpus entries.
#   scripts/fuzz.sh TARGET [SECONDS] [--shared]
# New inputs land in fuzz/corpus/TARGET (committed: they descend only from our own seeds).
# With --shared, the shared interop corpus (../shared/corpus, GPL material) is added as a
# read-only seed directory under fuzz/work/, and what the run finds goes to fuzz/work/ too,
# never into the committed corpus. Crashes land in fuzz/artifacts/TARGET: copy a fixed one
# into fuzz/regressions/TARGET so that `cargo test` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS] [--shared]}
secs=${2:-60}
shared=${3:-}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
mkdir -p "fuzz/corpus/$target"
dirs=("corpus/$target")
if [ "$shared" = "--shared" ] && [ -d ../shared/corpus ]; then
  work="fuzz/work/$target"
  seeds="fuzz/work/$target-shared-seeds"
  mkdir -p "$work" "$seeds"
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
  dirs=("work/$target" "work/$target-shared-seeds" "corpus/$target")
fi
cd fuzz
RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "${dirs[@]}" -- \
  -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=1
