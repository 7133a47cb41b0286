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
    /// Every campaign, in the order they were started.
    func surveyCampaigns() throws(SurveyError) -> [SurveyCampaign]

    /// Keeps the new `campaigns` (in order; ``SurveyError/duplicateCampaign(_:)`` when a name is
    /// taken), then records each visit of `batch` in order — first its changes by the register's
    /// rules (at the visit's `recordedAt`), then the visit with their sequence numbers — all in
    /// one transaction: everything is kept or nothing. A visit may be of a campaign this call
    /// starts. Returns each visit as kept.
    func recordSurvey(starting campaigns: [SurveyCampaign], visits batch: [(visit: SurveyVisit, changes: [RegisterChangeRequest])])
        throws(SurveyError) -> [(visit: SurveyVisit, changes: [RegisterChange])]

    /// The visits of the campaign `name`, in recording order.
    func surveyVisits(campaign name: String) throws(SurveyError) -> [SurveyVisit]
}

extension SurveyLog {
    /// Keeps a new campaign (``recordSurvey(starting:visits:)``).
    public func startSurvey(_ campaign: SurveyCampaign) throws(SurveyError) {
        _ = try recordSurvey(starting: [campaign], visits: [])
    }

    /// Records visits of campaigns already started, all or nothing (``recordSurvey(starting:visits:)``).
    public func recordVisits(_ batch: [(visit: SurveyVisit, changes: [RegisterChangeRequest])]) throws(SurveyError)
        -> [(visit: SurveyVisit, changes: [RegisterChange])] {
        try recordSurvey(starting: [], visits: batch)
    }

    /// Records one visit and its changes (``recordSurvey(starting:visits:)``).
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
