/// Reusable scratch memory for convolution bands (im2col columns, Winograd tiles). Each slot grows
/// to its largest request and is kept, so repeated iterations allocate nothing. Not thread-safe:
/// layers that share one must not run at the same time.
public final class ConvWorkspace: @unchecked Sendable {
    private var slots: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)?] = [nil, nil, nil, nil]

    public init() {}

    /// Bytes currently held.
    public var byteCount: Int { slots.reduce(0) { $0 + ($1?.capacity ?? 0) * 4 } }

    /// At least `count` floats in slot `slot` (0..<4: 0 im2col, 1-3 Winograd), valid until the next call for that slot.
    func buffer(_ slot: Int = 0, count: Int) -> UnsafeMutablePointer<Float> {
        if let s = slots[slot], s.capacity >= count { return s.pointer }
        slots[slot]?.pointer.deallocate()
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
        let p = raw.bindMemory(to: Float.self, capacity: max(1, count))
        slots[slot] = (p, count)
        return p
    }

    deinit { for s in slots { s?.pointer.deallocate() } }
}
