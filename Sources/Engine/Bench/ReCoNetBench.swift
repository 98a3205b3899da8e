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

    /// Where a frame's time goes, as `ReCoNet.stylize` runs it: each top-level layer of the
    /// encoder and decoder timed alone (a residual block as one, an upsampling fused with its
    /// convolution as one), best of `repeats` after one warm-up frame, as JSON lines.
    public static func layerProfile(width: Int, height: Int, network: ReCoNet?, repeats: Int) -> [String] {
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
            String(format: "{\"bench\": \"reconet_layer\", \"index\": %d, \"layer\": \"%@\", \"output\": \"%@\", \"ms\": %.2f}",
                   k, step.name, shapes[k].map(String.init).joined(separator: "x"), best[k] * 1000)
        }
    }
}
