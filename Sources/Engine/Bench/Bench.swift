import Foundation

/// Speed measurements of Engine's kernels on real shapes, one JSON object per measurement.
///
/// Speed lives here and not in the tests (no test asserts a time). `vst bench` prints these
/// records; docs/benchmarks.md keeps the figures with the command that produced them. FLOPs are
/// counted as direct convolution does (2 * Cout * Cin * k * k * Hout * Wout), so any faster
/// algorithm (Winograd) shows up as a higher GFLOP/s figure, comparable with cblas_sgemm's.
public enum Bench {
    /// One measurement: ordered key/value pairs rendered as a single JSON line. Every bench
    /// command prints through this one writer (`vst bench ...`, and `ProtocolBench` in Coordinator),
    /// so the lines share their key names:
    /// - `bench`: what was measured (first on every line);
    /// - `input`: the tensor measured, [n, c, h, w]; `output` likewise;
    /// - `seconds`, `cpu_seconds`: one run, wall-clock and process CPU (all threads), the best of
    ///   the repeats unless the bench says otherwise; `forward_seconds` and `backward_seconds` split
    ///   a run in two;
    /// - `gflops`: counted FLOPs over `seconds`; `gflop`: the FLOPs of one run;
    /// - `peak_rss_mib`: the process's peak resident memory so far (`peakResidentMiB()`).
    public struct Record: Sendable, CustomStringConvertible {
        public var fields: [(String, Value)]

        public init(fields: [(String, Value)]) { self.fields = fields }

        public enum Value: Sendable {
            case string(String), int(Int), double(Double), ints([Int])
            var json: String {
                switch self {
                case .string(let s): return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "\"", with: "\\\"") + "\""
                case .int(let i): return String(i)
                case .double(let d): return d.isFinite ? String(format: "%.4g", d) : "null"
                case .ints(let a): return "[" + a.map(String.init).joined(separator: ",") + "]"
                }
            }
        }

        public var description: String {
            "{" + fields.map { "\"\($0.0)\":\($0.1.json)" }.joined(separator: ",") + "}"
        }
    }

    /// A convolution shape of VGG-16 at some input size.
    public struct ConvShape: Sendable, Equatable {
        public let name: String
        public let inChannels: Int, outChannels: Int, height: Int, width: Int
        /// 2 * Cout * Cin * 9 * H * W (3x3, stride 1, padding 1).
        public var flops: Double { 2 * Double(outChannels * inChannels * 9 * height * width) }
    }

    /// The distinct 3x3 convolution shapes of VGG-16 from conv1_1 to conv5_x for an input of
    /// `width` x `height`: layers that repeat a shape (conv3_3, conv4_3, conv5_2, conv5_3) are left out.
    public static func vgg16ConvShapes(width: Int, height: Int) -> [ConvShape] {
        let plan: [(String, Int, Int, Int)] = [
            ("conv1_1", 3, 64, 0), ("conv1_2", 64, 64, 0),
            ("conv2_1", 64, 128, 1), ("conv2_2", 128, 128, 1),
            ("conv3_1", 128, 256, 2), ("conv3_2", 256, 256, 2),
            ("conv4_1", 256, 512, 3), ("conv4_2", 512, 512, 3),
            ("conv5_1", 512, 512, 4),
        ]
        return plan.map { name, cin, cout, level in
            var h = height, w = width
            for _ in 0..<level { h /= 2; w /= 2 }
            return ConvShape(name: name, inChannels: cin, outChannels: cout, height: h, width: w)
        }
    }

    /// Sets the workers of Engine's loops and matrix products (OpenBLAS itself runs on one thread).
    public static func setThreads(_ threads: Int) { Parallel.setThreads(threads) }

    /// For every VGG-16 conv shape: cblas_sgemm on the equivalent matrix product
    /// (Cout x Cin*9 times Cin*9 x H*W), then Conv2D forward, backward for the input gradient only
    /// (what Gatys needs) and backward with weight gradients. Each figure is the best of `repeats`
    /// runs after one warm-up.
    public static func layers(width: Int, height: Int, repeats: Int, emit: (Record) -> Void) {
        var rng = FastRandom(seed: 0x5EED)
        for shape in vgg16ConvShapes(width: width, height: height) {
            let pixels = shape.height * shape.width, k = shape.inChannels * 9
            let sgemm = sgemmSeconds(m: shape.outChannels, n: pixels, k: k, repeats: repeats)
            let base: [(String, Record.Value)] = [
                ("layer", .string(shape.name)),
                ("input", .ints([1, shape.inChannels, shape.height, shape.width])),
                ("out_channels", .int(shape.outChannels)),
            ]
            emit(Record(fields: [("bench", .string("sgemm"))] + base + [
                ("m", .int(shape.outChannels)), ("n", .int(pixels)), ("k", .int(k)),
                ("seconds", .double(sgemm.wall)), ("cpu_seconds", .double(sgemm.cpu)),
                ("gflops", .double(shape.flops / sgemm.wall / 1e9)),
            ]))

            let conv = Conv2D(inChannels: shape.inChannels, outChannels: shape.outChannels, kernelSize: 3, padding: 1)
            conv.initialize(using: &rng)
            let x = randomTensor([1, shape.inChannels, shape.height, shape.width], using: &rng)
            let gy = randomTensor([1, shape.outChannels, shape.height, shape.width], using: &rng)
            let forward = bestTime(repeats) { _ = conv.forward(x) }
            conv.computesParameterGradients = false
            let backwardInput = bestTime(repeats) { _ = conv.backward(gy) }
            conv.computesParameterGradients = true
            let backwardAll = bestTime(repeats) { _ = conv.backward(gy) }
            let algorithm = conv.usesWinograd ? "winograd" : conv.usesDirect ? "direct" : "im2col"
            for (name, time, flops) in [("conv_forward", forward, shape.flops),
                                        ("conv_backward_input", backwardInput, shape.flops),
                                        ("conv_backward_all", backwardAll, 2 * shape.flops)] {
                // Ratios compare the same amount of work: this pass's FLOPs against sgemm's.
                let ratio = flops / shape.flops
                emit(Record(fields: [("bench", .string(name))] + base + [
                    ("algorithm", .string(algorithm)),
                    ("seconds", .double(time.wall)), ("cpu_seconds", .double(time.cpu)),
                    ("gflops", .double(flops / time.wall / 1e9)),
                    ("vs_sgemm", .double(ratio * sgemm.wall / time.wall)),
                    ("vs_sgemm_cpu", .double(ratio * sgemm.cpu / time.cpu)),
                ]))
            }
        }
    }

    /// VGG-16 up to relu5_1 (random weights), forward and backward to the image with weight
    /// gradients off: the network part of one Gatys iteration. Reports the best of `repeats`
    /// iterations and the process's peak resident memory.
    public static func network(width: Int, height: Int, repeats: Int, emit: (Record) -> Void) {
        var rng = FastRandom(seed: 0x5EED)
        let workspace = ConvWorkspace()
        var layers: [Layer] = []
        var channels = 3
        for (block, (convs, width)) in [(2, 64), (2, 128), (3, 256), (3, 512), (1, 512)].enumerated() {
            if block > 0 { layers.append(MaxPool2D()) }
            for _ in 0..<convs {
                let conv = Conv2D(inChannels: channels, outChannels: width, kernelSize: 3, padding: 1,
                                  workspace: workspace)
                conv.initialize(using: &rng)
                conv.computesParameterGradients = false
                layers.append(conv)
                layers.append(ReLU())
                channels = width
            }
        }
        let net = Sequential(layers)
        let x = randomTensor([1, 3, height, width], using: &rng)
        var flops = 0.0
        var shape = x.shape
        for layer in layers {
            if let conv = layer as? Conv2D { flops += conv.flops(for: shape); shape = conv.outputShape(for: shape) }
            if layer is MaxPool2D { shape = [shape[0], shape[1], shape[2] / 2, shape[3] / 2] }
        }
        let gy = randomTensor(shape, using: &rng)
        var forwardBest = Timing(wall: .infinity, cpu: .infinity), backwardBest = forwardBest
        for _ in 0...max(1, repeats) {
            let (w0, c0) = (DispatchTime.now().uptimeNanoseconds, processCPUSeconds())
            _ = net.forward(x)
            let (w1, c1) = (DispatchTime.now().uptimeNanoseconds, processCPUSeconds())
            _ = net.backward(gy)
            let (w2, c2) = (DispatchTime.now().uptimeNanoseconds, processCPUSeconds())
            forwardBest.wall = min(forwardBest.wall, Double(w1 - w0) / 1e9)
            forwardBest.cpu = min(forwardBest.cpu, c1 - c0)
            backwardBest.wall = min(backwardBest.wall, Double(w2 - w1) / 1e9)
            backwardBest.cpu = min(backwardBest.cpu, c2 - c1)
        }
        let total = forwardBest.wall + backwardBest.wall
        emit(Record(fields: [
            ("bench", .string("vgg16_relu5_1")), ("input", .ints(x.shape)),
            ("forward_seconds", .double(forwardBest.wall)), ("backward_seconds", .double(backwardBest.wall)),
            ("seconds", .double(total)), ("cpu_seconds", .double(forwardBest.cpu + backwardBest.cpu)),
            ("gflops", .double(2 * flops / total / 1e9)),
            ("peak_rss_mib", .double(peakResidentMiB())),
        ]))
    }

    /// ReCoNet (Gao et al. 2018) as `Engine.ReCoNet` builds it, with `widths` channels (the
    /// paper's 48, 96, 192 by default), four residual blocks and random weights. Times inference
    /// (forward) and one training pass (forward and backward with weight gradients) on one frame.
    public static func reconet(width: Int, height: Int, repeats: Int, widths: (Int, Int, Int) = (48, 96, 192),
                               emit: (Record) -> Void) {
        var rng = FastRandom(seed: 0x5EED)
        let net = ReCoNet(configuration: .init(widths: [widths.0, widths.1, widths.2], residualBlocks: 4), using: &rng)
        let x = randomTensor([1, 3, height, width], using: &rng)
        let inference = bestTime(repeats) { _ = net.forward(x) }
        let gy = randomTensor([1, 3, height, width], using: &rng)
        let training = bestTime(repeats) { _ = net.forward(x); _ = net.backward(outputGradient: gy) }
        for (name, time) in [("reconet_forward", inference), ("reconet_train_pass", training)] {
            emit(Record(fields: [
                ("bench", .string(name)), ("input", .ints(x.shape)),
                ("widths", .ints([widths.0, widths.1, widths.2])),
                ("seconds", .double(time.wall)), ("cpu_seconds", .double(time.cpu)),
                ("peak_rss_mib", .double(peakResidentMiB())),
            ]))
        }
    }

    static func sgemmSeconds(m: Int, n: Int, k: Int, repeats: Int) -> Timing {
        var rng = FastRandom(seed: 0x5EED)
        let a = randomTensor([m, k], using: &rng), b = randomTensor([k, n], using: &rng)
        var c = Tensor(shape: [m, n])
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
            bestTime(repeats) {
                GEMM.multiply(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                              c: pc.baseAddress!, ldc: n)
            }
        } } }
    }

    /// Wall-clock and process CPU seconds of one run. On a shared machine the CPU time of a
    /// single-threaded run is the steadier figure: it leaves out the time spent waiting for a core.
    public struct Timing: Sendable {
        public var wall: Double, cpu: Double
    }

    /// The fastest of `repeats` timed runs of `body` (wall and CPU minimised separately), after
    /// one untimed warm-up run.
    static func bestTime(_ repeats: Int, _ body: () -> Void) -> Timing {
        body()
        var best = Timing(wall: .infinity, cpu: .infinity)
        for _ in 0..<max(1, repeats) {
            let (w0, c0) = (DispatchTime.now().uptimeNanoseconds, processCPUSeconds())
            body()
            best.wall = min(best.wall, Double(DispatchTime.now().uptimeNanoseconds - w0) / 1e9)
            best.cpu = min(best.cpu, processCPUSeconds() - c0)
        }
        return best
    }

    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func randomTensor<G: RandomNumberGenerator>(_ shape: [Int], using rng: inout G) -> Tensor {
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = Float(Int32(truncatingIfNeeded: rng.next())) / Float(Int32.max) }
        }
        return t
    }

    /// Peak resident set size of this process so far (Linux reports ru_maxrss in KiB).
    public static func peakResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Bench data only needs to be non-trivial, not secure; SystemRandomNumberGenerator makes a
    /// system call per number, which dominated the set-up of large shapes.
    struct FastRandom: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
