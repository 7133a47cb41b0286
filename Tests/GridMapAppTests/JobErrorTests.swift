import GridMapApp
import Testing

@Suite("A job's error")
struct JobErrorTests {
    @Test("reads as its message followed by one line per problem")
    func readsAsMessageThenProblems() {
        let error = JobError(.rejected, "import rejected, nothing changed; 2 problems:", details: ["  a", "  b"])
        #expect("\(error)" == "import rejected, nothing changed; 2 problems:\n  a\n  b")
        #expect(JobError.invalidRequest("No grid DC-999 in this town.").kind == .invalidRequest)
    }
}
