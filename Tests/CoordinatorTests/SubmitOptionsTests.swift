import Foundation
import Protocol
import Testing
import Coordinator

@Suite struct SubmitOptionsTests {
    /// A real (if tiny) file to stand for a film: option checks only need it to exist.
    func withFiles(_ body: (String, URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-options-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let film = folder.appendingPathComponent("film.mkv")
        try Data([0]).write(to: film)
        try body(film.path, folder)
    }

    @Test func validOptionsBecomeARequestWithAbsolutePathsAndParameters() throws {
        try withFiles { film, folder in
            var options = SubmitOptions(input: film, output: folder.appendingPathComponent("out.mkv").path)
            options.method = "sleep:5"
            #expect(try options.makeRequest().method == .sleep(milliseconds: 5) && options.makeRequest().gatys == nil)
            options.method = "gatys"
            options.styles = [film]
            options.gatys.iterations = 300
            options.gatys.temporalWeight = 0.5
            options.initialization = "noise"
            options.gatys.styleWeight = 0.01
            options.gatys.originalColors = .luminance
            options.gatys.longTerm = [4, 1, 2, 2]
            options.gatys.passes = 3
            options.gatys.stopTolerance = 0.02
            options.gatys.stopWindow = 8
            let request = try options.makeRequest()
            #expect(request.input == film && request.method == .gatys && request.styles == [film])
            var expected = GatysParameters()
            (expected.iterations, expected.temporalWeight, expected.start, expected.styleWeight) = (300, 0.5, .noise(seed: 1), 0.01)
            (expected.originalColors, expected.longTerm, expected.passes) = (.luminance, [1, 2, 4], 3)
            (expected.stopTolerance, expected.stopWindow) = (0.02, 8)
            #expect(request.gatys == expected)
            #expect(request.chunk == 32 && request.overlap == 4 && request.crf == 18 && request.preset == "medium")
            options.initialization = nil
            #expect(request.seamTail == 4)
            options.seamTail = 28
            #expect(try options.makeRequest().seamTail == 28)
            options.seamTail = 0
            #expect(try options.makeRequest().seamTail == nil)
            options.seamTail = nil
            options.handover = .stitch
            options.chunk = 6
            #expect(try options.makeRequest().seamTail == 2 && SubmitOptions.defaultSeamTail(overlap: 0, chunk: 6) == 0)
        }
    }

    @Test func badValuesAreUsageErrorsWithExitCode2() throws {
        try withFiles { film, folder in
            let out = folder.appendingPathComponent("out.mkv").path
            func error(_ change: (inout SubmitOptions) -> Void) -> CoordinatorError? {
                var options = SubmitOptions(input: film, output: out)
                options.method = "copy"
                change(&options)
                do { _ = try options.makeRequest(); return nil } catch { return error }
            }
            let cases: [(inout SubmitOptions) -> Void] = [
                { $0.method = "paint" }, { $0.method = "sleep:-1" }, { $0.method = "gatys" },
                { $0.chunk = 0 }, { $0.overlap = 32 }, { $0.crf = 52 }, { $0.preset = "warp" },
                { $0.seamTail = -1 }, { $0.seamTail = 29 }, { $0.overlap = 0; $0.seamTail = 2 },
                { $0.height = 1 }, { $0.frames = 0 }, { $0.start = -1 },
                { $0.styles = ["/nonexistent.png"] }, { $0.input = "/nonexistent.mkv" },
                { $0.output = "/nonexistent/out.mkv" }, { $0.output = folder.appendingPathComponent("out.txt").path },
                { $0.styles = [film]; $0.styleWeights = [1, 2] }, { $0.initialization = "/nonexistent.png" },
                { $0.gatys.styleWeight = -1 }, { $0.gatys.tvWeight = .nan }, { $0.gatys.styleScale = 0 }, { $0.gatys.iterations = 0 },
                { $0.gatys.longTerm = [2, 4] }, { $0.gatys.longTerm = [] }, { $0.gatys.longTerm = [1, 0] }, { $0.gatys.passes = 0 },
                { $0.gatys.passes = 101 }, { $0.gatys.iterationsNext = 100_001 }, { $0.gatys.temporalWeight = -1 },
                { $0.gatys.stopTolerance = 1 }, { $0.gatys.stopWindow = 0 },
            ]
            for change in cases {
                let failure = error(change)
                #expect(failure?.exitCode == 2, "\(String(describing: failure))")
                #expect(failure.map { !$0.description.contains("\n") } ?? false)
            }
            #expect(error { _ in } == nil)
        }
    }

    /// Seam tasks are on by default for warm-started gatys with an overlap, off for per-frame
    /// rendering (`--init`), other methods and no overlap; `--no-seam-refine` turns them off and
    /// an explicit `--seam-refine` where they cannot run is a usage error.
    @Test func seamRefineIsOnByDefaultWhereChainsMeet() throws {
        try withFiles { film, folder in
            var options = SubmitOptions(input: film, output: folder.appendingPathComponent("out.mkv").path)
            options.styles = [film]
            // The default hand-over of a chained gatys job is the keyframe spine, which has no seams.
            let keyframes = try options.makeRequest()
            #expect(keyframes.handover == .keyframe && keyframes.seamRefine == nil && keyframes.seamTail == nil)
            options.handover = .stitch
            let defaults = try options.makeRequest()
            #expect(defaults.seamRefine == true && defaults.method == .gatys && defaults.handover == nil)
            options.seamRefine = false
            #expect(try options.makeRequest().seamRefine == nil)
            options.seamRefine = nil
            options.initialization = "content"
            #expect(try options.makeRequest().seamRefine == nil)
            options.seamRefine = true
            #expect(try options.makeRequest().seamRefine == true)
            options.initialization = nil
            options.seamRefine = nil
            options.overlap = 0
            #expect(try options.makeRequest().seamRefine == nil)
            options.seamRefine = true
            #expect((try? options.makeRequest()) == nil)
            options = SubmitOptions(input: film, output: folder.appendingPathComponent("out.mkv").path)
            options.method = "copy"
            #expect(try options.makeRequest().seamRefine == nil)
        }
    }

    /// `--stabilize` is reconet's: it travels as `ReCoNetParameters` with the default strength, gives
    /// chunks an overlap its chain settles in (unless `--overlap` says otherwise), and its
    /// companions without it, or it on another method, are usage errors.
    @Test func stabilizeIsForReconetAndGivesChunksAnOverlapToSettleIn() throws {
        try withFiles { film, folder in
            var options = SubmitOptions(input: film, output: folder.appendingPathComponent("out.mkv").path)
            options.method = "reconet"
            options.model = film
            let plain = try options.makeRequest()
            #expect(plain.reconet == nil && plain.overlap == 0)
            options.stabilize = true
            let stabilized = try options.makeRequest()
            #expect(stabilized.reconet == ReCoNetParameters(stabilize: ReCoNetParameters.defaultStrength))
            #expect(stabilized.overlap == ReCoNetParameters(stabilize: ReCoNetParameters.defaultStrength).settlingFrames)
            #expect(stabilized.overlap > 0 && stabilized.seamTail == stabilized.overlap)
            options.stabilizeStrength = 0.3
            options.stabilizeFlow = .balanced
            options.overlap = 2
            let chosen = try options.makeRequest()
            #expect(chosen.reconet == ReCoNetParameters(stabilize: 0.3, flow: .balanced) && chosen.overlap == 2)
            options.chunk = 3
            options.overlap = nil
            #expect(try options.makeRequest().overlap == 2)

            func failure(_ change: (inout SubmitOptions) -> Void) -> String? {
                var options = SubmitOptions(input: film, output: folder.appendingPathComponent("out.mkv").path)
                (options.method, options.model) = ("reconet", film)
                change(&options)
                do { _ = try options.makeRequest(); return nil } catch { return error.exitCode == 2 ? error.description : "exit \(error.exitCode)" }
            }
            #expect(failure { $0.stabilizeStrength = 0.5 } == "--stabilize-strength needs --stabilize")
            #expect(failure { $0.stabilizeFlow = .fast } == "--stabilize-flow needs --stabilize")
            #expect(failure { $0.stabilize = true; $0.stabilizeStrength = 1 } == "--stabilize-strength 1.0 is outside 0.05...0.95")
            #expect(failure { $0.stabilize = true; $0.method = "copy"; $0.model = nil } == "--stabilize is for method reconet, not copy")
        }
    }

    /// With gatys, `--model FILE` names the network whose render starts each chunk, `--model none`
    /// turns the coordinator's own choice off, and a model beside `--init` (no chain) is refused.
    @Test func aGatysModelStartsChunksAndNoneRefusesOne() throws {
        try withFiles { film, folder in
            var options = SubmitOptions(input: film, output: folder.appendingPathComponent("out.mkv").path)
            (options.method, options.styles) = ("gatys", [film])
            let plain = try options.makeRequest()
            #expect(plain.model == nil && plain.gatys?.startModel == true)
            options.model = film
            let named = try options.makeRequest()
            #expect(named.model == film && named.gatys?.startModel == true)
            #expect(throws: Never.self) { try named.validate() }
            options.model = "none"
            let none = try options.makeRequest()
            #expect(none.model == nil && none.gatys?.startModel == false)
            options.model = film
            options.initialization = "content"
            #expect(throws: CoordinatorError.invalidOption("--model starts a gatys chain's chunks; --init renders frame by frame: give one of them")) {
                try options.makeRequest()
            }
            options = SubmitOptions(input: film, output: folder.appendingPathComponent("out.mkv").path)
            (options.method, options.model) = ("copy", film)
            #expect(throws: CoordinatorError.invalidOption("--model is for methods reconet and gatys, not copy")) { try options.makeRequest() }
            // The wire check refuses a model on a job that renders no chain.
            var perFrame = named
            perFrame.gatys?.start = .content
            #expect(throws: DecodeError.self) { try perFrame.validate() }
        }
    }

    @Test func joinGainGoesIntoTheRequestWithinItsRange() throws {
        try withFiles { film, folder in
            var options = SubmitOptions(input: film, output: folder.appendingPathComponent("out.mkv").path)
            options.method = "copy"
            let plain = try options.makeRequest()
            #expect(plain.joinGain == nil)     // the default: Media's SegmentEdges.defaultGain
            options.joinGain = 0
            let off = try options.makeRequest()
            #expect(off.joinGain == 0)
            options.joinGain = 13
            #expect(throws: CoordinatorError.invalidOption("--join-gain 13 is outside 0...12")) { try options.makeRequest() }
        }
    }

    @Test func listOptionsReadCommaSeparatedValues() throws {
        #expect(try SubmitOptions.list("1, 2,4", option: "--long-term", of: "frame distances") { Int($0) } == [1, 2, 4])
        #expect(throws: CoordinatorError.invalidOption("--style-weights 1,x is not a list of numbers")) {
            try SubmitOptions.list("1,x", option: "--style-weights", of: "numbers") { Double($0) }
        }
    }
}

@Suite struct SubmitOptionsSequenceTests {
    func withSequence(_ numbers: [Int], _ body: (String, URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-seq-options-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Names are all a scan reads; nothing is decoded before the job runs.
        for number in numbers { try Data([0]).write(to: folder.appendingPathComponent(String(format: "%04d.png", number))) }
        try body(folder.appendingPathComponent("%04d.png").path, folder)
    }

    @Test func aSequenceNeedsAFrameRateAndCarriesItInTheRequest() throws {
        try withSequence([1, 2, 3]) { input, folder in
            var options = SubmitOptions(input: input, output: folder.appendingPathComponent("out/%04d.png").path)
            options.method = "copy"
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("out"), withIntermediateDirectories: true)
            #expect(throws: CoordinatorError.self) { try options.makeRequest() }
            options.fps = "fast"
            #expect(throws: CoordinatorError.self) { try options.makeRequest() }
            options.fps = "24"
            #expect(try options.makeRequest().fps == "24")
            options.output = folder.appendingPathComponent("out/%04d.tif").path
            #expect(throws: CoordinatorError.invalidOption("--out \(options.output): image sequences are written as PNG (styled/%04d.png)")) { try options.makeRequest() }
        }
    }

    @Test func aGapIsRefusedNamingTheFirstMissingFile() throws {
        try withSequence([1, 2, 4, 6]) { input, folder in
            var options = SubmitOptions(input: input, output: folder.appendingPathComponent("out.mkv").path)
            options.method = "copy"
            options.fps = "24"
            let missing = folder.appendingPathComponent("0003.png").path
            #expect(throws: CoordinatorError.badInput(path: missing, reason: "missing from the image sequence, which runs from 0001.png to 0006.png")) {
                try options.makeRequest()
            }
        }
    }

    @Test func aFilmTakesNoFrameRate() throws {
        try withSequence([1]) { _, folder in
            let film = folder.appendingPathComponent("film.mkv")
            try Data([0]).write(to: film)
            var options = SubmitOptions(input: film.path, output: folder.appendingPathComponent("out.mkv").path)
            options.method = "copy"
            #expect(try options.makeRequest().fps == nil)
            options.fps = "24"
            #expect(throws: CoordinatorError.self) { try options.makeRequest() }
        }
    }
}
