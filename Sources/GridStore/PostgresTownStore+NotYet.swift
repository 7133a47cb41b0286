import Foundation
import GridMapCore

/// What the PostgreSQL store does not keep yet (issue #14): the event log with its inspections,
/// activities and attachments, the register's history and the survey. Each
/// operation throws ``StoreError/unsupported(what:store:)`` naming the part, before touching
/// the database, so that a server or command on this store says plainly what it cannot do.
extension PostgresTownStore {
    private func notYet(_ what: String) -> StoreError {
        .unsupported(what: what + " on PostgreSQL", store: location)
    }

    // MARK: EventLog

    private var events: EventLogError { .store(notYet("the event log (events, inspections, activities, attachments)")) }

    public func perform(_ operations: [EventLogOperation], uploads: [AttachmentUpload],
                        catalogue: EventCatalogue) throws(EventLogError) -> [EventLogResult] { throw events }
    public func attachmentBytes(_ sha256: String, from offset: Int, count: Int) throws(EventLogError) -> Data? { throw events }
    public func attachmentHashes() throws(EventLogError) -> [String] { throw events }
    public func event(_ id: String, catalogue: EventCatalogue) throws(EventLogError) -> EventCase? { throw events }
    public func forEachEvent(_ filter: EventFilter, catalogue: EventCatalogue,
                             _ body: (EventCase) throws(EventLogError) -> Void) throws(EventLogError) { throw events }
    public func forEachSummary(_ filter: EventFilter, _ body: (EventSummary) throws(EventLogError) -> Void) throws(EventLogError) {
        throw events
    }
    public func escalateOverdue(before time: Date, catalogue: EventCatalogue) throws(EventLogError)
        -> [(event: String, entry: EventEntry)] { throw events }
    public func inspections() throws(EventLogError) -> [Inspection] { throw events }
    public func findings(of inspection: String?) throws(EventLogError) -> [InspectionFinding] { throw events }
    public func activities(_ filter: EventFilter) throws(EventLogError) -> [Activity] { throw events }

    // MARK: RegisterLog

    private var register: RegisterError { .store(notYet("the register's history")) }

    public func registerStart() throws(RegisterError) -> RegisterDay? { throw register }
    public func recordChanges(_ requests: [RegisterChangeRequest], at time: Date) throws(RegisterError) -> [RegisterChange] {
        throw register
    }
    public func registerChanges(_ filter: RegisterFilter) throws(RegisterError) -> [RegisterChange] { throw register }
    public func registerPast(asOf day: RegisterDay) throws(RegisterError) -> RegisterPast { throw register }

    // MARK: SurveyLog

    private var survey: SurveyError { .store(notYet("the door-to-door survey")) }

    public func surveyCampaigns() throws(SurveyError) -> [SurveyCampaign] { throw survey }
    public func recordSurvey(starting campaigns: [SurveyCampaign], visits batch: [(visit: SurveyVisit, changes: [RegisterChangeRequest])])
        throws(SurveyError) -> [(visit: SurveyVisit, changes: [RegisterChange])] { throw survey }
    public func surveyVisits(campaign name: String) throws(SurveyError) -> [SurveyVisit] { throw survey }
}
