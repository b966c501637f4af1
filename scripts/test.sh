#!/usr/bin/env bash
# Runs every test of the project. Installs what the tests need when it is missing, so that it
# works on a fresh machine: python-messaging (PyPI) for the interoperability tests; a JDK, JNA
# (Debian) and kotlinc (npm kotlin-compiler) for the Kotlin suite of the bindings; gcc and
# valgrind (Debian) for the memory check of the FFI library; prlimit (util-linux) for the
# disk-full test; Kannel (Debian kannel, kannel-extras) for the WAP/SMS gateway interoperability
# suite; tree-sitter with its Swift and Kotlin grammars (PyPI) for the syntax check of the
# sources no compiler here builds; debootstrap and Debian trixie's swiftlang (in a trixie root,
# scripts/swift-in-trixie.sh) for the Swift suite; Maven (Debian) fetching Robolectric's
# android-all, Robolectric and Compose for desktop from Maven Central (android/ci/check.sh). It checks the layering first (scripts/check-architecture.sh)
# and that SECURITY.md's threat map is current (scripts/threat_map.py --check).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c 'import messaging.mms.message' 2>/dev/null; then
  echo "== installing python-messaging (interop reference decoder)"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    'python-messaging==0.5.13'
fi
export MMS_REQUIRE_INTEROP=1

command -v prlimit >/dev/null || { apt-get update -qq && apt-get install -y -qq util-linux; }

if [ ! -x /usr/sbin/bearerbox ] || [ ! -x /usr/lib/kannel/test/fakesmsc ]; then
  echo "== installing Kannel (WAP/SMS gateway interop suite)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kannel kannel-extras
fi
export MMS_REQUIRE_KANNEL=1

if ! python3 -c 'import tree_sitter, tree_sitter_swift, tree_sitter_kotlin' 2>/dev/null; then
  echo "== installing tree-sitter with the Swift and Kotlin grammars (syntax check)"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    'tree-sitter==0.26.1' 'tree-sitter-swift==0.7.4' 'tree-sitter-kotlin==1.1.0'
fi
echo "== Swift and Android-app Kotlin sources: syntax (no Swift or Android toolchain here)"
python3 scripts/syntax_check.py

echo "== architecture: layering, SQL only in the store, file sizes"
scripts/check-architecture.sh
python3 scripts/threat_map.py --check

echo "== cargo test --workspace (in a temporary directory of its own, which must be empty after)"
# Every test removes what it puts in the system's temporary directory, also when it fails:
# before this check, a run left 186 files and directories (35 MB) behind.
test_tmp=$(mktemp -d)
TMPDIR="$test_tmp" cargo test --workspace
left=$(find "$test_tmp" -mindepth 1 -maxdepth 1 | head -20 || true)
if [ -n "$left" ]; then
  echo "the tests left these in TMPDIR ($test_tmp):"
  echo "$left"
  exit 1
fi
rmdir "$test_tmp"

echo "== FFI library under valgrind: decodePdu, inspectProvisioning and checkPush through the C ABI"
bindings/c/memcheck.sh 200

echo "== bindings: generated Kotlin/Swift up to date, Kotlin suite on the JVM"
bindings/kotlin/run-tests.sh

echo "== Android: sources against Android 15's framework, Robolectric, Compose screens rendered to PNG"
android_start=$(date +%s)
android/ci/check.sh
echo "Android step: $(( $(date +%s) - android_start )) s"

echo "== bindings: Swift suite and the iOS models in a Debian trixie root (swiftlang 6.0.3)"
swift_start=$(date +%s)
scripts/swift-in-trixie.sh
echo "Swift step: $(( $(date +%s) - swift_start )) s"
