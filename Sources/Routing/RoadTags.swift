import Foundation
import GeoJSON

/// The properties of a road that say who may use it, in which direction, how fast, and on
/// which level it runs: OpenStreetMap's tag names, read from the road feature's properties
/// (the gdal importer writes them for OSM sources; a town folder's roads may carry them too).
/// Values are kept as written; ``RoadRules`` reads them.
public struct RoadTags: Sendable, Hashable {
    /// `yes`, `1`, `true`, `-1`, `no`, `reversible`.
    public var oneway: String?
    /// `oneway:bicycle`: the one-way rule for bicycles alone (`no` lets them ride a one-way
    /// street both ways; `yes`/`-1` make a road one-way for them only).
    public var onewayBicycle: String?
    /// `cycleway`: `opposite`, `opposite_lane`, `opposite_track` (older tagging) let bicycles
    /// ride a one-way street against its direction.
    public var cycleway: String?
    /// `roundabout` (or `circular`) makes a road one-way along its drawing.
    public var junction: String?
    /// Access, from the least to the most specific: `access`; `vehicle`; `motor_vehicle`;
    /// `motorcar`; and `bicycle`, `foot`.
    public var access: String?
    public var vehicle: String?
    public var motorVehicle: String?
    public var motorcar: String?
    public var bicycle: String?
    public var foot: String?
    /// As OSM writes it: "50", "30 mph", "none", "walk".
    public var maxspeed: String?
    /// Any value but `no`/`none` lets walkers use a motorway or trunk road.
    public var sidewalk: String?
    /// Integer text; 0 when absent or not an integer.
    public var layer: String?
    /// Any value but `no` means yes.
    public var bridge: String?
    public var tunnel: String?

    public init(oneway: String? = nil, junction: String? = nil, access: String? = nil, vehicle: String? = nil,
                motorVehicle: String? = nil, motorcar: String? = nil, bicycle: String? = nil, foot: String? = nil,
                maxspeed: String? = nil, sidewalk: String? = nil, layer: String? = nil, bridge: String? = nil,
                tunnel: String? = nil, onewayBicycle: String? = nil, cycleway: String? = nil) {
        (self.oneway, self.junction, self.access, self.vehicle) = (oneway, junction, access, vehicle)
        (self.onewayBicycle, self.cycleway) = (onewayBicycle, cycleway)
        (self.motorVehicle, self.motorcar, self.bicycle, self.foot) = (motorVehicle, motorcar, bicycle, foot)
        (self.maxspeed, self.sidewalk, self.layer, self.bridge, self.tunnel) = (maxspeed, sidewalk, layer, bridge, tunnel)
    }

    /// The tags among a road feature's properties (strings, or numbers written as their text).
    public init(properties: JSONObject) {
        func text(_ name: String) -> String? {
            switch properties[name] {
            case .string(let value): value.trimmingCharacters(in: .whitespaces).lowercased()
            case .number(let number): number.text
            case .bool(let value): value ? "yes" : "no"
            default: nil
            }
        }
        self.init(oneway: text("oneway"), junction: text("junction"), access: text("access"), vehicle: text("vehicle"),
                  motorVehicle: text("motor_vehicle"), motorcar: text("motorcar"), bicycle: text("bicycle"),
                  foot: text("foot"), maxspeed: text("maxspeed"), sidewalk: text("sidewalk"), layer: text("layer"),
                  bridge: text("bridge"), tunnel: text("tunnel"), onewayBicycle: text("oneway:bicycle"),
                  cycleway: text("cycleway"))
    }

    /// The level the road runs on: roads on different levels never meet where they merely cross.
    public var level: RoadLevel {
        func isSet(_ value: String?) -> Bool { value.map { $0 != "no" && !$0.isEmpty } ?? false }
        return RoadLevel(layer: layer.flatMap { Int($0) } ?? 0, bridge: isSet(bridge), tunnel: isSet(tunnel))
    }
}

/// A road's level: its `layer`, and whether it is a bridge or a tunnel. Ground roads (layer 0,
/// neither) are the usual case; any other level is grade-separated from the ground.
public struct RoadLevel: Sendable, Hashable {
    public var layer: Int
    public var bridge: Bool
    public var tunnel: Bool

    public init(layer: Int = 0, bridge: Bool = false, tunnel: Bool = false) {
        (self.layer, self.bridge, self.tunnel) = (layer, bridge, tunnel)
    }

    public var isGround: Bool { layer == 0 && !bridge && !tunnel }
}
