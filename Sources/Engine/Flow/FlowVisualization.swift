import Foundation

/// The Middlebury colour coding of flow (Baker et al. 2011): hue is direction, saturation is
/// speed relative to the largest speed in the field, so flows from any tool can be compared by eye.
public enum FlowVisualization {
    /// The colour wheel's 55 entries: red-yellow 15, yellow-green 6, green-cyan 4, cyan-blue 11,
    /// blue-magenta 13, magenta-red 6 steps.
    static let wheel: [SIMD3<Float>] = {
        var c: [SIMD3<Float>] = []
        for i in 0..<15 { c.append([1, Float(i) / 15, 0]) }
        for i in 0..<6 { c.append([1 - Float(i) / 6, 1, 0]) }
        for i in 0..<4 { c.append([0, 1, Float(i) / 4]) }
        for i in 0..<11 { c.append([0, 1 - Float(i) / 11, 1]) }
        for i in 0..<13 { c.append([Float(i) / 13, 0, 1]) }
        for i in 0..<6 { c.append([1, 0, 1 - Float(i) / 6]) }
        return c
    }()

    /// Interleaved 8-bit RGB of `flow`. Speeds are divided by `maxSpeed` (default: the field's
    /// largest known speed); unknown vectors (above 1e9 or not finite) are black.
    public static func rgb(_ flow: FlowField, maxSpeed: Float? = nil) -> [UInt8] {
        func known(_ i: Int) -> Bool {
            flow.u[i].isFinite && flow.v[i].isFinite && abs(flow.u[i]) < FloFile.unknownThreshold && abs(flow.v[i]) < FloFile.unknownThreshold
        }
        var largest: Float = 0
        for i in 0..<flow.pixelCount where known(i) { largest = max(largest, (flow.u[i] * flow.u[i] + flow.v[i] * flow.v[i]).squareRoot()) }
        let scale = maxSpeed ?? max(largest, 1e-6)
        var out = [UInt8](repeating: 0, count: 3 * flow.pixelCount)
        let n = Float(wheel.count)
        for i in 0..<flow.pixelCount where known(i) {
            let u = flow.u[i] / scale, v = flow.v[i] / scale
            let radius = (u * u + v * v).squareRoot()
            let angle = atan2(-v, -u) / Float.pi
            let fk = (angle + 1) / 2 * (n - 1)
            let k0 = min(Int(fk), wheel.count - 1), k1 = (k0 + 1) % wheel.count, f = fk - Float(k0)
            var col = (1 - f) * wheel[k0] + f * wheel[k1]
            col = radius <= 1 ? 1 - radius * (1 - col) : col * 0.75
            for c in 0..<3 { out[3 * i + c] = UInt8(max(0, min(255, (255 * col[c]).rounded()))) }
        }
        return out
    }
}
