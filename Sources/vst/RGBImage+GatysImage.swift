import Engine
import Media

/// The one crossing between Media's packed 8-bit RGB and Engine's [1, 3, h, w] float tensors
/// (Engine does not import Media).
extension RGBImage {
    /// RGB planes in 0...255.
    var gatysTensor: Tensor {
        let plane = width * height
        var t = Tensor(shape: [1, 3, height, width])
        pixels.withUnsafeBufferPointer { src in t.withUnsafeMutableBufferPointer { dst in
            for i in 0..<plane { for c in 0..<3 { dst[c * plane + i] = Float(src[i * 3 + c]) } }
        } }
        return t
    }

    /// Rounds and clamps each value of a [1, 3, h, w] tensor.
    init(gatysTensor t: Tensor) {
        let (h, w) = (t.shape[2], t.shape[3])
        let plane = w * h
        var pixels = [UInt8](repeating: 0, count: plane * 3)
        t.withUnsafeBufferPointer { src in
            for i in 0..<plane { for c in 0..<3 { pixels[i * 3 + c] = UInt8(min(255, max(0, src[c * plane + i].rounded()))) } }
        }
        self.init(width: w, height: h, pixels: pixels)
    }
}
