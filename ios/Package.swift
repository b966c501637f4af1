// swift-tools-version:5.9
// mms-core for iOS: `MmsCore` is the generated Swift bindings over the Rust library shipped as
// an XCFramework (made by build-xcframework.sh, which also copies the generated Swift into
// Sources/MmsCore); `MmsPresentation` holds the screens' view models, which depend only on
// MmsCore. The SwiftUI app (MmsApp/, project.yml) uses both.
import PackageDescription

let package = Package(
    name: "MmsCore",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "MmsCore", targets: ["MmsCore"]),
        .library(name: "MmsPresentation", targets: ["MmsPresentation"]),
    ],
    targets: [
        .binaryTarget(name: "mms_ffiFFI", path: "build/MmsFFI.xcframework"),
        .target(name: "MmsCore", dependencies: ["mms_ffiFFI"], path: "Sources/MmsCore"),
        .target(name: "MmsPresentation", dependencies: ["MmsCore"], path: "Sources/MmsPresentation"),
    ]
)
