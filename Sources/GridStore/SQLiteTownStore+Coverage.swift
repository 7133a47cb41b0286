import GRDB

extension SQLiteTownStore {
    public func acceptedCoverageFaults() throws(StoreError) -> [AcceptedCoverageFault] {
        try read("reading the coverage faults accepted at import") { db in
            try Row.fetchAll(db, sql: """
                SELECT kind, severity, codes, feature_id, area_m2, lon, lat, message FROM coverage_faults_accepted
                WHERE import_id = (SELECT max(id) FROM imports) ORDER BY position
                """).map { row in
                let codes: String = row["codes"]
                return AcceptedCoverageFault(
                    kind: row["kind"], severity: row["severity"], codes: codes.split(separator: " ").map(String.init),
                    featureID: row["feature_id"], areaSquareMetres: row["area_m2"], longitude: row["lon"], latitude: row["lat"],
                    message: row["message"])
            }
        }
    }
}
