"""End-to-end locate, CSV in → annotated CSV out, on the bundled town: the GeoPandas way, and
the row-by-row comparison of its output with `gridmap locate --csv`'s.

--make N writes N random points (id,lon,lat; 7 decimals) over the town's box, the input of both
sides. Otherwise, timed: read the micro-grids (geodata/dacun/microgrids.geojson, GridMap reads
its store), read the points CSV, make the points, join them to the micro-grids with
`sjoin(predicate="intersects")` (for a point, intersects = covers), keep the smallest code per
point (GridMap's rule for a point on a shared edge), and write every row with its micro-grid and
grid codes. Not timed: starting Python and importing GeoPandas (GridMap's time includes
starting its process). Then, untimed, --gridmap FILE (GridMap's output) is compared with this
output row by row: the same rows in the same order, the same id, lon and lat (as numbers:
GridMap copies the input text, pandas writes the parsed number) and the same micro-grid and
grid; a row whose codes differ is counted as "on a micro-grid edge" when its point lies on one,
else as a real difference. Prints one JSON line like the other peers.
"""
import argparse
import csv
import random
import sys
import time

import geopandas
import numpy
import pandas

import bench_common

MICROGRIDS = "geodata/dacun/microgrids.geojson"


def make(count, path):
    microgrids = geopandas.read_file(MICROGRIDS, engine="pyogrio")
    minx, miny, maxx, maxy = microgrids.total_bounds
    generator = random.Random(20261129)
    with open(path, "w") as out:
        out.write("id,lon,lat\n")
        for index in range(count):
            out.write(f"p{index},{generator.uniform(minx, maxx):.7f},{generator.uniform(miny, maxy):.7f}\n")


def locate(points_path, out_path):
    """Annotates the points CSV; returns the micro-grid polygons in code order (untimed use)."""
    # Codes are fixed-width (DC-001-1), so text order is GridMap's code order.
    microgrids = geopandas.read_file(MICROGRIDS, engine="pyogrio").sort_values("code", ignore_index=True)
    frame = pandas.read_csv(points_path)
    points = geopandas.GeoDataFrame(frame, geometry=geopandas.points_from_xy(frame.lon, frame.lat), crs="EPSG:4326")
    joined = geopandas.sjoin(points, microgrids[["geometry"]], how="inner", predicate="intersects")
    found = bench_common.smallest_per_point(len(frame), joined.index.to_numpy(), joined["index_right"].to_numpy())
    inside = found >= 0
    frame["microgrid"] = pandas.Series(numpy.where(inside, microgrids["code"].to_numpy()[found], ""), dtype=object)
    frame["grid"] = pandas.Series(numpy.where(inside, microgrids["grid"].to_numpy()[found], ""), dtype=object)
    frame.to_csv(out_path, index=False)
    return microgrids.geometry.to_numpy(), len(frame)


def compare(gridmap_path, peer_path, polygons):
    """The verdict on the peer's rows against GridMap's (see the module's doc)."""
    with open(gridmap_path, newline="") as ours_file, open(peer_path, newline="") as theirs_file:
        ours, theirs = list(csv.reader(ours_file)), list(csv.reader(theirs_file))
    if ours[0] != theirs[0]:
        return f"DIFFERENT: headers {','.join(ours[0])} and {','.join(theirs[0])}", 0
    ours, theirs = ours[1:], theirs[1:]
    real, coded = abs(len(ours) - len(theirs)), []
    for index, (a, b) in enumerate(zip(ours, theirs)):
        if a[0] != b[0] or float(a[1]) != float(b[1]) or float(a[2]) != float(b[2]):
            real += 1
        elif a[3:] != b[3:]:
            coded.append(index)
    edge = bench_common.on_any_edge(polygons, numpy.array([float(ours[i][1]) for i in coded]),
                                    numpy.array([float(ours[i][2]) for i in coded]))
    for index in coded[:5]:
        print(f"  row {index + 2}: GridMap {ours[index]}, peer {theirs[index]}", file=sys.stderr)
    return bench_common.verdict(max(len(ours), len(theirs)), "rows", real=real + int((~edge).sum()),
                                benign={"on a micro-grid edge (another edge rule)": int(edge.sum())})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", required=True)
    parser.add_argument("--out", help="the peer's annotated CSV")
    parser.add_argument("--gridmap", help="gridmap locate --csv's output, compared with --out")
    parser.add_argument("--make", type=int, help="only write this many random points over the town's box")
    arguments = parser.parse_args()
    if arguments.make:
        make(arguments.make, arguments.points)
        return
    if not (arguments.out and arguments.gridmap):
        parser.error("--out and --gridmap are needed unless --make")
    start = time.perf_counter()
    polygons, count = locate(arguments.points, arguments.out)
    seconds = time.perf_counter() - start
    answers = compare(arguments.gridmap, arguments.out, polygons)
    bench_common.report("locate-csv-geopandas", seconds, count, answers, rule="intersects (= covers), smallest code",
                        work="reads the micro-grids GeoJSON and the points CSV, joins, writes the CSV "
                             "(Python start-up and imports not timed)")


if __name__ == "__main__":
    main()
