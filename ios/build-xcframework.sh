#!/usr/bin/env bash
# Builds the Rust library for iOS devices and simulators and packs it as
# build/MmsFFI.xcframework (static libraries + the generated C header and module map), and puts
# the generated Swift in Sources/MmsCore. Needs macOS with Xcode (xcodebuild, lipo) and rustup.
#   ios/build-xcframework.sh [--debug] [--no-http] [--no-image-resize]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
[ "$(uname)" = Darwin ] || { echo "needs macOS with Xcode" >&2; exit 1; }
# Options (--debug, --no-http, --no-image-resize): bindings/ffi/features.sh.
source "$root/bindings/ffi/features.sh" "$@"
flags=("${features[@]}")
[ "$profile" = ship ] && flags+=(--profile ship)
targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
rustup target add "${targets[@]}" >/dev/null
cd "$root"
for t in "${targets[@]}"; do
  cargo rustc -p mms-ffi --lib --crate-type staticlib --target "$t" "${flags[@]}"
done
out="$here/build"
rm -rf "$out" && mkdir -p "$out/headers" "$out/sim"
# One simulator library for both simulator architectures.
lipo -create "target/aarch64-apple-ios-sim/$profile/libmms_ffi.a" \
  "target/x86_64-apple-ios/$profile/libmms_ffi.a" -output "$out/sim/libmms_ffi.a"
cargo build -q -p uniffi-bindgen
gen="$out/generated"
target/debug/uniffi-bindgen generate --library "target/aarch64-apple-ios/$profile/libmms_ffi.a" \
  --language swift --out-dir "$gen"
cp "$gen/mms_ffiFFI.h" "$out/headers/"
cp "$gen/mms_ffiFFI.modulemap" "$out/headers/module.modulemap"
cp "$gen/mms_ffi.swift" "$here/Sources/MmsCore/mms_ffi.swift"
xcodebuild -create-xcframework \
  -library "target/aarch64-apple-ios/$profile/libmms_ffi.a" -headers "$out/headers" \
  -library "$out/sim/libmms_ffi.a" -headers "$out/headers" \
  -output "$out/MmsFFI.xcframework"
echo "ios/build/MmsFFI.xcframework and ios/Sources/MmsCore/mms_ffi.swift ready"
