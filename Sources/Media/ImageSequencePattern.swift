import Foundation

/// A numbered file name as FFmpeg and compositing tools write it: `shot/%04d.png` names
/// `shot/0001.png`, `shot/0002.png`, ... The printf-style number is read the way FFmpeg's
/// `av_get_frame_filename` reads it, so a pattern means here what it means to `ffmpeg -i`:
/// `%d` is the bare number, `%04d` and `%4d` both pad with zeros to four digits (FFmpeg pads
/// with zeros either way; a number with more digits is written whole), `%%` is a literal `%`.
///
/// Only the file name holds the number; the folder part is taken as written.
public struct ImageSequencePattern: Sendable, Equatable, CustomStringConvertible {
    /// The folder, without a trailing slash ("." when the pattern had none).
    public let folder: String
    /// The file name's text before and after the number (`%%` already turned into `%`).
    public let prefix: String
    public let suffix: String
    /// Digits the number is zero-padded to (0 for `%d`).
    public let digits: Int
    /// The pattern as given.
    public let text: String

    /// Reads `path` as a pattern. Returns nil for a plain file name, one without a `%d` or
    /// `%0Nd` (a film called `50%.mkv` stays a film); throws `.invalidArgument` for a pattern
    /// with another `%` than `%%` beside its number, or with more than one number.
    public static func parse(_ path: String) throws(MediaError) -> ImageSequencePattern? {
        let name = (path as NSString).lastPathComponent
        guard name.range(of: "%[0-9]*d", options: .regularExpression) != nil else { return nil }
        var folder = (path as NSString).deletingLastPathComponent
        if folder.isEmpty { folder = "." }
        var prefix = "", suffix = "", digits: Int?
        var characters = name.makeIterator()
        while let c = characters.next() {
            guard c == "%" else {
                if digits == nil { prefix.append(c) } else { suffix.append(c) }
                continue
            }
            var width = ""
            var next = characters.next()
            while let d = next, d.isASCII, d.isNumber {
                width.append(d)
                next = characters.next()
            }
            switch next {
            case "%" where width.isEmpty:
                if digits == nil { prefix.append("%") } else { suffix.append("%") }
            case "d":
                guard digits == nil else { throw .invalidArgument("\(path): an image sequence pattern holds one number (%d or %04d), this one holds more") }
                guard let value = Int(width.isEmpty ? "0" : width), value <= 18 else {
                    throw .invalidArgument("\(path): %\(width)d pads to too many digits")
                }
                digits = value
            default:
                let got = next.map { "%\(width)\($0)" } ?? "a trailing %"
                throw .invalidArgument("\(path): \(got) is not a frame number (use %d or %04d; %% for a literal %)")
            }
        }
        guard let digits else { return nil }
        return ImageSequencePattern(folder: folder, prefix: prefix, suffix: suffix, digits: digits, text: path)
    }

    /// The file name of frame `number` (no folder).
    public func fileName(_ number: Int) -> String {
        let plain = String(number)
        let padded = plain.count < digits ? String(repeating: "0", count: digits - plain.count) + plain : plain
        return prefix + padded + suffix
    }

    /// The path of frame `number`: the pattern with its file name replaced.
    public func path(_ number: Int) -> String {
        (text as NSString).lastPathComponent == text ? fileName(number) : folder + "/" + fileName(number)
    }

    /// The number a file name stands for, or nil when the name is not one this pattern writes
    /// (other text, or `007.png` for `%d`, which writes `7.png`).
    public func number(ofFileName name: String) -> Int? {
        guard name.count > prefix.count + suffix.count, name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let middle = name.dropFirst(prefix.count).dropLast(suffix.count)
        guard middle.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(middle), fileName(number) == name else { return nil }
        return number
    }

    /// The file extension, lower case ("png", "tif").
    public var fileExtension: String {
        // Not NSString.pathExtension: a suffix such as ".png" reads to it as a hidden file's name.
        guard let dot = suffix.lastIndex(of: ".") else { return "" }
        return suffix[suffix.index(after: dot)...].lowercased()
    }

    public var description: String { text }
}
