import Coordinator
import Foundation
import HTTPTypes
import Hummingbird
import Media
import Protocol

/// The JSON API (docs/api.md) and the images the pages show: jobs, one job with its chunks,
/// frame strip and events, workers, the latest render beside its input frame, the
/// warping-error plot, and the controls. Reads come from the latest snapshot and the
/// read-only job store; controls go through `ControlInbox` to the loop.
struct DashboardAPI {
    let state: DashboardState

    func register(on router: Router<DashboardRequestContext>) {
        router.get("/api/jobs") { _, _ in
            guard let snapshot = state.snapshot else { return notReady }
            return JSONResponse.ok(["jobs": snapshot.jobs.map { JobDocument($0, detailed: false) }])
        }
        router.get("/api/jobs/:id") { _, context in
            let found = job(context)
            guard case .success(let job) = found else { return found.failure! }
            let id = job.status.job
            let events = state.store?.events(of: id) ?? []
            let plot = FileManager.default.fileExists(atPath: state.errorPlotPath(of: id))
            return JSONResponse.ok(JobDocument(job, detailed: true, errorPlot: plot, events: events))
        }
        router.get("/api/workers") { _, _ in
            guard let snapshot = state.snapshot else { return notReady }
            return JSONResponse.ok(WorkersDocument(workers: snapshot.workers.map { .init(worker: $0, keyName: $0.key.flatMap { state.keyNames[$0] }) },
                                                   history: state.store?.workers() ?? []))
        }
        router.get("/api/jobs/:id/preview/styled.jpg") { _, context in
            let found = job(context)
            guard case .success(let job) = found else { return found.failure! }
            if job.latestStored == nil, let segment = job.latestSegment {
                // Workers encode this job: its newest segment's last frame stands for the render.
                do {
                    let jpeg = try state.segmentFrames.jpeg(job: job.status.job, path: segment.path)
                    return JSONResponse.body(jpeg, type: "image/jpeg", extra: [frameHeader: "\(segment.frame)"])
                } catch {
                    return JSONResponse.error(.notFound, "frame \(segment.frame) is no longer available: \(error)")
                }
            }
            guard let latest = job.latestStored else { return JSONResponse.error(.notFound, "job \(job.status.job) has no stored frame yet") }
            do {
                let frame = try FramePayload.decode(latest.payload)
                let jpeg = try ImageIO.encode(RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels), as: .jpeg)
                return JSONResponse.body(jpeg, type: "image/jpeg", extra: [frameHeader: "\(latest.frame)"])
            } catch {
                return JSONResponse.error(.internalServerError, "frame \(latest.frame): \(error)")
            }
        }
        router.get("/api/jobs/:id/preview/input.jpg") { request, context in
            let found = job(context)
            guard case .success(let job) = found else { return found.failure! }
            let first = job.request.start, last = job.request.start + job.strip.frameCount - 1
            guard let text = request.uri.queryParameters["frame"], let frame = Int(text), (first...max(first, last)).contains(frame) else {
                return JSONResponse.error(.badRequest, "?frame= must be an input frame of job \(job.status.job), \(first)...\(last)")
            }
            do {
                let jpeg = try state.inputFrames.jpeg(job: job.status.job, path: job.request.input, height: job.height, frame: frame)
                return JSONResponse.body(jpeg, type: "image/jpeg", extra: [frameHeader: "\(frame)"])
            } catch {
                return JSONResponse.error(.internalServerError, "input frame \(frame): \(error)")
            }
        }
        router.get("/api/jobs/:id/warping-error.png") { _, context in
            let found = job(context)
            guard case .success(let job) = found else { return found.failure! }
            let path = state.errorPlotPath(of: job.status.job)
            guard let data = FileManager.default.contents(atPath: path) else {
                return JSONResponse.error(.notFound, "not available: no warping-error plot for job \(job.status.job) (\(path))")
            }
            return JSONResponse.body(data, type: "image/png")
        }
        for action in ControlRequest.Action.allCases {
            router.post("/api/jobs/:id/\(action.rawValue)") { request, context in
                guard let id = context.parameters.get("id", as: UInt32.self) else { return badID(context) }
                var priority: Int?
                if action == .priority {
                    guard let value = await requestedPriority(request) else {
                        return JSONResponse.error(.badRequest, #"a priority needs a body {"priority": N} or ?value=N"#)
                    }
                    priority = value
                }
                switch await state.inbox.submit(.init(job: id, action: action, priority: priority)) {
                case .success(let status): return JSONResponse.ok(status)
                case .failure(let error):
                    let unknown = state.snapshot.map { $0.job(id) == nil } ?? false
                    return JSONResponse.error(unknown ? .notFound : .conflict, error.description)
                }
            }
        }
    }

    // MARK: Helpers

    /// Header on preview images: the absolute frame they show.
    let frameHeader = HTTPField.Name("X-VST-Frame")!

    private var notReady: Response { JSONResponse.error(.serviceUnavailable, "the coordinator has not published its state yet") }

    private func badID(_ context: DashboardRequestContext) -> Response {
        JSONResponse.error(.badRequest, "job id \(context.parameters.get("id") ?? "") is not a number")
    }

    /// The job named in the path, or the response that says why there is none.
    private func job(_ context: DashboardRequestContext) -> Lookup {
        guard let id = context.parameters.get("id", as: UInt32.self) else { return .failure(badID(context)) }
        guard let snapshot = state.snapshot else { return .failure(notReady) }
        guard let job = snapshot.job(id) else { return .failure(JSONResponse.error(.notFound, "no job \(id)")) }
        return .success(job)
    }

    enum Lookup {
        case success(FarmSnapshot.Job)
        case failure(Response)
        var failure: Response? { if case .failure(let response) = self { return response }; return nil }
    }

    private func requestedPriority(_ request: Request) async -> Int? {
        if let text = request.uri.queryParameters["value"] { return Int(text) }
        guard let body = try? await request.body.collect(upTo: 4096) else { return nil }
        struct Body: Decodable { var priority: Int }
        return (try? JSONDecoder().decode(Body.self, from: Data(body.readableBytesView)))?.priority
    }
}

/// `GET /api/workers`: the connected workers, and every connection the store remembers.
struct WorkersDocument: Encodable {
    /// A connected worker with the note its key has in `--authorized`, when it has one.
    struct Worker: Encodable {
        var worker: FarmSnapshot.Worker
        var keyName: String?

        private enum Keys: String, CodingKey { case keyName }

        func encode(to encoder: any Encoder) throws {
            try worker.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encodeIfPresent(keyName, forKey: .keyName)
        }
    }

    var workers: [Worker]
    var history: [JobStoreReader.WorkerRecord]
}
