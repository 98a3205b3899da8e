#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON for the small structured payloads (specs, requests, status). Frames and other bulk data
/// never go through JSON. Keys are sorted so that equal values encode to equal bytes.
public enum JSONPayload {
    public static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = nonFinite
        do {
            return Array(try encoder.encode(value))
        } catch {
            // Payload types hold strings, integers, doubles (non-finite ones spelled as strings),
            // arrays and dictionaries; encoding them cannot fail.
            preconditionFailure("JSON encoding of \(T.self) failed: \(error)")
        }
    }

    /// Decodes a JSON payload frame; any failure becomes `DecodeError.badPayload` naming the type.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(DecodeError) -> T {
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = nonFiniteDecoding
            return try decoder.decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw .badPayload("\(T.self): \(describe(error))")
        } catch {
            throw .badPayload("\(T.self): \(error)")
        }
    }

    /// A fps of 0/0 or an infinite ETA must not take the coordinator down: JSON has no NaN or
    /// infinity, so they travel as these strings.
    private static let nonFinite = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    private static let nonFiniteDecoding = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// DecodingError's own description spans several lines and nests the context; keep one line.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context): return "missing \(type) value\(path(context))"
        case .keyNotFound(let key, let context): return "missing key \"\(key.stringValue)\"\(path(context))"
        case .dataCorrupted(let context):
            // A value's own check (`RenderMethod`) says what is wrong; the parser's words do not.
            if let check = context.underlyingError as? ParameterError { return "\(check)\(path(context))" }
            return "not valid JSON\(path(context))"
        @unknown default: return "undecodable"
        }
    }
}
