#!/usr/bin/env bash
# The Android side in CI, without the Android SDK, Gradle, Google Maven, the NDK or an emulator
# (none reachable here), from Maven Central and Debian only:
#   1. the Android-flavour bindings (uniffi-android.toml), the library module's Flow adapter,
#      the presentation layer and the app's sources that need no androidx (transport, push and
#      SMS receivers, quick-reply service, application) compiled with kotlinc against Android
#      15's framework classes (Robolectric's android-all, API 35 = the app's target);
#   2. the push receiver, the SMS receiver and the transport run under Robolectric 4.16.1
#      (SDK 35) against the real library and the real mock MMSC;
#   3. the Compose screens (android/screens) compiled against JetBrains' Compose for desktop
#      and rendered headless, each in its main state, asserted on and written to PNG in
#      target/screens (linked from the README).
# Jars are fetched by Maven (android/ci/*-deps/pom.xml) into $MMS_JAR_CACHE (default
# /var/cache/mms-core). Needs what bindings/kotlin/run-tests.sh installs (run it first: it
# also builds the presentation layer this compiles against). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
cache="${MMS_JAR_CACHE:-/var/cache/mms-core}"
k="$root/bindings/kotlin/.tools/node_modules/kotlin-compiler"
kotlinc="$k/bin/kotlinc"
coroutines="$k/lib/kotlinx-coroutines-core-jvm.jar"
stdlib="$k/lib/kotlin-stdlib.jar"
jna=/usr/share/java/jna.jar
junit=/usr/share/java/junit4.jar
hamcrest=/usr/share/java/hamcrest-core.jar
build="$root/target/android-check"
[ -x "$kotlinc" ] && [ -f "$root/target/kotlin/presentation.jar" ] || {
  echo "run bindings/kotlin/run-tests.sh first (kotlinc, the suite and presentation jars)" >&2; exit 1; }
command -v mvn >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven; }

fetch() { # pom directory, output directory
  if [ ! -f "$2/.complete" ] || [ "$1/pom.xml" -nt "$2/.complete" ]; then
    rm -rf "$2"
    mvn -q -B -f "$1/pom.xml" dependency:copy-dependencies -DoutputDirectory="$2"
    # AARs (androidx.test's monitor, which Robolectric loads) carry their classes in classes.jar.
    for a in "$2"/*.aar; do [ -f "$a" ] && unzip -p "$a" classes.jar > "${a%.aar}-classes.jar"; done
    touch "$2/.complete"
  fi
}
start=$(date +%s)
fetch android/ci/android-deps "$cache/android-jars"
fetch android/ci/desktop-deps "$cache/desktop-jars"
aj="$cache/android-jars"
framework="$aj/android-all-15-robolectric-13954326.jar"
echo "jars: $(du -sh "$aj" | cut -f1) Android, $(du -sh "$cache/desktop-jars" | cut -f1) Compose desktop ($(( $(date +%s) - start )) s)"

rm -rf "$build" && mkdir -p "$build"
cargo build -q -p uniffi-bindgen -p mms-ffi -p mock-mmsc
target/debug/uniffi-bindgen generate --no-format --library target/debug/libmms_ffi.so --language kotlin \
  --config android/uniffi-android.toml --out-dir "$build/gen" >/dev/null

compile() { # output jar, classpath, sources...
  local out="$1" cp="$2"; shift 2
  "$kotlinc" -nowarn -jvm-target 17 -cp "$cp" -d "$out" "$@" 2>&1 | grep -v "^warning" || true
  [ -f "$out" ] || { echo "kotlinc failed: $out" >&2; exit 1; }
}

echo "== Android sources against Android 15's framework (API 35)"
compile "$build/android.jar" "$framework:$aj/annotation-jvm-1.9.1.jar:$jna:$coroutines" \
  "$build/gen/uniffi/mms_ffi/mms_ffi.kt" android/mmscore/src/main/kotlin/mmscore/*.kt \
  $(find android/presentation/src/main -name '*.kt') \
  android/app/src/main/kotlin/mmscore/app/platform/*.kt android/app/src/main/kotlin/mmscore/app/MmsApplication.kt

echo "== push receiver, SMS receiver and transport under Robolectric (SDK 35)"
robo=$(ls "$aj"/*.jar | grep -vE 'android-all|/jna-|/r8-' | tr '\n' ':')
compile "$build/robolectric-tests.jar" "$build/android.jar:$framework:$robo$jna:$coroutines" \
  android/app/src/test/kotlin/mmscore/app/platform/*.kt \
  bindings/kotlin/testsupport/common/*.kt bindings/kotlin/testsupport/jvm/*.kt
MOCK_MMSC="$root/target/debug/mock-mmsc" java \
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/jdk.internal.ref=ALL-UNNAMED \
  -Drobolectric.offline=true -Drobolectric.dependency.dir="$aj" -Djna.library.path="$root/target/debug" \
  -cp "$build/robolectric-tests.jar:$build/android.jar:$robo$framework:$jna:$coroutines:$stdlib" \
  org.junit.runner.JUnitCore mmscore.app.platform.PlatformRobolectricTest 2>&1 \
  | grep -vE '^Intent = |^\[Robolectric\] WARN' | tee "$build/robolectric.log" | grep -vE '^\s+at '
grep -q '^OK (' "$build/robolectric.log"

echo "== Compose screens on Compose for desktop, rendered to PNG"
desktop=$(ls "$cache/desktop-jars"/*.jar | grep -v coroutines-core | tr '\n' ':')
suite="$root/target/kotlin/suite.jar:$root/target/kotlin/presentation.jar"
compile "$build/screens.jar" "$desktop$coroutines:$suite:$jna" \
  -Xplugin="$k/lib/compose-compiler-plugin.jar" android/screens/src/main/kotlin/mmscore/screens/*.kt
compile "$build/screens-test.jar" "$desktop$coroutines:$build/screens.jar:$suite:$jna:$junit" \
  -Xplugin="$k/lib/compose-compiler-plugin.jar" android/screens/src/desktopTest/kotlin/mmscore/screens/*.kt
rm -rf target/screens
SCREENS_OUT="$root/target/screens" MOCK_MMSC="$root/target/debug/mock-mmsc" timeout 300 java \
  -Djava.awt.headless=true -Djna.library.path="$root/target/debug" \
  -cp "$build/screens-test.jar:$build/screens.jar:$suite:$desktop$coroutines:$stdlib:$jna:$junit:$hamcrest" \
  org.junit.runner.JUnitCore mmscore.screens.ScreensRenderTest 2>&1 \
  | tee "$build/screens.log" | grep -vE '^\s+at '
grep -q '^OK (' "$build/screens.log"
echo "screens: $(ls target/screens | tr '\n' ' ')"

echo "== APK of what compiles: aapt, zipalign, apksigner (Debian), d8 (Maven Central)"
for tool in aapt zipalign apksigner; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq aapt zipalign apksigner; }
done
apk="$build/apk"
mkdir -p "$apk/dex"
# The manifest as Gradle merges it: the application id, SDK levels and version.
sed 's|<manifest xmlns:android="http://schemas.android.com/apk/res/android">|<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="org.mmscore.app" android:versionCode="1" android:versionName="0.1.0"><uses-sdk android:minSdkVersion="26" android:targetSdkVersion="35" />|' \
  android/app/src/main/AndroidManifest.xml > "$apk/AndroidManifest.xml"
# aapt (Android 10's, Debian) cannot read Android 15's resource table; the manifest's and the
# resources' attributes all exist in API 23, whose android.jar Debian bullseye packages
# (libandroid-23-java): its resource table links them.
platform23="$cache/android-23/android.jar"
if [ ! -f "$platform23" ]; then
  deb="$cache/android-23/libandroid-23-java.deb"
  mkdir -p "$cache/android-23"
  curl -sSf -m 300 -o "$deb" \
    http://deb.debian.org/debian/pool/main/a/android-framework-23/libandroid-23-java_6.0.1+r72-6_all.deb
  dpkg -x "$deb" "$cache/android-23/x"
  cp "$cache/android-23/x/usr/lib/android-sdk/platforms/android-23/android.jar" "$platform23"
  rm -rf "$cache/android-23/x" "$deb"
fi
aapt package -f -M "$apk/AndroidManifest.xml" -S android/app/src/main/res -A android/app/src/main/assets \
  -I "$platform23" -F "$apk/app.unaligned.apk"
# Every component the manifest names must be a compiled class (MainActivity needs androidx
# Compose, which is not compiled here: it is the one allowed to be missing).
unzip -Z1 "$build/android.jar" | sed -n 's|\.class$||p' | tr / . > "$apk/classes.txt"
aapt dump xmltree "$apk/app.unaligned.apk" AndroidManifest.xml | python3 -c '
import re, sys
# Components (application, activity, receiver, service, provider) by android:name, a name
# starting with "." resolved against the package, as the platform does.
package, element, names = "", "", []
for line in sys.stdin:
    e = re.match(r"\s*E: (\S+)", line)
    if e:
        element = e.group(1)
    a = re.match(r".*A: (?:android:)?(name|package)(?:\([^)]*\))?=\"([^\"]*)\"", line)
    if not a:
        continue
    if a.group(1) == "package" and element == "manifest":
        package = a.group(2)
    elif a.group(1) == "name" and element in ("application", "activity", "receiver", "service", "provider"):
        names.append(package + a.group(2) if a.group(2).startswith(".") else a.group(2))
print("\n".join(sorted(set(names))))
' > "$apk/components.txt"
missing=$(grep -vxF -f "$apk/classes.txt" "$apk/components.txt" | grep -v '^mmscore\.app\.MainActivity$' || true)
[ -z "$missing" ] || { echo "manifest names classes that do not exist: $missing" >&2; exit 1; }
echo "manifest components compiled: $(grep -vc MainActivity "$apk/components.txt") of $(wc -l < "$apk/components.txt") (MainActivity needs androidx Compose)"
jna_android="$aj/jna-5.15.0-classes.jar"
java -cp "$aj/r8-8.7.18.jar" com.android.tools.r8.D8 --release --min-api 26 --lib "$framework" \
  --output "$apk/dex" "$build/android.jar" "$stdlib" "$coroutines" "$jna_android" "$aj/annotation-jvm-1.9.1.jar" 2>&1 \
  | grep -vE '^Warning' || true
(cd "$apk/dex" && zip -q "$apk/app.unaligned.apk" classes*.dex)
zipalign -f -p 4 "$apk/app.unaligned.apk" "$apk/app.unsigned.apk"
# A throwaway signing key made for this run (the password never reaches the command line).
export MMS_APK_KS_PASS="$(head -c 18 /dev/urandom | base64)"
keytool -genkeypair -keystore "$apk/ci.keystore" -storepass:env MMS_APK_KS_PASS -alias ci \
  -keyalg RSA -keysize 2048 -validity 2 -dname "CN=mms-core CI" >/dev/null 2>&1
apksigner sign --ks "$apk/ci.keystore" --ks-pass env:MMS_APK_KS_PASS --ks-key-alias ci \
  --out "$apk/mms-core-app.apk" "$apk/app.unsigned.apk"
apksigner verify --verbose "$apk/mms-core-app.apk" | grep -E '^Verified using|^Verifies'
aapt dump badging "$apk/mms-core-app.apk" | grep -E "^package:|^sdkVersion|^targetSdkVersion"
echo "APK: $(du -h "$apk/mms-core-app.apk" | cut -f1) (no native libraries: the Android NDK is out of reach)"
