"""The district into PostgreSQL + PostGIS: `gridmap import` of every town against ogr2ogr loading
the same layers and CSVs, into one throw-away cluster, then the rows each side stored compared.

GridMap imports the district folder into a district in the database's `public` schema with one
command (`gridmap import DISTRICT --db URI`): each town goes into a store of its own, the schema
`town_CODE`; for each town GridMap reads and validates the folder, checks its boundary against the
towns before it, finds every feature's micro-grid, writes the town in one transaction with COPY,
and attaches its residents, categories and event states to the district's partitioned tables.
ogr2ogr loads each GeoJSON layer (COPY, a GiST index) and the two CSVs as plain tables
into a schema of its own (`CODE_ogr`), and validates nothing. Each side's line gives the wall
time of all 23 towns and the largest peak memory of any one command it ran (GridMap: the one
command's).

Usage: district_import_postgis.py --dir DIR --district DISTRICT --postgres URI --gridmap GRIDMAP
"""
import json
import os
import pathlib
import subprocess
import time
import urllib.parse

from bench_common import folder_argument

FEATURE_LAYERS_NOT = {"town", "villages", "grids", "microgrids"}


def run_timed(commands, environment=None):
    """Runs `commands` one after the other; returns (seconds, the largest peak RSS in MiB)."""
    start = time.perf_counter()
    peak_kb = 0
    for command in commands:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"district_import_postgis: {' '.join(command)} failed: {child.stderr.read().decode()[-2000:]}")
        peak_kb = max(peak_kb, usage.ru_maxrss)
    return time.perf_counter() - start, peak_kb / 1024


def psql(uri, sql):
    """The rows of `sql`, as lists of text."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    out = subprocess.run(prefix + ["psql", uri, "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\t", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def main():
    parser = folder_argument(description=__doc__)
    parser.add_argument("--district", required=True, type=pathlib.Path)
    parser.add_argument("--postgres", required=True, help="the libpq URI of the cluster (tools/test-postgres start)")
    parser.add_argument("--gridmap", required=True, help="a release gridmap")
    arguments = parser.parse_args()
    district = json.loads((arguments.district / "district.json").read_text())
    towns = [(town["code"].lower(), arguments.district / town["folder"]) for town in district["towns"]]
    uri = arguments.postgres
    query = urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)
    host, port, user = query["host"][0], query.get("port", ["5432"])[0], query.get("user", ["postgres"])[0]

    # PostGIS once, in public, before either side (each store would otherwise make it in its own schema).
    psql(uri, "CREATE EXTENSION IF NOT EXISTS postgis")
    psql(uri, "; ".join(f"CREATE SCHEMA {code}_ogr" for code, _ in towns))

    # The generated district's towns tile without gap or overlap, so the import's coverage check
    # passes as it is: a fault fails the bench.
    gridmap_seconds, gridmap_peak = run_timed([[arguments.gridmap, "import", str(arguments.district), "--db", uri]])

    ogr_commands = []
    for code, folder in towns:
        target = f"PG:host={host} port={port} user={user} dbname=postgres active_schema={code}_ogr"
        for layer in sorted(folder.glob("*.geojson")):
            ogr_commands.append(["ogr2ogr", "-f", "PostgreSQL", target, str(layer), "-nln", layer.stem.replace("-", "_"),
                                 "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=GIST", "-lco", "FID=ogc_fid"])
        for table in ("residents", "team"):
            ogr_commands.append(["ogr2ogr", "-f", "PostgreSQL", target, str(folder / f"{table}.csv"), "-nln", table])
    environment = dict(os.environ, PG_USE_COPY="YES")
    ogr_seconds, ogr_peak = run_timed(ogr_commands, environment)

    # The rows each side stored, per town and kind.
    gridmap_rows, ogr_rows = {}, {}
    for code, folder in towns:
        for table in ("villages", "grids", "micro_grids", "features", "residents", "team"):
            gridmap_rows[(code, table)] = int(psql(uri, f"SELECT count(*) FROM town_{code}.{table}")[0][0])
        tables = [row[0] for row in psql(uri, f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{code}_ogr'")]
        counts = {table: int(psql(uri, f'SELECT count(*) FROM {code}_ogr."{table}"')[0][0]) for table in tables}
        ogr_rows[(code, "villages")] = counts.get("villages", 0)
        ogr_rows[(code, "grids")] = counts.get("grids", 0)
        ogr_rows[(code, "micro_grids")] = counts.get("microgrids", 0)
        ogr_rows[(code, "residents")] = counts.get("residents", 0)
        ogr_rows[(code, "team")] = counts.get("team", 0)
        ogr_rows[(code, "features")] = sum(count for table, count in counts.items()
                                           if table not in FEATURE_LAYERS_NOT | {"residents", "team"})
    differences = [f"{code} {table}: GridMap {gridmap_rows[(code, table)]}, ogr2ogr {ogr_rows[(code, table)]}"
                   for (code, table) in gridmap_rows if gridmap_rows[(code, table)] != ogr_rows[(code, table)]]
    items = sum(gridmap_rows.values())
    answers = ("same (rows stored per town: villages, grids, micro-grids, features, residents, team)" if not differences
               else "DIFFERENT: " + "; ".join(differences[:5]))
    size = lambda pattern: int(psql(uri, f"""SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname ~ '{pattern}'""")[0][0])
    print(json.dumps({"bench": "district-import-postgres", "seconds": gridmap_seconds, "items": items,
                      "peak_rss_mb": round(gridmap_peak, 1), "answers": "reference", "towns": len(towns),
                      "stored_mb": round(size("^town_[a-z]+$") / 2**20, 1),
                      "work": "one command, per town: read the folder, validate every geometry, id, reference and property, "
                              "check its boundary against the other towns', locate each feature's micro-grid, write the town's "
                              "store in one transaction with COPY (PostGIS columns, GiST indexes), attach its partitions"},
                     ensure_ascii=False), flush=True)
    print(json.dumps({"bench": "district-import-ogr2ogr", "seconds": ogr_seconds, "items": items,
                      "peak_rss_mb": round(ogr_peak, 1), "answers": answers, "towns": len(towns),
                      "stored_mb": round(size("_ogr$") / 2**20, 1),
                      "work": "per layer: ogr2ogr -f PostgreSQL with COPY and a GiST index; the CSVs as plain tables; no validation"},
                     ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
