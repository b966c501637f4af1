// The Android project: `mmscore` (the library as an AAR: generated Kotlin bindings + the Rust
// library for each ABI, built by build-rust.sh), `presentation` (view models that depend only
// on the bindings; their JUnit tests run on the JVM against a host build of the library) and
// `screens` (the Compose screens, on the presentation layer and Compose only) and `app` (the
// screens wired to the platform).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "mms-core-android"
include(":mmscore", ":presentation", ":screens", ":app")
