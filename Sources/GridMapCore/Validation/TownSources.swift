/// Where each item of a ``TownData`` came from, so that the validator's problems name the file and
/// the feature or line a person can fix, and what reading found before validation began.
///
/// For a town built in code (``layers(of:)``) every item's place is its layer and its index there.
/// The folder reader fills in files, feature indices and CSV lines, the problems it met while
/// reading, and the items it could not build at all (``unread``), so that a reference to one of
/// them is counted under the reason it was refused instead of being reported as missing.
struct TownSources: Sendable {
    /// One item's place: a file (or a layer) and a feature index or a line.
    struct Place: Hashable, Sendable {
        var file: String
        var featureIndex: Int?
        var line: Int?

        /// The place as a message mentions another item: "homes.geojson feature 3",
        /// "residents.csv line 7", "homes[3]".
        var reference: String {
            if let line { return "\(file) line \(line)" }
            guard let featureIndex else { return file }
            return file.contains(".") ? "\(file) feature \(featureIndex)" : "\(file)[\(featureIndex)]"
        }
    }

    /// The places of one layer's items, by index: as listed (a folder's features and lines), or
    /// the layer and the index itself (made only when a problem needs it).
    enum Places: Sendable {
        case layer(String)
        case listed(PlaceList)

        subscript(index: Int) -> Place {
            switch self {
            case .layer(let name): Place(file: name, featureIndex: index)
            case .listed(let places): places[index]
            }
        }
    }

    /// Places listed one per item, packed: each is the number of its file in a short table and
    /// its feature index or line, 16 bytes where a ``Place`` takes 48 (a folder of a million
    /// wells lists a million places). A listed place has a feature index or a line, not both.
    struct PlaceList: Sendable {
        private enum Number: UInt8, Sendable { case none, featureIndex, line }

        private struct Entry: Sendable {
            var value: Int
            var file: UInt32
            var number: Number
        }

        private var files: [String] = []
        private var entries: [Entry] = []

        init() {}

        init(_ places: some Sequence<Place>) {
            for place in places { append(place) }
        }

        var count: Int { entries.count }
        var first: Place? { entries.isEmpty ? nil : self[0] }

        subscript(index: Int) -> Place {
            let entry = entries[index]
            let file = files[Int(entry.file)]
            switch entry.number {
            case .none: return Place(file: file)
            case .featureIndex: return Place(file: file, featureIndex: entry.value)
            case .line: return Place(file: file, line: entry.value)
            }
        }

        mutating func append(_ place: Place) {
            assert(place.featureIndex == nil || place.line == nil, "a listed place has a feature index or a line")
            let file: Int
            if let last = files.indices.last, files[last] == place.file {
                file = last
            } else if let known = files.firstIndex(of: place.file) {
                file = known
            } else {
                files.append(place.file)
                file = files.count - 1
            }
            let entry: Entry
            if let line = place.line {
                entry = Entry(value: line, file: UInt32(file), number: .line)
            } else if let featureIndex = place.featureIndex {
                entry = Entry(value: featureIndex, file: UInt32(file), number: .featureIndex)
            } else {
                entry = Entry(value: 0, file: UInt32(file), number: .none)
            }
            entries.append(entry)
        }

        /// Forgets the places from `bounds` on (a pass over a file that is read again).
        mutating func removeSubrange(_ bounds: PartialRangeFrom<Int>) {
            entries.removeSubrange(bounds)
        }
    }

    /// What references can point at: villages by code, grids by code, map features by id.
    enum Target: Hashable, Sendable {
        case village(String)
        case grid(GridCode)
        case feature(String)
    }

    /// A value of one item that reading could not take (it said why), so that the validator does
    /// not report its absence again.
    struct ValuePlace: Hashable, Sendable {
        var place: Place
        var path: String
    }

    /// Where the town's own values (code, working CRS) come from, and the path of each; nil when
    /// they could not be read (the problem is already reported).
    var townValues: Place?
    var townCodePath: String
    var workingCRSPath: String
    /// Where the boundary comes from; nil when it could not be read.
    var boundary: Place?
    var villages: Places
    var grids: Places
    var microGrids: Places
    var features: Places
    var residents: Places
    var team: Places
    /// The file (or layer) that holds each feature kind, and the villages and grids, as a
    /// reference message names it: "homes.geojson", or "homes" for a town built in code.
    var villagesFile: String
    var gridsFile: String
    var featureFile: @Sendable (FeatureKind) -> String
    /// The files (or layers) in the order a report lists them; the folder itself is "".
    var fileOrder: [String]
    /// Problems found while reading, before validation; their order is kept.
    var problems: [TownProblem] = []
    /// Items declared in the input that reading could not build, with the index in ``problems``
    /// of the reason: a reference to one is not a missing reference.
    var unread: [Target: Int] = [:]
    /// Files (or layers) that are missing or could not be read to the end: references into them
    /// are not checked, since one problem with the file says more than one per reference.
    var incomplete: Set<String> = []
    var unreadValues: Set<ValuePlace> = []
    /// The working CRS's largest scale error over the town (``WorkingCRSFit``); nil when the user
    /// accepted any (`--accept-crs-error`).
    var scaleTolerance: Double? = WorkingCRSFit.scaleTolerance

    /// Every item at its layer and index, as for a town built in code.
    static func layers(of data: TownData) -> TownSources {
        var indexInLayer: [FeatureKind: Int] = [:]
        var featureLayers: [String] = []
        let features = PlaceList(data.features.lazy.map { feature in
            let index = indexInLayer[feature.kind, default: 0]
            indexInLayer[feature.kind] = index + 1
            if index == 0 { featureLayers.append(feature.kind.layerName) }
            return Place(file: feature.kind.layerName, featureIndex: index)
        })
        return TownSources(
            townValues: Place(file: "town"), townCodePath: "code", workingCRSPath: "workingCRS",
            boundary: Place(file: "town"),
            villages: .layer("villages"), grids: .layer("grids"), microGrids: .layer("microgrids"),
            features: .listed(features), residents: .layer("residents"), team: .layer("team"),
            villagesFile: "villages", gridsFile: "grids", featureFile: { $0.layerName },
            fileOrder: ["town", "villages", "grids", "microgrids"] + featureLayers + ["residents", "team"])
    }
}
