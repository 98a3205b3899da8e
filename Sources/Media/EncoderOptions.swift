/// How `VideoWriter` compresses the picture.
///
/// The default is H.264 (libx264, yuv420p) at CRF 18, preset "medium": CRF 18 is x264's
/// "visually lossless" point, chosen because style transfer output is full of fine texture
/// that x264's own default (23) smears; "medium" is x264's default speed/size balance. WebM
/// output uses VP9 (libvpx-vp9) in constant-quality mode with the same `crf` number.
/// `lossless` switches to FFV1 in an RGB pixel format (bgr0), which decodes back to exactly
/// the RGB that was written; for intermediate files and segments (.mkv, .avi or .mov).
/// `edges` names a segment's frames that meet its neighbours in a joined film, which H.264
/// encodes finer (`SegmentEdges`); VP9 and FFV1 ignore it.
public struct EncoderOptions: Sendable, Equatable {
    /// Constant rate factor: lower is better and bigger (x264: 0-51, VP9: 0-63).
    public var crf: Int
    /// x264 preset: ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow.
    public var preset: String
    /// FFV1 in RGB instead of H.264: bit-exact frames, large files.
    public var lossless: Bool
    /// The frames that meet neighbouring segments (H.264 only).
    public var edges: SegmentEdges

    public init(crf: Int = 18, preset: String = "medium", lossless: Bool = false, edges: SegmentEdges = .none) {
        self.crf = crf
        self.preset = preset
        self.lossless = lossless
        self.edges = edges
    }
}
