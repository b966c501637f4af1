#!/usr/bin/env bash
# Builds mms-ffi and generates the Kotlin and Swift bindings into bindings/kotlin/generated and
# bindings/swift/generated. With --check, generates into a temporary folder and fails when the
# result differs from the committed files (CI runs this, so the Swift output is checked even
# where no Swift compiler exists).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p mms-ffi -p uniffi-bindgen
lib=target/debug/libmms_ffi.so
[ -f "$lib" ] || lib=target/debug/libmms_ffi.dylib
out=bindings
if [ "${1:-}" = "--check" ]; then
  out=$(mktemp -d)
fi
for lang in kotlin swift; do
  rm -rf "$out/$lang/generated"
  target/debug/uniffi-bindgen generate --no-format --library "$lib" --language "$lang" \
    --out-dir "$out/$lang/generated" >/dev/null
done
if [ "${1:-}" = "--check" ]; then
  status=0
  for lang in kotlin swift; do
    if ! diff -r "bindings/$lang/generated" "$out/$lang/generated" >/dev/null; then
      echo "bindings/$lang/generated is stale: run bindings/generate.sh and commit" >&2
      status=1
    fi
  done
  rm -rf "$out"
  [ $status = 0 ] && echo "generated Kotlin and Swift bindings are up to date"
  exit $status
fi
echo "generated bindings/kotlin/generated and bindings/swift/generated"
