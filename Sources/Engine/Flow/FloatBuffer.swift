/// Scratch memory for the flow solvers: a fixed-size float array whose pointer can be shared with
/// `concurrentPerform` workers without copy-on-write or exclusivity checks in the inner loops.
/// Workers must write disjoint parts, which every caller arranges by splitting rows.
final class FloatBuffer: @unchecked Sendable {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int, value: Float = 0) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value, count: max(count, 1))
    }

    convenience init(_ array: [Float]) {
        self.init(count: array.count)
        array.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: array.count) }
    }

    deinit { pointer.deallocate() }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    func fill(_ value: Float) { pointer.update(repeating: value, count: count) }
}
