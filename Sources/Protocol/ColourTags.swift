/// The colour a worker converts a segment's frames to and tags it with (`SegmentSpec.colour`):
/// ITU-T H.273 code points for the primaries, the transfer characteristics and the matrix
/// (FFmpeg numbers its colour enums the same way), and whether the samples use the full 0-255
/// range rather than the limited one. The coordinator sends the film's resolved description
/// (Media's `ColourDescription`, nothing unspecified), so every segment of a job, whoever
/// encodes it, converts and tags alike, and the joined film keeps the input's colours.
public struct ColourTags: Codable, Sendable, Equatable {
    public var primaries: Int
    public var transfer: Int
    public var matrix: Int
    public var fullRange: Bool

    public init(primaries: Int, transfer: Int, matrix: Int, fullRange: Bool) {
        self.primaries = primaries
        self.transfer = transfer
        self.matrix = matrix
        self.fullRange = fullRange
    }

    /// H.273 code points are 8-bit.
    func validate() throws(DecodeError) {
        for (name, code) in [("primaries", primaries), ("transfer", transfer), ("matrix", matrix)] where !(0...255).contains(code) {
            throw .badPayload("task segment colour \(name) \(code) outside 0...255")
        }
    }
}
