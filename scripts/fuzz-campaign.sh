#!/usr/bin/env bash
# The fuzzing campaign of FUZZING.md: every target (or the ones named) for a budget of CPU
# seconds each (`ulimit -t`, so a busy machine does not shorten it), JOBS targets at a time
# (default: one per core), under the limits of a phone (scripts/fuzz-limits.sh: 256 MB RSS,
# 1 s per input, inputs up to 64 KiB, a heap budget per decode checked inside the targets),
# starting from the committed seeds (fuzz/seeds/TARGET.tar.gz) with new inputs kept in
# fuzz/work/TARGET; then each target's seeds are replaced by the minimised union of them and
# what the run found (scripts/fuzz-minimise.sh). Statistics per target land in
# fuzz/work/TARGET.log (libFuzzer's, then /usr/bin/time's).
#   [JOBS=n] scripts/fuzz-campaign.sh [CPU_SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/fuzz-limits.sh
secs=${1:-930}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pdu_decode pdu_structured push_decode sms_reassembly wbxml_decode
  provisioning_decode content_plan links ffi_decode storms)
jobs=${JOBS:-$(nproc)}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
fuzz_build
one() {
  local t=$1
  rm -rf "fuzz/work/$t" && mkdir -p "fuzz/work/$t" "fuzz/artifacts/$t"
  python3 scripts/fuzz_seeds.py unpack "$t" "fuzz/work/$t"
  ( ulimit -t "$secs"; exec /usr/bin/time -v "$FUZZ_BIN/$t" "fuzz/work/$t" \
      -max_total_time=1000000 "${FUZZ_FLAGS[@]}" -max_len="$(fuzz_max_len "$t")" $(fuzz_extra_flags "$t") \
      -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" ) > "fuzz/work/$t.log" 2>&1 || true
  echo "== $t: $(grep -E '^#[0-9]+' "fuzz/work/$t.log" | tail -1)"
}
running=0
for t in "${targets[@]}"; do
  one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait
for t in "${targets[@]}"; do scripts/fuzz-minimise.sh "$t" "fuzz/work/$t"; done
find fuzz/artifacts -type f 2>/dev/null | grep -q . && echo "crashes in fuzz/artifacts: fix them and copy each to fuzz/regressions" || true
