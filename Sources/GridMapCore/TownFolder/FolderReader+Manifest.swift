import Foundation
import GeoJSON

/// Reading manifest.json, and checking its counts against what the files held.
extension FolderReader {
    // MARK: manifest.json

    struct Manifest {
        /// Nil when missing or not a string (reported).
        var code: String?
        var name: String?
        var latinName: String?
        /// Nil when missing (then chosen from the town's location) or not a string (reported).
        var workingCRS: String?
        /// Whether `workingCRS` is there but not a non-empty string (reported, so not chosen).
        var workingCRSIsInvalid: Bool
        var crs: String?
        var counts: [(key: String, value: Int)]
        /// The members this reader does not read, exactly as written (``Town/manifestMembers``).
        var otherMembers: JSONObject
    }

    /// The manifest members GridMap reads or writes itself; the others are the town's to keep.
    static let manifestKeys: Set<String> = ["format", "formatVersion", "code", "name", "latinName", "workingCRS", "crs",
                                            "counts", "personalDataMasked", "withheld"]

    func readManifest() -> Manifest? {
        let file = TownFolder.manifestFile
        guard checkReadable(file, required: true, missing: "missing: a town folder needs a manifest (town code, name)") else {
            return nil
        }
        let data: Data
        do {
            data = try Data(contentsOf: directory.appendingPathComponent(file))
        } catch {
            problem(.file, file, "cannot be read: \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
            return nil
        }
        let object: [String: Any]
        do {
            guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                problem(.syntax, file, "must hold a JSON object")
                return nil
            }
            object = top
        } catch {
            let detail = (error as NSError).userInfo["NSDebugDescription"] as? String
            problem(.syntax, file, "is not valid JSON" + (detail.map { ": \($0)" } ?? ""))
            return nil
        }
        func string(_ key: String, required: Bool = true) -> String? {
            guard let value = object[key] else {
                if required { problem(.file, file, path: key, "missing \"\(key)\"") }
                return nil
            }
            guard let text = value as? String, !text.isEmpty else {
                problem(.file, file, path: key, "\"\(key)\" must be a non-empty string")
                return nil
            }
            return text
        }
        if let format = object["format"], (format as? String) != TownFolder.formatName {
            problem(.file, file, path: "format", "\"format\" must be \"\(TownFolder.formatName)\"")
        }
        if let version = object["formatVersion"] {
            if let number = version as? Int, number >= 1 {
                if number > TownFolder.formatVersion {
                    problem(.file, file, path: "formatVersion", "format version \(number) is newer than this GridMap reads (\(TownFolder.formatVersion))")
                }
            } else {
                problem(.file, file, path: "formatVersion", "\"formatVersion\" must be a positive integer")
            }
        }
        if object["personalDataMasked"] as? Bool == true {
            problem(.file, file, path: "personalDataMasked", "this is an export with personal data withheld (not the whole town); it cannot be imported (export with --role office to move a town)")
        }
        // The town code's shape and the working CRS are the validator's rules, as for a town
        // built in code.
        let code = string("code")
        let name = string("name")
        let latinName = string("latinName")
        let workingCRS = string("workingCRS", required: false)
        let workingCRSIsInvalid = workingCRS == nil && object["workingCRS"] != nil
        let crs = string("crs", required: false)
        var counts: [(key: String, value: Int)] = []
        if let raw = object["counts"] {
            if let table = raw as? [String: Any] {
                for key in table.keys.sorted() {
                    if let value = table[key] as? Int, value >= 0 {
                        counts.append((key, value))
                    } else {
                        problem(.file, file, path: "counts.\(key)", "count must be a non-negative integer")
                    }
                }
            } else {
                problem(.file, file, path: "counts", "\"counts\" must be an object")
            }
        }
        // Read again by the GeoJSON module's reader, which keeps member order and number lexemes.
        let whole = (try? String(data: data, encoding: .utf8).flatMap(JSONObjectText.decode)) ?? nil
        let others = JSONObject((whole ?? [:]).members.filter { !Self.manifestKeys.contains($0.key) })
        return Manifest(code: code, name: name, latinName: latinName, workingCRS: workingCRS,
                        workingCRSIsInvalid: workingCRSIsInvalid, crs: crs, counts: counts,
                        otherMembers: others)
    }

    func checkCounts(_ manifest: Manifest) {
        for (key, expected) in manifest.counts {
            let file: String
            switch key {
            case "residents": file = TownFolder.residentsFile
            case "team": file = TownFolder.teamFile
            default:
                // A point layer may come as CSV (wells.csv) instead of GeoJSON.
                file = featureCounts[key + ".geojson"] == nil && featureCounts[key + ".csv"] != nil ? key + ".csv" : key + ".geojson"
            }
            guard let actual = featureCounts[file] else {
                if expected > 0, !FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path) {
                    problem(.count, TownFolder.manifestFile, path: "counts.\(key)", "counts \(expected) \(key) but \(file) is missing")
                }
                continue
            }
            if actual != expected {
                problem(.count, TownFolder.manifestFile, path: "counts.\(key)", "counts \(expected) \(key) but \(file) has \(actual)")
            }
        }
    }
}
