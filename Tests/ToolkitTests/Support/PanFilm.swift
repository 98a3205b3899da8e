import Foundation

/// The films of CoordinatorTests' `TemporalStitchTests`, for the evaluation's tests: a pan over a
/// sum of sinusoids (seeded) whose view moves 1 px right per frame, so its flow is known.
enum PanFilm {
    static let (width, height, frames) = (48, 32, 10)

    /// The packed RGB frames of one pan.
    static func pan(seed: UInt64, contrast: Double) -> [[UInt8]] {
        var rng = SplitMix64(seed: seed)
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let waves = (0..<10).map { _ in (fx: unit() * 0.6, fy: unit() * 0.6, phase: unit() * 6.28, c: Int(rng.next() % 3)) }
        return (0..<frames).map { t in
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height { for x in 0..<width {
                var rgb = [128.0, 128.0, 128.0]
                for w in waves {
                    let angle: Double = w.fx * Double(x - t) + w.fy * Double(y) + w.phase
                    rgb[w.c] += contrast * sin(angle)
                }
                for c in 0..<3 { pixels[(y * width + x) * 3 + c] = UInt8(max(0, min(255, rgb[c].rounded()))) }
            } }
            return pixels
        }
    }
}
