import Foundation
import GridMapCore

/// The survey's records in memory, beside the register under the same lock: a visit's changes
/// go through the register's own path, and the state changes only when both succeed.
extension InMemoryTownStore {
    public func surveyCampaigns() throws(SurveyError) -> [SurveyCampaign] {
        withState { $0.campaigns }
    }

    public func recordSurvey(starting started: [SurveyCampaign], visits batch: [(visit: SurveyVisit, changes: [RegisterChangeRequest])])
        throws(SurveyError) -> [(visit: SurveyVisit, changes: [RegisterChange])] {
        try withState { (state: inout State) -> Result<[(visit: SurveyVisit, changes: [RegisterChange])], SurveyError> in
            var next = state
            for campaign in started {
                if next.campaigns.contains(where: { $0.name == campaign.name }) { return .failure(.duplicateCampaign(campaign.name)) }
                next.campaigns.append(campaign)
            }
            var kept: [(visit: SurveyVisit, changes: [RegisterChange])] = []
            for (visit, requests) in batch {
                guard next.campaigns.contains(where: { $0.name == visit.campaign }) else { return .failure(.unknownCampaign(visit.campaign)) }
                var changes: [RegisterChange] = []
                if !requests.isEmpty {
                    do throws(RegisterError) {
                        changes = try Self.record(requests, at: visit.recordedAt, &next)
                    } catch {
                        return .failure(.register(error))
                    }
                }
                var visit = visit
                visit.sequence = next.visits.count + 1
                visit.changes = changes.map(\.sequence)
                next.visits.append(visit)
                kept.append((visit, changes))
            }
            state = next
            return .success(kept)
        }.get()
    }

    public func surveyVisits(campaign name: String) throws(SurveyError) -> [SurveyVisit] {
        withState { state in state.visits.filter { $0.campaign == name } }
    }
}
