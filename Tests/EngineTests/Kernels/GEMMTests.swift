import Testing
@testable import Engine

@Suite struct GEMMTests {
    @Test func multiplyMatchesNaiveLoopWithTransposes() {
        var seed: UInt64 = 12345
        func next() -> Float {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: seed >> 11) % 2000) / 1000 - 1
        }
        let m = 5, n = 7, k = 3
        let a = (0..<(m * k)).map { _ in next() }   // stored k x m (transposed)
        let b = (0..<(k * n)).map { _ in next() }   // stored k x n
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            GEMM.multiply(transposeA: true, m: m, n: n, k: k, a: ap.baseAddress!, lda: m,
                          b: bp.baseAddress!, ldb: n, c: cp.baseAddress!, ldc: n)
        } } }
        for i in 0..<m { for j in 0..<n {
            var s: Double = 0
            for p in 0..<k { s += Double(a[p * m + i]) * Double(b[p * n + j]) }
            #expect(abs(Double(c[i * n + j]) - s) < 1e-5)
        } }
    }
}
