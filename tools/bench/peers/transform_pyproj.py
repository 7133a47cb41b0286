#!/usr/bin/env python3
"""pyproj's side of `gridmap-bench transform` (run that first): the same N lon/lat points, read
from the run's folder (--dir), EPSG:4326 -> EPSG:4549 with always_xy=True, on numpy arrays (one
proj_trans_generic call inside), and the eastings and northings compared with GridMap's.

Timed like the Swift side: the transform call only (it allocates its output arrays); not timed:
reading the points, building the Transformer, one warm-up call on 1,000 points, the comparison.
"proj" names the PROJ release pyproj uses: a pyproj wheel bundles its own PROJ, which may be
newer (and faster per point) than the system PROJ that GridMap links. The answers agree when
every point is within 1 mm of GridMap's; "max_difference_m" is the largest difference.
"""
import time

import numpy as np
import pyproj
from pyproj import Transformer

import bench_common


def main() -> None:
    folder = bench_common.folder_argument(description=__doc__).parse_args().dir
    lon = bench_common.raw(folder, "transform-lon.f64", "<f8")
    lat = bench_common.raw(folder, "transform-lat.f64", "<f8")
    transformer = Transformer.from_crs(4326, 4549, always_xy=True)
    transformer.transform(lon[:1000], lat[:1000])  # warm-up, as on the Swift side

    start = time.perf_counter()
    easting, northing = transformer.transform(lon, lat)
    seconds = time.perf_counter() - start

    ours_x = bench_common.raw(folder, "transform-x.f64", "<f8")
    ours_y = bench_common.raw(folder, "transform-y.f64", "<f8")
    difference = np.hypot(easting - ours_x, northing - ours_y)
    real = int((~(difference <= bench_common.TOLERANCE_METRES)).sum())   # a NaN counts as different
    answers = bench_common.verdict(len(lon), "points", real=real, tolerance="1 mm")
    bench_common.report("transform-pyproj", seconds, len(lon), answers, proj=pyproj.proj_version_str,
                        max_difference_m=f"{np.nanmax(difference):.2e}")


if __name__ == "__main__":
    main()
