import GeoJSON
import GridMapCore

/// A resident as one role may see them, with where they live: the row behind a resident export
/// and a grid worker's visit list.
public struct ResidentRow: Sendable, Hashable {
    public var id: String
    /// The full name, or its mask (``PersonalDataMask/name(_:)``) when ``isMasked``.
    public var name: String
    public var homeID: String
    public var categories: [ResidentCategory]
    /// The phone number or its mask; nil when the register has none.
    public var phone: String?
    /// Nil when masked or unknown.
    public var birthYear: Int?
    /// The micro-grid of the resident's home (nil when the home lies in none).
    public var microGrid: GridCode?
    /// The home's representative point (the point itself, or its point-on-surface).
    public var location: Position?
    /// Whether name, phone and birth year were masked for the role that asked.
    public var isMasked: Bool

    /// The grid of the resident's home.
    public var grid: GridCode? { microGrid?.gridCode }

    /// `resident` as `role` may see them.
    public init(_ resident: Resident, microGrid: GridCode?, location: Position?, as role: ResidentRole) {
        let visible = role.seesDetails(ofResidentIn: microGrid?.gridCode)
        id = resident.id
        name = visible ? resident.name : PersonalDataMask.name(resident.name)
        homeID = resident.homeID
        categories = resident.categories
        phone = visible ? resident.phone : resident.phone.map(PersonalDataMask.phone)
        birthYear = visible ? resident.birthYear : nil
        self.microGrid = microGrid
        self.location = location
        isMasked = !visible
    }
}
