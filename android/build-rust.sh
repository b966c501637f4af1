#!/usr/bin/env bash
# Builds the Rust library for the Android ABIs with cargo-ndk into mmscore/src/main/jniLibs and
# generates the Android flavour of the Kotlin bindings (uniffi-android.toml) into
# mmscore/build/generated/uniffi. Needs the Android NDK (ANDROID_NDK_HOME) and, installed when
# missing, cargo-ndk and the Rust targets. Gradle runs it before building the AAR.
#   android/build-rust.sh [--debug] [--no-http] [--no-image-resize]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
# Options (--debug, --no-http, --no-image-resize): bindings/ffi/features.sh.
source "$root/bindings/ffi/features.sh" "$@"
: "${ANDROID_NDK_HOME:?set ANDROID_NDK_HOME to the Android NDK (r26 or later)}"
command -v cargo-ndk >/dev/null || cargo install cargo-ndk --locked
targets=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android)
rustup target add "${targets[@]}" >/dev/null
cd "$root"
flags=("${features[@]}")
[ "$profile" = ship ] && flags+=(--profile ship)
cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -P 26 \
  -o "$here/mmscore/src/main/jniLibs" build -p mms-ffi "${flags[@]}"
cargo build -q -p uniffi-bindgen
lib="target/aarch64-linux-android/$profile/libmms_ffi.so"
rm -rf "$here/mmscore/build/generated/uniffi"
target/debug/uniffi-bindgen generate --library "$lib" --language kotlin \
  --config "$here/uniffi-android.toml" --out-dir "$here/mmscore/build/generated/uniffi"
echo "jniLibs and Android bindings ready in android/mmscore"
