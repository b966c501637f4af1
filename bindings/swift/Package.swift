// swift-tools-version:5.9
// The Swift test suite of the bindings: the generated Swift (generated/) over the host build of
// libmms_ffi, with XCTest cases mirroring the Kotlin suite. run-tests.sh prepares the module
// map (build/module) and runs `swift test`; it needs a Swift toolchain (macOS or Linux).
import PackageDescription

let package = Package(
    name: "MmsFfiSwiftTests",
    targets: [
        .systemLibrary(name: "mms_ffiFFI", path: "build/module"),
        .target(
            name: "MmsFfi",
            dependencies: ["mms_ffiFFI"],
            path: "generated",
            exclude: ["mms_ffiFFI.h", "mms_ffiFFI.modulemap"],
            sources: ["mms_ffi.swift"],
            // Swift 6.0.3 crashes (an assertion in its TransferNonSendable pass) on UniFFI's
            // helper for async foreign methods in Swift 6 mode: the generated module is built in
            // Swift 5 mode; the suite that uses it is Swift 6.
            swiftSettings: [.unsafeFlags(["-swift-version", "5"])]
        ),
        // ios/Sources/MmsCore/ClientEvents.swift (the AsyncStream of events), copied into
        // build/extras by the run scripts: the app's MmsCore compiles it beside the bindings.
        .target(name: "MmsCoreEvents", dependencies: ["MmsFfi"], path: "build/extras"),
        .testTarget(
            name: "MmsFfiTests", dependencies: ["MmsFfi", "MmsCoreEvents"], path: "Tests/MmsFfiTests",
            swiftSettings: [.unsafeFlags(["-swift-version", "6"])]
        ),
    ]
)
