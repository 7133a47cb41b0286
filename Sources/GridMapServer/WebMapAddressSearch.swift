import GeoJSON
import GridMapApp
import GridMapCore
import Hummingbird

/// The map's address search: the text a user types is matched to the town's homes as `gridmap
/// assign` matches a ledger's addresses (``AddressMatcher``: exact text, then the normalised key
/// — 庄 for 村, 十二号, full-width digits —, then villages by edit distance), so a search finds
/// what the ledger job would. Built once when the server starts, from the homes the town service
/// read; immutable, so every request shares it. Homes and their addresses are public map data.
struct WebMapAddressSearch: Sendable {
    private let matcher: AddressMatcher
    private let homes: [String: MapFeature]

    init(town: LoadedTown) {
        let homes = town.data.features.filter { $0.kind == .home }
        matcher = AddressMatcher(homes: homes, townName: town.data.town.name)
        self.homes = Dictionary(homes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The homes `text` names (one when the match is certain, up to
    /// ``AddressMatcher/maxCandidates`` when it is ambiguous), or why none.
    struct Answer: ResponseEncodable {
        struct Home: Encodable {
            var id: String
            var name: String
            var address: String?
            var lon: Double?
            var lat: Double?
            var confidence: Double
        }
        var homes: [Home]
        var method: String?
        var unmatched: String?
    }

    func search(_ text: String) -> Answer {
        switch matcher.match(text) {
        case .matched(let id, let method, let confidence):
            return Answer(homes: [home(id, confidence)].compactMap { $0 }, method: method.rawValue)
        case .ambiguous(let candidates):
            return Answer(homes: candidates.compactMap { home($0.homeID, $0.confidence) }, method: "ambiguous")
        case .unmatched(let reason):
            return Answer(homes: [], unmatched: reason.description)
        }
    }

    private func home(_ id: String, _ confidence: Double) -> Answer.Home? {
        guard let feature = homes[id] else { return nil }
        var position: Position?
        if case .point(let point) = feature.geometry { position = point }
        var address: String?
        if case .string(let text)? = feature.properties["address"] { address = text }
        return Answer.Home(id: id, name: feature.name, address: address, lon: position?.x, lat: position?.y, confidence: confidence)
    }
}
