/// Hand-encodes protobuf messages for tests (the project only ever reads protobuf).
struct ProtobufWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 { bytes.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func key(_ field: Int, _ wireType: Int) { varint(UInt64(field << 3 | wireType)) }
    mutating func varintField(_ field: Int, _ value: UInt64) { key(field, 0); varint(value) }
    mutating func bytesField(_ field: Int, _ data: [UInt8]) { key(field, 2); varint(UInt64(data.count)); bytes += data }
    mutating func stringField(_ field: Int, _ s: String) { bytesField(field, Array(s.utf8)) }
    mutating func fixed32Field(_ field: Int, _ v: UInt32) { key(field, 5); for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
    mutating func fixed64Field(_ field: Int, _ v: UInt64) { key(field, 1); for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }

    static func littleEndian(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt32($0))) } }
    }

    /// An ONNX TensorProto of FLOATs: raw_data, or packed float_data when `raw` is false.
    static func onnxTensor(name: String, dims: [Int], values: [Float], raw: Bool = true, packedDims: Bool = false) -> [UInt8] {
        var w = ProtobufWriter()
        if packedDims {
            var p = ProtobufWriter()
            for d in dims { p.varint(UInt64(d)) }
            w.bytesField(1, p.bytes)
        } else {
            for d in dims { w.varintField(1, UInt64(d)) }
        }
        w.varintField(2, 1)
        if raw { w.bytesField(9, littleEndian(values)) } else { w.bytesField(4, littleEndian(values)) }
        w.stringField(8, name)
        return w.bytes
    }

    static func onnxNode(op: String, inputs: [String], outputs: [String]) -> [UInt8] {
        var w = ProtobufWriter()
        for i in inputs { w.stringField(1, i) }
        for o in outputs { w.stringField(2, o) }
        w.stringField(4, op)
        return w.bytes
    }

    /// A ModelProto (ir_version 7, a producer name, the graph).
    static func onnxModel(nodes: [[UInt8]], initializers: [[UInt8]]) -> [UInt8] {
        var g = ProtobufWriter()
        for n in nodes { g.bytesField(1, n) }
        g.stringField(2, "test-graph")
        for t in initializers { g.bytesField(5, t) }
        var m = ProtobufWriter()
        m.varintField(1, 7)
        m.stringField(2, "vst-tests")
        m.bytesField(7, g.bytes)
        return m.bytes
    }
}
