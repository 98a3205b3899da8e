/// Frames in and out as the decoder and encoder hold them (packed 8-bit RGB, row-major), so a
/// worker renders a frame with one call and no tensor code of its own.
extension ReCoNet {
    /// The smallest frame side the network takes: the first layer pads by reflecting 4 pixels
    /// and the residual blocks, at a quarter of the size, by reflecting 1, which needs more
    /// pixels than that on every side. 16 leaves a margin at every stage.
    public static let minimumSide = 16

    /// The stylisation of one packed RGB frame (`width * height * 3` bytes), same size, rounded.
    public func stylize(packedRGB bytes: [UInt8], width: Int, height: Int) -> [UInt8] {
        precondition(bytes.count == width * height * 3 && width > 0 && height > 0,
                     "ReCoNet: \(bytes.count) bytes are not a \(width)x\(height) RGB frame")
        let plane = width * height
        var x = Tensor(shape: [1, 3, height, width])
        x.withUnsafeMutableBufferPointer { dst in
            for i in 0..<plane { for c in 0..<3 { dst[c * plane + i] = Float(bytes[3 * i + c]) } }
        }
        let y = stylize(x)
        var out = [UInt8](repeating: 0, count: 3 * plane)
        y.withUnsafeBufferPointer { src in
            for i in 0..<plane { for c in 0..<3 { out[3 * i + c] = UInt8(min(255, max(0, src[c * plane + i].rounded()))) } }
        }
        return out
    }
}
