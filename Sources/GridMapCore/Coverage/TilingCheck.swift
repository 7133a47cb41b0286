import GEOS

/// Steps 2–4 of coverage validation: do `pieces` tile `container`? (the grids the town, or one
/// grid's micro-grids the grid).
///
/// GEOS 3.11's C API has no coverage validation (`GEOSCoverageIsValid` came in 3.12), so it is
/// built here from overlay operations, with an STRtree so that only neighbours are compared:
/// - overlaps: for each pair of pieces whose envelopes meet (`GEOSSTRtree_query_r`) and whose
///   interiors meet in an area (DE-9IM `2********`, `GEOSRelatePattern_r`), the polygons of
///   their intersection;
/// - gaps: container − ⋃ pieces (`GEOSUnaryUnion_r`, `GEOSDifference_r`), split into polygons,
///   each named with the pieces within the adjacency distance of it;
/// - outside parts: piece − container, for each piece the prepared container does not cover.
/// Each resulting polygon goes through the ``FaultRecorder`` (measured in metres, residue
/// dropped, slivers flagged).
///
/// The overlays run on the stored WGS84 coordinates, not on projected ones: a straight edge
/// between two stored vertices is straight in longitude/latitude (RFC 7946 §3.1.1), and its
/// projection to Gauss–Krüger is curved. An edge of the town boundary that runs past a grid's
/// vertex without one of its own (a T-junction) is exact in the stored coordinates but leaves a
/// seam of ~6 cm and ~100 m² along a 3 km edge after projection — a false fault. So topology is
/// decided where the data is exact, and only the faults found are projected to be measured.
struct TilingCheck {
    let context: GEOSContext
    let recorder: FaultRecorder

    /// The level of the tiling, and words for the report ("grid", "the town").
    let level: CoverageProblem.Level
    let pieceNoun: String
    let containerName: String
    /// ``CoverageOptions/adjacencyDistance`` in degrees (see ``CoverageValidator``).
    let adjacencyDegrees: Double

    func run(container: PreparedPolygon, pieces: [PreparedPolygon]) throws(CoverageError) {
        let geometries = pieces.map(\.geometry)
        let codes = pieces.map { $0.code! }
        let tree = try recorder.measure { () throws(GEOSError) in try STRtree(geometries, context: context) }
        try findOverlaps(geometries, codes, tree)
        try findGaps(container, geometries, codes, tree)
        try findOutsideParts(container, geometries, codes)
    }

    private func findOverlaps(_ pieces: [GEOSGeometry], _ codes: [GridCode], _ tree: STRtree) throws(CoverageError) {
        for (i, piece) in pieces.enumerated() {
            let neighbours = try recorder.measure { () throws(GEOSError) -> [Int] in
                guard let box = try piece.bounds else { return [] }
                return try tree.query(envelope: box).filter { $0 > i }
            }
            for j in neighbours {
                let parts = try recorder.measure { () throws(GEOSError) -> [GEOSGeometry] in
                    guard try piece.relate(pieces[j], matches: "2********") else { return [] }
                    return try polygonalParts(of: piece.intersection(pieces[j]))
                }
                for part in parts {
                    try recorder.recordArea(
                        .overlap, level: level, polygon: part, codes: [codes[i], codes[j]],
                        message: "\(pieceNoun)s \(codes[i]) and \(codes[j]) overlap")
                }
            }
        }
    }

    private func findGaps(_ container: PreparedPolygon, _ pieces: [GEOSGeometry], _ codes: [GridCode],
                          _ tree: STRtree) throws(CoverageError) {
        let gaps = try recorder.measure { () throws(GEOSError) -> [GEOSGeometry] in
            let covered = try GEOSGeometry.collection(pieces, context: context).unaryUnion()
            return try polygonalParts(of: container.geometry.difference(covered))
        }
        let reach = adjacencyDegrees
        for gap in gaps {
            let adjacent = try recorder.measure { () throws(GEOSError) -> [GridCode] in
                guard let box = try gap.bounds else { return [] }
                var found: [GridCode] = []
                for index in try tree.query(envelope: box.expanded(by: reach))
                where try gap.distance(to: pieces[index]) <= reach {
                    found.append(codes[index])
                }
                return found
            }
            let around = adjacent.isEmpty ? "" : " (next to \(adjacent.sorted().map(\.description).joined(separator: ", ")))"
            try recorder.recordArea(
                .gap, level: level, polygon: gap, codes: adjacent + (container.code.map { [$0] } ?? []),
                message: "land of \(containerName) covered by no \(pieceNoun)\(around)")
        }
    }

    private func findOutsideParts(_ container: PreparedPolygon, _ pieces: [GEOSGeometry],
                                  _ codes: [GridCode]) throws(CoverageError) {
        let prepared = try recorder.measure { () throws(GEOSError) in try PreparedGeometry(container.geometry) }
        for (index, piece) in pieces.enumerated() {
            let outside = try recorder.measure { () throws(GEOSError) -> [GEOSGeometry] in
                if try prepared.covers(piece) { return [] }
                return try polygonalParts(of: piece.difference(container.geometry))
            }
            for part in outside {
                try recorder.recordArea(
                    .outsideParent, level: level, polygon: part,
                    codes: [codes[index]] + (container.code.map { [$0] } ?? []),
                    message: "\(pieceNoun) \(codes[index]) reaches outside \(containerName)")
            }
        }
    }
}
