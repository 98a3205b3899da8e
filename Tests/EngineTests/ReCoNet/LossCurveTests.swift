import Testing
@testable import Engine

/// The loss-curve picture: log lines parse into weighted terms, and the picture has ink in it.
@Suite struct LossCurveTests {
    let log = """
        training 10 parameters
        step 1/3 total 6.0000 content 2.0000e+05 style 4.0000e+10 tv 1.0000e-03 otemp 1.0000e-03 ftemp 2.0000e-01 9.0s/step 9s
        step 2/3 total 5.0000 content 1.0000e+05 style 3.0000e+10 tv 2.0000e-03 otemp 2.0000e-03 ftemp 1.0000e-01 9.0s/step 18s checkpoint
        garbage line
        """

    @Test func parsesWeightedTerms() {
        let curve = LossCurve.parse(log: log)
        #expect(curve.series.map(\.name) == ["total", "content", "style", "tv", "otemp", "ftemp"])
        let content = curve.series[1].points, style = curve.series[2].points
        #expect(content.map(\.step) == [1, 2])
        #expect(abs(content[1].value - 0.5) < 1e-12)          // 1e5 / first 2e5, weight 1
        #expect(abs(style[1].value - 5 * 0.75) < 1e-12)       // 3e10 / 4e10, weight 5
        #expect(abs(curve.series[4].points[0].value - 0.1) < 1e-12)  // otemp 1e-3 x 100
    }

    /// A run from another model's weights states the normalisers it took, and the saturation
    /// term appears when the log has it.
    @Test func statedNormalisersAndTheSaturationTerm() {
        let stated = """
            normalisers of a run from random weights (seed 1): content 4.0000e+05 style 6.0000e+10
            step 1/2 total 1.0000 content 2.0000e+05 style 3.0000e+10 tv 1.0000e-03 otemp 1.0000e-03 ftemp 2.0000e-01 sat 2.0000e-03 9.0s/step 9s
            """
        let curve = LossCurve.parse(log: stated)
        #expect(curve.series.map(\.name) == ["total", "content", "style", "tv", "otemp", "ftemp", "sat"])
        #expect(abs(curve.series[1].points[0].value - 0.5) < 1e-12)      // 2e5 / stated 4e5
        #expect(abs(curve.series[2].points[0].value - 2.5) < 1e-12)      // 3e10 / stated 6e10, weight 5
        #expect(abs(curve.series[6].points[0].value - 0.02) < 1e-12)     // 2e-3 x 10
    }

    @Test func rendersAPicture() {
        let pixels = LossCurve.parse(log: log).render(width: 300, height: 200)
        #expect(pixels.count == 300 * 200 * 3)
        #expect(pixels.contains { $0 < 100 })
        #expect(LossCurve.niceStep(37) == 50 && LossCurve.niceStep(1) == 1 && LossCurve.niceStep(120) == 200)
    }
}
