import GEOS
import GeoJSON
import PROJ

/// The one set of rules town data must keep, checked in one pass that reports every problem.
///
/// The rules: the town code is upper-case letters and the working CRS a projected CRS PROJ knows,
/// in metres, that fits the town (``WorkingCRSFit``: area of use, no collapse, true distances);
/// codes and ids are present, well-formed, of the right level and of this town, and used once
/// (villages, grids, micro-grids, map features, residents); references resolve (grid → village,
/// micro-grid → grid, resident → home, team member → grid); each feature kind's property rules
/// (``FeatureKind/propertyProblems(in:)``) and reserved keys hold; every geometry is valid for
/// GEOS, and the boundary, grids and micro-grids are non-empty polygons.
///
/// A problem has one cause. A reference to an item that exists but was refused (a home whose
/// polygon is invalid, a grid whose feature could not be read) is not reported again: it is
/// counted under that item's problem ("… (3 residents refer to it)"); only a reference to
/// something absent from the input is a reference problem.
///
/// `TownFolder.read` runs it on what it read, so that a folder's report names files, features and
/// lines; the store's import runs it on whatever ``TownData`` it is given, naming layers and
/// indices. The feature checks, most of the work, run on all cores with a GEOS context per worker.
public enum TownValidator {
    /// What a caller makes of each feature that passed (the store: its row), given the feature's
    /// GEOS geometry. Called on the worker that checked the feature; the geometry lives in that
    /// worker's context and must not leave the call.
    public typealias RowMaker<Row> = @Sendable (MapFeature, GEOSGeometry) throws(RowRefusal) -> Row

    /// Why a feature that passed the rules could still not be made into a row.
    public struct RowRefusal: Error, Sendable {
        public var kind: TownProblem.Kind
        public var message: String

        public init(_ kind: TownProblem.Kind, _ message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// Every problem of a town built in code, each naming its layer, index and id, in layer order.
    public static func problems(in data: TownData) -> [TownProblem] {
        validate(data, sources: .layers(of: data), makingRows: nil as RowMaker<Void>?).problems
    }

    /// Every problem of a town whose features were read from another source (GDAL: a
    /// GeoPackage, an OSM file, …), each feature's problems naming where it came from —
    /// `featurePlaces[i]`, a file and layer and the feature's number there — instead of its
    /// layer and index; the town's own items keep their layer names. A town found clean is
    /// marked validated (``TownData/isValidated``), so that the store's import does not check it again.
    /// `acceptsWorkingCRSScaleError` waives the working CRS's scale rule, as `--accept-crs-error` does.
    public static func validate(_ data: inout TownData, featurePlaces: [(file: String, feature: Int)],
                                acceptsWorkingCRSScaleError: Bool = false) -> [TownProblem] {
        precondition(featurePlaces.count == data.features.count, "one place per feature")
        var sources = TownSources.layers(of: data)
        sources.features = .listed(TownSources.PlaceList(featurePlaces.map { TownSources.Place(file: $0.file, featureIndex: $0.feature) }))
        var files: [String] = []
        for place in featurePlaces where files.last != place.file && !files.contains(place.file) { files.append(place.file) }
        sources.fileOrder = ["town", "villages", "grids", "microgrids"] + files
        if acceptsWorkingCRSScaleError { sources.scaleTolerance = nil }
        let problems = validate(data, sources: sources, makingRows: nil as RowMaker<Void>?).problems
        if problems.isEmpty { data.isValidated = true }
        return problems
    }

    /// Every problem of `data`, and for each feature (in order) the row `makeRow` made of it, or
    /// nil when the feature broke a rule or `makeRow` refused it. A value already validated
    /// (``TownData/isValidated``) is not checked again: only its rows are made.
    public static func validate<Row: Sendable>(
        _ data: TownData, makingRows makeRow: @escaping RowMaker<Row>
    ) -> (problems: [TownProblem], rows: [Row?]) {
        validate(data, sources: .layers(of: data), makingRows: makeRow)
    }

    /// The row `makeRow` makes of each of `features`, whose rules are known to hold (a validated
    /// town's), on all cores, in order; or why it could not be made (the message after the path
    /// inside the feature, if any). A store makes its rows a chunk at a time with this as it
    /// writes them, so that it never holds every row beside the town.
    public static func rows<Row: Sendable>(
        of features: ArraySlice<MapFeature>, makingRows makeRow: @escaping RowMaker<Row>
    ) -> [Result<Row, RowRefusal>] {
        FeatureCheck.run(Array(features), makingRows: makeRow, rulesHeld: true).map { check in
            if let row = check.row { return .success(row) }
            // With the rules held, a feature without a row has exactly one problem: why.
            let problem = check.problems.first ?? .init(kind: .geometry, path: "", message: "no row was made")
            return .failure(RowRefusal(problem.kind, problem.path.isEmpty ? problem.message : problem.path + ": " + problem.message))
        }
    }

    static func validate<Row: Sendable>(
        _ data: TownData, sources: TownSources, makingRows makeRow: RowMaker<Row>?
    ) -> (problems: [TownProblem], rows: [Row?]) {
        var validation = Validation(sources: sources)
        if data.isValidated, let makeRow {
            let rows = validation.makeRows(data.features, makingRows: makeRow)
            return (validation.finished(), rows)
        }
        validation.checkTown(data.town)
        validation.checkVillages(data.villages)
        validation.checkGrids(data.grids, town: data.town.code)
        validation.checkMicroGrids(data.microGrids, town: data.town.code)
        let rows = validation.checkFeatures(data.features, makingRows: makeRow)
        validation.checkResidents(data.residents)
        validation.checkTeam(data.team)
        return (validation.finished(), rows)
    }
}

/// The state of one validation: the problems so far, what each reference can point at, and which
/// problems refused an item that others refer to.
private struct Validation {
    typealias Place = TownSources.Place
    typealias Target = TownSources.Target

    let sources: TownSources
    var problems: [TownProblem]
    /// Everything a reference can resolve to, with the index of the problem that refused it, if any.
    var declared: [Target: Int?] = [:]
    /// The index of each feature id's first use, and the features refused for a problem of
    /// their own, with that problem's index: what residents' homes are checked against.
    var features: [MapFeature] = []
    var featureIDs = FeatureIDIndex([])
    var refusedFeatures: [String: Int] = [:]
    /// Per refusing problem, how many items of each kind (plural noun) refer to the refused item.
    var dependents: [Int: [String: Int]] = [:]
    /// The GEOS context of the caller's thread, for the boundary, grids and micro-grids.
    let context = GEOSContext()

    init(sources: TownSources) {
        self.sources = sources
        problems = sources.problems
        for (target, cause) in sources.unread { declared[target] = cause }
    }

    /// Records a problem of the item at `place`; returns its index.
    @discardableResult
    mutating func report(_ kind: TownProblem.Kind, _ place: Place, path: String = "", id: String?,
                         _ message: String) -> Int {
        problems.append(TownProblem(kind, file: place.file, featureIndex: place.featureIndex, line: place.line,
                                    path: path, id: id.flatMap { $0.isEmpty ? nil : $0 }, message: message))
        return problems.count - 1
    }

    /// The first problem since `mark` that refuses the item itself: a problem with its own
    /// code, properties or geometry. (A dangling reference of the item's own is not what its
    /// referrers depend on.)
    func refusal(since mark: Int) -> Int? {
        problems.indices[mark...].first { problems[$0].kind != .reference }
    }

    /// Declares `target` as existing, refused by ``refusal(since:)`` if anything refused it.
    mutating func declare(_ target: Target, problemsSince mark: Int) {
        let cause = refusal(since: mark)
        if let earlier = declared[target] {
            // A duplicate: the first declaration stands, unless it was only unread.
            if earlier == nil { return }
        }
        declared[target] = cause
    }

    /// Whether `target` exists; a reference to a refused item counts under its cause instead.
    /// `file` is the file or layer that would hold it: references into an incomplete one are
    /// not checked.
    mutating func resolves(_ target: Target, in file: String, referrer noun: String) -> Bool {
        if sources.incomplete.contains(file) { return true }
        guard let cause = declared[target] else { return false }
        if let cause { dependents[cause, default: [:]][noun, default: 0] += 1 }
        return true
    }

    // MARK: Town, villages, grids, micro-grids

    mutating func checkTown(_ town: Town) {
        let mark = problems.count
        if let boundary = sources.boundary { checkArea(town.boundary, boundary, id: town.code) }
        let boundaryIsValid = sources.boundary != nil && problems.count == mark
        guard let place = sources.townValues else { return }
        func wasRead(_ path: String) -> Bool { !sources.unreadValues.contains(.init(place: place, path: path)) }
        if wasRead(sources.townCodePath), GridCode(town: town.code, grid: 1) == nil {
            report(.code, place, path: sources.townCodePath, id: town.code,
                   "town code \"\(town.code)\" must be upper-case ASCII letters, e.g. \"DC\"")
        }
        guard wasRead(sources.workingCRSPath) else { return }
        if ChineseMapOffset(town.workingCRS) != nil {
            // GCJ-02 and BD-09 are shifted longitude/latitude, for input only.
            let kind = boundaryIsValid ? WorkingCRSFit.suitableKind(for: town.boundary) : nil
            report(.crs, place, path: sources.workingCRSPath, id: town.code,
                   "\"\(town.workingCRS)\" is an online map's offset longitude/latitude (distances in degrees); the working CRS must be \(kind ?? "a projected CRS in metres")")
            return
        }
        do {
            // The rule of ``Projection/init(workingCRS:)``, without building a transformation.
            let crs = try CRS(town.workingCRS)
            if crs.isGeographic {
                let kind = boundaryIsValid ? WorkingCRSFit.suitableKind(for: town.boundary) : nil
                report(.crs, place, path: sources.workingCRSPath, id: town.code,
                       "\"\(town.workingCRS)\" is geographic (distances in degrees); the working CRS must be \(kind ?? "a projected CRS in metres")")
            } else if let unit = crs.metresPerProjectedUnit, unit != 1 {
                report(.crs, place, path: sources.workingCRSPath, id: town.code,
                       "\"\(town.workingCRS)\" is projected in units of \(unit) m; the working CRS must be in metres")
            } else if crs.metresPerProjectedUnit == nil {
                report(.crs, place, path: sources.workingCRSPath, id: town.code,
                       "\"\(town.workingCRS)\" is not projected; the working CRS must be projected, in metres")
            } else if boundaryIsValid, let problem = WorkingCRSFit.problem(boundary: town.boundary, crs: crs, context: context,
                                                                                        scaleTolerance: sources.scaleTolerance) {
                report(.crs, place, path: sources.workingCRSPath, id: town.code, problem)
            }
        } catch {
            report(.crs, place, path: sources.workingCRSPath, id: town.code, "unknown CRS \"\(town.workingCRS)\": \(error)")
        }
    }

    mutating func checkVillages(_ villages: [Village]) {
        var first: [String: Int] = [:]
        for (index, village) in villages.enumerated() {
            let mark = problems.count
            checkUnique(village.code, village.code, noun: "village code", path: "properties.code", sources.villages, index, in: &first)
            checkText([("code", village.code), ("name", village.name)], sources.villages[index], id: village.code)
            declare(.village(village.code), problemsSince: mark)
        }
    }

    mutating func checkGrids(_ grids: [Grid], town: String) {
        var first: [GridCode: Int] = [:]
        for (index, grid) in grids.enumerated() {
            let place = sources.grids[index]
            let mark = problems.count
            let id = grid.code.description
            checkCode(grid.code, micro: false, town: town, place, id: id)
            if grid.villageCode.isEmpty {
                if !sources.unreadValues.contains(.init(place: place, path: "properties.village")) {
                    report(.property, place, path: "properties.village", id: id, "missing required property \"village\"")
                }
            } else if !resolves(.village(grid.villageCode), in: sources.villagesFile, referrer: "grids") {
                report(.reference, place, path: "properties.village", id: id,
                       "village \"\(grid.villageCode)\" is not in \(sources.villagesFile)")
            }
            checkUnique(grid.code, id, noun: "grid code", path: "properties.code", sources.grids, index, in: &first)
            checkText([("name", grid.name)], place, id: id)
            checkArea(grid.geometry, place, id: id)
            declare(.grid(grid.code), problemsSince: mark)
        }
    }

    mutating func checkMicroGrids(_ microGrids: [MicroGrid], town: String) {
        var first: [GridCode: Int] = [:]
        for (index, microGrid) in microGrids.enumerated() {
            let place = sources.microGrids[index]
            let id = microGrid.code.description
            checkCode(microGrid.code, micro: true, town: town, place, id: id)
            if microGrid.code.isMicroGrid,
               !resolves(.grid(microGrid.gridCode), in: sources.gridsFile, referrer: "micro-grids") {
                report(.reference, place, path: "properties.code", id: id,
                       "micro-grid \"\(id)\" belongs to grid \"\(microGrid.gridCode)\", which is not in \(sources.gridsFile)")
            }
            checkUnique(microGrid.code, id, noun: "micro-grid code", path: "properties.code", sources.microGrids, index, in: &first)
            checkText([("name", microGrid.name)], place, id: id)
            checkArea(microGrid.geometry, place, id: id)
        }
    }

    /// A grid or micro-grid code of the right level and of this town (when the town's own code
    /// is well-formed: otherwise every code would be foreign).
    mutating func checkCode(_ code: GridCode, micro: Bool, town: String, _ place: Place, id: String) {
        if code.isMicroGrid != micro {
            report(.code, place, path: "properties.code", id: id, micro
                   ? "\"\(id)\" is a grid code, expected a micro-grid code such as DC-017-2"
                   : "\"\(id)\" is a micro-grid code, expected a grid code such as DC-017")
        }
        if code.town != town, GridCode(town: town, grid: 1) != nil {
            report(.code, place, path: "properties.code", id: id, "code \"\(id)\" is not of this town (\"\(town)\")")
        }
    }

    /// Whether `key` (whose text is `text`) is present and used for the first time; reports an
    /// empty one and a second use, naming the first.
    @discardableResult
    mutating func checkUnique<Key: Hashable>(_ key: Key, _ text: String, noun: String, path: String = "",
                                             _ places: TownSources.Places, _ index: Int, in first: inout [Key: Int]) -> Bool {
        let isFirst = checkUnique(text, noun: noun, path: path, places, index, firstUse: text.isEmpty ? nil : first[key])
        if isFirst { first[key] = index }
        return isFirst
    }

    /// Whether `text` is present and used for the first time (`firstUse` is the index of an
    /// earlier use); reports an empty one and a second use, naming the first.
    mutating func checkUnique(_ text: String, noun: String, path: String, _ places: TownSources.Places, _ index: Int,
                              firstUse earlier: Int?) -> Bool {
        if text.isEmpty {
            report(.code, places[index], path: path, id: nil, "\(noun) is empty")
        } else if let earlier {
            report(.duplicate, places[index], path: path, id: text,
                   "\(noun) \"\(text)\" is used twice (first in \(places[earlier].reference))")
        } else {
            return true
        }
        return false
    }

    /// The boundary, a grid or a micro-grid: a valid, non-empty Polygon or MultiPolygon.
    mutating func checkArea(_ geometry: Geometry, _ place: Place, id: String) {
        if case .failure(let refusal) = GeometryCheck.geos(geometry, polygonal: true, in: context) {
            report(.geometry, place, path: "geometry", id: id, refusal.message)
        }
    }

    // MARK: Features, residents, team

    /// Ids and duplicates here, in order; the rest of each feature's checks in ``FeatureCheck``,
    /// on all cores.
    mutating func checkFeatures<Row: Sendable>(
        _ features: [MapFeature], makingRows makeRow: TownValidator.RowMaker<Row>?
    ) -> [Row?] {
        self.features = features
        let checks = FeatureCheck.run(features, makingRows: makeRow)
        featureIDs = FeatureIDIndex(features)
        var rows: [Row?] = []
        rows.reserveCapacity(features.count)
        for ((index, feature), check) in zip(features.enumerated(), checks) {
            let mark = problems.count
            let id = feature.id
            let isFirst = checkUnique(id, noun: "id", path: "id", sources.features, index,
                                      firstUse: id.isEmpty ? nil : featureIDs.firstIndex(of: id))
            if isFirst { featureIDs.insert(index) }
            for problem in check.problems {
                report(problem.kind, sources.features[index], path: problem.path, id: feature.id, problem.message)
            }
            if isFirst, let cause = refusal(since: mark) { refusedFeatures[feature.id] = cause }
            rows.append(problems.count == mark ? check.row : nil)
        }
        return rows
    }

    /// The rows of features whose rules are known to hold; the problems only `makeRow` can find.
    mutating func makeRows<Row: Sendable>(_ features: [MapFeature], makingRows makeRow: @escaping TownValidator.RowMaker<Row>) -> [Row?] {
        let checks = FeatureCheck.run(features, makingRows: makeRow, rulesHeld: true)
        for (index, check) in checks.enumerated() {
            for problem in check.problems {
                report(problem.kind, sources.features[index], path: problem.path, id: features[index].id, problem.message)
            }
        }
        return checks.map { $0.row }
    }

    mutating func checkResidents(_ residents: [Resident]) {
        let homesFile = sources.featureFile(.home)
        var first: [String: Int] = [:]
        first.reserveCapacity(residents.count)
        for (index, resident) in residents.enumerated() {
            let id = resident.id
            checkUnique(id, id, noun: "resident id", sources.residents, index, in: &first)
            if resident.name.isEmpty { report(.property, sources.residents[index], id: id, "empty name") }
            checkText([("id", id), ("name", resident.name), ("home", resident.homeID), ("phone", resident.phone ?? "")],
                      sources.residents[index], id: id)
            checkHome(of: resident, index, homesFile: homesFile)
            // A resident has a handful of categories: comparing pairs allocates no set per resident.
            let categories = resident.categories
            if categories.indices.contains(where: { categories[..<$0].contains(categories[$0]) }) {
                report(.property, sources.residents[index], id: id, "categories repeat")
            }
        }
    }

    mutating func checkHome(of resident: Resident, _ index: Int, homesFile: String) {
        let home = resident.homeID
        if home.isEmpty {
            report(.property, sources.residents[index], id: resident.id, "empty home")
        } else if let feature = featureIDs.firstIndex(of: home) {
            let kind = features[feature].kind
            if kind != .home {
                report(.reference, sources.residents[index], id: resident.id, "home \"\(home)\" is a \(kind), not a home")
            } else if !refusedFeatures.isEmpty, let cause = refusedFeatures[home] {
                dependents[cause, default: [:]]["residents", default: 0] += 1
            }
        } else if !resolves(.feature(home), in: homesFile, referrer: "residents") {
            report(.reference, sources.residents[index], id: resident.id, "home \"\(home)\" is not in \(homesFile)")
        }
    }

    mutating func checkTeam(_ team: [TeamMember]) {
        for (index, member) in team.enumerated() {
            let place = sources.team[index]
            let grid = member.gridCode
            if grid.isMicroGrid {
                report(.code, place, id: member.name, "\"\(grid)\" is a micro-grid code; a team serves a grid such as DC-017")
            } else if !resolves(.grid(grid), in: sources.gridsFile, referrer: "team members") {
                report(.reference, place, id: member.name, "grid \"\(grid)\" is not in \(sources.gridsFile)")
            }
            if member.name.isEmpty { report(.property, place, id: nil, "empty name") }
            checkText([("name", member.name), ("phone", member.phone ?? ""), ("unit", member.unit ?? "")], place, id: member.name)
        }
    }

    /// ``TextRule`` for each (field, text) of one item.
    mutating func checkText(_ fields: [(name: String, text: String)], _ place: Place, id: String?) {
        for field in fields {
            if let problem = TextRule.problem(field.text, field: field.name) { report(.property, place, id: id, problem) }
        }
    }

    // MARK: The report

    /// The problems, each refusing problem followed by how many items refer to what it refused,
    /// sorted by file (in ``TownSources/fileOrder``) and by feature or line within a file.
    mutating func finished() -> [TownProblem] {
        for (index, counts) in dependents {
            let parts = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.value == 1 ? String($0.key.dropLast()) : $0.key)" }
            let total = counts.values.reduce(0, +)
            problems[index].message += " (\(parts.joined(separator: " and ")) refer\(total == 1 ? "s" : "") to it)"
        }
        var rank: [String: Int] = [:]
        for file in sources.fileOrder where rank[file] == nil { rank[file] = rank.count }
        for problem in problems where rank[problem.file] == nil { rank[problem.file] = rank.count }
        return problems.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            let (rx, ry) = (rank[x.file] ?? 0, rank[y.file] ?? 0)
            if rx != ry { return rx < ry }
            let (px, py) = (x.featureIndex ?? x.line.map { $0 - 1 } ?? -1, y.featureIndex ?? y.line.map { $0 - 1 } ?? -1)
            return px != py ? px < py : a.offset < b.offset
        }.map(\.element)
    }
}
