#!/usr/bin/env bash
# The Kotlin/JVM suite against the real mms-ffi library and the real mock MMSC binary, then
# the Android app's presentation layer (android/presentation: the view models, which depend
# only on the bindings) with its JUnit tests, against the same library and mock.
# Installs what it needs when missing: a JDK (Debian openjdk-17-jdk-headless), JNA (Debian
# libjna-java), JUnit 4 (Debian junit4), kotlinc and kotlinx-coroutines (npm package
# kotlin-compiler, into bindings/kotlin/.tools). Prints "N passed, N failed" for the suite and
# JUnit's summary for the view models; exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

apt_install() {
  if command -v apt-get >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$@";
    else sudo apt-get update -qq && sudo apt-get install -y -qq "$@"; fi
  else
    echo "please install: $*" >&2; exit 1
  fi
}
command -v javac >/dev/null || apt_install openjdk-17-jdk-headless
jna=/usr/share/java/jna.jar
[ -f "$jna" ] || apt_install libjna-java
junit=/usr/share/java/junit4.jar
[ -f "$junit" ] || apt_install junit4
hamcrest=/usr/share/java/hamcrest-core.jar
command -v npm >/dev/null || apt_install npm
tools="$here/.tools"
kotlinc="$tools/node_modules/kotlin-compiler/bin/kotlinc"
if [ ! -x "$kotlinc" ]; then
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" kotlin-compiler@2.4.20
fi
coroutines="$tools/node_modules/kotlin-compiler/lib/kotlinx-coroutines-core-jvm.jar"

cargo build -q -p mms-ffi -p mock-mmsc
bindings/generate.sh --check
build="$root/target/kotlin"
mkdir -p "$build"
"$kotlinc" -nowarn -cp "$jna:$coroutines:$junit" -d "$build/suite.jar" \
  "$here/generated/uniffi/mms_ffi/mms_ffi.kt" "$root"/android/mmscore/src/main/kotlin/mmscore/*.kt "$here"/testsupport/common/*.kt "$here"/testsupport/jvm/*.kt "$here"/src/*.kt 2>&1 | grep -v "^warning" || true
[ -f "$build/suite.jar" ] || { echo "kotlinc failed" >&2; exit 1; }
stdlib="$tools/node_modules/kotlin-compiler/lib/kotlin-stdlib.jar"
MOCK_MMSC="$root/target/debug/mock-mmsc" java -Djna.library.path="$root/target/debug" \
  -cp "$build/suite.jar:$jna:$coroutines:$stdlib" mmscore.test.MmsFfiTestKt

echo "== android/presentation: view models on the JVM (JUnit)"
presentation="$root/android/presentation/src"
rm -f "$build/presentation.jar"
"$kotlinc" -nowarn -cp "$build/suite.jar:$jna:$coroutines:$junit" -d "$build/presentation.jar" \
  $(find "$presentation/main/kotlin" "$presentation/test/kotlin" -name '*.kt') 2>&1 | grep -v "^warning" || true
[ -f "$build/presentation.jar" ] || { echo "kotlinc failed on the presentation layer" >&2; exit 1; }
MOCK_MMSC="$root/target/debug/mock-mmsc" java -Djna.library.path="$root/target/debug" \
  -cp "$build/presentation.jar:$build/suite.jar:$jna:$coroutines:$stdlib:$junit:$hamcrest" \
  org.junit.runner.JUnitCore mmscore.presentation.PresentationTest
