/// Scratch memory for the flow solvers: a fixed-size float array whose pointer can be shared with
/// `concurrentPerform` workers without copy-on-write or exclusivity checks in the inner loops.
/// Workers must write disjoint parts, which every caller arranges by splitting rows.
/// `padding` zero floats before and after the data let SIMD8 loops read a vector past either end.
final class FloatBuffer: @unchecked Sendable {
    static let padding = 8
    let count: Int
    let pointer: UnsafeMutablePointer<Float>
    private let base: UnsafeMutablePointer<Float>

    init(count: Int, value: Float = 0) {
        self.count = count
        base = .allocate(capacity: count + 2 * Self.padding)
        base.initialize(repeating: 0, count: count + 2 * Self.padding)
        pointer = base + Self.padding
        pointer.update(repeating: value, count: count)
    }

    convenience init(_ array: [Float]) {
        self.init(count: array.count)
        array.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: array.count) }
    }

    deinit { base.deallocate() }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    func fill(_ value: Float) { pointer.update(repeating: value, count: count) }
}
