import Foundation
import GridMapCore

/// The door-to-door survey's records (docs/LEDGERS.md): campaigns and the visits of homes, kept
/// append-only beside the register. A visit that found changes records them as ordinary
/// register changes (``RegisterLog``) in the same transaction: both are kept or neither.
/// A requirement of every ``TownStore``.
///
/// The store checks only what it must to stay whole (a campaign named once, a visit of a
/// campaign it has, the register's rules for the changes); what a visit may be — a home of
/// the campaign's grids, a day in the campaign, a visitor of the grid's team — is the
/// application's rule, checked before it asks.
public protocol SurveyLog: Sendable {
    /// Keeps a new campaign; ``SurveyError/duplicateCampaign(_:)`` when the name is taken.
    func startSurvey(_ campaign: SurveyCampaign) throws(SurveyError)

    /// Every campaign, in the order they were started.
    func surveyCampaigns() throws(SurveyError) -> [SurveyCampaign]

    /// Records each visit of `batch` in order — first its changes by the register's rules (at
    /// the visit's `recordedAt`), then the visit with their sequence numbers — all in one
    /// transaction: everything is kept or nothing. Returns each as kept.
    func recordVisits(_ batch: [(visit: SurveyVisit, changes: [RegisterChangeRequest])]) throws(SurveyError)
        -> [(visit: SurveyVisit, changes: [RegisterChange])]

    /// The visits of the campaign `name`, in recording order.
    func surveyVisits(campaign name: String) throws(SurveyError) -> [SurveyVisit]
}

extension SurveyLog {
    /// Records one visit and its changes (``recordVisits(_:)``).
    public func recordVisit(_ visit: SurveyVisit, changes: [RegisterChangeRequest]) throws(SurveyError)
        -> (visit: SurveyVisit, changes: [RegisterChange]) {
        guard let kept = try recordVisits([(visit, changes)]).first else { throw .store(.corrupt("a recorded visit went missing")) }
        return kept
    }
}

/// Why the store kept nothing of a survey request.
public enum SurveyError: Error, Sendable, Hashable, CustomStringConvertible {
    case duplicateCampaign(String)
    case unknownCampaign(String)
    /// The visit's changes were refused (or the register has not begun).
    case register(RegisterError)
    case store(StoreError)

    public var description: String {
        switch self {
        case .duplicateCampaign(let name): "a survey campaign named '\(name)' exists already"
        case .unknownCampaign(let name): "there is no survey campaign named '\(name)'"
        case .register(let error): error.description
        case .store(let error): error.description
        }
    }

    /// Runs `body` as ``RegisterError/wrapping(_:_:)`` does, keeping a survey error as it is
    /// and a store error as ``store(_:)``.
    static func wrapping<T>(_ operation: String, _ body: () throws -> T) throws(SurveyError) -> T {
        var thrown: SurveyError?
        do {
            return try RegisterError.wrapping(operation) {
                do { return try body() } catch let error as SurveyError { thrown = error; throw error }
            }
        } catch {
            if let thrown { throw thrown }
            if case .store(let store) = error { throw .store(store) }
            throw .register(error)
        }
    }
}
