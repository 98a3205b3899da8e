/// Per-coordinate bounds lower[i] <= x[i] <= upper[i] for an optimiser's variable. A Gatys picture
/// needs them: what a render delivers is an 8-bit picture, so an optimum found outside 0...255 is
/// not what the user gets (clamping it afterwards raises the loss; docs/benchmarks.md, Gatys).
/// The optimisers project onto the box (Bertsekas 1982, projected Newton-type methods): every
/// iterate is clamped into it, and a coordinate held at a bound by a gradient that points out of
/// the box does not move in that iteration.
public struct BoxBounds: Sendable, Equatable {
    public var lower: [Float]
    public var upper: [Float]

    public init(lower: [Float], upper: [Float]) {
        precondition(lower.count == upper.count, "BoxBounds: lower and upper differ in length")
        precondition(zip(lower, upper).allSatisfy { $0 <= $1 }, "BoxBounds: a lower bound above its upper bound")
        self.lower = lower
        self.upper = upper
    }

    /// Clamps every coordinate of `x` into the box.
    public func clamp(_ x: inout [Float]) {
        precondition(x.count == lower.count, "BoxBounds: \(x.count) coordinates for bounds of \(lower.count)")
        lower.withUnsafeBufferPointer { lo in upper.withUnsafeBufferPointer { hi in
            x.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] = min(hi[i], max(lo[i], p[i])) }
            }
        } }
    }

    /// Whether coordinate i sits on a bound that the gradient `g` pushes it through: descent
    /// (along -g) would leave the box there, so the coordinate is held.
    @inline(__always) func isHeld(_ i: Int, x: Float, g: Float) -> Bool {
        (x <= lower[i] && g > 0) || (x >= upper[i] && g < 0)
    }

    /// `v` with the held coordinates of (x, g) set to zero: the projected gradient when v is g,
    /// a direction that stays in the box to first order when v is a descent direction.
    func zeroingHeld(_ v: inout [Float], x: [Float], g: [Float]) {
        for i in 0..<v.count where isHeld(i, x: x[i], g: g[i]) { v[i] = 0 }
    }
}
