"""Writes the inputs of tools/bench/memory into a folder.

Usage: generate.py DIR COUNT

  DIR/town/            the tiny-town fixture with COUNT wells in wells.geojson (inside the town)
  DIR/unmatched.csv    a ledger of COUNT rows whose addresses match no home ("南山村N号")
  DIR/long-address.csv a ledger of one row whose address is 100 MB
  DIR/stops.csv        10,000 stops id,x,y for `tour --planar` (past the limit of one plan)
  DIR/stops-2000.csv   2,000 of them (the limit)
"""
import json
import os
import random
import shutil
import sys


def main():
    folder, count = sys.argv[1], int(sys.argv[2])
    fixture = os.path.join(os.path.dirname(__file__), "../../../Tests/gridmapTests/Fixtures/tiny-town")
    town = os.path.join(folder, "town")
    shutil.copytree(fixture, town)
    rng = random.Random(15)
    # The tiny town is the box 119.80–119.82 E, 35.90–35.91 N; wells stay strictly inside it.
    with open(os.path.join(town, "wells.geojson"), "w") as out:
        out.write('{"type":"FeatureCollection","features":[\n')
        for index in range(count):
            lon = 119.8 + 0.02 * (0.001 + 0.998 * rng.random())
            lat = 35.9 + 0.01 * (0.001 + 0.998 * rng.random())
            feature = {"type": "Feature", "id": f"well-{index + 1}",
                       "properties": {"kind": "well", "name": f"井{index + 1}", "depth_m": 10 + index % 50},
                       "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}}
            out.write(("," if index else "") + json.dumps(feature, ensure_ascii=False) + "\n")
        out.write("]}\n")
    with open(os.path.join(folder, "unmatched.csv"), "w") as out:
        out.write("id,name,address\n")
        for index in range(count):
            out.write(f"{index + 1},某{index % 97},南山村{index + 1}号\n")
    with open(os.path.join(folder, "long-address.csv"), "w") as out:
        out.write("id,address\n1,")
        chunk = "小镇东村" * 1000
        written = 0
        while written < 100 * 1000 * 1000:
            out.write(chunk)
            written += len(chunk.encode())
        out.write("1号\n2,小镇东村1号\n")
    stops = [f"s{index + 1},{rng.uniform(0, 10000):.1f},{rng.uniform(0, 10000):.1f}\n" for index in range(10_000)]
    for name, count in (("stops.csv", 10_000), ("stops-2000.csv", 2_000)):
        with open(os.path.join(folder, name), "w") as out:
            out.write("id,x,y\n" + "".join(stops[:count]))


if __name__ == "__main__":
    main()
