// swift-tools-version: 6.0
import PackageDescription

// The module map (docs/ARCHITECTURE.md has it with each target's job):
//
//   CGEOS ──→ GEOS ──────┐
//   ByteOutput ──┬───────┴──→ GeoJSON ──┐
//                └──────────→ CSV ──────┤
//   CPROJ ──→ PROJ ─────────────────────┴──→ GridMapCore ──┬──→ GridStore ──┬──→ GridMapApp ──→ GridMapServer ──→ gridmap
//                                                          ├──→ Routing ────┤       ↑
//                                                          └──→ MapRender ──┘       │
//   CGDAL ──→ GDAL (over GeoJSON) ──────────────────────────────────────────────────┘
//   GridMapCore, SeededRandom ──→ TownGenerator ──→ town-generator
//   CLibPQ ──→ Postgres ──→ GridStore (the PostgreSQL + PostGIS store beside the SQLite one)
//   GridMapApp, GridStore, Routing, SeededRandom ──→ gridmap-bench (the district bench runs `locate --csv`'s job)
//
// A module may import what it depends on directly or through the modules below it, except: only
// GEOS imports CGEOS, only PROJ imports CPROJ, only GDAL imports CGDAL and only Postgres imports CLibPQ (nothing above
// them sees a C pointer); GRDB and Postgres only in GridStore (and tests); GridMapCore imports none of GridStore, Routing, MapRender, GridMapApp; nothing
// below GridMapApp imports it; HummingbirdBcrypt only in GridMapApp (the accounts), Crypto
// (SHA-256) only there and in GridStore (attachments' content hashes);
// the CLI imports only GridMapApp and value modules. tools/check-imports
// enforces these rules (tools/test runs it): change its table, this map and the docs together.
let package = Package(
    name: "GridMap",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "GEOS", targets: ["GEOS"]),
        .library(name: "PROJ", targets: ["PROJ"]),
        .library(name: "GeoJSON", targets: ["GeoJSON"]),
        .library(name: "Routing", targets: ["Routing"]),
        .executable(name: "gridmap", targets: ["gridmap"]),
        .executable(name: "town-generator", targets: ["town-generator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The HTTP server (`gridmap serve`), on SwiftNIO.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Passwords hashed with bcrypt (HummingbirdBcrypt), for the server's accounts.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // SHA-256: of session and token secrets (the accounts), and of event attachments, which
        // the store keeps once per content hash.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGEOS", path: "Sources/CGEOS", pkgConfig: "geos",
            providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(
            name: "CPROJ", path: "Sources/CPROJ", pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]),
        .systemLibrary(
            name: "CGDAL", path: "Sources/CGDAL", pkgConfig: "gdal",
            providers: [.apt(["libgdal-dev"])]),
        .systemLibrary(
            name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .target(name: "GEOS", dependencies: ["CGEOS"]),
        // Safe Swift over libpq, PostgreSQL's own client: connections, parameterised queries,
        // binary COPY, errors with their SQLSTATE; the only module that sees libpq's pointers.
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        // Safe Swift over GDAL's C API: any vector source GDAL opens, read as GeoJSON values.
        .target(name: "GDAL", dependencies: ["CGDAL", "GeoJSON"]),
        // The one output buffer and its checked sinks (files, standard output, memory), shared
        // by the GeoJSON writer and the CSV streams; no dependencies, so both can use it.
        .target(name: "ByteOutput"),
        // RFC 4180 records from files, standard input or a buffer, and numbers read from their
        // bytes, tables with named columns and rows passed through with columns appended: one
        // reader for every CSV in GridMap (town folders and the commands). Only ByteOutput below
        // it, so that GridMapCore, the jobs and gridmap can all use it.
        .target(name: "CSV", dependencies: ["ByteOutput"]),
        // Reproducible randomness for the sample-town generator and the randomised tests.
        .target(name: "SeededRandom"),
        .target(name: "PROJ", dependencies: ["CPROJ"]),
        .target(name: "GeoJSON", dependencies: ["GEOS", "ByteOutput"]),
        .target(name: "GridMapCore", dependencies: ["GEOS", "PROJ", "GeoJSON", "CSV"]),
        .target(name: "MapRender", dependencies: ["GridMapCore", "GeoJSON", "GEOS", "PROJ"]),
        .target(name: "Routing", dependencies: ["GridMapCore", "GEOS", "PROJ", "GeoJSON"]),
        .target(
            name: "GridStore",
            dependencies: [
                "GridMapCore", "GeoJSON", "GEOS", "PROJ", .product(name: "GRDB", package: "GRDB.swift"),
                // The PostgreSQL + PostGIS store (PostgresTownStore).
                "Postgres",
                // The SQLite C API, for binding the import's rows without GRDB's per-row arguments.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                // SHA-256, to name an attachment's content and check it again as it is stored.
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The application layer: every job the command line (and the coming server) runs, values
        // in and values out, typed errors (JobError).
        .target(
            name: "GridMapApp",
            dependencies: [
                "ByteOutput", "CSV", "GEOS", "PROJ", "GeoJSON", "GridMapCore", "GridStore", "MapRender", "Routing",
                // Other sources than town folders (`gridmap import SOURCE`): GeoPackage, Shapefile, OSM, ….
                "GDAL",
                // The accounts: bcrypt for passwords, SHA-256 for the stored digests of session and token secrets.
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The HTTP shell over the application layer (`gridmap serve`): routes, the request's
        // viewer, problem documents and the access log; no job logic of its own.
        .target(
            name: "GridMapServer",
            dependencies: [
                "GridMapApp", "ByteOutput", "CSV", "GeoJSON", "GridMapCore",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .executableTarget(
            name: "gridmap",
            dependencies: [
                "GridMapApp", "GridMapServer", "ByteOutput", "CSV", "GEOS", "PROJ", "GeoJSON", "GridMapCore", "GridStore", "MapRender", "Routing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // The bundled reference town's generator: the logic is a library so that tests can run it.
        .target(
            name: "TownGenerator", dependencies: ["GridMapCore", "GEOS", "PROJ", "GeoJSON", "ByteOutput", "SeededRandom"],
            path: "tools/town-generator/Sources"),
        .executableTarget(
            name: "town-generator", dependencies: ["TownGenerator", "GridMapCore", "GEOS", "PROJ", "GeoJSON", "ByteOutput"],
            path: "tools/town-generator", exclude: ["Sources"]),
        // Benchmarks against the peers (tools/bench/run drives this and the Python side).
        .executableTarget(
            name: "gridmap-bench", dependencies: ["GEOS", "PROJ", "GeoJSON", "ByteOutput", "CSV", "GridMapCore", "GridStore", "Routing", "GridMapApp", "SeededRandom"],
            path: "tools/bench/GridMapBench"),
        // The tests' PostgreSQL: $GRIDMAP_TEST_POSTGRES, or a cluster started for the test process.
        .target(name: "PostgresTesting", dependencies: ["Postgres"], path: "Tests/PostgresTesting"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "PostgresTesting"]),
        .testTarget(name: "CSVTests", dependencies: ["CSV", "ByteOutput", "SeededRandom"]),
        .testTarget(name: "GEOSTests", dependencies: ["GEOS", "SeededRandom"]),
        .testTarget(name: "PROJTests", dependencies: ["PROJ", "SeededRandom"]),
        .testTarget(name: "GDALTests", dependencies: ["GDAL", "GeoJSON"]),
        .testTarget(name: "GeoJSONTests", dependencies: ["GeoJSON", "GEOS", "SeededRandom"]),
        .testTarget(name: "GridMapCoreTests", dependencies: ["GridMapCore", "GeoJSON", "GEOS", "PROJ", "SeededRandom"]),
        .testTarget(
            name: "GridStoreTests",
            dependencies: [
                "GridStore", "GridMapCore", "GeoJSON", "SeededRandom", "PostgresTesting", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "MapRenderTests", dependencies: ["MapRender", "GridMapCore", "GeoJSON", "GEOS"]),
        .testTarget(name: "RoutingTests", dependencies: ["Routing", "GridMapCore", "GeoJSON", "GEOS", "SeededRandom"]),
        .testTarget(
            name: "GridMapAppTests",
            dependencies: [
                "GridMapApp", "ByteOutput", "GridMapCore", "GridStore", "GeoJSON", "CSV", "PROJ", "SeededRandom", "PostgresTesting",
            ]),
        .testTarget(
            name: "GridMapServerTests",
            dependencies: [
                "GridMapServer", "GridMapApp", "GridMapCore", "GeoJSON", "gridmap",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            // The web map's browser script (Python, run from tools/.venv-test by WebMapBrowserTests).
            exclude: ["browser"]),
        .testTarget(name: "gridmapTests", dependencies: ["gridmap", "CSV", "SeededRandom", "PostgresTesting"], exclude: ["Fixtures"]),
        .testTarget(name: "TownGeneratorTests", dependencies: ["TownGenerator", "GridMapCore", "GeoJSON", "GEOS", "PROJ", "ByteOutput"]),
        // The repository's own tools (tools/check-imports), run as a developer runs them.
        .testTarget(name: "ToolsTests"),
    ]
)
