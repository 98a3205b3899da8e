// swift-tools-version:6.0
import PackageDescription

// Pixel and tensor loops need AVX2/FMA to approach C; haswell is the floor we require (never AVX-512).
let cpuFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-Xcc", "-march=haswell"])]
// The numeric core is optimised even in debug builds, so `swift test` runs real shapes in seconds.
let numericFlags: [SwiftSetting] = cpuFlags + [.unsafeFlags(["-O"], .when(configuration: .debug))]
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

let package = Package(
    name: "vst",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vst-coord", targets: ["vst-coord"]),
        .executable(name: "vst-worker", targets: ["vst-worker"]),
        .executable(name: "vst", targets: ["vst"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(name: "CFFmpeg", path: "Sources/CFFmpeg"),
        .systemLibrary(name: "CZMQ", path: "Sources/CZMQ"),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4"),

        .target(name: "Engine", dependencies: ["COpenBLAS"], swiftSettings: numericFlags + v5),
        .target(name: "Media", dependencies: ["CFFmpeg"], swiftSettings: numericFlags + v5),
        .target(name: "Protocol", dependencies: ["CZMQ", "CLZ4"], swiftSettings: v5),
        .target(name: "Coordinator", dependencies: ["Engine", "Media", "Protocol", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: cpuFlags + v5),
        .target(name: "Worker", dependencies: ["Engine", "Media", "Protocol"], swiftSettings: cpuFlags + v5),

        .executableTarget(name: "vst-coord", dependencies: [
            "Coordinator", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: v5),
        .executableTarget(name: "vst-worker", dependencies: [
            "Worker", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: v5),
        .executableTarget(name: "vst", dependencies: [
            "Engine", "Media", "Coordinator", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: v5),

        .testTarget(name: "EngineTests", dependencies: ["Engine", "Media"], swiftSettings: numericFlags + v5),
        .testTarget(name: "MediaTests", dependencies: ["Media"], swiftSettings: cpuFlags + v5),
        .testTarget(name: "ProtocolTests", dependencies: ["Protocol"], swiftSettings: v5),
        .testTarget(name: "CoordinatorTests", dependencies: ["Coordinator", "Engine", "Media", "Protocol"], swiftSettings: cpuFlags + v5),
        .testTarget(name: "WorkerTests", dependencies: ["Worker", "Engine", "Protocol"], swiftSettings: cpuFlags + v5),
    ]
)
