// swift-tools-version:6.0
//
// Stallbox: the market-stall box daemon. Targets follow ../shared/design.md, bottom up;
// arrows point down the list only.
import PackageDescription

let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "stallbox",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "stallboxd", targets: ["stallboxd"]),
        .executable(name: "stallctl", targets: ["stallctl"]),
        .executable(name: "stallbox-upstream", targets: ["stallbox-upstream"]),
        .executable(name: "stallbox-sim", targets: ["stallbox-sim"]),
        .executable(name: "stallbox-bench", targets: ["stallbox-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        // Domain values, canonical JSON, records and their verification, Chinese amount
        // reading. No I/O.
        .target(
            name: "StallCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // One pure file per device protocol.
        .target(name: "StallProtocols", dependencies: ["StallCore"], swiftSettings: swiftSettings),
        // libc calls the Swift Glibc module does not expose (pseudo-terminals).
        .target(name: "CStallSystem"),
        .systemLibrary(name: "CUdev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The only Swift code that touches C.
        .target(
            name: "StallPlatform",
            dependencies: [
                "CUdev", "CALSA", "CStallSystem", "CZlib",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StallLedger",
            dependencies: [
                "StallCore", "StallPlatform",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StallDevices",
            dependencies: [
                "StallCore", "StallProtocols", "StallPlatform",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StallAnnouncer",
            dependencies: [
                "StallCore", "StallProtocols", "StallPlatform",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StallUplink",
            dependencies: [
                "StallCore", "StallLedger", "StallPlatform",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StallDiagnostics",
            dependencies: [
                "StallCore", "StallPlatform",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StallDaemon",
            dependencies: [
                "StallCore", "StallProtocols", "StallPlatform", "StallLedger", "StallDevices",
                "StallAnnouncer", "StallUplink", "StallDiagnostics",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StallUpstream",
            dependencies: [
                "StallCore", "StallPlatform",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "stallboxd",
            dependencies: ["StallDaemon", "StallPlatform", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "stallctl",
            dependencies: [
                "StallCore", "StallProtocols", "StallDiagnostics", "StallPlatform", "StallDevices",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "stallbox-upstream",
            dependencies: [
                "StallUpstream", "StallCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "stallbox-bench",
            dependencies: [
                "StallCore", "StallProtocols", "StallPlatform", "StallDevices", "StallAnnouncer", "StallLedger", "StallDaemon", "StallUplink",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "stallbox-sim",
            dependencies: [
                "StallCore", "StallProtocols", "StallPlatform", "StallDevices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Fakes for unit tests of logic; production code never depends on this.
        .target(name: "StallTestSupport", dependencies: ["StallCore", "StallProtocols"], path: "Tests/StallTestSupport",
                swiftSettings: swiftSettings),
        .testTarget(name: "StallCoreTests", dependencies: ["StallCore"], swiftSettings: swiftSettings),
        .testTarget(name: "StallProtocolsTests", dependencies: ["StallProtocols", "StallTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "StallPlatformTests", dependencies: ["StallPlatform"], swiftSettings: swiftSettings),
        .testTarget(
            name: "StallLedgerTests",
            dependencies: ["StallLedger", "StallTestSupport", "StallPlatform", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings),
        // Counts the test thread's heap allocations (wraps malloc in the test binary).
        .target(name: "CAllocationCounter", path: "Tests/CAllocationCounter"),
        .testTarget(
            name: "StallAnnouncerTests",
            dependencies: [
                "StallAnnouncer", "StallTestSupport", "CAllocationCounter", "StallDevices", "StallProtocols", "StallPlatform", "StallCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "StallUplinkTests", dependencies: ["StallUplink", "StallTestSupport", "StallPlatform", "StallCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "StallDevicesTests",
            dependencies: [
                "StallDevices", "StallPlatform", "StallProtocols", "StallCore", "StallTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "StallDaemonTests", dependencies: ["StallDaemon", "StallTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "StallUpstreamTests",
            dependencies: [
                "StallUpstream", "StallCore", "StallPlatform", "StallUplink",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StallDiagnosticsTests",
            dependencies: [
                "StallDiagnostics", "StallPlatform", "StallCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["StallCore", "StallAnnouncer", "StallTestSupport"], swiftSettings: swiftSettings),
    ]
)
