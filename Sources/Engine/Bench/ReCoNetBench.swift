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
        /// `Bench.peakResidentMiB()` after the frames.
        public var peakMemoryMiB: Double
        public var model: String

        /// The measurement as `vst bench reconet-frame` prints it.
        public var record: Bench.Record {
            Bench.Record(fields: [
                ("bench", .string("reconet_frame")), ("input", .ints([1, 3, height, width])),
                ("seconds", .double(secondsPerFrame)), ("frames_per_second", .double(1 / secondsPerFrame)),
                ("gflop", .double(gflop)), ("gflops", .double(gflop / secondsPerFrame)),
                ("peak_rss_mib", .double(peakMemoryMiB)), ("model", .string(model)),
                ("kernels", .string(KernelPath.selected.rawValue)), ("openblas_core", .string(GEMM.openBLASCore)), ("products", .string(GEMM.productKernels)),
            ])
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
                           peakMemoryMiB: Bench.peakResidentMiB(), model: network == nil ? "random" : "file")
    }

    /// Where a frame's time goes, as `ReCoNet.stylize` runs it: each top-level layer of the
    /// encoder and decoder timed alone (a residual block as one, an upsampling fused with its
    /// convolution as one), best of `repeats` after one warm-up frame, one record each.
    public static func layerProfile(width: Int, height: Int, network: ReCoNet?, repeats: Int) -> [Bench.Record] {
        var rng = TrainingRandom(seed: 0x5EED)
        let net = network ?? ReCoNet(configuration: .paper, using: &rng)
        var x = Tensor(shape: [1, 3, height, width])
        x.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = Float.random(in: 0...255, using: &rng) } }
        _ = net.stylize(x)
        // Steps: one layer, or an upsampling and the convolution it feeds.
        var steps: [(name: String, run: (Tensor) -> Tensor)] = []
        let layers = net.encoder.layers + net.decoder.layers
        var i = 0
        while i < layers.count {
            if let conv = ReCoNet.fusedConvolution(in: layers, at: i) {
                // The same two layers unfused first (its output discarded, its input passed on), for comparison in the same run.
                let up = layers[i]
                steps.append(("(unfused: Upsample, Conv2D\(conv.usesWinograd ? " winograd" : ""))", { input in _ = conv.forward(up.forward(input)); return input }))
                steps.append(("Upsample+Conv2D 3x3 \(conv.inChannels)->\(conv.outChannels) fused", { conv.forwardAfterNearestUpsample($0) }))
                i += 2
                continue
            }
            let layer = layers[i]
            var name = "\(type(of: layer))"
            if let conv = layer as? Conv2D {
                name = "Conv2D \(conv.kernelSize)x\(conv.kernelSize)/\(conv.stride) \(conv.inChannels)->\(conv.outChannels)"
                    + (conv.usesWinograd ? " winograd" : conv.usesDirect ? " direct" : " im2col")
            }
            steps.append((name, { layer.forward($0) }))
            i += 1
        }
        var best = [Double](repeating: .infinity, count: steps.count)
        var shapes = [[Int]](repeating: [], count: steps.count)
        for _ in 0..<max(1, repeats) {
            var y = x
            for (k, step) in steps.enumerated() {
                let t0 = DispatchTime.now().uptimeNanoseconds
                y = step.run(y)
                best[k] = min(best[k], Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                shapes[k] = y.shape
            }
        }
        return steps.enumerated().map { k, step in
            Bench.Record(fields: [
                ("bench", .string("reconet_layer")), ("index", .int(k)), ("layer", .string(step.name)),
                ("output", .ints(shapes[k])), ("seconds", .double(best[k])),
            ])
        }
    }
}
