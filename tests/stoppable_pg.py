"""A throwaway PostgreSQL cluster that a test may stop and start again for real.

Used by the outbox tests (a ward station losing and regaining its link); the
shared server on 5432 is never touched.
"""

from __future__ import annotations

import os
import subprocess

from tests.pg_server import TempCluster


class StoppableCluster(TempCluster):
    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run([*self.run_as, f"{self.bindir}/pg_ctl", "-D", os.path.join(self.dir, "data"), "-w", *args],
                       check=True, capture_output=True)

    def halt(self) -> None:
        """Stop the server, keeping its data."""
        self._ctl("-m", "fast", "stop")

    def resume(self) -> None:
        """Start the stopped server again on the same port."""
        self._ctl("-l", os.path.join(self.dir, "log"),
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")


def start_cluster() -> StoppableCluster | None:
    """A started cluster, or None when no PostgreSQL binaries are installed."""
    try:
        cluster = StoppableCluster()
    except RuntimeError:
        return None
    cluster.start()
    return cluster
