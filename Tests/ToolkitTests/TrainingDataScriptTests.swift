import Foundation
import Testing
import Engine
import Media

/// scripts/training-data.sh's unpack-and-manifest step, run offline (`--from-debs`) on a fake
/// package built here with dpkg-deb: two small PNGs and a machine-readable copyright file.
@Suite struct TrainingDataScriptTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/training-data.sh").standardized.path
    static let dpkgDeb = ["/usr/bin/dpkg-deb", "/bin/dpkg-deb"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs a program; returns its exit status and standard error.
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        let errors = Pipe()
        p.standardError = errors
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    /// The folder of a package `fake-photos` 1.2-3 holding usr/share/pics/{a,b}.png, a.png under CC0-1.0.
    static func makeDebs(in folder: URL) throws -> (debs: URL, pictures: [String: [UInt8]]) {
        let fm = FileManager.default
        let tree = folder.appendingPathComponent("tree")
        for dir in ["DEBIAN", "usr/share/pics", "usr/share/doc/fake-photos"] {
            try fm.createDirectory(at: tree.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        try """
            Package: fake-photos
            Version: 1.2-3
            Architecture: all
            Maintainer: vst tests <tests@example.org>
            Description: two photos for a test

            """.write(to: tree.appendingPathComponent("DEBIAN/control"), atomically: true, encoding: .utf8)
        try """
            Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
            Upstream-Name: fake-photos

            Files: *
            Copyright: 2026 vst tests
            License: GPL-2+

            Files: pics/a.png
            Copyright: 2026 vst tests
            License: CC0-1.0

            """.write(to: tree.appendingPathComponent("usr/share/doc/fake-photos/copyright"), atomically: true, encoding: .utf8)
        var pictures: [String: [UInt8]] = [:]
        for (name, shade) in [("a", 40), ("b", 200)] {
            let pixels = (0..<(24 * 16 * 3)).map { UInt8((shade + $0 % 37) % 256) }
            let path = tree.appendingPathComponent("usr/share/pics/\(name).png").path
            try ImageIO.save(RGBImage(width: 24, height: 16, pixels: pixels), to: path)
            pictures[name] = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        let debs = folder.appendingPathComponent("debs")
        try fm.createDirectory(at: debs, withIntermediateDirectories: true)
        let built = try run(dpkgDeb!, ["--root-owner-group", "--build", tree.path, debs.appendingPathComponent("fake-photos_1.2-3_all.deb").path])
        #expect(built.status == 0, "dpkg-deb: \(built.stderr)")
        return (debs, pictures)
    }

    static func sha256(_ bytes: [UInt8]) -> String { SHA256.hex(SHA256.hash(bytes)) }

    @Test(.enabled(if: dpkgDeb != nil, "needs dpkg-deb"))
    func manifestNamesEachPhotoWithItsPackageLicenceAndChecksum() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-traindata-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (debs, pictures) = try Self.makeDebs(in: folder)
        let out = folder.appendingPathComponent("out")
        let first = try Self.run("/bin/bash", [Self.script, "--from-debs", debs.path, out.path])
        #expect(first.status == 0, "script: \(first.stderr)")
        let manifest = try String(contentsOf: out.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        let rows = manifest.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["file", "package", "version", "path", "licence", "sha256"])
        #expect(rows.dropFirst().map { Array($0.prefix(5)) } == [
            ["photos/fake-photos--pics_a.png", "fake-photos", "1.2-3", "usr/share/pics/a.png", "CC0-1.0"],
            ["photos/fake-photos--pics_b.png", "fake-photos", "1.2-3", "usr/share/pics/b.png", "GPL-2+"],
        ])
        #expect(rows.dropFirst().map(\.last) == [Self.sha256(pictures["a"]!), Self.sha256(pictures["b"]!)])
        let copied = try Data(contentsOf: out.appendingPathComponent("photos/fake-photos--pics_a.png"))
        #expect(Array(copied) == pictures["a"]!)

        // Again from scratch: the same manifest, byte for byte.
        try FileManager.default.removeItem(at: out)
        let second = try Self.run("/bin/bash", [Self.script, "--from-debs", debs.path, out.path])
        #expect(second.status == 0, "script: \(second.stderr)")
        #expect(try String(contentsOf: out.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8) == manifest)
    }
}
