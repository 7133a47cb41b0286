/// The stable, hierarchical code of a grid or micro-grid.
///
/// Scheme (docs/TOWN-FORMAT.md (Codes)): `<TOWN>-<GGG>` for grid GGG of a town, `<TOWN>-<GGG>-<M>` for its
/// M-th micro-grid, e.g. `DC-017` and `DC-017-2` in Dacun (town code `DC`). Grid numbers are
/// three digits (001–999), micro-grid numbers one or two digits (1–99). Codes never change once
/// issued; a redrawn boundary keeps its code. Sorting follows (town, grid, micro-grid) numerically.
public struct GridCode: Hashable, Comparable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The town's short code: upper-case ASCII letters, e.g. "DC".
    public let town: String
    /// The grid's number within the town, 1–999.
    public let grid: Int
    /// The micro-grid's number within its grid, 1–99; nil for a grid code.
    public let microGrid: Int?

    /// A grid code; nil when a part is out of range.
    public init?(town: String, grid: Int, microGrid: Int? = nil) {
        guard !town.isEmpty, town.allSatisfy({ $0.isASCII && $0.isUppercase }),
              (1...999).contains(grid), microGrid.map({ (1...99).contains($0) }) ?? true
        else { return nil }
        self.town = town
        self.grid = grid
        self.microGrid = microGrid
    }

    /// Parses `DC-017` or `DC-017-2`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[1].count == 3,
              let grid = Int(parts[1]), parts[1].allSatisfy(\.isASCII)
        else { return nil }
        var micro: Int?
        if parts.count == 3 {
            guard (1...2).contains(parts[2].count), parts[2].allSatisfy(\.isASCII),
                  let number = Int(parts[2]), !parts[2].hasPrefix("0")
            else { return nil }
            micro = number
        }
        self.init(town: String(parts[0]), grid: grid, microGrid: micro)
    }

    /// Whether this is a micro-grid's code.
    public var isMicroGrid: Bool { microGrid != nil }

    /// The code of the grid this code belongs to (itself for a grid).
    public var gridCode: GridCode { GridCode(town: town, grid: grid)! }

    /// The code of this grid's `number`-th micro-grid.
    public func microGrid(_ number: Int) -> GridCode? { GridCode(town: town, grid: grid, microGrid: number) }

    /// Built by appending (the grid number zero-padded to three digits), without interpolation
    /// or padding strings: the event log writes a code per history entry, and the interpolated
    /// version showed in the profile of appending.
    public var description: String {
        var text = town
        text.append("-")
        if grid < 100 { text.append(grid < 10 ? "00" : "0") }
        text.append(String(grid))
        if let microGrid {
            text.append("-")
            text.append(String(microGrid))
        }
        return text
    }

    public static func < (a: GridCode, b: GridCode) -> Bool {
        (a.town, a.grid, a.microGrid ?? 0) < (b.town, b.grid, b.microGrid ?? 0)
    }
}
