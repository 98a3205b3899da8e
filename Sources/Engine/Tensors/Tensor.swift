/// A dense Float32 tensor in row-major order, usually NCHW (`[batch, channels, height, width]`).
///
/// `Tensor` is a value: copies share one buffer until one of them writes (copy on write), so a layer
/// can cache its input for `backward` without copying it, and a caller that keeps a feature map
/// (a content target, say) never sees it change under a later `forward`.
public struct Tensor: @unchecked Sendable {
    /// The extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    @usableFromInline var storage: TensorStorage

    /// The number of elements (the product of `shape`).
    @inlinable public var count: Int { storage.count }

    /// A tensor of `shape` with every element set to `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(uninitializedShape: shape)
        storage.pointer.update(repeating: value, count: storage.count)
    }

    /// A tensor of `shape` holding `scalars` in row-major order.
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(scalars.count == Tensor.elementCount(shape),
                     "Tensor: \(scalars.count) scalars do not fill shape \(shape)")
        self.init(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// A tensor whose contents are garbage; every kernel that uses it writes all of it first.
    @usableFromInline init(uninitializedShape shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        self.shape = shape
        self.storage = TensorStorage(count: Tensor.elementCount(shape))
    }

    @usableFromInline static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// The elements in row-major order, copied out.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// The element at flat (row-major) `index`.
    @inlinable public subscript(index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "Tensor: index \(index) out of range 0..<\(count)")
            return storage.pointer[index]
        }
        set {
            precondition(index >= 0 && index < count, "Tensor: index \(index) out of range 0..<\(count)")
            makeUnique()
            storage.pointer[index] = newValue
        }
    }

    /// Reads the elements in place.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
        }
    }

    /// Writes the elements in place, first copying the buffer if another tensor shares it.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try withExtendedLifetime(storage) {
            try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
        }
    }

    @inlinable mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// The same elements viewed with another shape of equal element count; shares the buffer.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(Tensor.elementCount(newShape) == count,
                     "Tensor: cannot reshape \(shape) (\(count) elements) to \(newShape)")
        var t = self
        t.shape = newShape
        return t
    }
}

extension Tensor {
    /// Batch size of an NCHW tensor.
    public var n: Int { dimension(0, of: 4) }
    /// Channels of an NCHW tensor.
    public var c: Int { dimension(1, of: 4) }
    /// Height of an NCHW tensor.
    public var h: Int { dimension(2, of: 4) }
    /// Width of an NCHW tensor.
    public var w: Int { dimension(3, of: 4) }

    private func dimension(_ i: Int, of rank: Int) -> Int {
        precondition(shape.count == rank, "Tensor: expected rank \(rank) (NCHW), got shape \(shape)")
        return shape[i]
    }

    /// A zero tensor shaped like this one.
    public func zerosLike() -> Tensor { Tensor(shape: shape) }
}

extension Tensor: Equatable {
    /// Same shape and bitwise-equal elements (so NaN != NaN).
    public static func == (a: Tensor, b: Tensor) -> Bool {
        guard a.shape == b.shape else { return false }
        return a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            pa.elementsEqual(pb)
        } }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor(shape: \(shape))" }
}

/// The heap buffer behind a `Tensor`. 64-byte aligned so SIMD loads never straddle cache lines.
/// Large buffers come from and go back to `TensorPool`, so iterating a network reuses memory
/// instead of paying the kernel's page faults for fresh pages on every call.
@usableFromInline final class TensorStorage {
    @usableFromInline let pointer: UnsafeMutablePointer<Float>
    @usableFromInline let count: Int

    @usableFromInline init(count: Int) {
        self.count = count
        pointer = TensorPool.shared.take(count: count)
    }

    @usableFromInline func copy() -> TensorStorage {
        let s = TensorStorage(count: count)
        s.pointer.update(from: pointer, count: count)
        return s
    }

    deinit { TensorPool.shared.give(pointer, count: count) }
}
