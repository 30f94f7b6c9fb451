"""Finding (or starting) a real PostgreSQL server for the tests.

Order: ``DD_TEST_DATABASE_URL``; else 127.0.0.1:5432 as user postgres (trust
auth) when reachable; else a temporary cluster started from the Debian
postgresql binaries. With ``CI=true`` having none is a failure, not a skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

import psycopg


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class TempCluster:
    """A throwaway cluster under a temp dir, owned by the postgres user when root."""

    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise RuntimeError("no PostgreSQL binaries (apt-get install postgresql)")
        self.bindir = os.path.dirname(bins[-1])
        self.dir = tempfile.mkdtemp(prefix="dd-pg-")
        self.port = _free_port()
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.run_as:
            shutil.chown(self.dir, "postgres", "postgres")

    def start(self) -> str:
        data = os.path.join(self.dir, "data")
        subprocess.run([*self.run_as, f"{self.bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust"],
                       check=True, capture_output=True)
        self.configure(data)
        subprocess.run(
            [*self.run_as, f"{self.bindir}/pg_ctl", "-D", data, "-w", "-l", os.path.join(self.dir, "log"),
             "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start"],
            check=True, capture_output=True,
        )
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def configure(self, data: str) -> None:
        """Between initdb and the first start (a subclass writes its pg_hba.conf here)."""

    def stop(self) -> None:
        subprocess.run([*self.run_as, f"{self.bindir}/pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_server() -> tuple[str | None, TempCluster | None, str]:
    """(admin URL, cluster to stop later or None, how it was found)."""
    url = os.environ.get("DD_TEST_DATABASE_URL")
    if url:
        return url, None, "DD_TEST_DATABASE_URL"
    if _reachable("127.0.0.1", 5432):
        return "postgresql://postgres@127.0.0.1:5432/postgres", None, "127.0.0.1:5432"
    try:
        cluster = TempCluster()
        return cluster.start(), cluster, f"temporary cluster on port {cluster.port}"
    except Exception as exc:  # reported by the fixture
        return None, None, f"no PostgreSQL: {exc}"


def _conninfo(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def create_database(admin_url: str) -> str:
    """A fresh empty database; returns its URL."""
    name = f"dd_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_conninfo(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_database(admin_url: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    for _ in range(5):
        try:
            with psycopg.connect(_conninfo(admin_url), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.Error:
            time.sleep(0.2)


class PasswordCluster(TempCluster):
    """A throwaway cluster that checks passwords (scram-sha-256) for every login but ``postgres``.

    The shared server trusts 127.0.0.1, so there a wrong password still logs in;
    ``admin rotate`` is tested here, where the old password is really refused.
    """

    def configure(self, data: str) -> None:
        with open(os.path.join(data, "pg_hba.conf"), "w", encoding="utf-8") as fh:
            fh.write("local all all trust\n"
                     "host all postgres 127.0.0.1/32 trust\n"
                     "host all all 127.0.0.1/32 scram-sha-256\n")
