import Foundation
import GridMapApp

/// Reads a password for `gridmap user`: at a terminal, typed without echo (and, when confirming,
/// twice); otherwise the first line of standard input, so that scripts can pipe it in. Never an
/// argument: the command line is visible to every user of the machine.
enum PasswordInput {
    static func read(confirming: Bool) throws(JobError) -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true) else {
                throw .invalidRequest("No password on standard input: pipe it in (one line) or run at a terminal to be asked.")
            }
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        let password = try prompt("Password: ")
        if confirming, try prompt("The same password again: ") != password {
            throw .invalidRequest("The two passwords differ; nothing was changed.")
        }
        return password
    }

    /// Asks on standard error and reads one line from the terminal with echo turned off, turned
    /// back on afterwards whatever happens.
    private static func prompt(_ question: String) throws(JobError) -> String {
        FileHandle.standardError.write(Data(question.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw .cannotStart("Cannot read the terminal's settings to hide the password.") }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else { throw .cannotStart("Cannot turn the terminal's echo off to hide the password.") }
        let line = readLine(strippingNewline: true)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        FileHandle.standardError.write(Data("\n".utf8))
        guard let line else { throw .invalidRequest("No password typed; nothing was changed.") }
        return line
    }
}
