#!/usr/bin/env bash
# Runs a build of the `mms` tool over the adversarial inputs of the amplification bench and
# prints, per input, the command, its peak resident set and its wall time (/usr/bin/time), each
# capped at 300 s. For a before/after figure, run it with the binaries of two commits.
#   scripts/amplification-cli.sh [MMS_BINARY]   (default: target/release/mms, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
mms=${1:-target/release/mms}
[ -x "$mms" ] || cargo build -q --release -p mms-cli
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo run -q --release -p mms-fuzzing --example write_hostile -- "$dir" >/dev/null
measure() {
  local label=$1; shift
  local out
  /usr/bin/time -o "$dir/time" -f '%M %e' timeout 300 "$mms" "$@" >/dev/null 2>&1 || true
  out=$(tail -1 "$dir/time")
  printf '| %s | %s MB | %s s |\n' "$label" "$(awk '{printf "%.1f", $1/1024}' <<<"$out")" "$(awk '{print $2}' <<<"$out")"
}
echo "| input (command) | peak RSS | wall time |"
echo "| --- | --- | --- |"
measure "SI href storm, 63 KiB (push-check)" push-check --mmsc http://mmsc.example/mms "$dir/si-href-storm-63k.push"
measure "SI content storm, 32 KiB (push-check)" push-check --mmsc http://mmsc.example/mms "$dir/si-content-storm-32k.push"
measure "CP parm storm, 63 KiB (provision inspect)" provision inspect "$dir/cp-parm-storm-63k.wbxml"
measure "SMIL, 90,000 attributes (decode: render plan)" decode "$dir/smil-90k-attributes.mms"
measure "XHTML, 40,000 attributes (links)" links "$dir/xhtml-40k-attributes.mms"
