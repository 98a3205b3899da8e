/// The parts of an ONNX model (onnx.proto, ModelProto) that an importer of convolution weights
/// needs: the graph's initializers (named constant tensors) and its nodes in topological order,
/// which is the order their convolutions run. Tensor data stays in the file's buffer until asked
/// for, so scanning a 60 MB model costs one pass over its keys.
public struct ONNXModel: Sendable {
    /// A TensorProto: `dims` (field 1), `data_type` (2), `float_data` (4), `name` (8),
    /// `raw_data` (9, little-endian), `data_location` (14, 1 = external file).
    public struct Tensor: Sendable {
        public let name: String
        public let dims: [Int]
        /// ONNX TensorProto.DataType: 1 = FLOAT, 10 = FLOAT16, 11 = DOUBLE, ...
        public let dataType: Int
        fileprivate let rawData: Range<Int>?
        fileprivate let floatData: [Range<Int>]
        fileprivate let externalData: Bool
        fileprivate let buffer: [UInt8]

        public var elementCount: Int { dims.reduce(1, *) }

        /// The values as float32, exactly as stored (no conversion for FLOAT tensors).
        public func floats() throws(ONNXError) -> [Float] {
            guard !externalData else { throw .externalData(tensor: name) }
            guard dataType == 1 else { throw .unsupportedDataType(tensor: name, dataType: dataType) }
            let reader = ProtobufReader(buffer)
            var values: [Float]
            do throws(ProtobufError) {
                if let raw = rawData {
                    values = try reader.littleEndianFloats(raw)
                } else {
                    values = []
                    for r in floatData { values += try reader.littleEndianFloats(r) }
                }
            } catch { throw .protobuf(error) }
            guard values.count == elementCount else {
                throw .sizeMismatch(tensor: name, expected: elementCount, found: values.count)
            }
            return values
        }
    }

    /// A NodeProto: `input` (1), `output` (2), `name` (3), `op_type` (4).
    public struct Node: Sendable {
        public let name: String
        public let opType: String
        public let inputs: [String]
        public let outputs: [String]
    }

    public let initializers: [Tensor]
    public let nodes: [Node]

    /// Parses a serialised ModelProto.
    public init(bytes: [UInt8]) throws(ONNXError) {
        var initializers: [Tensor] = []
        var nodes: [Node] = []
        var foundGraph = false
        do throws(ProtobufError) {
            var model = ProtobufReader(bytes)
            while let field = try model.next() {
                guard field.number == 7, case .bytes(let graphRange) = field.value else { continue }
                foundGraph = true
                var graph = model.message(graphRange)
                while let g = try graph.next() {
                    guard case .bytes(let r) = g.value else { continue }
                    if g.number == 5 { initializers.append(try Self.tensor(graph.message(r))) }
                    if g.number == 1 { nodes.append(try Self.node(graph.message(r))) }
                }
            }
        } catch {
            throw .protobuf(error)
        }
        guard foundGraph else { throw .notAModel }
        self.initializers = initializers
        self.nodes = nodes
    }

    public func initializer(named name: String) -> Tensor? { initializers.first { $0.name == name } }

    private static func tensor(_ r: ProtobufReader) throws(ProtobufError) -> Tensor {
        var r = r
        var name = "", dims: [Int] = [], dataType = 0, raw: Range<Int>? = nil
        var floatData: [Range<Int>] = [], external = false
        while let f = try r.next() {
            switch (f.number, f.value) {
            case (1, .varint(let v)): dims.append(Int(truncatingIfNeeded: v))
            case (1, .bytes(let b)): dims += try r.packedVarints(b).map { Int(truncatingIfNeeded: $0) }
            case (2, .varint(let v)): dataType = Int(v)
            case (4, .bytes(let b)): floatData.append(b)
            case (4, .fixed32): floatData.append((r.position - 4)..<r.position)
            case (8, .bytes(let b)): name = r.string(b)
            case (9, .bytes(let b)): raw = b
            case (14, .varint(let v)): external = v == 1
            default: break
            }
        }
        return Tensor(name: name, dims: dims, dataType: dataType, rawData: raw, floatData: floatData,
                      externalData: external, buffer: r.buffer)
    }

    private static func node(_ r: ProtobufReader) throws(ProtobufError) -> Node {
        var r = r
        var name = "", op = "", inputs: [String] = [], outputs: [String] = []
        while let f = try r.next() {
            guard case .bytes(let b) = f.value else { continue }
            switch f.number {
            case 1: inputs.append(r.string(b))
            case 2: outputs.append(r.string(b))
            case 3: name = r.string(b)
            case 4: op = r.string(b)
            default: break
            }
        }
        return Node(name: name, opType: op, inputs: inputs, outputs: outputs)
    }
}

/// Why an ONNX file could not be used.
public enum ONNXError: Error, Equatable, CustomStringConvertible {
    case protobuf(ProtobufError)
    case notAModel
    case externalData(tensor: String)
    case unsupportedDataType(tensor: String, dataType: Int)
    case sizeMismatch(tensor: String, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .protobuf(let e): "not a readable ONNX model: \(e)"
        case .notAModel: "not an ONNX model (no graph found)"
        case .externalData(let t): "tensor \(t) keeps its data in an external file, which is not supported"
        case .unsupportedDataType(let t, let d): "tensor \(t) has ONNX data type \(d); only FLOAT (1) is supported"
        case .sizeMismatch(let t, let e, let f): "tensor \(t) should hold \(e) values but holds \(f)"
        }
    }
}
