import Foundation
import HTTPTypes
import Testing

/// `vst-coord serve --http` with two workers and a sleep job, all on 127.0.0.1, read over real
/// HTTP while the job runs: pages, API, previews and metrics answer with the running job's
/// data, counters move, controls refuse without the token and work with it.
@Suite(.serialized) struct DashboardServeTests {
    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] { try #require(JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) }
    }

    /// One request with curl (body to a file, so images stay bytes), bounded to 10 s.
    static func request(_ port: Int, _ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:]) throws -> Reply {
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("vst-http-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        var arguments = ["-s", "--max-time", "10", "-X", method.rawValue, "-o", bodyFile.path, "-D", "-"]
        for field in headers { arguments += ["-H", "\(field.name.rawName): \(field.value)"] }
        let result = try ChildProcess.run("/usr/bin/curl", arguments + ["http://127.0.0.1:\(port)\(uri)"], timeout: .seconds(15))
        guard result.status == 0 else { throw Tools.ToolError.failed("curl \(uri): exit \(result.status.map(String.init) ?? "?"): \(result.stderr)") }
        let lines = result.stdout.components(separatedBy: "\r\n")
        let code = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var fields = HTTPFields()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(String(line[..<colon])) else { continue }
            fields.append(HTTPField(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return Reply(status: .init(code: code), headers: fields, body: Array((try? Data(contentsOf: bodyFile)) ?? Data()))
    }

    /// Synchronous, as the other end-to-end tests are: an async test waiting on `Task.sleep`
    /// can be starved of the cooperative pool's threads by them for longer than the job lasts.
    @Test func aRunningJobSeenOverHTTP() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 64)
        let workerEndpoint = "tcp://127.0.0.1:\(FreePort.pick())", control = "tcp://127.0.0.1:\(FreePort.pick())", port = FreePort.pick()
        let data = folder.appendingPathComponent("data")
        let serve = try ChildProcess(Tools.vstCoord, ["serve", "--bind", workerEndpoint, "--control", control, "--data", data.path,
                                                      "--insecure", "--http", ":\(port)"])
        defer { serve.kill() }
        let workers = try (0..<2).map { _ in try ChildProcess(Tools.vstWorker, ["--connect", workerEndpoint, "--insecure"]) }
        defer { workers.forEach { $0.kill() } }
        let submit = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "sleep:250", "--chunk", "8", "--overlap", "2", "--lossless",
                                                           "--coordinator", control, "--insecure", "--detach",
                                                           "--out", folder.appendingPathComponent("out.mkv").path], timeout: .seconds(20))
        #expect(submit.status == 0 && submit.stdout == "1\n", "\(submit.stderr) | \(serve.stderr)")

        // Wait (bounded) until frames are stored, then read everything mid-job.
        let deadline = ContinuousClock.now + .seconds(30)
        var job: [String: Any] = [:], trouble = ""
        while ContinuousClock.now < deadline {
            do {
                let reply = try Self.request(port, "/api/jobs/1")
                job = try reply.json()
                if (job["latest"] as? [String: Any]) != nil && job["state"] as? String == "running" { break }
            } catch {
                trouble = "\(error)"
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(job["state"] as? String == "running", "\(job) \(trouble) | \(serve.stderr)")
        #expect(job["framesTotal"] as? Int == 64 && (job["chunks"] as? [Any])?.count == 8)
        let latest = try #require(job["latest"] as? [String: Any])
        let metricsBefore = try PrometheusText.parse(try Self.request(port, "/metrics").text)

        let jobs = try Self.request(port, "/api/jobs")
        #expect(try jobs.status == .ok && (jobs.json()["jobs"] as? [[String: Any]])?.first?["id"] as? Int == 1)
        let page = try Self.request(port, "/jobs/1")
        #expect(page.status == .ok && page.text.contains("data-job=\"1\"") && page.headers[.contentType]?.hasPrefix("text/html") == true)
        for uri in ["/", "/workers", "/assets/dashboard.js", "/assets/dashboard.css"] {
            #expect(try Self.request(port, uri).status == .ok, "\(uri)")
        }
        let styled = try Self.request(port, "/api/jobs/1/preview/styled.jpg")
        #expect(styled.status == .ok && styled.body.prefix(2) == [0xFF, 0xD8])
        let frame = try #require(styled.headers[HTTPField.Name("X-VST-Frame")!].flatMap { Int($0) })
        // With two workers the newest render may be an earlier frame of another chunk, so the
        // preview's frame is checked against what the chunks have delivered, not against `latest`.
        #expect(latest["frame"] is Int)
        let delivered = try #require(try Self.request(port, "/api/jobs/1").json()["chunks"] as? [[String: Any]])
        #expect(delivered.contains { chunk in
            guard let start = chunk["renderStart"] as? Int, let count = chunk["framesDelivered"] as? Int else { return false }
            return (start..<start + count).contains(frame)
        }, "frame \(frame) is not among the delivered frames: \(delivered)")
        let original = try Self.request(port, "/api/jobs/1/preview/input.jpg?frame=\(frame)")
        #expect(original.status == .ok && original.body.prefix(2) == [0xFF, 0xD8])
        let plot = try Self.request(port, "/api/jobs/1/warping-error.png")
        #expect(try plot.status == .notFound && (plot.json()["error"] as? String)?.hasPrefix("not available") == true)
        let workerList = try Self.request(port, "/api/workers").json()
        let connected = try #require(workerList["workers"] as? [[String: Any]])
        #expect(connected.count == 2)
        #expect(connected.allSatisfy { ($0["address"] as? String)?.hasPrefix("127.0.0.1") == true }, "\(connected)")
        #expect(connected.contains { $0["state"] as? String == "busy" && $0["chunk"] != nil })

        // Controls: refused without the token (and with a wrong one), carried out with it.
        #expect(try Self.request(port, "/api/jobs/1/pause", method: .post).status == .unauthorized)
        #expect(try Self.request(port, "/api/jobs/1/pause", method: .post,
                                       headers: [.authorization: "Bearer not-the-token-0000"]).status == .unauthorized)
        let token = try String(contentsOf: data.appendingPathComponent("http-token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let auth: HTTPFields = [.authorization: "Bearer \(token)"]
        let paused = try Self.request(port, "/api/jobs/1/pause", method: .post, headers: auth)
        #expect(try paused.status == .ok && (paused.json()["state"] as? String) == "paused", "\(paused.text)")
        #expect(try Self.request(port, "/api/jobs/1/resume", method: .post, headers: auth).json()["state"] as? String == "running")
        #expect(try Self.request(port, "/api/jobs/1/bogus", method: .post, headers: auth).status == .notFound)

        // The job finishes; the counters moved and the workers' chunk logs are among its events.
        var state = ""
        let end = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < end && state != "done" {
            state = (try? Self.request(port, "/api/jobs/1").json()["state"] as? String) ?? ""
            if state != "done" { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(state == "done", "\(serve.stderr)")
        let metricsAfter = try PrometheusText.parse(try Self.request(port, "/metrics").text)
        for name in ["vst_frames_stored_total", "vst_frames_stitched_total", "vst_bytes_received_total", "vst_bytes_sent_total"] {
            let before = PrometheusText.value(metricsBefore, name) ?? -1, after = PrometheusText.value(metricsAfter, name) ?? -1
            #expect(after > before, "\(name): \(before) -> \(after)")
        }
        #expect(PrometheusText.value(metricsAfter, "vst_frames_stitched_total") == 64)
        #expect(PrometheusText.value(metricsAfter, "vst_jobs", ["state": "done"]) == 1)
        let events = try #require(try Self.request(port, "/api/jobs/1").json()["events"] as? [[String: Any]])
        #expect(events.contains { $0["kind"] as? String == "worker-info" && ($0["detail"] as? String)?.contains("frames/s") == true }, "\(events)")
        #expect(events.contains { $0["kind"] as? String == "paused" })

        workers.forEach { $0.terminate() }
        for worker in workers { #expect(worker.wait(timeout: .seconds(10)) == 0) }
        serve.terminate()
        #expect(serve.wait(timeout: .seconds(10)) == 0)
        #expect(!serve.stderr.contains("error"), "\(serve.stderr)")
    }

    /// A job without overlap is encoded by its workers, so the coordinator holds no render: the
    /// preview is the last frame of the newest segment stored, decoded from it.
    @Test func aJobEncodedByItsWorkersPreviewsItsNewestSegment() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 64 frames of 150 ms on one worker: still running well after its first segment.
        let input = try Tools.syntheticClip(in: folder, frames: 64)
        let workerEndpoint = "tcp://127.0.0.1:\(FreePort.pick())", control = "tcp://127.0.0.1:\(FreePort.pick())", port = FreePort.pick()
        let serve = try ChildProcess(Tools.vstCoord, ["serve", "--bind", workerEndpoint, "--control", control, "--data",
                                                      folder.appendingPathComponent("data").path, "--insecure", "--http", ":\(port)"])
        defer { serve.kill() }
        let worker = try ChildProcess(Tools.vstWorker, ["--connect", workerEndpoint, "--insecure"])
        defer { worker.kill() }
        let submit = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "sleep:150", "--chunk", "8", "--overlap", "0",
                                                           "--lossless", "--coordinator", control, "--insecure", "--detach",
                                                           "--out", folder.appendingPathComponent("out.mkv").path], timeout: .seconds(20))
        #expect(submit.status == 0, "\(submit.stderr) | \(serve.stderr)")
        var latest: [String: Any]?, state = ""
        let deadline = ContinuousClock.now + .seconds(60)
        while latest == nil && ContinuousClock.now < deadline {
            if let job = try? Self.request(port, "/api/jobs/1").json() {
                latest = job["latest"] as? [String: Any]
                state = job["state"] as? String ?? ""
            }
            if latest == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let frame = try #require(latest?["frame"] as? Int, "\(serve.stderr)")
        #expect(state == "running" && (frame + 1) % 8 == 0, "frame \(frame) should end a chunk of 8")
        let styled = try Self.request(port, "/api/jobs/1/preview/styled.jpg")
        #expect(styled.status == .ok && styled.body.prefix(2) == [0xFF, 0xD8], "\(styled.text)")
        #expect(styled.headers[HTTPField.Name("X-VST-Frame")!] == "\(frame)")
        serve.terminate()
        #expect(serve.wait(timeout: .seconds(10)) == 0)
        #expect(serve.stderr.contains("workers encode their own segments") && !serve.stderr.contains("error"), "\(serve.stderr)")
    }

    @Test func badHTTPOptionsAreOneErrorLine() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (arguments, message) in [(["--http", "8080"], "error: --http 8080 is not HOST:PORT"),
                                     (["--http", ":99999"], "error: --http :99999 is not HOST:PORT"),
                                     (["--http-token", "/nonexistent"], "error: --http-token needs --http"),
                                     (["--http", ":0", "--http-token", folder.appendingPathComponent("none").path], "cannot read the token file"),
                                     (["--log-level", "loud"], "error: --log-level loud is not one of")] {
            let result = try ChildProcess.run(Tools.vstCoord, ["serve", "--bind", "tcp://127.0.0.1:\(FreePort.pick())", "--control",
                                                               "tcp://127.0.0.1:\(FreePort.pick())", "--data", folder.path, "--insecure"] + arguments,
                                              timeout: .seconds(20))
            #expect(result.status == 2 && result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }
}
