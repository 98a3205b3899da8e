import Testing
import Protocol

struct CurveKeyFileEntriesTests {
    @Test func notesFollowTheirKeys() throws {
        let a = try CurveKey(z85: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"), b = try CurveKey(z85: "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID")
        let text = "# farm\n\(a.z85)   render-node-7 (rack 2)\n\n\t\(b.z85)\n"
        let entries = try CurveKeyFile.parseEntries(text, path: "authorized")
        #expect(entries.map(\.key) == [a, b])
        #expect(entries.map(\.note) == ["render-node-7 (rack 2)", ""])
        #expect(try CurveKeyFile.parseKeys(text, path: "authorized") == [a, b])
    }
}
