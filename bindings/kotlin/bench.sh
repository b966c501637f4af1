#!/usr/bin/env bash
# Per-call overhead of the bindings from Kotlin against the same work in Rust (not run by CI).
# Builds the release library, runs the Kotlin benchmark on the JVM, then the criterion bench of
# the same calls in Rust. Needs what run-tests.sh installs (run it once first).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
tools="$here/.tools/node_modules/kotlin-compiler"
[ -x "$tools/bin/kotlinc" ] || { echo "run bindings/kotlin/run-tests.sh first (installs kotlinc)" >&2; exit 1; }
jna=/usr/share/java/jna.jar
cargo build -q --release -p mms-ffi -p mock-mmsc
build="$root/target/kotlin-bench"
mkdir -p "$build"
"$tools/bin/kotlinc" -nowarn -cp "$jna:$tools/lib/kotlinx-coroutines-core-jvm.jar:/usr/share/java/junit4.jar" -d "$build/bench.jar" \
  "$here/generated/uniffi/mms_ffi/mms_ffi.kt" "$here"/testsupport/common/*.kt "$here"/testsupport/jvm/*.kt \
  "$here"/bench/*.kt 2>&1 | grep -v "^warning" || true
MOCK_MMSC="$root/target/release/mock-mmsc" java -Djna.library.path="$root/target/release" \
  -cp "$build/bench.jar:$jna:$tools/lib/kotlinx-coroutines-core-jvm.jar:$tools/lib/kotlin-stdlib.jar" \
  mmscore.bench.FfiBenchKt
cargo bench -q -p mms-ffi --bench ffi_calls -- --warm-up-time 1 --measurement-time 3 2>&1 \
  | grep -E "^rust|time:"
