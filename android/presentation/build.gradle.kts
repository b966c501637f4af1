// View models that depend only on the bindings. Their JUnit tests run on the JVM (no emulator)
// against a host build of the library and the mock MMSC binary: build those first with
// `cargo build -p mms-ffi -p mock-mmsc` at the repository root. The same tests run in this
// repository's CI through bindings/kotlin/run-tests.sh, without Gradle.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "org.mmscore.presentation"
    compileSdk = 35
    defaultConfig { minSdk = 26 }
    sourceSets["test"].java.srcDirs("../../bindings/kotlin/testsupport/common", "../../bindings/kotlin/testsupport/jvm")
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    testOptions.unitTests.all {
        val repo = rootDir.parentFile
        it.systemProperty("jna.library.path", "$repo/target/debug")
        it.environment("MOCK_MMSC", "$repo/target/debug/mock-mmsc")
    }
}

kotlin { jvmToolchain(17) }

dependencies {
    api(project(":mmscore"))
    testImplementation("junit:junit:4.13.2")
    // The desktop JNA for the host library (the AAR's natives are Android ones).
    testImplementation("net.java.dev.jna:jna:5.15.0")
}
