import Foundation
import GEOS
import GeoJSON
import GridMapCore
import Testing

/// `--make-valid` and `--snap`: repairs on request, each one reported, nothing mended without them.
@Suite("Repairing a town on request")
struct TownRepairTests {
    /// A field whose ring crosses itself: (0,0) → (100,100) → (100,0) → (0,100) in metres, two
    /// triangles of 2,500 m² meeting at (50,50).
    static func bowTie() -> MapFeature {
        MapFeature(id: "field-bow", kind: .field, name: "bow-tie",
                   geometry: CoverageFixtures.polygon([(0, 0), (100, 100), (100, 0), (0, 100)]))
    }

    static func town(with features: [MapFeature]) -> TownData {
        var data = CoverageFixtures.cleanTown()
        data.features += features
        return data
    }

    static func area(_ geometry: Geometry, in data: TownData) throws -> Double {
        try Projection(workingCRS: data.town.workingCRS).area(of: geometry, context: GEOSContext())
    }

    @Test("a self-intersecting bow-tie becomes two triangles of the same area, and the report says so")
    func bowTieMadeValid() throws {
        var data = Self.town(with: [Self.bowTie()])
        let report = try TownRepair.repair(&data, options: RepairOptions(makesValid: true))
        let repaired = try #require(data.features.first { $0.id == "field-bow" })
        guard case .multiPolygon(let parts) = repaired.geometry else {
            Issue.record("expected a MultiPolygon, got \(repaired.geometry.typeName)")
            return
        }
        #expect(parts.count == 2)
        // Known answer: two right triangles of 100 m × 50 m.
        #expect(abs(try Self.area(repaired.geometry, in: data) - 5000) < 5)
        // Differential: the area GEOS gives its own MakeValid of the projected bow-tie.
        let projection = try Projection(workingCRS: data.town.workingCRS)
        let context = GEOSContext()
        let geosArea = try projection.transform(Self.bowTie().geometry).geosGeometry(in: context).makeValid().area()
        #expect(abs(try Self.area(repaired.geometry, in: data) - geosArea) < 1e-6 * geosArea)
        #expect(report.changes.count == 1)
        let line = report.changes[0].description
        #expect(line.hasPrefix("fields.geojson: field-bow: made valid: Self-intersection at ("), "\(line)")
        #expect(line.contains("now a MultiPolygon of 2 parts, area 5"), "\(line)")
        #expect(TownValidator.problems(in: data).allSatisfy { $0.kind != .geometry })
    }

    @Test("without --make-valid the bow-tie is left as it is and validation names it")
    func nothingMendedUnasked() throws {
        var data = Self.town(with: [Self.bowTie()])
        let before = data
        let report = try TownRepair.repair(&data, options: RepairOptions())
        #expect(report.changes.isEmpty)
        #expect(data == before)
        let problems = TownValidator.problems(in: data).filter { $0.kind == .geometry }
        #expect(problems.count == 1)
        #expect(problems.first?.description.contains("Self-intersection") == true)
    }

    @Test("a ring with too few points is dropped, named, and the rest of the polygon kept")
    func collapsedRingDropped() throws {
        let square = CoverageFixtures.polygon(CoverageFixtures.rectangle(0, 0, 50, 50))
        guard case .polygon(let squareRings) = square else { return }
        let a = CoverageFixtures.position(200, 200), b = CoverageFixtures.position(210, 200)
        let degenerate: [[Position]] = [[a, b, a, a]]
        let field = MapFeature(id: "field-thin", kind: .field, name: "", geometry: .multiPolygon([squareRings, degenerate]))
        var data = Self.town(with: [field])
        #expect(TownValidator.problems(in: data).contains { $0.kind == .geometry })
        let report = try TownRepair.repair(&data, options: RepairOptions(makesValid: true))
        let repaired = try #require(data.features.first { $0.id == "field-thin" })
        #expect(repaired.geometry == .multiPolygon([squareRings]))
        let line = try #require(report.changes.first).description
        #expect(line.contains("exterior ring with too few points (2 distinct)"), "\(line)")
        #expect(line.contains("dropped a polygon whose exterior ring collapses"), "\(line)")
        #expect(TownValidator.problems(in: data).allSatisfy { $0.kind != .geometry })
    }

    @Test("a polygon with nothing left is not dropped: it is left as it was and validation refuses it")
    func wholeCollapseLeft() throws {
        let a = CoverageFixtures.position(200, 200), b = CoverageFixtures.position(210, 200)
        let field = MapFeature(id: "field-line", kind: .field, name: "", geometry: .polygon([[a, b, a, a]]))
        var data = Self.town(with: [field])
        let report = try TownRepair.repair(&data, options: RepairOptions(makesValid: true))
        #expect(data.features.last?.geometry == field.geometry)
        #expect(report.changes.map(\.action) == [.leftAsIs])
        #expect(TownValidator.problems(in: data).contains { $0.kind == .geometry })
    }

    @Test("a snap tolerance that is not a small positive number of metres is refused")
    func toleranceChecked() {
        for tolerance in [0, -1, 5, .nan, .infinity] {
            var data = CoverageFixtures.cleanTown()
            #expect(throws: RepairError.self) { try TownRepair.repair(&data, options: RepairOptions(snapTolerance: tolerance)) }
        }
    }

    // MARK: Snapping Dacun's micro-grids written at 6 decimals

    static func dacunWithMicroGridsAt6Decimals() throws -> TownData {
        var data = try TownFolder.read(from: BundledTownCoverageTests.folder)
        for index in data.microGrids.indices {
            data.microGrids[index].geometry = data.microGrids[index].geometry.mapPositions { position in
                Position(x: (position.x * 1e6).rounded() / 1e6, y: (position.y * 1e6).rounded() / 1e6)
            }
        }
        return data
    }

    @Test("Dacun's micro-grids rounded to 6 decimals give slivers, and --snap 0.1 makes the town validate clean")
    func sixDecimalsSnapped() throws {
        // This holds because no micro-grid vertex lies within 0.5 m of another micro-grid's edge
        // without being on it (the generator's tests check that): snapping at 0.1 m can tell the
        // rounding (up to 7 cm) apart from the design.
        var data = try Self.dacunWithMicroGridsAt6Decimals()
        let unsnapped = try CoverageValidator().validate(data)
        #expect(unsnapped.problems.contains { [.sliverGap, .sliverOverlap, .sliverOutsideParent].contains($0.kind) })
        #expect(!unsnapped.isClean)

        let report = try TownRepair.repair(&data, options: RepairOptions(snapTolerance: 0.1))
        let snapped = try CoverageValidator().validate(data)
        #expect(snapped.isClean, "\(snapped.text())")
        #expect(TownValidator.problems(in: data).isEmpty)
        #expect(!report.changes.isEmpty)
        #expect(report.changes.allSatisfy { $0.action == .snapped })
        // What moved and how far: never beyond the tolerance.
        for change in report.changes {
            let distances = change.detail.split(separator: "(").dropFirst().compactMap { part in
                part.split(separator: " ").dropFirst().first.flatMap { Double($0) }
            }
            #expect(distances.allSatisfy { $0 <= 0.1 }, "\(change)")
        }
    }

    @Test("after snapping, each grid's micro-grids add up to its area and overlap nowhere (areas by GEOS)")
    func snappedAreasAgreeWithGEOS() throws {
        var data = try Self.dacunWithMicroGridsAt6Decimals()
        _ = try TownRepair.repair(&data, options: RepairOptions(snapTolerance: 0.1))
        let projection = try Projection(workingCRS: data.town.workingCRS)
        let context = GEOSContext()
        for grid in data.grids {
            let parts = data.microGrids.filter { $0.gridCode == grid.code }
            let sum = try parts.reduce(0.0) { $0 + (try projection.area(of: $1.geometry, context: context)) }
            let union = try GEOSGeometry.collection(parts.map { try projection.transform($0.geometry).geosGeometry(in: context) },
                                                    context: context).unaryUnion().area()
            let gridArea = try projection.area(of: grid.geometry, context: context)
            #expect(abs(sum - gridArea) < 1e-6 * gridArea + 0.01, "\(grid.code): \(sum) vs \(gridArea)")
            #expect(abs(union - sum) < 1e-6 * sum + 0.01, "\(grid.code): union \(union) vs sum \(sum)")
        }
    }

    @Test("snapping an already clean town changes nothing")
    func cleanTownUnchanged() throws {
        var data = try TownFolder.read(from: BundledTownCoverageTests.folder)
        let before = data
        let report = try TownRepair.repair(&data, options: RepairOptions(makesValid: true, snapTolerance: 0.1))
        #expect(report.changes.isEmpty, "\(report.changes)")
        #expect(data == before)
    }
}
