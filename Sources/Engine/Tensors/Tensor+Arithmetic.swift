/// Elementwise arithmetic on whole tensors of equal shape, vectorised and split across cores.
/// Losses, residual blocks and optimizers are written with these.
extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "Tensor +: shapes \(a.shape) and \(b.shape) differ")
        var y = Tensor(uninitializedShape: a.shape)
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in y.withUnsafeMutableBufferPointer { py in
            let (sa, sb, sy) = (pa.baseAddress!, pb.baseAddress!, py.baseAddress!)
            Tensor.chunked(a.count) { lo, n in Elementwise.sum(sa + lo, sb + lo, into: sy + lo, count: n) }
        } } }
        return y
    }

    public static func += (a: inout Tensor, b: Tensor) {
        precondition(a.shape == b.shape, "Tensor +=: shapes \(a.shape) and \(b.shape) differ")
        let count = a.count
        b.withUnsafeBufferPointer { pb in a.withUnsafeMutableBufferPointer { pa in
            let (sa, sb) = (pa.baseAddress!, pb.baseAddress!)
            Tensor.chunked(count) { lo, n in Elementwise.add(sb + lo, into: sa + lo, count: n) }
        } }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "Tensor -: shapes \(a.shape) and \(b.shape) differ")
        return a.zipMap(b) { $0 - $1 }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "Tensor *: shapes \(a.shape) and \(b.shape) differ")
        return a.zipMap(b) { $0 * $1 }
    }

    public static func * (a: Tensor, s: Float) -> Tensor {
        a.map { $0 * s }
    }

    public static func * (s: Float, a: Tensor) -> Tensor { a * s }

    /// Applies `f` to every element (vectorised by the compiler where `f` allows).
    public func map(_ f: (Float) -> Float) -> Tensor {
        var y = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
            for i in 0..<px.count { py[i] = f(px[i]) }
        } }
        return y
    }

    /// Applies `f` to corresponding elements of two tensors of equal shape.
    public func zipMap(_ other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "Tensor zipMap: shapes \(shape) and \(other.shape) differ")
        var y = Tensor(uninitializedShape: shape)
        withUnsafeBufferPointer { pa in other.withUnsafeBufferPointer { pb in y.withUnsafeMutableBufferPointer { py in
            for i in 0..<pa.count { py[i] = f(pa[i], pb[i]) }
        } } }
        return y
    }

    /// The sum of all elements, accumulated in Double.
    public func sum() -> Double {
        withUnsafeBufferPointer { Elementwise.total($0.baseAddress!, count: $0.count) }
    }

    /// sum(self * other), accumulated in Double.
    public func dot(_ other: Tensor) -> Double {
        precondition(shape == other.shape, "Tensor dot: shapes \(shape) and \(other.shape) differ")
        return withUnsafeBufferPointer { pa in other.withUnsafeBufferPointer { pb in
            var total = 0.0
            var i = 0
            let n = pa.count
            while i < n {
                let end = min(n, i + 4096)
                var acc: Float = 0
                for j in i..<end { acc += pa[j] * pb[j] }
                total += Double(acc)
                i = end
            }
            return total
        } }
    }

    /// Calls `body(start, length)` over large pieces of `0..<count`, on several cores when it pays.
    static func chunked(_ count: Int, _ body: (Int, Int) -> Void) {
        let piece = 8192
        Parallel.forEachChunk((count + piece - 1) / piece, elementsPerItem: piece) { range in
            let lo = range.lowerBound * piece, hi = min(count, range.upperBound * piece)
            body(lo, hi - lo)
        }
    }
}
