import ArgumentParser
import Coordinator
import Dashboard
import Engine
import Foundation
import Logging
import Protocol
import ToolSupport

@main struct VSTCoord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vst-coord", abstract: "The vst render farm's coordinator.",
        discussion: """
        Links are encrypted and authenticated with CURVE by default: make key pairs with `keygen`, give the \
        coordinator its key and the workers' and clients' public keys (--key, --authorized), and each worker \
        and client its own key and the coordinator's public key (--key, --server-key). --insecure means plain \
        TCP, allowed only on loopback unless --force-insecure.
        """,
        subcommands: [Submit.self, Serve.self, Status.self, Cancel.self, Pause.self, Resume.self, Retry.self, Priority.self, Keygen.self, BenchScale.self])

    /// Every failure prints one `error:` line; exit 2 for bad input or usage, 1 otherwise
    /// (a `CoordinatorError` says which).
    static func main() {
        mainWithOneLineErrors { error in
            (error as? CoordinatorError).map { ($0.description, $0.exitCode) }
        }
    }
}

/// How a client tool secures its link to a coordinator.
struct ClientKeyOptions: ParsableArguments {
    @Option(help: "This client's secret key file (keygen's PATH.key, mode 0600).") var key: String?
    @Option(help: "The coordinator's public key file (its PATH.pub).") var serverKey: String?
    @Flag(help: "Plain TCP without encryption; loopback only.") var insecure = false
    @Flag(help: "Plain TCP without encryption on any address (a trusted network).") var forceInsecure = false

    var security: LinkSecurity { LinkSecurity(key: key, serverKey: serverKey, insecure: insecure, forceInsecure: forceInsecure) }
}

/// Options shared by the commands that talk to a running coordinator's client channel.
struct ClientOptions: ParsableArguments {
    @Option(help: "Client (control) endpoint of the coordinator.") var coordinator = "tcp://127.0.0.1:5556"
    @OptionGroup var keys: ClientKeyOptions
}

extension VSTCoord {
    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Style a film: with local workers, or on a running coordinator (--coordinator).",
            discussion: """
            Without --coordinator, an embedded coordinator listens on 127.0.0.1 and starts --local-workers \
            vst-worker processes (found next to vst-coord). With --coordinator, paths are sent as absolute \
            paths and must be readable (input, styles) and writable (output) by the coordinator's host. \
            Environment: VST_WORKER_LEASE_MS overrides the worker lease (default \(Liveness.workerLease.millisecondsText)).
            """)
        @Argument(help: "The film to style, or an image sequence of PNG or TIFF frames (shot/%04d.png; needs --fps).") var input: String
        @Option(help: "Output film (.mkv, .mp4, .mov, .webm or .avi), or PNG frames (styled/%04d.png: numbered as the input's frames, 16-bit when the input is).") var out: String
        @Option(help: "Frame rate of an image-sequence input: 24, 25, 30000/1001, 23.976 (required for one; a film keeps its own).") var fps: String?
        @Option(help: "Style image (repeatable).") var style: [String] = []
        @Option(help: "Comma-separated weight per style image (default: equal).") var styleWeights: String?
        @Option(help: "gatys, reconet, copy or sleep:MS (copy after MS per frame, for tests).") var method = "gatys"
        @Option(help: "ReCoNet model file: what method reconet renders with; with gatys, what starts each chunk's first frame (default: a model in the models folder trained on a style picture of the same name, for a single --style; none: the content).") var model: String?
        @Option(help: "Output height in pixels (width keeps the aspect ratio; default: the input's).") var height: Int?
        @Option(help: "First input frame to render.") var start = 0
        @Option(help: "Number of frames to render (default: to the end).") var frames: Int?
        @Option(help: "Frames per chunk.") var chunk = ChunkPlan.defaultChunkFrames
        @Option(help: "Frames each chunk also renders before its own, for stitching; with --handover keyframe, twice as many of the chunk's last frames are held toward the next keyframe (default 4; 0 for reconet).") var overlap: Int?
        @Option(help: "How chains hand over between chunks: stitch (overlaps stitched, seam tasks) or keyframe (each chunk's first frame rendered first, chains start from it and end held toward the next) (gatys; default keyframe for a chained gatys job, stitch with --init or a seam option).") var handover: Handover?
        @Option(help: "Frames after each overlap the stitch goes on carrying the earlier chunk's look into (default: the overlap, at most chunk - overlap).") var seamTail: Int?
        @Flag(inversion: .prefixedNo, help: "Re-optimise each boundary's overlap and tail frames in a seam task on any free worker, from their stitch, held to both neighbours (gatys; default: on, off with --init or no overlap).") var seamRefine: Bool?
        @Option(help: "Optimiser iterations of a chunk's first frame (gatys; default \(gatysDefaults.iterations)).") var iters: Int?
        @Option(help: "Iterations of every later frame (gatys; default \(gatysDefaults.iterationsNext)).") var itersNext: Int?
        @Option(help: "Render a chunk's first frame at half size for this many iterations first, then at full size from that render enlarged; 0: full size only (gatys; default \(gatysDefaults.coarseIterations)).") var coarseIters: Int?
        @Option(help: "Stop a frame once its loss fell by less than this share over --stop-window iterations; --iters and --iters-next are then caps, 0 spends them in full (gatys; default \(gatysDefaults.stopTolerance.formatted())).") var stopTolerance: Double?
        @Option(help: "Iterations --stop-tolerance's decrease is measured over (gatys; default \(gatysDefaults.stopWindow)).") var stopWindow: Int?
        @Option(help: "Keep an output pixel whose input changed by at most this many levels (0-255) since it was painted, so a still background stays still; 0 turns it off (gatys; default \(gatysDefaults.staticHold.formatted())).") var staticHold: Double?
        @Flag(inversion: .prefixedNo, help: "Start each chained frame's L-BFGS from the curvature the frame before ended with (gatys; default \(gatysDefaults.carryHistory ? "on" : "off")).") var carryHistory: Bool?
        @Option(help: "Weight of the short-term temporal loss, 0 for none (gatys; default \(gatysDefaults.temporalWeight.formatted())).") var temporalWeight: Double?
        @Option(help: "Comma-separated earlier frames each frame is held to, nearest first per pixel, e.g. 1,2,4 (gatys long-term consistency; default 1).") var longTerm: String?
        @Option(help: "Render each chunk this many times, alternately forward and backward (gatys multi-pass; default \(gatysDefaults.passes)).") var passes: Int?
        @Option(name: .customLong("init"), help: "Start of every frame: content, noise or an image path; nothing is warm-started when given (gatys; default: content for a chunk's first frame, the previous output carried by the flow for the others).") var initialization: String?
        @Option(help: "Weight of the content loss (gatys; default 1).") var contentWeight: Double?
        @Option(help: "Weight of the style loss (gatys; default 1e-3).") var styleWeight: Double?
        @Option(help: "Weight of the total-variation loss (gatys; default 0).") var tvWeight: Double?
        @Option(help: "Style images are resized to this times the output width (gatys; default \(gatysDefaults.styleScale.formatted())).") var styleScale: Double?
        @Option(help: "Keep the film's colours: luminance or histogram (gatys).") var originalColors: GatysParameters.OriginalColors?
        @Flag(help: "Blend each frame with the previous output carried by the optical flow where the flow is trusted: steadier, two flows per frame more (reconet).") var stabilize = false
        @Option(help: "Share of the carried previous output in a trusted pixel, \(ReCoNetParameters.strengthRange) (with --stabilize; default \(ReCoNetParameters.defaultStrength.formatted())).") var stabilizeStrength: Double?
        @Option(help: "Optical flow that carries the previous output: fast, balanced or accurate (with --stabilize; default \(ReCoNetParameters().flow.rawValue)).") var stabilizeFlow: GatysParameters.FlowQuality?
        @Option(help: "x264 constant rate factor, 0...51.") var crf = SubmitOptions.defaultCRF
        @Option(help: "x264 preset.") var preset = SubmitOptions.defaultPreset
        @Flag(help: "Encode losslessly: FFV1 in RGB, bit-exact frames (.mkv, .mov or .avi).") var lossless = false
        @Option(help: "Encode the frames where two chunks' segments meet this many quantiser steps finer, so joins show no compression step; 0 turns it off (x264; \(SubmitOptions.joinGains), default \(SubmitOptions.defaultJoinGain)).") var joinGain: Int?
        @Option(help: "Queue priority on a shared coordinator: higher gets workers first (default 0).") var priority = 0
        @Option(help: "Local worker processes without --coordinator (default: one per two cores).") var localWorkers: Int?
        @Option(help: "Compute threads per local worker (default: all cores).") var workerThreads: Int?
        @Option(help: "Client endpoint of a running coordinator, e.g. tcp://coord:5556.") var coordinator: String?
        @Flag(help: "Print the job id and return (with --coordinator).") var detach = false
        @Flag(help: "Log workers joining and leaving and chunks moving.") var verbose = false
        @Option(help: "Without --coordinator: bytes of renders the job may keep waiting for the encoder before chunks stop going out, e.g. 512M or 2G (default 1G).") var diskBudget: String?
        @OptionGroup(title: "Keys (with --coordinator; an embedded coordinator makes its own unless --insecure)") var keys: ClientKeyOptions

        func run() throws {
            var options = SubmitOptions(input: input, output: out)
            options.styles = style
            if let styleWeights {
                options.styleWeights = try SubmitOptions.list(styleWeights, option: "--style-weights", of: "numbers") { Double($0) }
            }
            options.method = method
            options.model = model
            options.height = height
            options.start = start
            options.frames = frames
            options.chunk = chunk
            options.overlap = overlap
            options.seamTail = seamTail
            options.seamRefine = seamRefine
            options.handover = handover
            if let iters { options.gatys.iterations = iters }
            if let itersNext { options.gatys.iterationsNext = itersNext }
            if let coarseIters { options.gatys.coarseIterations = coarseIters }
            if let stopTolerance { options.gatys.stopTolerance = stopTolerance }
            if let stopWindow { options.gatys.stopWindow = stopWindow }
            if let staticHold { options.gatys.staticHold = staticHold }
            if let carryHistory { options.gatys.carryHistory = carryHistory }
            if let temporalWeight { options.gatys.temporalWeight = temporalWeight }
            if let longTerm {
                options.gatys.longTerm = try SubmitOptions.list(longTerm, option: "--long-term", of: "frame distances") { Int($0) }
            }
            if let passes { options.gatys.passes = passes }
            options.initialization = initialization
            options.gatys.contentWeight = contentWeight
            options.gatys.styleWeight = styleWeight
            options.gatys.tvWeight = tvWeight
            if let styleScale { options.gatys.styleScale = styleScale }
            options.gatys.originalColors = originalColors
            options.stabilize = stabilize
            options.stabilizeStrength = stabilizeStrength
            options.stabilizeFlow = stabilizeFlow
            options.crf = crf
            options.preset = preset
            options.lossless = lossless
            options.joinGain = joinGain
            options.priority = priority
            options.fps = fps
            if let localWorkers, localWorkers < 1 { throw CoordinatorError.invalidOption("--local-workers must be at least 1") }
            var configuration = SubmitConfiguration(options: options)
            configuration.coordinator = coordinator
            configuration.detach = detach
            configuration.localWorkers = localWorkers
            configuration.workerThreads = workerThreads
            configuration.verbose = verbose
            configuration.diskBudget = try diskBudget.map(parseDiskBudget)
            configuration.security = keys.security
            try Coordinator.submit(configuration)
        }
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a long-lived coordinator with a job queue, until SIGTERM or SIGINT.",
            discussion: "Environment: VST_WORKER_LEASE_MS overrides the worker lease (default \(Liveness.workerLease.millisecondsText)).")
        @Option(help: "Endpoint workers connect to.") var bind = "tcp://*:5555"
        @Option(help: "Endpoint submit/status/cancel/... connect to.") var control = "tcp://*:5556"
        @Option(help: "Folder for the job store (vst.sqlite) and job folders.") var data: String
        @Option(help: "Seconds a worker may stay silent before its chunk moves (default \(Liveness.workerLease.secondsText); VST_WORKER_LEASE_MS also sets it).") var lease: Double?
        @Option(help: "The coordinator's secret key file (keygen's PATH.key, mode 0600).") var key: String?
        @Option(help: "Public keys of the workers and clients let in, one per line (not writable by others).") var authorized: String?
        @Flag(help: "Plain TCP without encryption; only with loopback endpoints.") var insecure = false
        @Flag(help: "Plain TCP without encryption on any address (a trusted network).") var forceInsecure = false
        @Option(help: "Serve the web dashboard, JSON API and /metrics on HOST:PORT (:8080 is 127.0.0.1:8080; off without it).") var http: String?
        @Option(help: "File whose first line is the dashboard's token (default: DATA/http-token, made when missing).") var httpToken: String?
        @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
        @Option(help: "Seconds between heartbeats to each worker (default \(Liveness.heartbeatInterval.secondsText)); start the workers with the same --heartbeat.") var heartbeat = Liveness.heartbeatInterval.seconds
        @Option(help: "Bytes of renders each job may keep waiting for the encoder before its chunks stop going out, e.g. 512M or 2G (default 1G).") var diskBudget: String?

        func run() throws {
            let security = LinkSecurity(key: key, authorized: authorized, insecure: insecure, forceInsecure: forceInsecure)
            if let lease, !(lease > 0) || !lease.isFinite { throw CoordinatorError.invalidOption("--lease must be a positive number of seconds") }
            guard heartbeat >= Liveness.heartbeatRange.lowerBound.seconds, heartbeat <= Liveness.heartbeatRange.upperBound.seconds else {
                throw CoordinatorError.invalidOption("--heartbeat must be between \(Liveness.heartbeatRange.lowerBound.secondsText) and \(Liveness.heartbeatRange.upperBound.secondsText) seconds")
            }
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw CoordinatorError.invalidOption("--log-level \(logLevel) is not one of trace, debug, info, notice, warning, error, critical")
            }
            if httpToken != nil && http == nil { throw CoordinatorError.invalidOption("--http-token needs --http") }
            var configuration = ServeConfiguration(bind: bind, control: control, dataDirectory: data,
                                                   lease: lease.map { .milliseconds(Int64($0 * 1000)) }, security: security)
            configuration.logLevel = level
            configuration.heartbeat = .milliseconds(Int64(heartbeat * 1000))
            configuration.diskBudget = try diskBudget.map(parseDiskBudget)
            try Dashboard.serve(configuration, dashboard: try http.map { try .init(address: HTTPAddress(parsing: $0), tokenFile: httpToken) })
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one job's state, or every job's.")
        @Argument(help: "Job id (default: all jobs).") var job: UInt32?
        @OptionGroup var client: ClientOptions
        func run() throws { try Coordinator.status(job: job, coordinator: client.coordinator, security: client.keys.security) }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a queued, running or paused job.")
        @Argument(help: "Job id.") var job: UInt32
        @OptionGroup var client: ClientOptions
        func run() throws { try Coordinator.control(job: job, action: .cancel, coordinator: client.coordinator, security: client.keys.security) }
    }

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a job: its chunks are taken back and keep what arrived.")
        @Argument(help: "Job id.") var job: UInt32
        @OptionGroup var client: ClientOptions
        func run() throws { try Coordinator.control(job: job, action: .pause, coordinator: client.coordinator, security: client.keys.security) }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused job where it stopped.")
        @Argument(help: "Job id.") var job: UInt32
        @OptionGroup var client: ClientOptions
        func run() throws { try Coordinator.control(job: job, action: .resume, coordinator: client.coordinator, security: client.keys.security) }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a failed or cancelled job again from the beginning.")
        @Argument(help: "Job id.") var job: UInt32
        @OptionGroup var client: ClientOptions
        func run() throws { try Coordinator.control(job: job, action: .retry, coordinator: client.coordinator, security: client.keys.security) }
    }

    struct Priority: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a queued, running or paused job's queue priority (higher first).")
        @Argument(help: "Job id.") var job: UInt32
        @Argument(help: "The new priority.") var priority: Int
        @OptionGroup var client: ClientOptions
        func run() throws {
            try Coordinator.control(job: job, action: .priority, priority: priority, coordinator: client.coordinator,
                                    security: client.keys.security)
        }
    }

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a CURVE key pair: PATH.key (secret, mode 0600) and PATH.pub (public).",
            discussion: "Give PATH.pub to the other side: a coordinator's as --server-key, a worker's or client's as a line of --authorized.")
        @Option(help: "Base path of the two files.") var out: String
        @Flag(help: "Replace existing files.") var force = false
        func run() throws {
            let paths = try LinkSecurity.generate(to: out, force: force)
            print(paths.secret)
            print(paths.public)
        }
    }

    struct BenchScale: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-scale",
            abstract: "The farm's scale bench: sleep:MS workers on loopback, throughput, efficiency, coordinator CPU per frame.",
            discussion: "Prints one Markdown table row per worker count (docs/benchmarks.md, \"Farm scale\").")
        @Argument(help: "A film with at least frames-per-worker x the largest worker count frames.") var input: String
        @Option(help: "Comma-separated worker counts.") var workers = "1,2,4,8,16,32"
        @Option(help: "Frames per worker in each run.") var framesPerWorker = 64
        @Option(help: "Wall time of one frame (the sleep:MS method), milliseconds.") var ms = 200
        @Option(help: "Frames per chunk.") var chunk = 8
        @Option(help: "Overlap frames per chunk (default min(4, chunk - 1)); with 0 the workers encode their own segments.") var overlap: Int?
        func run() throws {
            let counts = workers.split(separator: ",").compactMap { Int($0) }
            guard !counts.isEmpty, counts.allSatisfy({ $0 >= 1 }), framesPerWorker >= 1, ms >= 0, chunk >= 2,
                  (0..<chunk).contains(overlap ?? 0) else {
                throw CoordinatorError.invalidOption("bench-scale needs worker counts >= 1, --frames-per-worker >= 1, --ms >= 0, --chunk >= 2, 0 <= --overlap < --chunk")
            }
            print(ScaleBench.Row.markdownHeader)
            _ = try ScaleBench.run(input: input, workerCounts: counts, framesPerWorker: framesPerWorker, frameMilliseconds: ms,
                                   chunk: chunk, overlap: overlap ?? SubmitOptions.defaultOverlap(for: .sleep(milliseconds: ms), chunk: chunk)) { print($0.markdown) }
        }
    }
}

/// The defaults the help texts quote, read from the one place that sets them.
private let gatysDefaults = GatysParameters()

extension GatysParameters.OriginalColors: ExpressibleByArgument {}
extension Handover: ExpressibleByArgument {}
extension GatysParameters.FlowQuality: ExpressibleByArgument {}

/// `--disk-budget`'s bytes (`ByteCount.parse`), or a usage error.
func parseDiskBudget(_ text: String) throws -> Int {
    guard let bytes = ByteCount.parse(text), bytes > 0 else {
        throw CoordinatorError.invalidOption("--disk-budget \(text) is not a size such as 512M or 2G")
    }
    return bytes
}
