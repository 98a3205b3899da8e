import Foundation

/// Speed of one Gatys iteration: VGG-16 forward to relu5_1 with the default losses (content
/// relu4_2, style relu1_1..relu5_1) and backward to the image, as the renderer runs it. Weights do
/// not change the time, so seeded random ones stand in when the real file is not there.
public enum GatysBench {
    public struct Measurement: Sendable {
        public var width: Int
        public var height: Int
        public var secondsPerIteration: Double
        /// Process CPU time of the same iteration (all threads): steadier than wall time on a shared machine.
        public var cpuSecondsPerIteration: Double
        /// `Bench.peakResidentMiB()` after the iterations.
        public var peakMemoryMiB: Double
        public var weights: String

        /// The measurement as `vst bench gatys` prints it.
        public var record: Bench.Record {
            Bench.Record(fields: [
                ("bench", .string("gatys_iteration")), ("input", .ints([1, 3, height, width])),
                ("seconds", .double(secondsPerIteration)), ("cpu_seconds", .double(cpuSecondsPerIteration)),
                ("peak_rss_mib", .double(peakMemoryMiB)), ("weights", .string(weights)),
                ("kernels", .string(KernelPath.selected.rawValue)), ("openblas_core", .string(GEMM.openBLASCore)), ("products", .string(GEMM.productKernels)),
            ])
        }
    }

    /// The best of `repeats` iterations after one warm-up.
    public static func iteration(width: Int, height: Int, weights: VGGWeights?, repeats: Int) throws(GatysError) -> Measurement {
        let vgg = weights ?? VGGWeights.random(.vgg16, seed: 0x5EED)
        let content = GatysImage.noise(width: width, height: height, seed: 1)
        let style = GatysImage.noise(width: width, height: height, seed: 2)
        let renderer = try GatysRenderer(weights: vgg, options: GatysOptions(), styles: [.init(image: style)])
        let targets = renderer.network.forward(GatysImage.toCaffe(content), capture: Set(renderer.options.contentLayers))
        let x = GatysImage.toCaffe(GatysImage.noise(width: width, height: height, seed: 3))
        let best = Bench.bestTime(repeats) { _ = renderer.evaluate(x, contentTargets: targets, extraLoss: nil) }
        return Measurement(width: width, height: height, secondsPerIteration: best.wall, cpuSecondsPerIteration: best.cpu,
                           peakMemoryMiB: Bench.peakResidentMiB(), weights: weights == nil ? "random" : vgg.architecture.name)
    }
}
