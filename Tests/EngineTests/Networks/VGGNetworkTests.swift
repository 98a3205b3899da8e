import Foundation
import Testing
@testable import Engine

@Suite struct VGGNetworkTests {
    /// Two blocks, three convolutions, odd channel counts.
    static let tiny = VGGArchitecture(name: "tiny", convolutionsPerBlock: [1, 2], channels: [4, 5])

    static func randomWeights(_ a: VGGArchitecture, seed: UInt64) -> VGGWeights {
        var rng = SeededFloats(seed: seed)
        return try! VGGWeights(architecture: a, convolutions: a.convolutions.map {
            .init(name: $0.name, outChannels: $0.outChannels, inChannels: $0.inChannels,
                  weight: rng.array($0.outChannels * $0.inChannels * 9, scale: 0.5), bias: rng.array($0.outChannels, scale: 0.1))
        })
    }

    /// The network as naive loops: conv (Double accumulation), ReLU, max pool, layer by layer.
    static func naiveActivations(_ weights: VGGWeights, _ x: Tensor, upTo last: String) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        var y = x, conv = 0
        for layer in weights.architecture.layers {
            switch layer {
            case .conv:
                let c = weights.convolutions[conv]
                conv += 1
                y = NaiveConv2D.forward(y, Tensor(shape: [c.outChannels, c.inChannels, 3, 3], scalars: c.weight),
                                        bias: Tensor(shape: [c.outChannels], scalars: c.bias), padding: 1)
            case .relu: y = y.map { max(0, $0) }
            case .pool: y = NaiveMaxPool2D.forward(y)
            }
            out[layer.name] = y
            if layer.name == last { break }
        }
        return out
    }

    @Test func forwardMatchesNaiveLoops() throws {
        let weights = Self.randomWeights(Self.tiny, seed: 21)
        var rng = SplitMix64(seed: 4)
        let x = Tensor.random([1, 3, 7, 9], using: &rng)
        let net = try VGGNetwork(weights: weights, upTo: "relu2_2")
        #expect(net.layerNames == ["conv1_1", "relu1_1", "pool1", "conv2_1", "relu2_1", "conv2_2", "relu2_2"])
        let fast = net.forward(x, capture: ["relu1_1", "pool1", "relu2_2"])
        let naive = Self.naiveActivations(weights, x, upTo: "relu2_2")
        for name in ["relu1_1", "pool1", "relu2_2"] {
            #expect(fast[name]!.relativeError(to: naive[name]!) < Tolerance.forward, "\(name)")
        }
        #expect(fast["relu2_2"]!.shape == [1, 5, 3, 4])
    }

    @Test func backwardMatchesFiniteDifferences() throws {
        let weights = Self.randomWeights(Self.tiny, seed: 22)
        var rng = SplitMix64(seed: 5)
        let x = Tensor.random([1, 3, 6, 5], using: &rng)
        let r1 = Tensor.random([1, 4, 6, 5], using: &rng), r2 = Tensor.random([1, 5, 3, 2], using: &rng)
        let net = try VGGNetwork(weights: weights, upTo: "relu2_2")
        _ = net.forward(x, capture: ["relu1_1", "relu2_2"])
        let analytic = net.backward(["relu1_1": r1, "relu2_2": r2])
        func loss(_ x: Tensor) -> Double {
            let a = Self.naiveActivations(weights, x, upTo: "relu2_2")
            return a["relu1_1"]!.referenceDot(r1) + a["relu2_2"]!.referenceDot(r2)
        }
        var numeric = Tensor(shape: x.shape)
        for i in 0..<x.count {
            var p = x, m = x
            p[i] += 1e-3; m[i] -= 1e-3
            numeric[i] = Float((loss(p) - loss(m)) / 2e-3)
        }
        #expect(analytic.relativeError(to: numeric) < 1e-2)
    }

    @Test func unknownLayerIsAnError() {
        #expect(throws: VGGNetworkError.unknownLayer("relu9_1", architecture: "tiny")) {
            try VGGNetwork(weights: Self.randomWeights(Self.tiny, seed: 1), upTo: "relu9_1")
        }
    }

    static var realWeightsPath: String? {
        let p = ModelStore.defaultWeightsPath()
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    /// The fetched ImageNet VGG-16 through relu2_1 on a small fixed picture, against naive loops.
    @Test(.enabled(if: realWeightsPath != nil, "models/vgg16.vstw not fetched"))
    func realWeightsMatchNaiveLoops() throws {
        let weights = try VGGWeights.load(path: try #require(Self.realWeightsPath))
        let (h, w) = (10, 13)
        var rgb = Tensor(shape: [1, 3, h, w])
        for c in 0..<3 { for y in 0..<h { for x in 0..<w {
            rgb[(c * h + y) * w + x] = Float((x * 37 + y * 91 + c * 53) % 256)
        } } }
        let x = GatysImage.toCaffe(rgb)
        let fast = try VGGNetwork(weights: weights, upTo: "relu2_1").forward(x, capture: ["relu1_2", "relu2_1"])
        let naive = Self.naiveActivations(weights, x, upTo: "relu2_1")
        #expect(fast["relu1_2"]!.relativeError(to: naive["relu1_2"]!) < Tolerance.forward)
        #expect(fast["relu2_1"]!.relativeError(to: naive["relu2_1"]!) < Tolerance.forward)
    }
}
