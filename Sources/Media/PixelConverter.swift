import CFFmpeg

/// Colour conversion and scaling between FFmpeg frames (libswscale), one destination geometry.
///
/// Call order: `init(width:height:format:)` fixes the destination; `convert(_:into:)` is then
/// called per frame. The SwsContext is created on the first call and again only when the
/// source's size, pixel format or colour description changes (a stream may switch mid-way).
/// Nothing needs draining: conversion is synchronous, one frame in, one frame out.
///
/// Ownership: the source frame is only read. The destination frame must have been allocated
/// with the destination geometry (`Frame(width:height:format:)`); it is made writable first,
/// so a frame an encoder still references is copied rather than overwritten.
///
/// Colour: a YUV source frame is read with the matrix and range it is tagged with (the decoder
/// sets them from the bitstream and the container); what it leaves untagged, or tags with a
/// matrix libswscale cannot apply, comes from `sourceColour`, the stream's resolved description,
/// else from `ColourDescription.guess` for the frame's size. A YUV destination is written with
/// `colour`'s matrix and range, which the encoder also writes as tags.
final class PixelConverter {
    let width: Int
    let height: Int
    let format: AVPixelFormat
    /// Matrix and range for a YUV destination (ignored for RGB destinations); resolved.
    let colour: ColourDescription
    /// What the source stream declares, resolved; nil guesses per frame from its size.
    let sourceColour: ColourDescription?

    private var context: OpaquePointer?
    private var key: SourceKey?

    private struct SourceKey: Equatable {
        var width: Int32, height: Int32, format: Int32, colorspace: UInt32, range: UInt32
    }

    init(width: Int, height: Int, format: AVPixelFormat, colour: ColourDescription = .bt709,
         sourceColour: ColourDescription? = nil) {
        self.width = width
        self.height = height
        self.format = format
        self.colour = colour.resolved(width: width, height: height)
        self.sourceColour = sourceColour
    }

    deinit { sws_freeContext(context) }

    func convert(_ source: Frame, into destination: Frame) throws(MediaError) {
        let s = source.pointer.pointee
        let key = SourceKey(width: s.width, height: s.height, format: s.format,
                            colorspace: s.colorspace.rawValue, range: s.color_range.rawValue)
        if key != self.key || context == nil { try makeContext(for: source, key: key) }
        try check(av_frame_make_writable(destination.pointer), "av_frame_make_writable")
        try check(sws_scale_frame(context, destination.pointer, source.pointer), "sws_scale_frame")
    }

    private func makeContext(for source: Frame, key: SourceKey) throws(MediaError) {
        sws_freeContext(context)
        context = nil
        var sourceFormat = source.pixelFormat
        let fallback = sourceColour ?? ColourDescription.guess(width: source.width, height: source.height)
        var sourceFull = switch ColourDescription.range(source.pointer.pointee.color_range) {
        case .full: true
        case .limited: false
        case .unspecified: fallback.range == .full
        }
        // The yuvj* formats are yuv* with full range; naming the range keeps swscale from
        // guessing (and warning) about deprecated formats.
        let jpegFormats: [AVPixelFormat: AVPixelFormat] = [
            AV_PIX_FMT_YUVJ420P: AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUVJ422P: AV_PIX_FMT_YUV422P,
            AV_PIX_FMT_YUVJ444P: AV_PIX_FMT_YUV444P, AV_PIX_FMT_YUVJ440P: AV_PIX_FMT_YUV440P,
            AV_PIX_FMT_YUVJ411P: AV_PIX_FMT_YUV411P,
        ]
        if let plain = jpegFormats[sourceFormat] {
            sourceFormat = plain
            sourceFull = true
        }
        var sourceMatrix = Int(source.pointer.pointee.colorspace.rawValue)
        if !ColourDescription.convertibleMatrices.contains(sourceMatrix) { sourceMatrix = fallback.matrix }
        let flags = SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP
        guard let made = sws_getContext(Int32(source.width), Int32(source.height), sourceFormat,
                                        Int32(width), Int32(height), format, flags, nil, nil, nil) else {
            let from = String(cString: av_get_pix_fmt_name(source.pixelFormat) ?? av_get_pix_fmt_name(AV_PIX_FMT_NONE))
            throw MediaError.invalidArgument("cannot convert \(from) \(source.width)x\(source.height) to \(width)x\(height)")
        }
        context = made
        let sourceIsYUV = !isRGB(sourceFormat)
        let destinationIsYUV = !isRGB(format)
        // RGB sides are always full range; the tables only matter on YUV sides.
        try check(sws_setColorspaceDetails(
            made,
            // sws_getCoefficients takes H.273 matrix numbers (its table is indexed like AVColorSpace).
            sws_getCoefficients(Int32(sourceMatrix)), sourceIsYUV ? (sourceFull ? 1 : 0) : 1,
            sws_getCoefficients(Int32(colour.matrix)), destinationIsYUV ? (colour.range == .full ? 1 : 0) : 1,
            0, 1 << 16, 1 << 16), "sws_setColorspaceDetails")
        self.key = key
    }

    private func isRGB(_ format: AVPixelFormat) -> Bool {
        guard let descriptor = av_pix_fmt_desc_get(format) else { return false }
        return descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) != 0
    }
}
