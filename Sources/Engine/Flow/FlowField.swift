/// A dense optical flow field: pixel (x, y) of the first frame moves to (x + u, y + v) in the second.
///
/// Planar storage (`u` and `v` separate, row-major) keeps the solver's inner loops contiguous;
/// the Middlebury file layout (interleaved) is produced only by `FloFile`.
public struct FlowField: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var u: [Float]
    public var v: [Float]

    /// A zero field.
    public init(width: Int, height: Int) {
        precondition(width >= 0 && height >= 0, "flow size must be non-negative")
        self.width = width
        self.height = height
        u = [Float](repeating: 0, count: width * height)
        v = [Float](repeating: 0, count: width * height)
    }

    public init(width: Int, height: Int, u: [Float], v: [Float]) {
        precondition(u.count == width * height && v.count == width * height, "flow planes must hold width * height values")
        self.width = width
        self.height = height
        self.u = u
        self.v = v
    }

    /// A field with the same vector (`u`, `v`) everywhere.
    public static func constant(width: Int, height: Int, u: Float, v: Float) -> FlowField {
        FlowField(width: width, height: height,
                  u: [Float](repeating: u, count: width * height), v: [Float](repeating: v, count: width * height))
    }

    public var pixelCount: Int { width * height }
}
