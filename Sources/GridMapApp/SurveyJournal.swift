import Foundation
import GridMapCore
import GridStore

/// A survey as a file (JSON Lines): campaigns started and visits recorded, as the generator
/// writes the reference town's, or as a paper survey is typed in afterwards. A line is
/// `{"do":"start","campaign":NAME,"grids":[CODE,…],"start":DAY,"by":WHO}` or
/// `{"do":"visit","campaign":NAME,"home":ID,"as":GRID/ROLE-OR-NAME,"day":DAY,"found":FINDING,"note":TEXT}`
/// (`note` optional). Every line is checked as `survey start` and `survey visit` check theirs,
/// against the campaigns before it, before anything is kept; then the new campaigns are started
/// and the visits recorded in one transaction. A visit that found changes (`"found":"changed"`)
/// lists them in `"changes"`, as `survey visit` takes them: `{"resident":ID,"phone":…,
/// "addCategories":[…],"removeCategories":[…],"name":…}`, `{"left":ID,"reason":…}`,
/// `{"newResident":NAME}`; they are recorded in the register's history with the visit.
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
        var changes: [Found]?
    }

    /// A change a visit found: `{"resident":ID,…fields}`, `{"left":ID,"reason":…}` or
    /// `{"newResident":NAME}`.
    private struct Found: Decodable {
        var resident: String?
        var addCategories: [String]?
        var removeCategories: [String]?
        var phone: String?
        var name: String?
        var left: String?
        var reason: String?
        var newResident: String?

        func change() throws(JobError) -> FoundChange {
            if let left { return .remove(resident: left, reason: reason ?? "") }
            if let newResident { return .add(RegisterDesk.ResidentFields(name: newResident)) }
            guard let resident else { throw .invalidRequest("a change names its \"resident\", \"left\" or \"newResident\"") }
            return .change(resident: resident, RegisterDesk.ResidentFields(
                name: name, addCategories: try RequestParsing.categoryNames(addCategories, field: "\"addCategories\"") ?? [],
                removeCategories: try RequestParsing.categoryNames(removeCategories, field: "\"removeCategories\"") ?? [], phone: phone))
        }
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
                    var changes: [FoundChange] = []
                    for found in line.changes ?? [] { changes.append(try found.change()) }
                    let request = VisitRequest(campaign: line.campaign, home: home, visitor: visitor, day: try day(line.day, "day"),
                                               finding: finding, note: line.note ?? "", changes: changes)
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
