import Foundation
import GridMapCore

/// `gridmap partition`: a town folder's micro-grids (and, when asked, grids) designed anew from
/// its roads, water and homes (``TownPartition``), checked by the coverage validator, and written
/// as a new town folder.
public enum PartitionJob {
    /// What the partition wrote and how it came out.
    public struct Outcome: Sendable {
        public var data: TownData
        public var report: PartitionReport
    }

    /// Reads the town folder `source`, designs its grids as `request` says and writes the town
    /// with them to `target` (swapped in whole, as an export is). The result must validate clean:
    /// a coverage fault is an error and nothing is written. With kept grids the team is kept; with
    /// new grids the team cannot be, and the folder is written without one (the report says so).
    /// `target` may be absent or empty; a town folder there is replaced only with `replace`, and
    /// the source folder never.
    public static func run(source: URL, target: URL, request: PartitionRequest, replace: Bool) throws(JobError) -> Outcome {
        let resolvedSource = source.resolvingSymlinksInPath().standardizedFileURL
        let resolvedTarget = target.resolvingSymlinksInPath().standardizedFileURL
        guard resolvedSource != resolvedTarget else {
            throw .invalidRequest("--out \(target.relativePath) is the town folder being partitioned; write the new town to another folder.")
        }
        try checkTarget(target, replace: replace)
        let town: TownData
        do {
            town = try TownFolder.read(from: source)
        } catch {
            throw JobError(.rejected, "\(source.relativePath) cannot be read as a town folder; nothing was written:",
                           details: error.problems.map { "  \($0)" })
        }
        let partition: TownPartition
        do {
            partition = try TownPartition.design(town, request)
        } catch {
            throw .invalidRequest(error.description)
        }
        var designed = town
        designed.town.boundary = partition.boundary
        designed.grids = partition.grids
        designed.microGrids = partition.microGrids
        var report = partition.report
        if !request.keepGrids, !town.team.isEmpty {
            designed.team = []
            report.notes.append("The grids are new, so the team (\(town.team.count) members) was left out: give each new grid its team in team.csv.")
        }
        let coverage: CoverageReport
        do {
            coverage = try CoverageValidator().validate(designed)
        } catch {
            throw .failed(error, while: "checking the designed grids")
        }
        guard coverage.problems.isEmpty else {
            throw JobError(.failed, "the designed grids do not tile the town cleanly (a fault of the partition; please report it); nothing was written:",
                           details: coverage.problems.prefix(20).map { "  " + CoverageReport.line($0) })
        }
        do {
            var options = Disclosure(.office).folderOptions(precision: 7, incomplete: false)
            options.replacesFullTown = replace
            try TownFolder.write(designed, to: target, options: options)
        } catch {
            throw .cannotStart(error.problems.map(\.description).joined(separator: "; "))
        }
        return Outcome(data: designed, report: report)
    }

    private static func checkTarget(_ folder: URL, replace: Bool) throws(JobError) {
        let name = folder.relativePath
        switch TownFolder.target(at: folder.resolvingSymlinksInPath()) {
        case .absent, .empty: return
        case .fullTown, .maskedExport:
            guard !replace else { return }
            throw .cannotStart("\(name) is a town folder already; choose another --out or pass --replace to write over it")
        case .foreign(let what):
            throw .cannotStart("\(name) is \(what); the partition writes a whole town folder there, so nothing was written; choose an empty or new --out")
        }
    }

    /// A range of whole numbers written `60..80`, `60-80` or `70` (just that number).
    public static func range(_ text: String, option: String) throws(JobError) -> ClosedRange<Int> {
        let parts = text.contains("..") ? text.components(separatedBy: "..") : text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), let low = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let high = Int(parts[parts.count - 1].trimmingCharacters(in: .whitespaces)), low >= 1, low <= high else {
            throw .invalidRequest("\(option) wants a range of whole numbers from 1 up like 60..80, not '\(text)'.")
        }
        return low...high
    }
}
