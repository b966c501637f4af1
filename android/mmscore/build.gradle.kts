// The library as an AAR: the Android flavour of the generated Kotlin bindings and
// libmms_ffi.so for each ABI, both produced by ../build-rust.sh (run before preBuild).
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "org.mmscore.ffi"
    compileSdk = 35
    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }
    sourceSets["main"].java.srcDir(layout.buildDirectory.dir("generated/uniffi"))
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin { jvmToolchain(17) }

val buildRust by tasks.registering(Exec::class) {
    description = "Builds libmms_ffi.so for each ABI and generates the Android bindings"
    workingDir = rootDir
    commandLine("./build-rust.sh")
}
tasks.named("preBuild") { dependsOn(buildRust) }

dependencies {
    api("net.java.dev.jna:jna:5.15.0@aar")
    api("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
    // The Android-flavour bindings (uniffi-android.toml: the Android cleaner) use RequiresApi.
    implementation("androidx.annotation:annotation:1.9.1")
}
