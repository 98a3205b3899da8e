import Testing
@testable import Engine

@Suite struct TensorTests {
    @Test func copiesAreValuesEvenThoughTheyShareStorage() {
        let a = Tensor(shape: [1, 2, 2, 3], scalars: (0..<12).map(Float.init))
        var b = a
        b[5] = -1
        #expect(a[5] == 5)
        #expect(b[5] == -1)
        #expect(a.n == 1 && a.c == 2 && a.h == 2 && a.w == 3)
        let r = a.reshaped([4, 3])
        #expect(r.shape == [4, 3])
        #expect(r.scalars == a.scalars)
    }

    @Test func layerCacheIsUnaffectedByCallerWrites() {
        var x = Tensor(shape: [1, 1, 2, 2], scalars: [1, -2, 3, -4])
        let relu = ReLU()
        var y = relu.forward(x)
        y[0] = -100       // the caller edits its copy of the output...
        x[1] = 100        // ...and its input
        let dx = relu.backward(Tensor(shape: [1, 1, 2, 2], repeating: 1))
        #expect(dx.scalars == [1, 0, 1, 0])
    }
}
