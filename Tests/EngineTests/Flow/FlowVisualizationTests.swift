import Testing
@testable import Engine

@Suite struct FlowVisualizationTests {
    @Test func followsTheMiddleburyColourWheel() {
        // right, up (v < 0), left, down, zero, unknown
        let flow = FlowField(width: 6, height: 1, u: [1, 0, -1, 0, 0, 2e9], v: [0, -1, 0, 1, 0, 0])
        let rgb = FlowVisualization.rgb(flow)
        func px(_ i: Int) -> [UInt8] { Array(rgb[(3 * i)..<(3 * i + 3)]) }
        // Image y points down: down is orange-yellow, up blue-violet (the benchmark's colorcode.png).
        #expect(px(0) == [255, 0, 0])                                   // right is red
        #expect(px(2)[0] == 0 && px(2)[1] > 200 && px(2)[2] == 255)    // left is cyan
        #expect(px(1)[0] > 60 && px(1)[0] < 110 && px(1)[1] == 0 && px(1)[2] == 255)   // up: blue-violet
        #expect(px(3)[0] == 255 && px(3)[1] > 215 && px(3)[2] == 0)    // down: orange-yellow
        #expect(px(4) == [255, 255, 255])                               // no motion is white
        #expect(px(5) == [0, 0, 0])                                     // unknown is black
        // Half the largest speed is half saturated.
        let half = FlowVisualization.rgb(FlowField(width: 1, height: 1, u: [1], v: [0]), maxSpeed: 2)
        #expect(half[0] == 255 && (127...128).contains(half[1]) && (127...128).contains(half[2]))
    }
}
