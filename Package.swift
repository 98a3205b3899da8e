// swift-tools-version:6.1
import PackageDescription

// Pixel and tensor loops need AVX2/FMA to approach C; haswell is the floor we require. AVX-512 is used
// only by CKernels' functions, chosen at run time.
let cpuFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-Xcc", "-march=haswell"])]
// The numeric core is optimised even in debug builds, so `swift test` runs real shapes in seconds.
let numericFlags: [SwiftSetting] = cpuFlags + [.unsafeFlags(["-O"], .when(configuration: .debug))]
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]

// Typed apart: one literal holding every target is too much for the manifest's type checker.
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let coordinatorDependencies: [Target.Dependency] = [
    "Engine", "Media", "MediaBridge", "Protocol", "ProcessSupport", .product(name: "GRDB", package: "GRDB.swift"), logging,
]
let workerDependencies: [Target.Dependency] = ["Engine", "Media", "MediaBridge", "Protocol", "ProcessSupport", logging]
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let executableDependencies: [Target.Dependency] = ["ToolSupport", argumentParser, logging]
let dashboardDependencies: [Target.Dependency] = [
    "Coordinator", "Media", "Protocol", "ProcessSupport", logging,
    .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Prometheus", package: "swift-prometheus"),
    .product(name: "Metrics", package: "swift-metrics"),
]
let coordinatorTestDependencies: [Target.Dependency] = [
    "Coordinator", "Dashboard", "Engine", "Media", "Protocol", "ProcessSupport",
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "HummingbirdTesting", package: "hummingbird"),
]

let packageDependencies: [Package.Dependency] = [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The dashboard's HTTP server; its default traits would pull swift-configuration in for nothing.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
]

let libraryTargets: [Target] = [
    .systemLibrary(name: "CFFmpeg", path: "Sources/CFFmpeg"),
    .systemLibrary(name: "CZMQ", path: "Sources/CZMQ"),
    .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
    .systemLibrary(name: "CLZ4", path: "Sources/CLZ4"),

    // Engine's AVX-512 kernels. Built for the baseline, each AVX-512 function carries its own
    // target attribute, so the binary still runs on Haswell and Engine calls them only where the
    // CPU has AVX-512 (KernelPath). -O2 in debug builds too, as for the Swift numeric core.
    .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"])]),
    .target(name: "Engine", dependencies: ["COpenBLAS", "CKernels"], swiftSettings: numericFlags + v5),
    .target(name: "Media", dependencies: ["CFFmpeg"], swiftSettings: numericFlags + v5),
    // The wire format only: messages, framing, payloads, the socket and the shared timings.
    .target(name: "Protocol", dependencies: ["CZMQ", "CLZ4"], swiftSettings: v5),
    // What a long-running process needs apart from the wire: SIGTERM/SIGINT and log lines.
    .target(name: "ProcessSupport", dependencies: [logging], swiftSettings: v5),
    // The one crossing between Media's packed RGB and Engine's tensors and planar images.
    .target(name: "MediaBridge", dependencies: ["Engine", "Media"], swiftSettings: numericFlags + v5),
    // The tools built on Engine and Media: evaluation and its plot, the flow harness, training
    // data and the weights download. `vst` needs it, the farm does not; it links no ZeroMQ or SQLite.
    .target(name: "Toolkit", dependencies: ["Engine", "Media", "MediaBridge"], swiftSettings: cpuFlags + v5),
    .target(name: "Coordinator", dependencies: coordinatorDependencies, swiftSettings: cpuFlags + v5),
    .target(name: "Worker", dependencies: workerDependencies, swiftSettings: cpuFlags + v5),
    // The web dashboard, JSON API and /metrics of `serve --http`: apart from Coordinator so that
    // an embedded submit and `vst` never link an HTTP server.
    .target(name: "Dashboard", dependencies: dashboardDependencies, swiftSettings: v5),
    // The executables' shared exit contract (one `error:` line, status 2 for usage).
    .target(name: "ToolSupport", dependencies: [argumentParser], swiftSettings: v5),
]

let executableTargets: [Target] = [
    .executableTarget(name: "vst-coord", dependencies: ["Coordinator", "Dashboard", "Engine", "Protocol"] + executableDependencies, swiftSettings: v5),
    .executableTarget(name: "vst-worker", dependencies: ["Worker", "ProcessSupport", "Protocol"] + executableDependencies, swiftSettings: v5),
    .executableTarget(name: "vst", dependencies: [
        "Engine", "Media", "MediaBridge", "Toolkit", "ToolSupport", argumentParser,
    ], swiftSettings: v5),
]

let testTargets: [Target] = [
    .testTarget(name: "EngineTests", dependencies: ["Engine", "Media"], swiftSettings: numericFlags + v5),
    .testTarget(name: "MediaTests", dependencies: ["Media"], swiftSettings: cpuFlags + v5),
    .testTarget(name: "ProtocolTests", dependencies: ["Protocol"], swiftSettings: v5),
    .testTarget(name: "CoordinatorTests", dependencies: coordinatorTestDependencies, swiftSettings: cpuFlags + v5),
    .testTarget(name: "WorkerTests", dependencies: ["Worker", "Engine", "MediaBridge", "Protocol", "ProcessSupport"], swiftSettings: cpuFlags + v5),
    .testTarget(name: "ToolkitTests", dependencies: ["Toolkit", "Engine", "Media"], swiftSettings: cpuFlags + v5),
]

let package = Package(
    name: "vst",
    platforms: [.macOS(.v14)],
    products: [
    .executable(name: "vst-coord", targets: ["vst-coord"]),
    .executable(name: "vst-worker", targets: ["vst-worker"]),
    .executable(name: "vst", targets: ["vst"]),
    ],
    dependencies: packageDependencies,
    targets: libraryTargets + executableTargets + testTargets
)
