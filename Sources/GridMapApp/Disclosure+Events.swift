import GridMapCore

/// What of an event each role sees: part of the one disclosure policy.
extension Disclosure {
    /// The residents an event concerns (who reported it, whom it is about): for those who see the
    /// residents of the event's grid.
    public func seesResidents(of event: EventCase) -> Bool {
        seesResidents(inGrid: event.report.grid)
    }

    /// The event's exact point: for everyone when the event concerns no resident; otherwise only
    /// for those who see its residents, since a welfare request at a home would point at the home.
    /// The others see its micro-grid.
    public func seesLocation(of event: EventCase) -> Bool {
        let concernsResidents = event.report.reportedByResident != nil || !event.report.residents.isEmpty
        return !concernsResidents || seesResidents(of: event)
    }
}
