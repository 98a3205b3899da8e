import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Responses of the JSON API: bodies written with sorted keys (as everything vst writes), and
/// every refusal as `{"error": "one line"}` with its 4xx status.
enum JSONResponse {
    static func ok(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let bytes = (try? encoder.encode(value)) ?? Data(#"{"error":"cannot encode the answer"}"#.utf8)
        return body(bytes, type: "application/json; charset=utf-8", status: status)
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        ok(["error": message], status: status)
    }

    static func body(_ bytes: some Collection<UInt8>, type: String, status: HTTPResponse.Status = .ok,
                     extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
