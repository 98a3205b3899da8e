import Testing
import Protocol

@Suite struct EndpointTests {
    /// A worker connects over TCP or IPC; inproc:// never reaches another process's socket.
    @Test func onlyTCPAndIPCAreConnectable() {
        #expect(Endpoint.isConnectable("tcp://coord:5555"))
        #expect(Endpoint.isConnectable("ipc:///tmp/vst.sock"))
        #expect(!Endpoint.isConnectable("inproc://workers"))
        #expect(!Endpoint.isConnectable("coord:5555"))
        #expect(!Endpoint.isConnectable("http://coord:5555"))
    }
}
