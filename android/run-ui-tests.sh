#!/usr/bin/env bash
# Runs the emulator UI tests (app/src/androidTest) against the mock MMSC on this host. Needs a
# running emulator (adb devices), the Android SDK and NDK; builds the Rust library for the
# emulator ABI first. The mock listens on port 8002 of the host (10.0.2.2 from the emulator)
# and pushes to host UDP port 2948, which is redirected into the emulator.
#   android/run-ui-tests.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
adb get-state >/dev/null || { echo "no emulator or device: start one first" >&2; exit 1; }
cd "$root"
cargo build -q -p mock-mmsc
# The admin API on its own port, reached from the emulator as 10.0.2.2:8003, with a token for
# this run (passed in the environment, not on the command line).
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
MOCK_MMSC_ADMIN_TOKEN=$token target/debug/mock-mmsc --bind 0.0.0.0:8002 --admin-bind 0.0.0.0:8003 \
  --public-base http://10.0.2.2:8002/mms &
mock=$!
trap 'kill $mock' EXIT
adb emu redir add udp:2948:2948 >/dev/null || true
cd "$here"
./gradlew :app:connectedDebugAndroidTest \
  -Pandroid.testInstrumentationRunnerArguments.mmsc=http://10.0.2.2:8002/mms \
  -Pandroid.testInstrumentationRunnerArguments.admin=http://10.0.2.2:8003/_admin \
  -Pandroid.testInstrumentationRunnerArguments.adminToken="$token"
