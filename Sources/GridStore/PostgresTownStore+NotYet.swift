import Foundation
import GridMapCore

/// What the PostgreSQL store does not keep yet (issue #14): the register's history and the
/// survey. Each
/// operation throws ``StoreError/unsupported(what:store:)`` naming the part, before touching
/// the database, so that a server or command on this store says plainly what it cannot do.
extension PostgresTownStore {
    private func notYet(_ what: String) -> StoreError {
        .unsupported(what: what + " on PostgreSQL", store: location)
    }

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

    public func startSurvey(_ campaign: SurveyCampaign) throws(SurveyError) { throw survey }
    public func surveyCampaigns() throws(SurveyError) -> [SurveyCampaign] { throw survey }
    public func recordVisits(_ batch: [(visit: SurveyVisit, changes: [RegisterChangeRequest])]) throws(SurveyError)
        -> [(visit: SurveyVisit, changes: [RegisterChange])] { throw survey }
    public func surveyVisits(campaign name: String) throws(SurveyError) -> [SurveyVisit] { throw survey }
}
