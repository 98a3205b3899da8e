import CFFmpeg

/// Copies between rgb24 frames (rows padded for SIMD) and packed `RGBImage`s (no padding).
extension Frame {
    /// Copies an rgb24 frame's rows into a packed `RGBImage` (dropping the row padding).
    func rgbImage() -> RGBImage {
        precondition(pixelFormat == AV_PIX_FMT_RGB24, "rgbImage() needs an rgb24 frame")
        let rowBytes = width * 3
        let (data, stride) = plane0
        var pixels = [UInt8](repeating: 0, count: rowBytes * height)
        pixels.withUnsafeMutableBufferPointer { destination in
            for y in 0..<height {
                (destination.baseAddress! + y * rowBytes).update(from: data + y * stride, count: rowBytes)
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Copies a packed `RGBImage` into this rgb24 frame of the same size.
    func fill(from image: RGBImage) throws(MediaError) {
        precondition(pixelFormat == AV_PIX_FMT_RGB24 && width == image.width && height == image.height)
        try check(av_frame_make_writable(pointer), "av_frame_make_writable")
        let rowBytes = width * 3
        let (data, stride) = plane0
        image.pixels.withUnsafeBufferPointer { source in
            for y in 0..<height {
                (data + y * stride).update(from: source.baseAddress! + y * rowBytes, count: rowBytes)
            }
        }
    }
}
