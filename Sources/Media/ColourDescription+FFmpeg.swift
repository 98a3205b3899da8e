import CFFmpeg

/// Reading a `ColourDescription` from FFmpeg's stream parameters and frames, and writing it onto
/// encoders and frames. FFmpeg numbers primaries, transfer and matrix by their H.273 code points,
/// so those pass through unchanged; only the range has FFmpeg's own numbering.
extension ColourDescription: CustomStringConvertible {
    /// What a stream declares. The yuvj* pixel formats are full range even when the range is
    /// not tagged (JPEG-style streams).
    init(_ parameters: AVCodecParameters) {
        let format = AVPixelFormat(rawValue: parameters.format)
        var range = ColourDescription.range(parameters.color_range)
        if range == .unspecified && ColourDescription.fullRangeFormats.contains(format) { range = .full }
        self.init(primaries: Int(parameters.color_primaries.rawValue), transfer: Int(parameters.color_trc.rawValue),
                  matrix: Int(parameters.color_space.rawValue), range: range)
    }

    /// The deprecated yuvj* formats: yuv* with full range.
    static let fullRangeFormats: Set<AVPixelFormat> = [
        AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P, AV_PIX_FMT_YUVJ411P,
    ]

    static func range(_ range: AVColorRange) -> Range {
        switch range {
        case AVCOL_RANGE_MPEG: .limited
        case AVCOL_RANGE_JPEG: .full
        default: .unspecified
        }
    }

    var avPrimaries: AVColorPrimaries { AVColorPrimaries(rawValue: UInt32(primaries)) }
    var avTransfer: AVColorTransferCharacteristic { AVColorTransferCharacteristic(rawValue: UInt32(transfer)) }
    var avMatrix: AVColorSpace { AVColorSpace(rawValue: UInt32(matrix)) }
    var avRange: AVColorRange {
        switch range {
        case .limited: AVCOL_RANGE_MPEG
        case .full: AVCOL_RANGE_JPEG
        case .unspecified: AVCOL_RANGE_UNSPECIFIED
        }
    }

    /// Tags an encoder (before it opens: x264 writes the values into the stream's VUI, and
    /// the muxer copies them into the container). An RGB encoder has no matrix and full range.
    func tag(_ context: UnsafeMutablePointer<AVCodecContext>, rgb: Bool) {
        context.pointee.color_primaries = avPrimaries
        context.pointee.color_trc = avTransfer
        context.pointee.colorspace = rgb ? AVCOL_SPC_RGB : avMatrix
        context.pointee.color_range = rgb ? AVCOL_RANGE_JPEG : avRange
    }

    /// Tags a frame sent to an encoder tagged with `tag(_:rgb:)`, so the two agree.
    func tag(_ frame: UnsafeMutablePointer<AVFrame>, rgb: Bool) {
        frame.pointee.color_primaries = avPrimaries
        frame.pointee.color_trc = avTransfer
        frame.pointee.colorspace = rgb ? AVCOL_SPC_RGB : avMatrix
        frame.pointee.color_range = rgb ? AVCOL_RANGE_JPEG : avRange
    }

    /// FFmpeg's names, as ffprobe prints them: "matrix bt709, primaries bt709, transfer bt709, tv range".
    public var description: String {
        func name(_ text: UnsafePointer<CChar>?, _ code: Int) -> String { text.map { String(cString: $0) } ?? "\(code)" }
        let rangeName = switch range { case .limited: "tv"; case .full: "pc"; case .unspecified: "unknown" }
        return "matrix \(name(av_color_space_name(avMatrix), matrix)), primaries \(name(av_color_primaries_name(avPrimaries), primaries)), "
            + "transfer \(name(av_color_transfer_name(avTransfer), transfer)), \(rangeName) range"
    }
}
