/// A message as a ROUTER socket sees it: ZeroMQ prepends the sending peer's identity on receive
/// and routes on the first frame on send. The coordinator keeps `peer` to answer that worker or
/// client; no empty delimiter frame is used (peers are DEALERs, not REQs).
public struct Envelope: Sendable, Equatable {
    public var peer: [UInt8]
    public var message: Message

    public init(peer: [UInt8], message: Message) {
        self.peer = peer
        self.message = message
    }

    /// Identity frame, then the message's frames: what a ROUTER sends.
    public func frames() -> [[UInt8]] {
        [peer] + message.frames()
    }

    /// Splits off the identity frame, then decodes the rest as a `Message`.
    public static func decode(_ frames: [[UInt8]]) throws(DecodeError) -> Envelope {
        guard frames.count >= 2, !frames[0].isEmpty else { throw frames.isEmpty ? .noFrames : .missingPeer }
        return Envelope(peer: frames[0], message: try Message.decode(Array(frames.dropFirst())))
    }
}
