/// Sending vst messages directly; receiving stays `[[UInt8]]` so that a decode failure
/// (`DecodeError`) and a socket failure (`SocketError`) reach the caller separately: the first
/// is counted and dropped, the second ends the loop.
extension Socket {
    /// DEALER side: the header frame, then the payload.
    public func send(_ message: Message) throws(SocketError) {
        try send(message.frames())
    }

    /// ROUTER side: the peer identity, then the message.
    public func send(_ envelope: Envelope) throws(SocketError) {
        try send(envelope.frames())
    }
}
