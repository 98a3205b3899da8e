/// The one-byte `flags` field of `MessageHeader`.
///
/// Version 1 defines no flag: every payload layout is fixed by the kind alone (frames carry their
/// own LZ4 block, see `FramePayload`). Senders write 0; receivers ignore bits they do not know, so
/// a later version can add an optional flag without a version bump. A flag that changes how a
/// payload must be read needs a new `MessageHeader.currentVersion` instead.
public struct MessageFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
}
