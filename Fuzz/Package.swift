// swift-tools-version:6.0
//
// libFuzzer targets for the Stallbox scale decoders (see README.md; run with
// scripts/fuzz.sh or `make fuzz` from the repository root).
//
// A package of its own so that `--sanitize=fuzzer` instruments only what is fuzzed and
// the main package's build is untouched. Sources/StallCore and Sources/StallProtocols are
// relative symlinks to the real sources in ../Sources: SwiftPM targets cannot have paths
// outside the package root, but symlinked folders inside it work.
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

/// One libFuzzer binary per decoder in `ScaleProtocols.all`, plus AutoDecode and
/// ProtocolSniffer. Each target's folder holds one file (not main.swift), so SwiftPM
/// compiles it as a library file and libFuzzer supplies `main`.
let fuzzTargets = [
    "fuzz-toledo-continuous",
    "fuzz-toledo-8217",
    "fuzz-mt-sics",
    "fuzz-ad-st",
    "fuzz-cas-dc1",
    "fuzz-yaohua-a23p",
    "fuzz-auto-decode",
    "fuzz-protocol-sniffer",
]

let package = Package(
    name: "stallbox-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Same URL and version as ../Package.swift (StallCore needs Crypto).
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    ],
    targets: [
        .target(
            name: "StallCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(name: "StallProtocols", dependencies: ["StallCore"], swiftSettings: swiftSettings),
        // The checks every target shares: split-independence, bounded buffers, offsets.
        .target(name: "FuzzCheck", dependencies: ["StallCore", "StallProtocols"], swiftSettings: swiftSettings),
    ] + fuzzTargets.map { name in
        .executableTarget(
            name: name, dependencies: ["FuzzCheck", "StallCore", "StallProtocols"], swiftSettings: swiftSettings)
    }
)
