import Foundation
import GridMapApp

/// A JSON Lines file a command imports whole (`resident import`, `survey import`).
enum JournalFile {
    /// The file's text, and its name for the messages that cite its lines.
    static func read(_ file: String) throws(JobError) -> (text: String, name: String) {
        do {
            return (try String(contentsOfFile: file, encoding: .utf8), URL(fileURLWithPath: file).lastPathComponent)
        } catch {
            throw .cannotStart("cannot read \(file): \(error.localizedDescription)")
        }
    }
}
