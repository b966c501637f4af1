#!/usr/bin/env bash
# The Swift XCTest suite against the real library and the real mock MMSC binary, where a Swift
# toolchain exists (macOS with Xcode, or Swift for Linux). Without one it says so and exits 0:
# CI on Linux checks the generated Swift for currency instead (bindings/generate.sh --check).
#   bindings/swift/run-tests.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if ! command -v swift >/dev/null; then
  echo "no Swift toolchain: Swift suite not run (the generated Swift is checked by generate.sh --check)"
  exit 0
fi
cd "$root"
cargo build -q -p mms-ffi -p mock-mmsc
bindings/generate.sh --check
mkdir -p "$here/build/module" "$here/build/extras"
cp "$root/ios/Sources/MmsCore/ClientEvents.swift" "$here/build/extras/"
cp "$here/generated/mms_ffiFFI.h" "$here/build/module/"
cat > "$here/build/module/module.modulemap" <<MAP
module mms_ffiFFI {
    header "mms_ffiFFI.h"
    link "mms_ffi"
    export *
}
MAP
lib="$root/target/debug"
cd "$here"
MOCK_MMSC="$root/target/debug/mock-mmsc" LD_LIBRARY_PATH="$lib" DYLD_LIBRARY_PATH="$lib" \
  swift test -Xlinker -L"$lib" -Xlinker -rpath -Xlinker "$lib"
