import GRDB
import GeoJSON
import GridMapCore

/// One export layer's features, read straight from the tables.
extension SQLiteTownStore {
    public func layerFeatures(_ layer: StoreLayer, in area: AreaFilter?, as role: ResidentRole) throws -> [Feature] {
        switch layer {
        case .town:
            return try database.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM town").map { LayerEncoder.feature(for: try StoredRowDecoder().town($0)) }
            }.map { [$0] } ?? []
        case .villages:
            return try database.read { db in
                let decoder = StoredRowDecoder()
                var sql = "SELECT * FROM villages ORDER BY rowid"
                var arguments: StatementArguments = []
                if let area {
                    sql = "SELECT * FROM villages WHERE code IN (SELECT village_code FROM grids WHERE code = ?) ORDER BY rowid"
                    arguments = [area.gridCode.description]
                }
                return try Row.fetchAll(db, sql: sql, arguments: arguments).map { LayerEncoder.feature(for: decoder.village($0)) }
            }
        case .grids:
            let grids = try grids().filter { grid in area.map { $0.gridCode == grid.code } ?? true }
            return grids.map(LayerEncoder.feature(for:))
        case .microGrids:
            let microGrids = try microGrids(of: area?.gridCode).filter { microGrid in
                if case .microGrid(let code)? = area { microGrid.code == code } else { true }
            }
            return microGrids.map(LayerEncoder.feature(for:))
        case .features(let kind):
            return try database.read { db in
                try Self.locatedFeatures(of: kind, in: area, db).map {
                    LayerEncoder.feature(for: $0.feature, microGrid: $0.microGrid)
                }
            }
        case .residents:
            return try residentRows(as: role, in: area, categories: []).map(LayerEncoder.feature(for:))
        case .team:
            if let area { return try team(of: area.gridCode).map(LayerEncoder.feature(for:)) }
            return try database.read { db in
                let decoder = StoredRowDecoder()
                return try Row.fetchAll(db, sql: "SELECT * FROM team ORDER BY id").map {
                    LayerEncoder.feature(for: try decoder.teamMember($0))
                }
            }
        }
    }

    /// The layers this store holds something in: the fixed ones, then one per stored feature kind.
    public func layers() throws -> [StoreLayer] {
        [.town, .villages, .grids, .microGrids] + (try featureKinds()).map(StoreLayer.features) + [.residents, .team]
    }

    /// The kinds of the stored features, sorted.
    public func featureKinds() throws -> [FeatureKind] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT kind FROM features ORDER BY kind")
        }.compactMap(FeatureKind.init(rawValue:))
    }
}
