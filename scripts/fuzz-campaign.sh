#!/usr/bin/env bash
# The fuzzing campaign of FUZZING.md: every target (or the ones named) for a budget of CPU
# seconds each (`ulimit -t`, so a busy machine does not shorten it), built with cargo-fuzz
# (AddressSanitizer on), new inputs kept in fuzz/work/TARGET; then each committed corpus is
# replaced by the minimised merge of itself and what the run found (libFuzzer -merge=1).
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
  mkdir -p "fuzz/work/$t" "fuzz/artifacts/$t"
  echo "== $t: $secs CPU seconds"
  ( ulimit -t "$secs"; exec /usr/bin/time -v "$bin/$t" "fuzz/work/$t" "fuzz/corpus/$t" \
      -max_total_time=1000000 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="fuzz/artifacts/$t/" ) > "fuzz/work/$t.log" 2>&1 || true
  grep -E '^#[0-9]+' "fuzz/work/$t.log" | tail -1
  min=$(mktemp -d)
  "$bin/$t" -merge=1 "$min" "fuzz/corpus/$t" "fuzz/work/$t" >/dev/null 2>&1
  rm -rf "fuzz/corpus/$t" && mv "$min" "fuzz/corpus/$t"
  echo "   corpus: $(ls "fuzz/corpus/$t" | wc -l) inputs after minimising"
done
ls fuzz/artifacts/*/ 2>/dev/null | grep -q . && echo "crashes in fuzz/artifacts: fix them and copy each to fuzz/regressions" || true
