"""PostGIS peer for the locate and nearest benchmarks: the same data as locate_shapely.py.

Starts a throw-away PostgreSQL cluster (postgres_cluster.py) with PostGIS, loads the micro-grids
and the query points that `gridmap-bench locate` wrote to /tmp, builds GiST indexes, and times
the point-in-polygon join `ST_Covers(microgrid, point)` and the nearest-well KNN
(`ORDER BY geom <-> point LIMIT 1` per point) — the queries themselves, as the other peers are
timed. Prints one JSON line like the other peers; "peak_rss_mb" is the serving backend's.
Needs the Debian packages postgresql-15 and postgresql-15-postgis-3.
"""
import json
import pathlib
import tempfile

from postgres_cluster import PostgresCluster

MICROGRIDS = "/tmp/gridmap-bench-microgrids.geojson"
POINTS = "/tmp/gridmap-bench-points.csv"
WELLS = "/tmp/gridmap-bench-wells.csv"


def main():
    with PostgresCluster() as db, tempfile.TemporaryDirectory() as scratch:
        answer = pathlib.Path(scratch) / "answer.csv"
        db.psql("CREATE EXTENSION postgis")
        db.psql("CREATE TABLE microgrids (code text, geom geometry(MultiPolygon, 4326))")
        collection = json.load(open(MICROGRIDS))
        values = ",".join(
            "('%s', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON('%s'), 4326)))"
            % (feature["properties"]["code"], json.dumps(feature["geometry"]))
            for feature in collection["features"])
        db.psql("INSERT INTO microgrids VALUES " + values)
        db.psql("CREATE TABLE raw (lon float8, lat float8)")
        db.copy_in("raw", POINTS)
        db.psql("CREATE TABLE points AS SELECT row_number() OVER () AS id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom FROM raw")
        db.psql("CREATE INDEX ON microgrids USING gist (geom); CREATE INDEX ON points USING gist (geom); ANALYZE")
        count = int(db.value("SELECT count(*) FROM points"))
        seconds, peak = db.timed_query(
            "SELECT count(DISTINCT p.id) FROM points p JOIN microgrids m ON ST_Covers(m.geom, p.geom)", answer)
        inside = int(answer.read_text())
        version = db.value("SELECT postgis_lib_version()")
        print(json.dumps({"bench": "locate-postgis", "seconds": seconds, "items": count, "peak_rss_mb": peak,
                          "inside": str(inside), "postgis": version}), flush=True)

        # Nearest well: KNN with the GiST distance operator, in degrees like the Shapely peers.
        db.psql("CREATE TABLE rawwells (id text, lon float8, lat float8)")
        db.copy_in("rawwells", WELLS)
        db.psql("CREATE TABLE wells AS SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom FROM rawwells;"
                " CREATE INDEX ON wells USING gist (geom); ANALYZE wells")
        seconds, peak = db.timed_query("SELECT count(nearest.id) FROM points p CROSS JOIN LATERAL "
                                       "(SELECT w.id FROM wells w ORDER BY w.geom <-> p.geom LIMIT 1) AS nearest", answer)
        found = int(answer.read_text())
        print(json.dumps({"bench": "nearest-postgis-knn", "seconds": seconds, "items": count, "peak_rss_mb": peak,
                          "found": str(found), "postgis": version}), flush=True)


if __name__ == "__main__":
    main()
