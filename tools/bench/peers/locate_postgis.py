"""PostGIS peer for the locate and nearest benchmarks: the same data as locate_shapely.py.

Starts a throw-away PostgreSQL cluster (unix socket only, no TCP) with PostGIS, loads the
micro-grids and the query points that `gridmap-bench locate` wrote to /tmp, builds GiST indexes,
and times the point-in-polygon join `ST_Covers(microgrid, point)` and the nearest-well KNN
(`ORDER BY geom <-> point LIMIT 1` per point) — the queries themselves, as the other peers are
timed. Prints one JSON line like the other peers. Needs the Debian packages
postgresql-15 and postgresql-15-postgis-3; runs the server as the `postgres` user when root.
"""
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import time

MICROGRIDS = "/tmp/gridmap-bench-microgrids.geojson"
POINTS = "/tmp/gridmap-bench-points.csv"
WELLS = "/tmp/gridmap-bench-wells.csv"
BIN = pathlib.Path("/usr/lib/postgresql/15/bin")


def as_postgres(command, **kwargs):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + command, check=True, **kwargs)


def main():
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="gridmap-postgis-"))
    data = scratch / "data"
    if os.geteuid() == 0:
        shutil.chown(scratch, "postgres")
    os.chmod(scratch, 0o777)
    as_postgres([str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"], stdout=subprocess.DEVNULL)
    as_postgres([str(BIN / "pg_ctl"), "start", "-D", str(data), "-w", "-l", str(scratch / "log"),
                 "-o", f"-c listen_addresses='' -k {scratch} -p 54329 -c shared_buffers=512MB -c work_mem=256MB"],
                stdout=subprocess.DEVNULL)
    try:
        def psql(sql, capture=False):
            return as_postgres(["psql", "-h", str(scratch), "-p", "54329", "-U", "postgres", "-v", "ON_ERROR_STOP=1",
                                "-qAt", "-c", sql], capture_output=capture, text=True)

        psql("CREATE EXTENSION postgis")
        psql("CREATE TABLE microgrids (code text, geom geometry(MultiPolygon, 4326))")
        collection = json.load(open(MICROGRIDS))
        values = ",".join(
            "('%s', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON('%s'), 4326)))"
            % (feature["properties"]["code"], json.dumps(feature["geometry"]))
            for feature in collection["features"])
        psql("INSERT INTO microgrids VALUES " + values)
        psql("CREATE TABLE raw (lon float8, lat float8)")
        shutil.copy(POINTS, scratch / "points.csv")
        os.chmod(scratch / "points.csv", 0o644)
        psql(f"COPY raw FROM '{scratch / 'points.csv'}' WITH (FORMAT csv, HEADER true)")
        psql("CREATE TABLE points AS SELECT row_number() OVER () AS id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom FROM raw")
        psql("CREATE INDEX ON microgrids USING gist (geom); CREATE INDEX ON points USING gist (geom); ANALYZE")
        count = int(psql("SELECT count(*) FROM points", capture=True).stdout)
        start = time.perf_counter()
        inside = int(psql("SELECT count(DISTINCT p.id) FROM points p JOIN microgrids m ON ST_Covers(m.geom, p.geom)",
                          capture=True).stdout)
        seconds = time.perf_counter() - start
        version = psql("SELECT postgis_lib_version()", capture=True).stdout.strip()
        print(json.dumps({"bench": "locate-postgis", "seconds": seconds, "items": count, "peak_rss_mb": 0,
                          "inside": str(inside), "postgis": version}), flush=True)

        # Nearest well: KNN with the GiST distance operator, in degrees like the Shapely peers.
        psql("CREATE TABLE rawwells (id text, lon float8, lat float8)")
        shutil.copy(WELLS, scratch / "wells.csv")
        os.chmod(scratch / "wells.csv", 0o644)
        psql(f"COPY rawwells FROM '{scratch / 'wells.csv'}' WITH (FORMAT csv, HEADER true)")
        psql("CREATE TABLE wells AS SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom FROM rawwells;"
             " CREATE INDEX ON wells USING gist (geom); ANALYZE wells")
        start = time.perf_counter()
        found = int(psql("SELECT count(nearest.id) FROM points p CROSS JOIN LATERAL "
                         "(SELECT w.id FROM wells w ORDER BY w.geom <-> p.geom LIMIT 1) AS nearest", capture=True).stdout)
        seconds = time.perf_counter() - start
        print(json.dumps({"bench": "nearest-postgis-knn", "seconds": seconds, "items": count, "peak_rss_mb": 0,
                          "found": str(found), "postgis": version}), flush=True)
    finally:
        as_postgres([str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
