/// Vectorised loops over raw Float buffers, shared by the layers.
///
/// Swift's scalar loops do not always vectorise; spelling them with `SIMD8<Float>` gets AVX2 code
/// (the package builds for haswell) without relying on the optimiser.
enum Elementwise {
    /// dst[i] += src[i]
    @inline(__always)
    static func add(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
        while i + 8 <= count {
            let a = s.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let b = d.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            d.storeBytes(of: a + b, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { dst[i] += src[i]; i += 1 }
    }

    /// dst[i] = a[i] + b[i]
    @inline(__always)
    static func sum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                    into dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let pa = UnsafeRawPointer(a), pb = UnsafeRawPointer(b), d = UnsafeMutableRawPointer(dst)
        while i + 8 <= count {
            let x = pa.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let y = pb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            d.storeBytes(of: x + y, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { dst[i] = a[i] + b[i]; i += 1 }
    }

    /// dst[i] += value
    @inline(__always)
    static func addScalar(_ value: Float, to dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let d = UnsafeMutableRawPointer(dst)
        let v = SIMD8<Float>(repeating: value)
        while i + 8 <= count {
            let b = d.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            d.storeBytes(of: b + v, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { dst[i] += value; i += 1 }
    }

    /// The sum of src[0..<count], accumulated in SIMD lanes and then in Double.
    @inline(__always)
    static func total(_ src: UnsafePointer<Float>, count: Int) -> Double {
        var i = 0
        let s = UnsafeRawPointer(src)
        var acc = SIMD8<Float>(repeating: 0)
        var result: Double = 0
        while i + 8 <= count {
            acc += s.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
            if i & 4095 == 0 { result += Double(acc.sum()); acc = .zero }
        }
        result += Double(acc.sum())
        while i < count { result += Double(src[i]); i += 1 }
        return result
    }
}
