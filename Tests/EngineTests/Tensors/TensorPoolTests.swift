import Testing
@testable import Engine

@Suite struct TensorPoolTests {
    @Test func freedBuffersAreReusedAndTheLimitHolds() {
        let pool = TensorPool()
        pool.limitBytes = 3 * 20_000 * 4
        let a = pool.take(count: 20_000)
        pool.give(a, count: 20_000)
        #expect(pool.pooledBytes == 80_000)
        let b = pool.take(count: 20_000)
        #expect(b == a)
        #expect(pool.pooledBytes == 0)
        let others = (0..<4).map { _ in pool.take(count: 20_000) }
        pool.give(b, count: 20_000)
        for p in others { pool.give(p, count: 20_000) }
        #expect(pool.pooledBytes == 3 * 80_000)
        let small = pool.take(count: 10)
        pool.give(small, count: 10)
        #expect(pool.pooledBytes == 3 * 80_000)
        pool.drain()
        #expect(pool.pooledBytes == 0)
    }
}
