#!/usr/bin/env bash
# Runs the XCUITests against the mock MMSC on this Mac (the simulator shares its loopback):
# builds the XCFramework, generates the Xcode project (xcodegen), starts the mock, queues the
# peer's message and runs the tests on a simulator. Needs macOS, Xcode and xcodegen.
#   ios/run-ui-tests.sh ["platform=iOS Simulator,name=iPhone 15"]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
dest=${1:-"platform=iOS Simulator,name=iPhone 15"}
"$here/build-xcframework.sh" --debug
(cd "$here" && xcodegen generate)
cd "$root"
cargo build -q -p mock-mmsc -p mms-cli
# The admin API on its own port with a token for this run (in the environment, not argv).
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
MOCK_MMSC_ADMIN_TOKEN=$token target/debug/mock-mmsc --bind 127.0.0.1:8002 --admin-bind 127.0.0.1:8003 \
  --subscriber +15557402 &
mock=$!
trap 'kill $mock' EXIT
# The message the receive test waits for, sent once the app registered its push port.
text=$(mktemp -d)/note.txt
printf 'Call tel:+19005550100 now' > "$text"
( sleep 20; target/debug/mms send --mmsc http://127.0.0.1:8002/mms --from +15557402 \
    --header 'X-Mms-Subscriber: ##LINE1##' --to +15557401 --subject "from the UI test" "$text" ) &
xcodebuild test -project "$here/MmsApp.xcodeproj" -scheme MmsApp -destination "$dest" \
  MMS_UI_MMSC=http://127.0.0.1:8002/mms MMS_UI_ADMIN=http://127.0.0.1:8003/_admin \
  MMS_UI_ADMIN_TOKEN="$token"
