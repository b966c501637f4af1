// The app's Compose screens, depending only on the presentation layer and Compose: the app
// wires them to the platform (MainActivity), and CI compiles them against JetBrains' Compose
// for desktop and renders each to PNG (android/ci/check.sh), where the Android Compose
// artifacts (Google Maven) are out of reach. Its render tests (src/desktopTest) are JVM-desktop
// Compose code: they run there, not in this Gradle build.
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "org.mmscore.screens"
    compileSdk = 35
    defaultConfig { minSdk = 26 }
    buildFeatures { compose = true }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin { jvmToolchain(17) }

dependencies {
    api(project(":presentation"))
    api(platform("androidx.compose:compose-bom:2024.12.01"))
    api("androidx.compose.material3:material3")
    api("androidx.compose.material:material-icons-core")
    api("androidx.compose.ui:ui")
    api("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")
}
