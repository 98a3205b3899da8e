import Dispatch
import Foundation

/// Speed of ReCoNet inference: one frame through the paper's network (48/96/192, four residual
/// blocks) as a worker renders it, from packed RGB bytes to packed RGB bytes. Weights do not
/// change the time, so a seeded random network stands in when no model is given.
public enum ReCoNetBench {
    public struct Measurement: Sendable {
        public var width: Int
        public var height: Int
        public var secondsPerFrame: Double
        public var gflop: Double
        public var peakMemoryMB: Double
        public var model: String

        public var json: String {
            String(format: "{\"bench\": \"reconet_frame\", \"size\": \"%dx%d\", \"seconds_per_frame\": %.4f, \"frames_per_second\": %.3f, \"gflop_per_frame\": %.1f, \"gflops\": %.1f, \"peak_memory_mb\": %.1f, ",
                   width, height, secondsPerFrame, 1 / secondsPerFrame, gflop, gflop / secondsPerFrame, peakMemoryMB)
                + "\"model\": \"\(model)\"}"
        }
    }

    /// The best of `repeats` frames after one warm-up frame.
    public static func frame(width: Int, height: Int, network: ReCoNet?, repeats: Int) -> Measurement {
        var rng = TrainingRandom(seed: 0x5EED)
        let net = network ?? ReCoNet(configuration: .paper, using: &rng)
        let bytes = (0..<(width * height * 3)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        _ = net.stylize(packedRGB: bytes, width: width, height: height)
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = net.stylize(packedRGB: bytes, width: width, height: height)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return Measurement(width: width, height: height, secondsPerFrame: best, gflop: net.flops(height: height, width: width) / 1e9,
                           peakMemoryMB: Bench.peakResidentMiB(), model: network == nil ? "random" : "file")
    }
}
