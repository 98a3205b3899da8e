/// Moving images in and out of a batch (training feeds two consecutive frames at once; the
/// layers loop over the batch dimension).
extension Tensor {
    /// Tensors of equal shape [1, c, h, w] (or [c, h, w]) stacked into one [n, c, h, w] batch.
    public init(stacking items: [Tensor]) {
        precondition(!items.isEmpty, "Tensor(stacking:): nothing to stack")
        let first = items[0].shape
        let itemShape = first.count == 4 && first[0] == 1 ? Array(first.dropFirst()) : first
        precondition(itemShape.count == 3, "Tensor(stacking:): expected [1, c, h, w] or [c, h, w] items, got \(first)")
        let each = items[0].count
        self.init(uninitializedShape: [items.count] + itemShape)
        let base = storage.pointer
        for (i, item) in items.enumerated() {
            precondition(item.shape == first, "Tensor(stacking:): shapes \(first) and \(item.shape) differ")
            item.withUnsafeBufferPointer { (base + i * each).update(from: $0.baseAddress!, count: each) }
        }
    }

    /// Image `index` of an NCHW batch, as a [1, c, h, w] tensor (a copy).
    public func batchItem(_ index: Int) -> Tensor {
        precondition(shape.count == 4 && index >= 0 && index < shape[0],
                     "Tensor.batchItem: index \(index) outside batch of shape \(shape)")
        let each = count / shape[0]
        var item = Tensor(uninitializedShape: [1] + shape.dropFirst())
        withUnsafeBufferPointer { src in
            item.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: src.baseAddress! + index * each, count: each) }
        }
        return item
    }
}
