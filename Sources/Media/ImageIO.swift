import CFFmpeg
import Foundation

/// Reads and writes still images (PNG, JPEG and whatever else FFmpeg's image demuxers know)
/// through FFmpeg, so vst needs no second image library.
///
/// Loading probes the format from the bytes, never from the name, so style images sent over
/// the wire as file bytes load the same way as files. Alpha is dropped (not composited).
public enum ImageIO {
    /// Encoded image formats `save` and `encode` write.
    public enum Format: Sendable, Equatable {
        /// Lossless: decoding gives back the exact pixels.
        case png
        /// 4:4:4 chroma at FFmpeg's best quantiser (q 2): for previews and style images.
        case jpeg

        /// The format a file name asks for (.png, .jpg, .jpeg; any case), or nil.
        public init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "png": self = .png
            case "jpg", "jpeg": self = .jpeg
            default: return nil
            }
        }
    }

    /// Loads an image file. Missing or unreadable: `.cannotOpen`; not an image: `.notAnImage`.
    public static func load(path: String) throws(MediaError) -> RGBImage {
        let bytes = try readFile(path)
        return try load(data: bytes, name: path)
    }

    /// Decodes an encoded image held in memory (the bytes of a PNG or JPEG file).
    /// `name` is used only in error messages.
    public static func load(data: [UInt8], name: String) throws(MediaError) -> RGBImage {
        try toRGB(decodePicture(data: data, name: name).frame)
    }

    /// Writes `image` as PNG or JPEG, chosen by the extension of `path`.
    public static func save(_ image: RGBImage, to path: String) throws(MediaError) {
        guard let format = Format(path: path) else { throw MediaError.unsupportedImageType(path: path) }
        let bytes = try encode(image, as: format)
        try writeFile(bytes, to: path)
    }

    /// The bytes of `image` encoded as a complete PNG or JPEG file.
    public static func encode(_ image: RGBImage, as format: Format) throws(MediaError) -> [UInt8] {
        guard image.width > 0, image.height > 0 else {
            throw MediaError.invalidArgument("cannot encode an empty \(image.width)x\(image.height) image")
        }
        let source = try Frame(width: image.width, height: image.height, format: AV_PIX_FMT_RGB24)
        try source.fill(from: image)
        let codecName: String, pixelFormat: AVPixelFormat
        switch format {
        case .png: (codecName, pixelFormat) = ("png", AV_PIX_FMT_RGB24)
        case .jpeg: (codecName, pixelFormat) = ("mjpeg", AV_PIX_FMT_YUV444P)
        }
        let encoder = try Encoder(codecName: codecName, configure: { context in
            context.pointee.width = Int32(image.width)
            context.pointee.height = Int32(image.height)
            context.pointee.pix_fmt = pixelFormat
            context.pointee.time_base = AVRational(num: 1, den: 25)
            if format == .jpeg {
                // JFIF is full-range BT.601.
                context.pointee.color_range = AVCOL_RANGE_JPEG
                context.pointee.colorspace = AVCOL_SPC_BT470BG
                context.pointee.flags |= AV_CODEC_FLAG_QSCALE
                context.pointee.global_quality = 2 * FF_QP2LAMBDA
            }
        })
        var frame = source
        if pixelFormat != AV_PIX_FMT_RGB24 {
            frame = try Frame(width: image.width, height: image.height, format: pixelFormat)
            let jfif = ColourDescription(primaries: ColourDescription.unspecifiedCode, transfer: ColourDescription.unspecifiedCode,
                                         matrix: Int(AVCOL_SPC_BT470BG.rawValue), range: .full)
            let converter = PixelConverter(width: image.width, height: image.height, format: pixelFormat, colour: jfif)
            try converter.convert(source, into: frame)
            frame.pointer.pointee.color_range = AVCOL_RANGE_JPEG
            frame.pointer.pointee.colorspace = AVCOL_SPC_BT470BG
        }
        if format == .jpeg { frame.pointer.pointee.quality = 2 * FF_QP2LAMBDA }
        return try encodeOnly(frame, with: encoder)
    }

    /// Sends `frame` to `encoder` as its one picture (pts 0), ends the stream and returns every
    /// byte the encoder puts out: a whole image file.
    static func encodeOnly(_ frame: Frame, with encoder: Encoder) throws(MediaError) -> [UInt8] {
        frame.pointer.pointee.pts = 0
        try encoder.send(frame)
        try encoder.sendEndOfStream()
        let packet = try Packet()
        var bytes: [UInt8] = []
        while try encoder.receive(into: packet) == .packet {
            bytes += UnsafeBufferPointer(start: packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size))
        }
        return bytes
    }

    /// Image demuxers are image2 (files, sequences) and the per-format *_pipe probes; a film
    /// container that happens to decode a first frame is not an image.
    static func isImageDemuxer(_ name: String) -> Bool {
        name == "image2" || name == "image2pipe" || name.hasSuffix("_pipe")
    }

    /// A decoded picture of any pixel format as an RGBImage of the same size.
    static func toRGB(_ frame: Frame) throws(MediaError) -> RGBImage {
        let converter = PixelConverter(width: frame.width, height: frame.height, format: AV_PIX_FMT_RGB24)
        let rgb = try Frame(width: frame.width, height: frame.height, format: AV_PIX_FMT_RGB24)
        try converter.convert(frame, into: rgb)
        return rgb.rgbImage()
    }

    static func readFile(_ path: String) throws(MediaError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MediaError.cannotOpen(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw MediaError.cannotOpen(path: path, reason: "is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MediaError.cannotOpen(path: path, reason: "cannot read")
        }
        return [UInt8](data)
    }

    static func writeFile(_ bytes: [UInt8], to path: String) throws(MediaError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? "\(error.localizedDescription)"
            throw MediaError.cannotWrite(path: path, reason: reason)
        }
    }
}
