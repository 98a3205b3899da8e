import Foundation

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

/// Recycles solver buffers between refinement rounds, levels and frame pairs. Fresh large
/// allocations come from the kernel as untouched pages, and faulting them in cost more than the
/// arithmetic done on them (measured: about a third of a refinement round at 640x480).
final class FloatBufferPool: @unchecked Sendable {
    static let shared = FloatBufferPool()
    private let lock = NSLock()
    private var free: [Int: [FloatBuffer]] = [:]
    private var held = 0
    /// Floats kept for reuse at most (256 MB), so a size change does not pin memory forever.
    private let limit = 64 << 20

    /// A zeroed buffer of `count` floats (padding included).
    func take(_ count: Int) -> FloatBuffer {
        lock.lock()
        let reused = free[count]?.popLast()
        if reused != nil { held -= count }
        lock.unlock()
        guard let reused else { return FloatBuffer(count: count) }
        reused.fill(0)
        return reused
    }

    /// Drops every kept buffer.
    func drain() {
        lock.lock()
        free = [:]
        held = 0
        lock.unlock()
    }

    func recycle(_ buffers: [FloatBuffer]) {
        lock.lock()
        defer { lock.unlock() }
        for b in buffers where held + b.count <= limit {
            free[b.count, default: []].append(b)
            held += b.count
        }
    }
}
