plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "org.mmscore.app"
    compileSdk = 35
    defaultConfig {
        applicationId = "org.mmscore.app"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"
    }
    buildFeatures { compose = true }
    // The emulator UI tests share the suites' test data (profile, hostile pushes).
    sourceSets["androidTest"].java.srcDir("../../bindings/kotlin/testsupport/common")
    // The Robolectric tests of the receivers and the transport (app/src/test) run on the JVM
    // against a host build of the library and the mock MMSC (`cargo build -p mms-ffi -p
    // mock-mmsc` first); CI runs them without Gradle (android/ci/check.sh).
    sourceSets["test"].java.srcDirs("../../bindings/kotlin/testsupport/common", "../../bindings/kotlin/testsupport/jvm")
    testOptions.unitTests.all {
        val repo = rootDir.parentFile
        it.systemProperty("jna.library.path", "$repo/target/debug")
        it.environment("MOCK_MMSC", "$repo/target/debug/mock-mmsc")
        it.jvmArgs("--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED")
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin { jvmToolchain(17) }

dependencies {
    implementation(project(":screens"))
    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.material:material-icons-core")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7")
    implementation("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")
    androidTestImplementation(platform("androidx.compose:compose-bom:2024.12.01"))
    androidTestImplementation("androidx.compose.ui:ui-test-junit4")
    androidTestImplementation("androidx.test:runner:1.6.2")
    androidTestImplementation("androidx.test.ext:junit:1.2.1")
    debugImplementation("androidx.compose.ui:ui-test-manifest")
    testImplementation("junit:junit:4.13.2")
    testImplementation("org.robolectric:robolectric:4.16.1")
    // The desktop JNA for the host library (the AAR's natives are Android ones).
    testImplementation("net.java.dev.jna:jna:5.15.0")
}
