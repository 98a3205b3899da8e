import CFFmpeg

/// Copies between 16-bit RGB frames and packed `RGB48Image`s, minding the byte order of the
/// frame's format (rgb48le for reading, rgb48be for PNG writing).
extension Frame {
    /// Copies an rgb48le frame's rows into a packed `RGB48Image`.
    func rgb48Image() -> RGB48Image {
        precondition(pixelFormat == AV_PIX_FMT_RGB48LE, "rgb48Image() needs an rgb48le frame")
        let (data, stride) = plane0
        let rowValues = width * 3
        var pixels = [UInt16](repeating: 0, count: rowValues * height)
        for y in 0..<height {
            let row = data + y * stride
            for i in 0..<rowValues {
                pixels[y * rowValues + i] = UInt16(row[2 * i]) | UInt16(row[2 * i + 1]) << 8
            }
        }
        return RGB48Image(width: width, height: height, pixels: pixels)
    }

    /// Copies a packed `RGB48Image` into this rgb48be frame of the same size.
    func fill(from image: RGB48Image) throws(MediaError) {
        precondition(pixelFormat == AV_PIX_FMT_RGB48BE && width == image.width && height == image.height)
        try check(av_frame_make_writable(pointer), "av_frame_make_writable")
        let (data, stride) = plane0
        let rowValues = width * 3
        for y in 0..<height {
            let row = data + y * stride
            for i in 0..<rowValues {
                let value = image.pixels[y * rowValues + i]
                row[2 * i] = UInt8(value >> 8)
                row[2 * i + 1] = UInt8(value & 0xff)
            }
        }
    }
}
