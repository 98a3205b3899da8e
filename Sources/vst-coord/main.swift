import ArgumentParser
import Coordinator
import Foundation

@main struct VSTCoord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vst-coord", abstract: "The vst render farm's coordinator.",
        discussion: "Connections are plain TCP: encryption (CURVE) is not implemented yet; --insecure is accepted everywhere and is what runs.",
        subcommands: [Submit.self, Serve.self, Status.self, Cancel.self, Pause.self, Resume.self, Retry.self])

    /// Every failure prints one `error:` line; exit 2 for bad input or usage, 1 otherwise.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CoordinatorError {
            fail(error.description, code: error.exitCode)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            fail(message(for: error), code: 2)
        }
    }

    static func fail(_ text: String, code: Int32) -> Never {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        FileHandle.standardError.write(Data("error: \(line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line)\n".utf8))
        Foundation.exit(code)
    }
}

/// Options shared by the commands that talk to a running coordinator's client channel.
struct ClientOptions: ParsableArguments {
    @Option(help: "Client (control) endpoint of the coordinator.") var coordinator = "tcp://127.0.0.1:5556"
    @Flag(help: "Plain TCP without encryption (the only transport implemented so far).") var insecure = false
}

extension VSTCoord {
    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Style a film: with local workers, or on a running coordinator (--coordinator).",
            discussion: """
            Without --coordinator, an embedded coordinator listens on 127.0.0.1 and starts --local-workers \
            vst-worker processes (found next to vst-coord). With --coordinator, paths are sent as absolute \
            paths and must be readable (input, styles) and writable (output) by the coordinator's host. \
            Environment: VST_WORKER_LEASE_MS overrides the worker lease (default 10000).
            """)
        @Argument(help: "The film to style.") var input: String
        @Option(help: "Output film (.mkv, .mp4, .mov, .webm or .avi).") var out: String
        @Option(help: "Style image (repeatable).") var style: [String] = []
        @Option(help: "Comma-separated weight per style image (default: equal).") var styleWeights: String?
        @Option(help: "gatys, reconet, copy or sleep:MS (copy after MS per frame, for tests).") var method = "gatys"
        @Option(help: "ReCoNet model file (method reconet).") var model: String?
        @Option(help: "Output height in pixels (width keeps the aspect ratio; default: the input's).") var height: Int?
        @Option(help: "First input frame to render.") var start = 0
        @Option(help: "Number of frames to render (default: to the end).") var frames: Int?
        @Option(help: "Frames per chunk.") var chunk = ChunkPlan.defaultChunkFrames
        @Option(help: "Frames each chunk also renders before its own, for stitching.") var overlap = ChunkPlan.defaultOverlapFrames
        @Option(help: "Optimiser iterations of a chunk's first frame (gatys; default 100).") var iters: Int?
        @Option(help: "Iterations of every later frame (gatys; default 50).") var itersNext: Int?
        @Option(help: "Weight of the short-term temporal loss, 0 for none (gatys; default 200).") var temporalWeight: Double?
        @Option(name: .customLong("init"), help: "Start of every frame: content, noise or an image path; nothing is warm-started when given (gatys; default: content for a chunk's first frame, the previous output carried by the flow for the others).") var initialization: String?
        @Option(help: "Weight of the content loss (gatys; default 1).") var contentWeight: Double?
        @Option(help: "Weight of the style loss (gatys; default 1e-3).") var styleWeight: Double?
        @Option(help: "Weight of the total-variation loss (gatys; default 0).") var tvWeight: Double?
        @Option(help: "Style images are resized to this times the output width (gatys; default 1).") var styleScale: Double?
        @Option(help: "Keep the film's colours: luminance or histogram (gatys).") var originalColors: String?
        @Option(help: "x264 constant rate factor, 0...51.") var crf = SubmitOptions.defaultCRF
        @Option(help: "x264 preset.") var preset = SubmitOptions.defaultPreset
        @Flag(help: "Encode losslessly: FFV1 in RGB, bit-exact frames (.mkv, .mov or .avi).") var lossless = false
        @Option(help: "Local worker processes without --coordinator (default: one per two cores).") var localWorkers: Int?
        @Option(help: "Compute threads per local worker (default: all cores).") var workerThreads: Int?
        @Option(help: "Client endpoint of a running coordinator, e.g. tcp://coord:5556.") var coordinator: String?
        @Flag(help: "Print the job id and return (with --coordinator).") var detach = false
        @Flag(help: "Log workers joining and leaving and chunks moving.") var verbose = false
        @Flag(help: "Plain TCP without encryption (the only transport implemented so far).") var insecure = false

        func run() throws {
            var options = SubmitOptions(input: input, output: out)
            options.styles = style
            if let styleWeights {
                options.styleWeights = try styleWeights.split(separator: ",").map {
                    guard let value = Double($0.trimmingCharacters(in: .whitespaces)) else {
                        throw CoordinatorError.invalidOption("--style-weights \(styleWeights) is not a list of numbers")
                    }
                    return value
                }
            }
            options.method = method
            options.model = model
            options.height = height
            options.start = start
            options.frames = frames
            options.chunk = chunk
            options.overlap = overlap
            options.iters = iters
            options.itersNext = itersNext
            options.temporalWeight = temporalWeight
            options.initialization = initialization
            options.contentWeight = contentWeight
            options.styleWeight = styleWeight
            options.tvWeight = tvWeight
            options.styleScale = styleScale
            options.originalColors = originalColors
            options.crf = crf
            options.preset = preset
            options.lossless = lossless
            if let localWorkers, localWorkers < 1 { throw CoordinatorError.invalidOption("--local-workers must be at least 1") }
            var configuration = SubmitConfiguration(options: options)
            configuration.coordinator = coordinator
            configuration.detach = detach
            configuration.localWorkers = localWorkers
            configuration.workerThreads = workerThreads
            configuration.verbose = verbose
            try Coordinator.submit(configuration)
        }
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a long-lived coordinator with a job queue, until SIGTERM or SIGINT.",
            discussion: "Environment: VST_WORKER_LEASE_MS overrides the worker lease (default 10000).")
        @Option(help: "Endpoint workers connect to.") var bind = "tcp://*:5555"
        @Option(help: "Endpoint submit/status/cancel/... connect to.") var control = "tcp://*:5556"
        @Option(help: "Folder for job folders and journals.") var data: String
        @Flag(help: "Plain TCP without encryption (the only transport implemented so far).") var insecure = false

        func run() throws {
            try Coordinator.serve(ServeConfiguration(bind: bind, control: control, dataDirectory: data))
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one job's state, or every job's.")
        @Argument(help: "Job id (default: all jobs).") var job: UInt32?
        @OptionGroup var client: ClientOptions
        func run() throws { try Coordinator.status(job: job, coordinator: client.coordinator) }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a queued, running or paused job.")
        @Argument(help: "Job id.") var job: UInt32
        @OptionGroup var client: ClientOptions
        func run() throws { try Coordinator.control(job: job, action: .cancel, coordinator: client.coordinator) }
    }

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a job: its chunks are taken back and keep what arrived.")
        @Argument(help: "Job id.") var job: UInt32
        @OptionGroup var client: ClientOptions
        func run() throws { try Coordinator.control(job: job, action: .pause, coordinator: client.coordinator) }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused job where it stopped.")
        @Argument(help: "Job id.") var job: UInt32
        @OptionGroup var client: ClientOptions
        func run() throws { try Coordinator.control(job: job, action: .resume, coordinator: client.coordinator) }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a failed or cancelled job again from the beginning.")
        @Argument(help: "Job id.") var job: UInt32
        @OptionGroup var client: ClientOptions
        func run() throws { try Coordinator.control(job: job, action: .retry, coordinator: client.coordinator) }
    }
}
