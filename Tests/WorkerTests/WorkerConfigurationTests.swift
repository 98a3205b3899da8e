import Testing
import Worker

@Suite struct WorkerConfigurationTests {
    @Test func threadsDefaultToAllCores() {
        #expect(WorkerConfiguration(endpoint: "tcp://127.0.0.1:5555").threads == nil)
    }
}
