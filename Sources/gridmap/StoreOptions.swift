import ArgumentParser
import Foundation
import GridMapApp

/// `--db PATH`, shared by every command that reads or writes a town store.
///
/// Without `--db`, commands use the default store (`$GRIDMAP_DB`, else
/// `~/.local/share/gridmap/dacun.sqlite`), which is built from the bundled Dacun data the first
/// time it is needed — with a message saying so — so that a newcomer's first command works.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The town store (an SQLite file; created if missing). Default: $GRIDMAP_DB, else ~/.local/share/gridmap/dacun.sqlite, built from geodata/dacun on first use.",
        valueName: "path"))
    var db: String?

    /// The store `--db` names, or the default store (its first use is told on standard error).
    var stores: TownStores {
        TownStores(path: db) { StandardError.write("gridmap: \($0)") }
    }
}
