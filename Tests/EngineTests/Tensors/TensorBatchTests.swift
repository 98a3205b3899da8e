import Testing
@testable import Engine

@Suite struct TensorBatchTests {
    @Test func stackingAndTakingApartRoundTrips() {
        var rng = SplitMix64(seed: 81)
        let a = Tensor.random([1, 2, 3, 4], using: &rng), b = Tensor.random([1, 2, 3, 4], using: &rng)
        let batch = Tensor(stacking: [a, b])
        #expect(batch.shape == [2, 2, 3, 4])
        #expect(batch.batchItem(0) == a)
        #expect(batch.batchItem(1) == b)
        #expect(Array(batch.scalars[24...]) == b.scalars)
        let chw = Tensor(stacking: [a.reshaped([2, 3, 4])])
        #expect(chw == a)
    }
}
