import CFFmpeg

/// Image sequence frames: decoding a file at a chosen size in 8 or 16 bits, and writing 8- or
/// 16-bit PNG. The single-picture `load` reads at the file's own size in 8 bits; a sequence's
/// frames are scaled to the job's size (`--height`) and may keep 16 bits.
extension ImageIO {
    /// A decoded picture and the facts a sequence needs before converting it.
    struct DecodedPicture {
        let frame: Frame
        /// FFmpeg's codec name ("png", "tiff").
        let codecName: String
        /// Bits of the deepest channel (8 for rgb24, 16 for rgb48be).
        let bitsPerChannel: Int
        var width: Int { frame.width }
        var height: Int { frame.height }
    }

    /// Decodes the picture file `path`. Missing: `.cannotOpen`; not an image: `.notAnImage`.
    static func decodePicture(path: String) throws(MediaError) -> DecodedPicture {
        try decodePicture(data: readFile(path), name: path)
    }

    /// Decodes an encoded picture held in memory; `name` is used only in error messages.
    static func decodePicture(data: [UInt8], name path: String) throws(MediaError) -> DecodedPicture {
        guard !data.isEmpty else { throw MediaError.notAnImage(path: path) }
        let demuxer: Demuxer
        do throws(MediaError) { demuxer = try Demuxer(bytes: data, name: path) } catch { throw MediaError.notAnImage(path: path) }
        guard isImageDemuxer(demuxer.formatName), let streamIndex = demuxer.bestVideoStream() else { throw MediaError.notAnImage(path: path) }
        do throws(MediaError) {
            let stream = demuxer.stream(streamIndex)
            let codecName = String(cString: avcodec_get_name(stream.pointee.codecpar.pointee.codec_id))
            let decoder = try Decoder(stream: stream, path: path)
            let packet = try Packet(), frame = try Frame()
            var ended = false
            while true {
                switch try decoder.receive(into: frame) {
                case .frame:
                    var bits = 8
                    if let descriptor = av_pix_fmt_desc_get(frame.pixelFormat) {
                        let d = descriptor.pointee
                        bits = Int(max(d.comp.0.depth, d.comp.1.depth, d.comp.2.depth))
                    }
                    return DecodedPicture(frame: frame, codecName: codecName, bitsPerChannel: bits)
                case .endOfStream: throw MediaError.notAnImage(path: path)
                case .needsInput:
                    if ended { throw MediaError.notAnImage(path: path) }
                    if try demuxer.read(into: packet) {
                        if packet.streamIndex == streamIndex { try decoder.send(packet) }
                    } else {
                        try decoder.sendEndOfStream()
                        ended = true
                    }
                }
            }
        } catch {
            throw MediaError.notAnImage(path: path)
        }
    }

    /// `picture` as 8-bit RGB at `width` x `height` (swscale, bicubic when the size differs).
    static func rgb(_ picture: DecodedPicture, width: Int, height: Int) throws(MediaError) -> RGBImage {
        let converter = PixelConverter(width: width, height: height, format: AV_PIX_FMT_RGB24)
        let rgb = try Frame(width: width, height: height, format: AV_PIX_FMT_RGB24)
        try converter.convert(picture.frame, into: rgb)
        return rgb.rgbImage()
    }

    /// `picture` as 16-bit RGB at `width` x `height`; at the picture's own size an rgb48 or
    /// rgba64 source keeps its values exactly.
    static func rgb48(_ picture: DecodedPicture, width: Int, height: Int) throws(MediaError) -> RGB48Image {
        let converter = PixelConverter(width: width, height: height, format: AV_PIX_FMT_RGB48LE)
        let rgb = try Frame(width: width, height: height, format: AV_PIX_FMT_RGB48LE)
        try converter.convert(picture.frame, into: rgb)
        return rgb.rgb48Image()
    }

    /// The bytes of `image` as a 16-bit PNG (rgb48be).
    public static func encodePNG(_ image: RGB48Image) throws(MediaError) -> [UInt8] {
        guard image.width > 0, image.height > 0 else {
            throw MediaError.invalidArgument("cannot encode an empty \(image.width)x\(image.height) image")
        }
        let frame = try Frame(width: image.width, height: image.height, format: AV_PIX_FMT_RGB48BE)
        try frame.fill(from: image)
        return try encodePicture(frame, codecName: "png")
    }

    /// Sends one frame to a fresh encoder of `codecName` at the frame's size and format and
    /// returns the encoded file's bytes.
    static func encodePicture(_ frame: Frame, codecName: String) throws(MediaError) -> [UInt8] {
        let encoder = try Encoder(codecName: codecName, configure: { context in
            context.pointee.width = Int32(frame.width)
            context.pointee.height = Int32(frame.height)
            context.pointee.pix_fmt = frame.pixelFormat
            context.pointee.time_base = AVRational(num: 1, den: 25)
        })
        return try encodeOnly(frame, with: encoder)
    }
}
