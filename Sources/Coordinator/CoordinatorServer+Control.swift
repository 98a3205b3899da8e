import Protocol

extension CoordinatorServer {
    /// One request on the client channel (`--control`): SUBMIT queues a job, STATUS reports one
    /// job or all, CONTROL acts on one; every request gets one reply, an ERROR line when it
    /// fails, and a malformed one is counted and answered too (a client waits for its reply).
    func handleClient(_ frames: [[UInt8]], on socket: Socket) {
        let envelope: Envelope
        do { envelope = try Envelope.decode(frames) } catch {
            dropMalformed("from a client: \(error)")
            return
        }
        let message = envelope.message
        func reply(_ answer: Message) {
            let frames = Envelope(peer: envelope.peer, message: answer).frames()
            if (try? socket.send(frames)) != nil { counters.sent(frames) }
        }
        switch message.kind {
        case .submit:
            do {
                let request = try message.decodeSubmit()
                do {
                    let id = try addJob(request, priority: request.priority ?? 0)
                    reply(.accepted(job: id))
                } catch {
                    reply(.error(error.description))
                }
            } catch {
                dropMalformed("SUBMIT: \(error)")
                reply(.error("malformed submit: \(error)"))
            }
        case .status:
            if message.header.job == 0 {
                // Every job, with the chunks being rendered (for the table of busy workers).
                reply(.statusReply(order.compactMap { id in
                    detailedStatus(of: id).map { status in
                        var status = status
                        status.chunks = status.chunks?.filter { $0.worker != nil }
                        if status.chunks?.isEmpty ?? true { status.chunks = nil }
                        return status
                    }
                }))
            } else if let status = detailedStatus(of: message.header.job) {
                reply(.statusReply([status]))
            } else {
                reply(.error("no job \(message.header.job)", job: message.header.job))
            }
        case .control:
            do {
                let request = try message.decodeControl()
                do { reply(.controlReply(try control(message.header.job, request.action, priority: request.priority))) } catch {
                    reply(.error(error.description, job: message.header.job))
                }
            } catch {
                dropMalformed("CONTROL: \(error)")
                reply(.error("malformed control request: \(error)"))
            }
        default:
            dropMalformed("\(message.kind) is not a client-channel request")
            reply(.error("\(message.kind) is not a request"))
        }
    }
}
