import Foundation

/// Messages for people (errors, progress, summaries) go to standard error, so that standard
/// output carries only data that can be piped on.
enum StandardError {
    static func write(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
