"""A throw-away PostgreSQL 15 cluster for the PostGIS and pgRouting peers.

`with PostgresCluster() as db:` runs initdb in a fresh temporary folder, starts the server on a
unix socket only (no TCP), and stops it and removes the folder on exit. When run as root the
server runs as the `postgres` user (PostgreSQL refuses to run as root). Needs the Debian package
postgresql-15 (tools/setup --bench).
"""
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

BIN = pathlib.Path("/usr/lib/postgresql/15/bin")
PORT = "54329"


def as_postgres(command, **kwargs):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + command, check=True, **kwargs)


class PostgresCluster:
    def __enter__(self):
        self.scratch = pathlib.Path(tempfile.mkdtemp(prefix="gridmap-postgres-"))
        self.data = self.scratch / "data"
        if os.geteuid() == 0:
            shutil.chown(self.scratch, "postgres")
        os.chmod(self.scratch, 0o777)
        as_postgres([str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"],
                    stdout=subprocess.DEVNULL)
        as_postgres([str(BIN / "pg_ctl"), "start", "-D", str(self.data), "-w", "-l", str(self.scratch / "log"),
                     "-o", f"-c listen_addresses='' -k {self.scratch} -p {PORT}"
                           " -c shared_buffers=512MB -c work_mem=256MB"],
                    stdout=subprocess.DEVNULL)
        return self

    def __exit__(self, *_):
        as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(self.scratch, ignore_errors=True)

    def psql(self, sql, capture=False):
        """Runs `sql` (one or more statements, or psql meta-commands) in one session."""
        return as_postgres(["psql", "-h", str(self.scratch), "-p", PORT, "-U", "postgres", "-v", "ON_ERROR_STOP=1",
                            "-qAt", "-F", ",", "-f", "-"], input=sql, capture_output=capture, text=True)

    def value(self, sql):
        """The single value `sql` returns, as text."""
        return self.psql(sql, capture=True).stdout.strip()

    def copy_in(self, table, path):
        """Loads a CSV file with a header line into `table`, a table name or a table and its columns
        such as "points(lon, lat)" (the server reads a copy it may open)."""
        readable = self.scratch / pathlib.Path(path).name
        shutil.copy(path, readable)
        os.chmod(readable, 0o644)
        self.psql(f"COPY {table} FROM '{readable}' WITH (FORMAT csv, HEADER true)")

    def timed_query(self, sql, path):
        """Runs one query in a fresh session, its rows written as CSV to `path` (created here).

        Returns (seconds, peak MiB): the query's time as psql's `\\timing` reports it (execution
        and transfer of the rows, no connection set-up), and the serving backend's peak resident
        memory (VmHWM, read by the backend itself; it includes the shared buffers it touched).
        """
        output = self.scratch / "query-output.csv"
        script = ("\\timing on\n"
                  f"\\o {output}\n{sql};\n\\o\n\\timing off\n"
                  "SELECT substring(pg_read_file('/proc/self/status') from 'VmHWM:\\s*(\\d+) kB');\n")
        text = self.psql(script, capture=True).stdout
        times = re.findall(r"^Time: ([0-9.]+) ms", text, re.MULTILINE)
        if len(times) != 1:
            raise SystemExit(f"postgres_cluster: no single timing in psql's output:\n{text}")
        peak_kib = int(text.strip().splitlines()[-1])
        shutil.copy(output, path)
        return float(times[0]) / 1000, round(peak_kib / 1024, 1)

    def smallest_covering(self, path, count):
        """Times the join of the tables `points (id, geom)` and `microgrids (idx, geom)` by
        ST_Covers with the smallest micro-grid index per point (GridMap's rule), its rows written
        to `path`. Returns (seconds, peak MiB, per point id 0..count-1 the index or -1)."""
        import numpy
        seconds, peak = self.timed_query("SELECT p.id, min(m.idx) FROM points p JOIN microgrids m "
                                         "ON ST_Covers(m.geom, p.geom) GROUP BY p.id", path)
        found = numpy.full(count, -1)
        with open(path) as rows:
            for line in rows:
                if line.strip():
                    point, index = line.strip().split(",")
                    found[int(point)] = int(index)
        return seconds, peak, found

