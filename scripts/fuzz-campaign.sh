#!/usr/bin/env bash
# The fuzzing campaign of FUZZING.md: every target (or the ones named) for a budget of CPU
# seconds each (`ulimit -t`, so a busy machine does not shorten it), built with cargo-fuzz
# (AddressSanitizer on), starting from the committed seeds (fuzz/seeds/TARGET.tar.gz) with new
# inputs kept in fuzz/work/TARGET; then each target's seeds are replaced by the minimised union
# of them and what the run found (scripts/fuzz-minimise.sh).
# Statistics per target land in fuzz/work/TARGET.log.
#   scripts/fuzz-campaign.sh [CPU_SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-930}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pdu_decode pdu_structured push_decode sms_reassembly wbxml_decode
  provisioning_decode content_plan links ffi_decode)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
(cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build)
bin=fuzz/target/x86_64-unknown-linux-gnu/release
for t in "${targets[@]}"; do
  rm -rf "fuzz/work/$t" && mkdir -p "fuzz/work/$t" "fuzz/artifacts/$t"
  python3 scripts/fuzz_seeds.py unpack "$t" "fuzz/work/$t"
  echo "== $t: $secs CPU seconds"
  ( ulimit -t "$secs"; exec /usr/bin/time -v "$bin/$t" "fuzz/work/$t" \
      -max_total_time=1000000 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="fuzz/artifacts/$t/" ) > "fuzz/work/$t.log" 2>&1 || true
  grep -E '^#[0-9]+' "fuzz/work/$t.log" | tail -1
  scripts/fuzz-minimise.sh "$t" "fuzz/work/$t"
done
ls fuzz/artifacts/*/ 2>/dev/null | grep -q . && echo "crashes in fuzz/artifacts: fix them and copy each to fuzz/regressions" || true
