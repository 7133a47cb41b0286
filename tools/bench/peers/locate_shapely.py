#!/usr/bin/env python3
"""Shapely 2 / GeoPandas side of `gridmap-bench locate` and `gridmap-bench nearest` (run those
first): the same micro-grids, points and wells, read from the run's folder (--dir), and the
answers compared with GridMap's in the same run (bench_common.py says how).

Each benchmark runs in its own process (so peak RSS is its own) and prints one JSON line.

Locate: GridMap's rule is "covers, smallest code wins"; microgrids.geojson is in code order, so
every peer keeps the smallest polygon index per point. For a point and a polygon, "intersects"
is "covers" (interior or boundary). Timed: the query and the smallest-index reduction; building
the point geometries, the tree and the frames is not timed (reported as "setup_seconds").
  locate-shapely-strtree        STRtree(polygons).query(points, predicate="intersects")
  locate-shapely-intersects-xy  per polygon: bounding-box filter, then shapely.intersects_xy
                                (prepared) on the raw x/y arrays, smallest index written last
  locate-geopandas-sjoin        geopandas.sjoin(points, micro-grids, predicate="intersects")

Nearest: in EPSG:4549 metres, like GridMap. The wells are projected (pyproj) before the clock
starts, as GridMap projects them when it builds its atlas; the query points are projected
inside the timed part, as GridMap's nearestAll does ("project_seconds" is that part).
  nearest-shapely-query-nearest    pyproj, then STRtree(wells).query_nearest(points, return_distance=True)
  nearest-geopandas-sjoin-nearest  GeoDataFrame.to_crs(4549), then geopandas.sjoin_nearest(points, wells)
"""
import json
import time

import numpy as np

import bench_common

LOCATE = ["locate-shapely-strtree", "locate-shapely-intersects-xy", "locate-geopandas-sjoin"]
NEAREST = ["nearest-shapely-query-nearest", "nearest-geopandas-sjoin-nearest"]
RULE = "intersects (= covers for a point), smallest code"


def load_polygons(folder):
    import shapely
    with open(folder / "microgrids.geojson") as file:
        features = json.load(file)["features"]
    return shapely.from_geojson([json.dumps(f["geometry"]) for f in features]), [f["properties"]["code"] for f in features]


def load_points(folder):
    import pandas as pd
    frame = pd.read_csv(folder / "points.csv", dtype={"lon": np.float64, "lat": np.float64})
    return frame["lon"].to_numpy(), frame["lat"].to_numpy()


def locate(bench, folder):
    import shapely
    lon, lat = load_points(folder)
    polygons, codes = load_polygons(folder)
    count = len(lon)
    setup = time.perf_counter()
    if bench == "locate-shapely-strtree":
        points = shapely.points(lon, lat)
        tree = shapely.STRtree(polygons)
        setup = time.perf_counter() - setup
        start = time.perf_counter()
        point_index, polygon_index = tree.query(points, predicate="intersects")
        found = bench_common.smallest_per_point(count, point_index, polygon_index)
        seconds = time.perf_counter() - start
        version = {"shapely": shapely.__version__}
    elif bench == "locate-shapely-intersects-xy":
        shapely.prepare(polygons)
        bounds = shapely.bounds(polygons)
        setup = time.perf_counter() - setup
        start = time.perf_counter()
        found = np.full(count, -1, dtype=np.int32)
        for index in range(len(polygons) - 1, -1, -1):   # smallest index written last: it wins
            x0, y0, x1, y1 = bounds[index]
            candidates = np.flatnonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
            inside = shapely.intersects_xy(polygons[index], lon[candidates], lat[candidates])
            found[candidates[inside]] = index
        seconds = time.perf_counter() - start
        version = {"shapely": shapely.__version__}
    elif bench == "locate-geopandas-sjoin":
        import geopandas as gpd
        grid = gpd.GeoDataFrame({"code": codes}, geometry=polygons, crs="EPSG:4326")
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
        setup = time.perf_counter() - setup
        start = time.perf_counter()
        joined = gpd.sjoin(points, grid, how="inner", predicate="intersects")
        found = bench_common.smallest_per_point(count, joined.index.to_numpy(), joined["index_right"].to_numpy())
        seconds = time.perf_counter() - start
        version = {"geopandas": gpd.__version__}
    else:
        raise SystemExit(f"locate_shapely: unknown bench {bench}")
    answers = bench_common.compare_located(bench_common.raw(folder, "locate-answers.i32", "<i4"), found,
                                           polygons, lon, lat)
    bench_common.report(bench, seconds, count, answers, inside=int((found >= 0).sum()),
                        setup_seconds=round(setup, 3), rule=RULE, **version)


def nearest(bench, folder):
    import pandas as pd
    import pyproj
    import shapely
    lon, lat = load_points(folder)
    wells = pd.read_csv(folder / "wells.csv")
    count = len(lon)
    transformer = pyproj.Transformer.from_crs(4326, 4549, always_xy=True)
    setup = time.perf_counter()
    if bench == "nearest-shapely-query-nearest":
        tree = shapely.STRtree(shapely.points(*transformer.transform(wells["lon"].to_numpy(), wells["lat"].to_numpy())))
        setup = time.perf_counter() - setup
        start = time.perf_counter()
        x, y = transformer.transform(lon, lat)
        project = time.perf_counter() - start
        pairs, metres = tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
        seconds = time.perf_counter() - start
        rows, distances = np.full(count, -1), np.full(count, np.inf)
        rows[pairs[0]], distances[pairs[0]] = pairs[1], metres
        version = {"shapely": shapely.__version__}
    elif bench == "nearest-geopandas-sjoin-nearest":
        import geopandas as gpd
        well_frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(wells["lon"], wells["lat"]), crs="EPSG:4326").to_crs(4549)
        points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
        setup = time.perf_counter() - setup
        start = time.perf_counter()
        projected = points.to_crs(4549)
        project = time.perf_counter() - start
        joined = gpd.sjoin_nearest(projected, well_frame, how="inner", distance_col="metres")
        joined = joined[~joined.index.duplicated(keep="first")]
        seconds = time.perf_counter() - start
        rows, distances = np.full(count, -1), np.full(count, np.inf)
        rows[joined.index.to_numpy()] = joined["index_right"].to_numpy()
        distances[joined.index.to_numpy()] = joined["metres"].to_numpy()
        version = {"geopandas": gpd.__version__}
    else:
        raise SystemExit(f"locate_shapely: unknown bench {bench}")
    answers = bench_common.compare_nearest(bench_common.raw(folder, "nearest-wells.i32", "<i4"),
                                           bench_common.raw(folder, "nearest-metres.f64", "<f8"), rows, distances)
    bench_common.report(bench, seconds, count, answers, found=int((rows >= 0).sum()), wells=len(wells),
                        project_seconds=round(project, 3), setup_seconds=round(setup, 3), metric="EPSG:4549 metres",
                        proj=pyproj.proj_version_str, **version)


def main():
    arguments = bench_common.bench_parser(__doc__).parse_args()
    bench_common.run_benches(__file__, arguments, LOCATE + NEAREST,
                             lambda bench: (nearest if bench in NEAREST else locate)(bench, arguments.dir))


if __name__ == "__main__":
    main()
