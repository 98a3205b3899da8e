import CFFmpeg

/// Owns one AVFrame for its lifetime (av_frame_alloc in init, av_frame_free in deinit).
///
/// The AVFrame's data buffers are reference counted by FFmpeg; `unref()` drops them while
/// keeping the frame for reuse, which is how decoders and encoders are fed in a loop.
final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() throws(MediaError) {
        guard let frame = av_frame_alloc() else { throw MediaError.ffmpeg(AVErrorCode.invalidArgument, "av_frame_alloc") }
        pointer = frame
    }

    /// A frame with its own writable buffers of the given geometry.
    convenience init(width: Int, height: Int, format: AVPixelFormat) throws(MediaError) {
        try self.init()
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        pointer.pointee.format = format.rawValue
        try check(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer")
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    func unref() { av_frame_unref(pointer) }

    var width: Int { Int(pointer.pointee.width) }
    var height: Int { Int(pointer.pointee.height) }
    var pixelFormat: AVPixelFormat { AVPixelFormat(rawValue: pointer.pointee.format) }

    /// Plane 0's pointer and stride: the whole picture for packed formats such as rgb24.
    var plane0: (data: UnsafeMutablePointer<UInt8>, stride: Int) {
        (pointer.pointee.data.0!, Int(pointer.pointee.linesize.0))
    }
}
