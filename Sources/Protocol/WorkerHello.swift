/// Who a worker is: the JSON part of READY (W->C). Lets the coordinator show workers by name and
/// refuse a worker built for another wire version with a clear reason.
public struct WorkerHello: Codable, Sendable, Equatable {
    /// Human-readable name, usually host name and process id.
    public var name: String
    /// Compute threads the worker renders with.
    public var threads: Int
    public var protocolVersion: UInt16
    /// The kinds of TASK beyond plain chunks this worker takes (`Feature`); nil from a worker
    /// older than the list, which takes none of them. The coordinator gives a worker only tasks it
    /// takes, so a farm upgraded one machine at a time keeps working.
    public var features: [String]?

    /// TASK kinds added after the first release of the wire format.
    public enum Feature {
        /// A chunk the worker encodes itself (`TaskSpec.segment`, answered with SEGMENT).
        public static let segment = "segment"
        /// A seam task (`TaskSpec.seam`).
        public static let seam = "seam"
        /// A `segment` chunk of a film that is stored turned or mirrored: the worker turns the
        /// clip's frames upright with `SegmentSpec.rotation` and `mirrored`, which a worker
        /// taking only `segment` would ignore, styling the picture on its side.
        public static let orientedSegment = "oriented-segment"
        /// A `segment` chunk of a film that is not BT.709 limited range (BT.601, full range,
        /// untagged SD, ...): the worker converts and tags with `SegmentSpec.colour`, which a
        /// worker taking only `segment` would ignore, encoding BT.709 limited: its colours would
        /// shift and its segment would not join the others.
        public static let colourSegment = "colour-segment"
        /// A chunk whose last frames are held toward the next keyframe (`TaskSpec.hold`): its
        /// TASK carries one input frame and one render more, which an older worker would
        /// render as a frame of its own or ignore.
        public static let keyframeHold = "keyframe-hold"
        /// A `reconet` chunk with `ReCoNetParameters.stabilize`: the worker blends each frame with
        /// the previous output carried by the flow, which a worker without it would ignore,
        /// rendering unsteady frames.
        public static let stabilize = "reconet-stabilize"
        /// A keyframe task that starts from the previous keyframe (`TaskSpec.keyframeFrom`): its
        /// TASK carries that keyframe's input frame before its own and its render as the warm
        /// start, which an older worker would refuse as a malformed range.
        public static let keyframeChain = "keyframe-chain"
        /// What this build takes.
        public static let all = [segment, seam, orientedSegment, colourSegment, keyframeHold, stabilize, keyframeChain]
    }

    public init(name: String, threads: Int, protocolVersion: UInt16 = MessageHeader.currentVersion,
                features: [String]? = Feature.all) {
        self.name = name
        self.threads = threads
        self.protocolVersion = protocolVersion
        self.features = features
    }

    public func takes(_ feature: String) -> Bool { features?.contains(feature) ?? false }
}
