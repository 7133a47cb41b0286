import Foundation

/// What became of a request to turn an SVG map into PNG.
public enum PNGConversion: Hashable, Sendable {
    /// The PNG was written to this file.
    case written(URL)
    /// No converter is installed; the SVG is still there. The message says what to install.
    case skipped(String)
}

/// Why a converter that is installed failed: it could not be started, or it ran and failed.
public struct PNGConversionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The converter's exit status (nil when it could not be started) and what it or the
    /// system said.
    public var status: Int32?
    public var message: String

    public var description: String {
        if let status { return "rsvg-convert failed (exit status \(status)): \(message)" }
        return "rsvg-convert could not be started: \(message)"
    }
}

/// Turns an SVG map into a PNG with `rsvg-convert` from Debian's librsvg2-bin, when it is
/// installed. PNG is a convenience (for messaging apps and quick viewing), so a missing converter
/// is reported, not thrown.
public struct PNGConverter: Sendable {
    /// The converter found on PATH, or nil.
    public let executable: URL?

    /// A converter using `rsvg-convert` from `searchPath` (by default the process's PATH).
    public init(searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) {
        executable = Self.locate("rsvg-convert", in: searchPath ?? "")
    }

    /// Whether PNG conversion is possible here.
    public var isAvailable: Bool { executable != nil }

    /// Converts `svgFile` to `pngFile` at `dpi` dots per inch (150 prints an A3 sheet at
    /// 2480 × 1754 pixels, sharp enough for on-screen reading).
    /// - Throws: `PNGConversionError` when the converter cannot be started, or runs and fails.
    public func convert(svgFile: URL, to pngFile: URL, dpi: Int = 150) throws(PNGConversionError) -> PNGConversion {
        guard let executable else {
            return .skipped("PNG not written: rsvg-convert is not installed (Debian package librsvg2-bin); the SVG is complete")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--dpi-x", String(dpi), "--dpi-y", String(dpi), "--format", "png",
                             "--background-color", "white", "--output", pngFile.path, svgFile.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PNGConversionError(status: nil, message: "\(error)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PNGConversionError(status: process.terminationStatus,
                                     message: String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return .written(pngFile)
    }

    private static func locate(_ name: String, in searchPath: String) -> URL? {
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
