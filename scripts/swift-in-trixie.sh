#!/usr/bin/env bash
# The Swift side in CI: Debian trixie's swiftlang (Swift 6.0.3) in a trixie root made with
# debootstrap (bookworm's C library is too old for it), built once and kept in
# $MMS_SWIFT_ROOT (default /var/cache/mms-core/trixie-swift), reused while it has swift.
# Then, inside it, against the real library and the real mock MMSC built on the host:
#   1. the XCTest suite of the bindings (bindings/swift), in Swift 6 language mode;
#   2. the generated bindings compiled in Swift 5 mode on their own (the package builds them in
#      Swift 5 mode too: Swift 6.0.3 crashes on UniFFI's async-callback helper in Swift 6 mode);
#   3. a type check of ios/Sources/MmsPresentation (the iOS app's models) with a stand-in for
#      Combine, which Linux does not have.
# Needs root (debootstrap, chroot, mounting /proc in the root). Fails when any step fails.
#   scripts/swift-in-trixie.sh
set -euo pipefail
cd "$(dirname "$0")/.."
project="$(pwd)"
root_dir="${MMS_SWIFT_ROOT:-/var/cache/mms-core/trixie-swift}"
mirror="${MMS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [ ! -x "$root_dir/usr/libexec/swift/bin/swift" ]; then
  echo "== building the trixie root with swiftlang in $root_dir (once)"
  command -v debootstrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
  }
  start=$(date +%s)
  rm -rf "$root_dir.tmp"
  mkdir -p "$(dirname "$root_dir")"
  debootstrap --variant=minbase trixie "$root_dir.tmp" "$mirror" >/dev/null
  chroot "$root_dir.tmp" apt-get update -qq
  chroot "$root_dir.tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends swiftlang libcurl4-openssl-dev libxml2-dev >/dev/null
  chroot "$root_dir.tmp" apt-get clean
  rm -rf "$root_dir"
  mv "$root_dir.tmp" "$root_dir"
  echo "trixie root built in $(( $(date +%s) - start )) s, $(du -sh "$root_dir" | cut -f1)"
fi

# /proc in the root: the Swift driver finds its runtime through /proc/self/exe.
if ! mountpoint -q "$root_dir/proc"; then
  mount -t proc proc "$root_dir/proc"
fi
trap 'umount "$root_dir/proc" 2>/dev/null || true' EXIT

cargo build -q -p mms-ffi -p mock-mmsc
bindings/generate.sh --check

# What the root sees: the Swift package of the bindings, the iOS models, the library, the mock.
stage="$root_dir/mms"
rm -rf "$stage"
mkdir -p "$stage/lib" "$stage/bindings/swift/build/module" "$stage/bindings/swift/build/extras" "$stage/ios"
cp -r bindings/swift/Package.swift bindings/swift/Tests bindings/swift/generated "$stage/bindings/swift/"
cp -r ios/Sources ios/LinuxStandIns "$stage/ios/"
cp target/debug/libmms_ffi.so target/debug/mock-mmsc "$stage/lib/"
cp bindings/swift/generated/mms_ffiFFI.h "$stage/bindings/swift/build/module/"
cp ios/Sources/MmsCore/ClientEvents.swift "$stage/bindings/swift/build/extras/"
cat > "$stage/bindings/swift/build/module/module.modulemap" <<'MAP'
module mms_ffiFFI {
    header "mms_ffiFFI.h"
    link "mms_ffi"
    export *
}
MAP
in_root() {
  chroot "$root_dir" env HOME=/root PATH=/usr/bin:/bin LD_LIBRARY_PATH=/mms/lib \
    bash -c "set -euo pipefail; $1"
}

echo "== Swift: the generated bindings in Swift 5 mode"
in_root "cd /mms/bindings/swift && swiftc -swift-version 5 -parse-as-library -emit-module \
  -module-name MmsFfi -I build/module generated/mms_ffi.swift -emit-module-path /tmp/MmsFfi5.swiftmodule"

echo "== Swift: XCTest suite (Swift 6 mode) against the library and the mock MMSC"
in_root "cd /mms/bindings/swift && MOCK_MMSC=/mms/lib/mock-mmsc timeout 600 swift test \
  -Xlinker -L/mms/lib -Xlinker -rpath -Xlinker /mms/lib 2>&1 | grep -vE '^\\[[0-9]+/[0-9]+\\]'"

echo "== Swift: type check of ios/Sources/MmsPresentation (Combine stand-in), Swift 6 mode"
in_root "set -e; cd /mms && mkdir -p /tmp/pres && \
  swiftc -parse-as-library -emit-module -module-name Combine ios/LinuxStandIns/Combine.swift \
    -emit-module-path /tmp/pres/Combine.swiftmodule && \
  swiftc -parse-as-library -emit-module -module-name MmsCore -I bindings/swift/build/module \
    bindings/swift/generated/mms_ffi.swift ios/Sources/MmsCore/ClientEvents.swift \
    -emit-module-path /tmp/pres/MmsCore.swiftmodule && \
  swiftc -swift-version 6 -parse-as-library -typecheck -I /tmp/pres -I bindings/swift/build/module \
    ios/Sources/MmsPresentation/*.swift"
echo "Swift: suite passed (Swift 6), bindings compile (Swift 5), MmsPresentation type-checks (Swift 6)"
