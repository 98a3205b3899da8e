/// A float image stored plane by plane (`[channel][row][column]`), with any number of channels.
///
/// The same layout serves RGB frames (0...255 for flow, any range for warping) and feature maps
/// with hundreds of channels, so warping and masks need nothing from the tensor code.
public struct PlanarImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public var data: [Float]

    public init(width: Int, height: Int, channels: Int, data: [Float]) {
        precondition(width >= 0 && height >= 0 && channels >= 1, "bad image shape")
        precondition(data.count == width * height * channels, "image data must hold channels * height * width values")
        self.width = width
        self.height = height
        self.channels = channels
        self.data = data
    }

    /// A zero image.
    public init(width: Int, height: Int, channels: Int) {
        self.init(width: width, height: height, channels: channels,
                  data: [Float](repeating: 0, count: width * height * channels))
    }

    /// Unpacks interleaved 8-bit RGB (as decoded frames come) into three planes, values 0...255.
    public init(packedRGB bytes: [UInt8], width: Int, height: Int) {
        precondition(bytes.count == width * height * 3, "packed RGB must hold width * height * 3 bytes")
        let n = width * height
        var data = [Float](repeating: 0, count: 3 * n)
        bytes.withUnsafeBufferPointer { src in
            data.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    dst[i] = Float(src[3 * i])
                    dst[n + i] = Float(src[3 * i + 1])
                    dst[2 * n + i] = Float(src[3 * i + 2])
                }
            }
        }
        self.init(width: width, height: height, channels: 3, data: data)
    }

    public var planeSize: Int { width * height }

    /// Interleaved 8-bit RGB (or grey replicated) with rounding and clamping to 0...255.
    public func packedRGB() -> [UInt8] {
        let n = planeSize
        var out = [UInt8](repeating: 0, count: 3 * n)
        for c in 0..<3 {
            let plane = (channels == 1 ? 0 : min(c, channels - 1)) * n
            for i in 0..<n { out[3 * i + c] = UInt8(max(0, min(255, data[plane + i].rounded()))) }
        }
        return out
    }

    /// Luminance (ITU-R BT.601 weights) of a three-channel image; a one-channel image is returned as is.
    public func luminance() -> PlanarImage {
        if channels == 1 { return self }
        precondition(channels == 3, "luminance needs 1 or 3 channels")
        let n = planeSize
        var out = [Float](repeating: 0, count: n)
        data.withUnsafeBufferPointer { s in
            for i in 0..<n { out[i] = 0.299 * s[i] + 0.587 * s[n + i] + 0.114 * s[2 * n + i] }
        }
        return PlanarImage(width: width, height: height, channels: 1, data: out)
    }

    /// One channel as a one-channel image.
    public func channel(_ c: Int) -> PlanarImage {
        let n = planeSize
        return PlanarImage(width: width, height: height, channels: 1, data: Array(data[(c * n)..<((c + 1) * n)]))
    }
}
