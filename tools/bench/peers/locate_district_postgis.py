"""PostGIS peer for the district register bench: the sample of a synthetic resident register
(town-generator register, over a synthetic district of town-generator district) located in the
district's micro-grids by ST_Covers, its answers compared row by row with GridMap's annotated CSV
of the same sample (gridmap-bench district-locate, the code of `gridmap locate --csv`).

Starts a throw-away PostgreSQL cluster (postgres_cluster.py) with PostGIS, loads every town's
micro-grids (indexed in code order, GridMap's order) and the sample's lon/lat (COPY), builds GiST
indexes, and times in a fresh session the join ST_Covers(micro-grid, point) with the smallest
code per point (GridMap's rule): "district-locate-postgis". Loading and indexing are not timed.

    locate_district_postgis.py --dir DIR --district DISTRICT
DIR holds register-sample.csv (the sample) and register-sample-located.csv (GridMap's answers:
the sample's rows with microgrid,grid appended).
"""
import argparse
import json
import pathlib

import numpy as np
import shapely

import bench_common
from postgres_cluster import PostgresCluster


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=pathlib.Path, required=True)
    parser.add_argument("--district", type=pathlib.Path, required=True)
    arguments = parser.parse_args()
    folder, district = arguments.dir, arguments.district
    manifest = json.load(open(district / "district.json"))
    features = []
    for town in manifest["towns"]:
        features += json.load(open(district / town["folder"] / "microgrids.geojson"))["features"]
    features.sort(key=lambda feature: feature["properties"]["code"])
    codes = [feature["properties"]["code"] for feature in features]
    index_of = {code: index for index, code in enumerate(codes)}

    with PostgresCluster() as db:
        answer = db.scratch / "answer.csv"
        db.psql("CREATE EXTENSION postgis")
        db.psql("CREATE TABLE microgrids (idx int, code text, geom geometry(MultiPolygon, 4326))")
        values = ",".join(
            "(%d, '%s', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON('%s'), 4326)))" % (index, code, json.dumps(feature["geometry"]))
            for index, (code, feature) in enumerate(zip(codes, features)))
        db.psql("INSERT INTO microgrids VALUES " + values)
        # Row ids follow the file's rows (0-based), as GridMap's annotated rows do.
        db.psql("CREATE TABLE raw (row bigserial, id text, town text, name text, home text, categories text,"
                " phone text, birthyear int, lon float8, lat float8)")
        db.copy_in("raw(id, town, name, home, categories, phone, birthyear, lon, lat)", folder / "register-sample.csv")
        db.psql("CREATE TABLE points AS SELECT row - 1 AS id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom FROM raw")
        db.psql("CREATE INDEX ON microgrids USING gist (geom); CREATE INDEX ON points USING gist (geom); ANALYZE")
        count = int(db.value("SELECT count(*) FROM points"))
        version = db.value("SELECT postgis_lib_version()")
        seconds, peak, found = db.smallest_covering(answer, count)

    ours = np.full(count, -1)
    lon, lat = np.zeros(count), np.zeros(count)
    with open(folder / "register-sample-located.csv") as located:
        next(located)
        for row, line in enumerate(located):
            fields = line.rstrip("\n").split(",")
            lon[row], lat[row] = float(fields[-4]), float(fields[-3])
            ours[row] = index_of[fields[-2]] if fields[-2] else -1
    polygons = shapely.from_geojson([json.dumps(feature["geometry"]) for feature in features])
    answers = bench_common.compare_located(ours, found, polygons, lon, lat, what="rows")
    bench_common.report("district-locate-postgis", seconds, count, answers, peak, inside=int((found >= 0).sum()),
                        micro_grids=len(codes), towns=len(manifest["towns"]), rule="ST_Covers, smallest code",
                        postgis=version, work="COPY and GiST indexes before the clock; the join and the transfer of every answer timed")


if __name__ == "__main__":
    main()
