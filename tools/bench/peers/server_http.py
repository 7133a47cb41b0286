#!/usr/bin/env python3
"""The server benchmark: `gridmap serve` under wrk on loopback, against pygeoapi serving the same
homes from the same data in the same run.

    server_http.py --dir DIR --gridmap PATH --pygeoapi-venv VENV [--seconds 30]

What it does, in order:
  1. imports the bundled town into DIR/town.sqlite and starts `gridmap serve --port 0 --read-only`
     on it (access log to /dev/null: the log's cost is not what is measured);
  2. exports the homes layer (`gridmap export --layer homes`), converts it to a GeoPackage with
     ogr2ogr and serves it with pygeoapi (its SQLite/GeoPackage provider, the faster of its two
     on this data: ../shared/notes/web-and-peers.md) under gunicorn, one worker (two break its
     provider);
  3. makes 1,000 bounding boxes of about 500 m around homes picked at random (seeded) and asks both servers for
     the first 50 with limit 10,000: the sets of home ids must be equal ("answers");
  4. runs wrk (-t2 -c32, --latency, --timeout 30s) with a Lua script that walks the same boxes, on
     `/collections/homes/items?bbox=…&limit=100` of both servers, and on GridMap's
     `/jobs/locate?lon=…&lat=…` with 1,000 seeded points (no peer has a locate endpoint: the line
     says so);
  5. prints one result line per measurement: "items" are requests, "seconds" the run's length, so
     items/s is requests per second; p50/p99 latencies in milliseconds are extra fields.

The issue's targets (docs/BENCHMARKS.md): locate >= 20,000 requests/s with p99 < 10 ms; bbox items
>= 5,000 requests/s with p99 < 20 ms. Nothing here asserts them: the table shows them.
"""
import json
import os
import pathlib
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import bench_common

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]
# Dacun's extent, WGS84 (the bundled town's micro-grids lie inside).
WEST, SOUTH, EAST, NORTH = 119.688, 35.836, 119.913, 35.967
BOX_DEGREES = 0.005  # about 450 m east-west, 550 m north-south: a village street on a phone's map
BOXES = 1000
CHECKED_BOXES = 50


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.load(response)


def wait_for(url, process, what, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server_http: {what} exited with status {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server_http: {what} did not answer {url} within {seconds} s")


def start_gridmap(gridmap, db, read_only=True):
    """`gridmap serve` on a free loopback port (read-only unless asked), its access log to
    /dev/null; returns the process and its base URL once it answers."""
    process = subprocess.Popen([gridmap, "serve", "--port", "0", "--db", str(db), *(["--read-only"] if read_only else []),
                                "--access-log", "/dev/null"], stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"http://[^ ]+/", line)
    if not match:
        process.kill()
        raise SystemExit(f"server_http: gridmap serve did not announce its address: {line!r}")
    url = match.group(0).rstrip("/")
    wait_for(url + "/healthz", process, "gridmap serve")
    return process, url


def pygeoapi_config(folder, gpkg, port):
    """pygeoapi's configuration for one collection, `homes`, from the GeoPackage."""
    config = f"""
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: 10, max_items: 10000}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: 'none'}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: Dacun, description: Dacun homes, keywords: [homes], keywords_type: theme,
                    terms_of_service: none, url: 'http://127.0.0.1'}}
  license: {{name: ODbL, url: 'http://127.0.0.1'}}
  provider: {{name: GridMap bench, url: 'http://127.0.0.1'}}
  contact: {{name: bench, position: bench, address: none, city: none, stateorprovince: none,
            postalcode: none, country: none, phone: none, fax: none, email: none@example.org,
            url: 'http://127.0.0.1', hours: none, instructions: none, role: pointOfContact}}
resources:
  homes:
    type: collection
    title: homes
    description: homes
    keywords: [homes]
    extents:
      spatial: {{bbox: [{WEST}, {SOUTH}, {EAST}, {NORTH}], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}
    providers:
      - type: feature
        name: SQLiteGPKG
        data: {gpkg}
        id_field: id
        table: homes
"""
    path = folder / "pygeoapi.yml"
    path.write_text(config)
    return path


def start_pygeoapi(venv, folder, gpkg):
    port = free_port()
    config = pygeoapi_config(folder, gpkg, port)
    openapi = folder / "pygeoapi-openapi.yml"
    environment = dict(os.environ, PYGEOAPI_CONFIG=str(config), PYGEOAPI_OPENAPI=str(openapi))
    subprocess.run([str(venv / "bin/pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
                   check=True, env=environment, stdout=subprocess.DEVNULL)
    process = subprocess.Popen([str(venv / "bin/gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}",
                                "--log-level", "error", "pygeoapi.flask_app:APP"], env=environment)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/collections/homes?f=json", process, "pygeoapi")
    return process, url


def boxes(homes):
    """Boxes centred on homes picked at random (seeded): the views a map of the town asks for,
    rather than empty fields."""
    rng = random.Random(20261207)
    centres = [feature["geometry"]["coordinates"] for feature in json.loads(homes.read_text())["features"]]
    result = []
    for _ in range(BOXES):
        x, y = rng.choice(centres)
        half = BOX_DEGREES / 2
        result.append((round(x - half, 6), round(y - half, 6), round(x + half, 6), round(y + half, 6)))
    return result


def points():
    rng = random.Random(20261208)
    return [(round(rng.uniform(WEST, EAST), 6), round(rng.uniform(SOUTH, NORTH), 6)) for _ in range(BOXES)]


def home_ids(url, box):
    bbox = ",".join(map(str, box))
    answer = get_json(f"{url}/collections/homes/items?bbox={bbox}&limit=10000&f=json")
    return {str(feature.get("id", feature.get("properties", {}).get("id"))) for feature in answer["features"]}


def compare(gridmap_url, peer_url, some_boxes):
    """The number of boxes whose sets of homes differ, and the homes compared."""
    different, homes = 0, 0
    for box in some_boxes:
        ours, theirs = home_ids(gridmap_url, box), home_ids(peer_url, box)
        homes += len(ours)
        different += ours != theirs
    return different, homes


def lua_script(folder, name, paths):
    """A wrk script that walks `paths` in turn, one list per thread position."""
    quoted = ",\n".join(json.dumps(path) for path in paths)
    script = folder / f"{name}.lua"
    script.write_text(f"""
local paths = {{
{quoted}
}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
""")
    return script


def wrk(url, script, seconds):
    """Requests per second, p50 and p99 (ms), requests and errors of one wrk run."""
    output = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "--timeout", "30s", "-s", str(script), url],
                            check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, milliseconds(percentiles["50"]), milliseconds(percentiles["99"]), requests, int(errors.group(1)) if errors else 0


def milliseconds(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def report_wrk(bench, result, seconds, answers, work, server_pid):
    rate, p50, p99, requests, errors = result
    bench_common.report(bench, seconds, requests, answers, peak_rss_mb=peak_rss(server_pid),
                        requests_per_s=round(rate), p50_ms=p50, p99_ms=p99, non_2xx=errors, work=work)


def peak_rss(pid):
    """The server's peak resident memory in MiB (VmHWM): of the process, or of its largest worker
    (gunicorn's master forks the worker that answers); None once it has gone."""
    peaks = []
    try:
        children = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        children = []
    for process in [pid, *children]:
        try:
            for line in open(f"/proc/{process}/status"):
                if line.startswith("VmHWM:"):
                    peaks.append(round(int(line.split()[1]) / 1024, 1))
        except OSError:
            pass
    return max(peaks) if peaks else None


def main():
    parser = bench_common.folder_argument(description=__doc__)
    parser.add_argument("--gridmap", required=True, help="the gridmap executable (a release build)")
    parser.add_argument("--pygeoapi-venv", required=True, type=pathlib.Path, help="a venv with pygeoapi and gunicorn")
    parser.add_argument("--seconds", type=int, default=30, help="each wrk run's length")
    arguments = parser.parse_args()
    folder = arguments.dir
    db = folder / "server-town.sqlite"
    subprocess.run([arguments.gridmap, "import", str(REPOSITORY / "geodata/dacun"), "--db", str(db)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    homes = folder / "homes.geojson"
    with open(homes, "w") as out:
        subprocess.run([arguments.gridmap, "export", "--layer", "homes", "--db", str(db)], check=True, stdout=out,
                       stderr=subprocess.DEVNULL)
    gpkg = folder / "homes.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(homes), "-nln", "homes"], check=True)

    servers = []
    try:
        ours, gridmap_url = start_gridmap(arguments.gridmap, db)
        servers.append(ours)
        peer, peer_url = start_pygeoapi(arguments.pygeoapi_venv, folder, gpkg)
        servers.append(peer)
        all_boxes = boxes(homes)
        different, compared = compare(gridmap_url, peer_url, all_boxes[:CHECKED_BOXES])
        answers = bench_common.verdict(CHECKED_BOXES, "bbox answers (sets of home ids)", real=different)
        paths = [f"/collections/homes/items?bbox={','.join(map(str, box))}&limit=100&f=json" for box in all_boxes]
        script = lua_script(folder, "bbox", paths)
        work = f"homes in a ~500 m bbox, limit 100, GeoJSON; {compared} homes in the {CHECKED_BOXES} checked boxes"
        report_wrk("server-bbox-items", wrk(gridmap_url, script, arguments.seconds), arguments.seconds, "reference",
                   work, ours.pid)
        report_wrk("server-bbox-items-pygeoapi", wrk(peer_url, script, arguments.seconds), arguments.seconds,
                   answers, work + "; pygeoapi 0.21, SQLiteGPKG provider, gunicorn 1 worker", peer.pid)
        located = lua_script(folder, "locate", [f"/jobs/locate?lon={lon}&lat={lat}" for lon, lat in points()])
        report_wrk("server-locate", wrk(gridmap_url, located, arguments.seconds), arguments.seconds,
                   "not compared: no peer serves a locate endpoint (the locate bench compares the engine)",
                   "one point's micro-grid, grid and village as JSON", ours.pid)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main())
