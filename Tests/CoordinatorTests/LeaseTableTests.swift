import Testing
import Coordinator

@Suite struct LeaseTableTests {
    @Test func leaseExpiresOnlyAfterSilenceAndRenewalPostponesIt() {
        var table = LeaseTable<String>(lease: .seconds(10))
        table.renew("a", now: .zero)
        table.renew("b", now: .seconds(3))
        #expect(table.expire(now: .seconds(9)).isEmpty)
        table.renew("a", now: .seconds(9))           // a speaks again
        #expect(table.expire(now: .seconds(13)) == ["b"])
        #expect(table.expire(now: .seconds(18)).isEmpty)
        #expect(table.expire(now: .seconds(19)) == ["a"])
        #expect(table.count == 0)
    }

    @Test func expiredHoldersComeOldestFirst() {
        var table = LeaseTable<Int>(lease: .milliseconds(500))
        for (i, t) in [(1, 300), (2, 100), (3, 200)] { table.renew(i, now: .milliseconds(t)) }
        #expect(table.expire(now: .seconds(1)) == [2, 3, 1])
    }
}
