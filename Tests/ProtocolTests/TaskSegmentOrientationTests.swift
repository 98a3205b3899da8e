import Foundation
import Testing
import Protocol

/// The film's orientation rides in a segment TASK (its Matroska clip cannot hold the display
/// matrix): a quarter turn and a mirror survive the trip, a spec without them (an older
/// coordinator) still decodes, and a turn that is not a quarter is refused.
@Suite struct TaskSegmentOrientationTests {
    @Test func aTurnAndAMirrorRoundTrip() throws {
        var payload = TaskSegmentTests.task()
        payload.spec.segment!.rotation = 270
        payload.spec.segment!.mirrored = true
        let decoded = try Message.decode(Message.task(payload).frames()).decodeTask()
        #expect(decoded.spec.segment?.rotation == 270 && decoded.spec.segment?.mirrored == true)
    }

    @Test func aSpecWithoutThemDecodesAsUpright() throws {
        let payload = TaskSegmentTests.task()
        #expect(payload.spec.segment?.rotation == nil)
        let json = String(decoding: try JSONEncoder().encode(payload.spec.segment!), as: UTF8.self)
        #expect(!json.contains("rotation") && !json.contains("mirrored"))
        #expect(try Message.decode(Message.task(payload).frames()).decodeTask() == payload)
    }

    @Test func aTurnThatIsNotAQuarterIsRefused() throws {
        for rotation in [45, -90, 360] {
            var payload = TaskSegmentTests.task()
            payload.spec.segment!.rotation = rotation
            #expect(throws: DecodeError.badPayload("task segment rotation \(rotation) is not 0, 90, 180 or 270 degrees")) {
                try Message.decode(Message.task(payload).frames()).decodeTask()
            }
        }
    }
}
