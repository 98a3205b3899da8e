/// A 16-bit picture: packed RGB, 16 bits a channel, row-major, so `pixels[(y * width + x) * 3 + c]`
/// is channel `c` of pixel (x, y), 0...65535.
///
/// Only image sequences carry it, from a 16-bit frame on disk to the 16-bit PNG written back:
/// the farm renders 8-bit `RGBImage`s (the wire carries 8-bit RGB), so `narrowed()` gives the
/// picture the farm sees and `RGBImage.widened(keepingDetailOf:)` puts the render back at 16 bits.
public struct RGB48Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` values.
    public var pixels: [UInt16]

    /// Wraps existing pixels; `pixels.count` must be `width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt16]) {
        precondition(width >= 0 && height >= 0, "negative image size \(width)x\(height)")
        precondition(pixels.count == width * height * 3, "\(pixels.count) values for a \(width)x\(height) RGB48 image")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The nearest 8-bit picture: each value v becomes round(v / 257), 65535 -> 255. Done here
    /// rather than by swscale (which may dither) so that `widened(keepingDetailOf:)` knows
    /// exactly what the farm was given.
    public func narrowed() -> RGBImage {
        RGBImage(width: width, height: height, pixels: pixels.map { UInt8((UInt32($0) + 128) / 257) })
    }
}

extension RGBImage {
    /// This 8-bit render at 16 bits, keeping the detail below 8 bits of `original`, the 16-bit
    /// frame whose `narrowed()` the render was made from: each value becomes
    /// `v * 257 + (o - narrowed(o) * 257)`, clamped to 0...65535. Where the render left a value
    /// as it was given (`--method copy`), that is `o` exactly; elsewhere it is the render's
    /// value with the original's fine gradation (at most half an 8-bit step) on top, so smooth
    /// 16-bit ramps do not come back banded to 8 bits.
    public func widened(keepingDetailOf original: RGB48Image) -> RGB48Image {
        precondition(width == original.width && height == original.height, "widening a \(width)x\(height) render with a \(original.width)x\(original.height) original")
        var out = [UInt16](repeating: 0, count: pixels.count)
        for i in pixels.indices {
            let o = Int(original.pixels[i])
            let residual = o - ((o + 128) / 257) * 257
            out[i] = UInt16(clamping: max(0, Int(pixels[i]) * 257 + residual))
        }
        return RGB48Image(width: width, height: height, pixels: out)
    }
}
