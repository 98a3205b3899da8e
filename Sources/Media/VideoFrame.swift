/// One decoded frame: its pixels and when it is shown.
public struct VideoFrame: Sendable, Equatable {
    public var image: RGBImage
    /// Presentation timestamp in the video stream's time base (`VideoInfo.timeBase`); pass it
    /// unchanged to `VideoWriter.write(_:pts:)` so the output keeps the input's timing.
    public var pts: Int64
    /// Position in presentation order, 0 for the film's first frame (not the first one read).
    public var index: Int

    public init(image: RGBImage, pts: Int64, index: Int) {
        self.image = image
        self.pts = pts
        self.index = index
    }
}
