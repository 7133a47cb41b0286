import Testing
@testable import PROJ

@Suite("PROJLibrary")
struct PROJLibraryTests {
    @Test("the linked PROJ is release 9.1 or later")
    func version() throws {
        let parts = PROJLibrary.version.split(separator: ".").compactMap { Int($0) }
        try #require(parts.count == 3, "version \(PROJLibrary.version)")
        #expect(parts[0] > 9 || (parts[0] == 9 && parts[1] >= 1))
    }
}
