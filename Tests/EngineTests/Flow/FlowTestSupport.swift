import Foundation
@testable import Engine

/// Seeded generator for the flow tests (SplitMix64), so every random input is repeatable.
struct FlowTestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    mutating func float(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24) }
    mutating func floats(_ count: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] { (0..<count).map { _ in float(lo, hi) } }
}

enum FlowFixtures {
    /// A random texture in 0...255: white noise blurred (sigma 1.5), so it has detail at every scale a flow search sees.
    static func texture(width: Int, height: Int, channels: Int = 1, seed: UInt64) -> PlanarImage {
        var rng = FlowTestRandom(seed: seed)
        let noise = PlanarImage(width: width, height: height, channels: channels, data: rng.floats(width * height * channels, 0, 255))
        var t = noise.gaussianBlurred(sigma: 1.5)
        // Stretch back to the full range (blurring shrinks the contrast).
        let lo = t.data.min()!, hi = t.data.max()!
        t.data = t.data.map { ($0 - lo) / (hi - lo) * 255 }
        return t
    }

    /// The window of `image` starting at (x0, y0).
    static func crop(_ image: PlanarImage, x0: Int, y0: Int, width: Int, height: Int) -> PlanarImage {
        var out = PlanarImage(width: width, height: height, channels: image.channels)
        for c in 0..<image.channels { for y in 0..<height { for x in 0..<width {
            out.data[(c * height + y) * width + x] = image.data[(c * image.height + y + y0) * image.width + x + x0]
        } } }
        return out
    }

    /// ../shared/flow beside the repository, if present.
    static var sharedFlow: URL? {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { dir.deleteLastPathComponent() }   // Tests/EngineTests/Flow/File.swift -> repo root
        let shared = dir.deletingLastPathComponent().appendingPathComponent("shared/flow")
        return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
    }

    /// ../shared/flow's 50x50 FlyingChairs crop (two frames and their ground truth), if present.
    static var smallChairs: URL? {
        guard let dir = sharedFlow?.appendingPathComponent("tiny_mmflow_chairs_50x50") else { return nil }
        return FileManager.default.fileExists(atPath: dir.appendingPathComponent("flow10.flo").path) ? dir : nil
    }
}
