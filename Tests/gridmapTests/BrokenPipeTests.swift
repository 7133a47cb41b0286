import Foundation
import Testing

/// A reader that has gone away: standard output is a pipe whose reading end is closed before the
/// command starts, so its first write fails. Under systemd (and many supervisors) SIGPIPE is
/// ignored, and the write then fails with EPIPE instead of killing the process: the command must
/// say so and fail, never exit 0 with its answer lost.
@Suite("A closed pipe on standard output")
struct BrokenPipeTests {
    /// Runs `gridmap ARGUMENTS` with standard output a pipe nobody reads; `ignoringSIGPIPE`
    /// starts it through a shell that ignores SIGPIPE (an ignored signal stays ignored across exec).
    static func intoClosedPipe(_ arguments: [String], stdin: String = "", ignoringSIGPIPE: Bool) throws
        -> (status: Int32, signalled: Bool, stderr: String) {
        let quoted = ([GridMapExecutable.url.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", (ignoringSIGPIPE ? "trap '' PIPE; " : "") + "exec " + quoted]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try output.fileHandleForReading.close()
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal,
                String(decoding: message, as: UTF8.self))
    }

    /// One command of each kind: a store read, a report, and the streams that read standard input.
    static let commands: [(arguments: [String], stdin: String)] = [
        (["select", "--counts"], ""), (["info"], ""), (["validate"], ""),
        (["locate", "--csv", "-"], "id,lon,lat\nsw,119.805,35.902\n"),
        (["transform", "--from", "EPSG:4326", "--to", "EPSG:4549"], "119.805,35.902\n"),
        (["tour", "--planar", "-"], "id,x,y\nA,0,0\nB,10,0\nC,10,10\n"),
    ]

    @Test("with SIGPIPE ignored, every command fails with status 2 and says that standard output is gone")
    func ignoredSignal() throws {
        let work = try TownCommandsTests.Workspace()
        defer { work.remove() }
        #expect(try GridMapExecutable.run(["import", TownCommandsTests.tinyTown.path, "--db", work.db]).status == 0)
        for command in Self.commands {
            let store = command.arguments[0] == "transform" || command.arguments[0] == "tour" ? [] : ["--db", work.db]
            let result = try Self.intoClosedPipe(command.arguments + store, stdin: command.stdin, ignoringSIGPIPE: true)
            #expect(!result.signalled && result.status == 2, "\(command.arguments): \(result.stderr)")
            #expect(result.stderr.contains("cannot write to standard output: Broken pipe"), "\(command.arguments): \(result.stderr)")
        }
    }

    @Test("with SIGPIPE at its default, the command is stopped by the signal, as `| head` expects, never exit 0")
    func defaultSignal() throws {
        let work = try TownCommandsTests.Workspace()
        defer { work.remove() }
        #expect(try GridMapExecutable.run(["import", TownCommandsTests.tinyTown.path, "--db", work.db]).status == 0)
        let result = try Self.intoClosedPipe(["select", "--counts", "--db", work.db], ignoringSIGPIPE: false)
        #expect(result.signalled && result.status == SIGPIPE, "status \(result.status): \(result.stderr)")
    }
}
