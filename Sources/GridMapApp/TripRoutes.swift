import GeoJSON

extension TripPlan {
    /// The plan's routes as GeoJSON features, one LineString along the roads per worker with
    /// stops (worker, label, stops, distance_m, time_s, and what `extra` adds): what `tour --out`
    /// and `route --out` write and what the server answers.
    public func routeFeatures(extra: (WorkerTrip) -> JSONObject = { _ in JSONObject() }) -> [Feature] {
        workers.enumerated().compactMap { index, worker in
            guard worker.stopCount > 0, let route = worker.route else { return nil }
            var properties: JSONObject = [
                "worker": .number(JSONNumber(index + 1)),
                "label": .string(worker.label),
                "stops": .number(JSONNumber(worker.stopCount)),
                "distance_m": .number(JSONNumber((worker.distance * 10).rounded() / 10)),
                "time_s": .number(JSONNumber(worker.totalCost.rounded())),
            ]
            for (key, value) in extra(worker) { properties[key] = value }
            return Feature(id: .string("worker-\(worker.label)"), geometry: route, properties: properties)
        }
    }
}
