import Foundation
import GridMapCore
import GridStore

/// A survey as a file (JSON Lines): campaigns started and visits recorded, as the generator
/// writes the reference town's, or as a paper survey is typed in afterwards. A line is
/// `{"do":"start","campaign":NAME,"grids":[CODE,…],"start":DAY,"by":WHO}` or
/// `{"do":"visit","campaign":NAME,"home":ID,"as":GRID/ROLE-OR-NAME,"day":DAY,"found":FINDING,"note":TEXT}`
/// (`note` optional). Every line is checked as `survey start` and `survey visit` check theirs,
/// against the campaigns before it, before anything is kept; then the new campaigns are started
/// and the visits recorded in one transaction. A visit that found changes is recorded with
/// `survey visit` (the file carries no changes), so `found` is confirmed, nobody-home or
/// empty-house.
extension SurveyDesk {
    private struct Line: Decodable {
        var `do`: String
        var campaign: String
        var grids: [String]?
        var start: String?
        var by: String?
        var home: String?
        var `as`: String?
        var day: String?
        var found: String?
        var note: String?
    }

    /// Records the survey of `text` (from the file `name`, for messages); what was kept: the
    /// campaigns started and the visits recorded. A bad line is refused naming its line, and
    /// nothing is kept.
    public func importJournal(_ text: String, name: String, at time: Date = Date()) throws(JobError) -> (campaigns: Int, visits: Int) {
        var check = try VisitCheck(self)
        var started: [SurveyCampaign] = []
        var batch: [(visit: SurveyVisit, changes: [RegisterChangeRequest])] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let place = "\(name) line \(index + 1)"
            do throws(JobError) {
                let line: Line
                do {
                    line = try JSONDecoder().decode(Line.self, from: Data(trimmed.utf8))
                } catch {
                    throw .invalidRequest("not a survey line (\(error))")
                }
                func day(_ text: String?, _ key: String) throws(JobError) -> RegisterDay {
                    guard let text, let day = RegisterDay(text) else { throw .invalidRequest("\"\(key)\" wants a day YYYY-MM-DD") }
                    return day
                }
                switch line.do {
                case "start":
                    if check.campaigns.contains(where: { $0.name == line.campaign }) {
                        throw .conflict("a survey campaign named '\(line.campaign)' exists already")
                    }
                    let campaign = try Self.campaign(name: line.campaign, grids: line.grids ?? [], start: try day(line.start, "start"),
                                                     by: line.by ?? "", at: time, in: check.town)
                    check.campaigns.append(campaign)
                    started.append(campaign)
                case "visit":
                    guard let home = line.home, let visitor = line.as, let found = line.found else {
                        throw .invalidRequest("a visit names its \"home\", \"as\" and \"found\"")
                    }
                    guard let finding = SurveyFinding(rawValue: found) else {
                        throw .invalidRequest("\"found\" is \(SurveyFinding.allCases.map(\.rawValue).joined(separator: ", ")), not '\(found)'")
                    }
                    let request = VisitRequest(campaign: line.campaign, home: home, visitor: visitor, day: try day(line.day, "day"),
                                               finding: finding, note: line.note ?? "")
                    batch.append(try check.visit(request, at: time))
                default:
                    throw .invalidRequest("\"do\" is start or visit, not '\(line.do)'")
                }
            } catch {
                throw JobError(error.kind, "\(place): \(error.message)", details: error.details)
            }
        }
        // The campaigns and the visits are one transaction: a failure keeps neither.
        let kept = try surveyed { () throws(SurveyError) in try store.recordSurvey(starting: started, visits: batch) }
        return (started.count, kept.count)
    }
}
