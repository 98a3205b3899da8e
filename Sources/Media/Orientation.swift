/// How a film's stored pictures turn into the upright pictures a player shows. A phone records
/// portrait video lying down (stored 640x272, say) and tags the stream with a display matrix
/// that says "turn this a quarter"; players and the ffmpeg command line apply it, and so does
/// `VideoReader`, so that vst styles the upright picture (272x640) and writes it without a tag.
///
/// The stored picture is first mirrored left to right when `mirrored`, then turned clockwise by
/// `rotation` degrees. These eight combinations are every way of laying a grid of pixels on
/// another without resampling (`RGBImage.oriented(_:)` applies them).
public struct Orientation: Sendable, Hashable, CustomStringConvertible {
    /// Degrees clockwise: 0, 90, 180 or 270.
    public let rotation: Int
    /// Mirrored left to right before the turn.
    public let mirrored: Bool

    /// Shown as stored.
    public static let upright = Orientation(rotation: 0, mirrored: false)

    /// `rotation` must be a multiple of 90 degrees, of either sign; it is kept as 0, 90, 180 or 270.
    public init(rotation: Int, mirrored: Bool) {
        precondition(rotation % 90 == 0, "rotation \(rotation) is not a multiple of 90 degrees")
        self.rotation = (rotation % 360 + 360) % 360
        self.mirrored = mirrored
    }

    /// True when the upright picture's width is the stored picture's height (a quarter turn).
    public var swapsSides: Bool { rotation % 180 != 0 }

    /// The upright size of a stored `width` x `height` picture.
    public func displayedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        swapsSides ? (height, width) : (width, height)
    }

    /// The stored size of a picture shown `width` x `height`: the inverse of `displayedSize`.
    public func storedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        displayedSize(width: width, height: height)
    }

    public var description: String {
        switch (rotation, mirrored) {
        case (0, false): "upright"
        case (0, true): "mirrored"
        case (let degrees, false): "turned \(degrees) degrees clockwise"
        case (let degrees, true): "mirrored and turned \(degrees) degrees clockwise"
        }
    }
}
