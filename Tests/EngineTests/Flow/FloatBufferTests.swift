import Testing
@testable import Engine

@Suite struct FloatBufferTests {
    @Test func paddingIsZeroAndRecycledBuffersComeBackZeroed() {
        let pool = FloatBufferPool()
        let a = pool.take(13)
        for i in 0..<13 { a.pointer[i] = Float(i + 1) }
        for i in 1...FloatBuffer.padding { #expect(a.pointer[-i] == 0 && a.pointer[12 + i] == 0) }
        pool.recycle([a])
        let b = pool.take(13)
        #expect(b === a)
        #expect(b.array == [Float](repeating: 0, count: 13))
        pool.recycle([b])
        pool.drain()
        #expect(pool.take(13) !== a)
    }
}
