"""PostGIS peer for the locate and nearest benchmarks: the same data as locate_shapely.py, read
from the run's folder (--dir), the answers compared with GridMap's in the same run.

Starts a throw-away PostgreSQL cluster (postgres_cluster.py) with PostGIS, loads the micro-grids
(with their index in code order) and the query points, builds GiST indexes, and times, each in
a fresh session (psql's \\timing: execution and the transfer of every point's answer):
  locate-postgis       ST_Covers(micro-grid, point) joined through the GiST index, the smallest
                       code per point (GridMap's rule), one row per point inside
  nearest-postgis-knn  per point, ST_Transform to EPSG:4549, then the nearest well by the GiST
                       distance operator (ORDER BY geom <-> point LIMIT 1, LATERAL), wells
                       stored in EPSG:4549 beforehand (as GridMap projects them when it builds
                       its atlas); the distance in metres
"peak_rss_mb" is the serving backend's. Needs the Debian packages postgresql-15 and
postgresql-15-postgis-3 (tools/setup --bench).
"""
import json

import numpy as np
import shapely

import bench_common
from postgres_cluster import PostgresCluster


def main():
    folder = bench_common.folder_argument(description=__doc__).parse_args().dir
    collection = json.load(open(folder / "microgrids.geojson"))
    with PostgresCluster() as db:
        answer = db.scratch / "answer.csv"
        db.psql("CREATE EXTENSION postgis")
        db.psql("CREATE TABLE microgrids (idx int, code text, geom geometry(MultiPolygon, 4326))")
        values = ",".join(
            "(%d, '%s', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON('%s'), 4326)))"
            % (index, feature["properties"]["code"], json.dumps(feature["geometry"]))
            for index, feature in enumerate(collection["features"]))
        db.psql("INSERT INTO microgrids VALUES " + values)
        # Point ids follow the file's rows (0-based), as GridMap's answers do.
        db.psql("CREATE TABLE raw (id bigserial, lon float8, lat float8)")
        db.copy_in("raw(lon, lat)", folder / "points.csv")
        db.psql("CREATE TABLE points AS SELECT id - 1 AS id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom FROM raw")
        db.psql("CREATE INDEX ON microgrids USING gist (geom); CREATE INDEX ON points USING gist (geom); ANALYZE")
        count = int(db.value("SELECT count(*) FROM points"))
        lon_lat = np.array([(float(lon), float(lat)) for lon, lat in bench_common.rows(folder / "points.csv")])
        lon, lat = lon_lat[:, 0], lon_lat[:, 1]
        version = db.value("SELECT postgis_lib_version()")

        seconds, peak, found = db.smallest_covering(answer, count)
        polygons = shapely.from_geojson([json.dumps(f["geometry"]) for f in collection["features"]])
        answers = bench_common.compare_located(bench_common.raw(folder, "locate-answers.i32", "<i4"), found,
                                               polygons, lon, lat)
        bench_common.report("locate-postgis", seconds, count, answers, peak, inside=int((found >= 0).sum()),
                            rule="ST_Covers, smallest code", postgis=version)

        db.psql("CREATE TABLE rawwells (row bigserial, id text, lon float8, lat float8)")
        db.copy_in("rawwells(id, lon, lat)", folder / "wells.csv")
        db.psql("CREATE TABLE wells AS SELECT row - 1 AS row,"
                " ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 4549) AS geom FROM rawwells;"
                " CREATE INDEX ON wells USING gist (geom); ANALYZE wells")
        seconds, peak = db.timed_query(
            "SELECT p.id, nearest.row, nearest.metres FROM points p"
            " CROSS JOIN LATERAL (SELECT ST_Transform(p.geom, 4549) AS geom) AS q"
            " CROSS JOIN LATERAL (SELECT w.row, w.geom <-> q.geom AS metres FROM wells w"
            " ORDER BY w.geom <-> q.geom LIMIT 1) AS nearest", answer)
        rows, metres = np.full(count, -1), np.full(count, np.inf)
        for point, row, distance in bench_common.rows(answer, header=False):
            rows[int(point)], metres[int(point)] = int(row), float(distance)
        answers = bench_common.compare_nearest(bench_common.raw(folder, "nearest-wells.i32", "<i4"),
                                               bench_common.raw(folder, "nearest-metres.f64", "<f8"), rows, metres)
        bench_common.report("nearest-postgis-knn", seconds, count, answers, peak, found=int((rows >= 0).sum()),
                            metric="EPSG:4549 metres", postgis=version)


if __name__ == "__main__":
    main()
