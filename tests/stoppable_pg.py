"""A throwaway PostgreSQL cluster that a test may stop and start again for real.

Used by the outbox tests (a ward station losing and regaining its link, or
facing a server that is frozen rather than down); the shared server on 5432 is
never touched: only the processes of this cluster (its postmaster's pid file
and that pid's children) are signalled.
"""

from __future__ import annotations

import os
import signal
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

    def _pids(self) -> list[int]:
        """The postmaster and its children (backends, checkpointer, ...)."""
        with open(os.path.join(self.dir, "data", "postmaster.pid")) as fh:
            postmaster = int(fh.readline())
        children = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == postmaster:
                children.append(int(entry))
        return [postmaster, *children]

    def freeze(self) -> None:
        """SIGSTOP the server's processes: the kernel still accepts connections, nothing answers."""
        self._frozen = self._pids()
        for pid in self._frozen:
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in getattr(self, "_frozen", []):
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        self._frozen = []

    def stop(self) -> None:
        self.thaw()  # a frozen server cannot be stopped
        super().stop()

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
