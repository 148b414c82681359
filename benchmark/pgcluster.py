"""A throwaway PostgreSQL 15 cluster for the tests and the benchmark (Debian's ``postgresql-15``).

    cluster = Cluster.create()               # initdb into a new temporary folder, start it
    url = cluster.create_database("arkiv")   # postgresql://… over the cluster's unix socket
    standby = cluster.standby()              # a streaming hot standby (pg_basebackup -R) on loopback
    standby.stop(); cluster.stop()           # stop and delete the folders

PostgreSQL refuses to run as root: as root, every server program runs as the ``postgres`` user
(``runuser``), in a folder that user owns.  The server listens on 127.0.0.1 and on a unix socket
in its folder, on a free port; nothing else on the machine is touched.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "postgres"

# Settings for a cluster whose data may be lost (tests): no fsync, no waiting for the WAL.
THROWAWAY = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class ClusterError(RuntimeError):
    pass


def available() -> bool:
    return (BIN / "initdb").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner() -> list[str]:
    """The prefix that runs a server program as the cluster's owner."""
    return ["runuser", "-u", SUPERUSER, "--"] if os.geteuid() == 0 else []


def _own(path: Path) -> None:
    if os.geteuid() == 0:
        user = pwd.getpwnam(SUPERUSER)
        os.chown(path, user.pw_uid, user.pw_gid)


def _run(args: list[str], what: str) -> None:
    res = subprocess.run(_as_owner() + args, capture_output=True, text=True, cwd="/")
    if res.returncode != 0:
        raise ClusterError(f"{what} failed ({res.returncode}): {res.stderr.strip()[-2000:]}")


@dataclass
class Cluster:
    base: Path                  # holds data/, the socket and the log
    port: int
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def log(self) -> Path:
        return self.base / "server.log"

    @classmethod
    def create(cls, settings: dict[str, str] | None = None, base: Path | None = None) -> Cluster:
        """initdb a new cluster in ``base`` (default: a fresh temporary folder) and start it."""
        if not available():
            raise ClusterError(f"PostgreSQL 15 is not installed ({BIN}); apt-get install postgresql-15")
        if base is None:
            base = Path(tempfile.mkdtemp(prefix="arkiv-pg-"))
        else:
            base = base.resolve()
            base.mkdir(parents=True)
        base.chmod(0o755)
        _own(base)
        cluster = cls(base, free_port(), dict(settings or {}))
        _run([str(BIN / "initdb"), "-D", str(cluster.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
              "--locale=C.UTF-8", "--no-sync"], "initdb")
        # Replication over loopback for standbys (trust: the cluster is reachable from this machine only).
        with open(cluster.data / "pg_hba.conf", "a") as fh:
            fh.write("host replication all 127.0.0.1/32 trust\n")
        cluster.start()
        return cluster

    @classmethod
    def reopen(cls, base: Path, settings: dict[str, str] | None = None) -> Cluster:
        """Start a cluster made earlier in ``base`` (stopped with ``remove=False``)."""
        cluster = cls(base.resolve(), free_port(), dict(settings or {}))
        cluster.start()
        return cluster

    @staticmethod
    def remove(base: Path) -> None:
        """Stop (if running) and delete a cluster made in ``base`` earlier."""
        if (base / "data" / "postmaster.pid").exists():
            subprocess.run(_as_owner() + [str(BIN / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "-w",
                                          "stop"], capture_output=True, cwd="/")
        shutil.rmtree(base, ignore_errors=True)

    def _conf(self) -> list[str]:
        opts = {"port": str(self.port), "listen_addresses": "127.0.0.1", "unix_socket_directories": str(self.base),
                "max_connections": "100", **self.settings}
        out: list[str] = []
        for key, value in opts.items():
            out += ["-c", f"{key}={value}"]
        return out

    def start(self) -> None:
        _run([str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
              "-o", " ".join(f"'{o}'" if o != "-c" else o for o in self._conf()), "start"], "pg_ctl start")

    def stop(self, remove: bool = True) -> None:
        # A cluster about to be deleted needs no shutdown checkpoint (it took 8-40 s at the end
        # of a test run): "immediate" stops it at once.
        mode = "immediate" if remove else "fast"
        if (self.data / "postmaster.pid").exists():
            try:
                _run([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"], "pg_ctl stop")
            except ClusterError:
                pass
        if remove:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.base}&port={self.port}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
        return self.url(name)

    def standby(self) -> Cluster:
        """A streaming hot standby of this cluster: pg_basebackup -R over loopback, started."""
        base = Path(tempfile.mkdtemp(prefix="arkiv-pg-standby-"))
        base.chmod(0o755)
        _own(base)
        replica = Cluster(base, free_port(), dict(self.settings))
        _run([str(BIN / "pg_basebackup"), "-D", str(replica.data), "-h", "127.0.0.1", "-p", str(self.port),
              "-U", SUPERUSER, "-R", "-X", "stream", "-c", "fast", "--no-sync"], "pg_basebackup")
        replica.settings["hot_standby"] = "on"
        replica.start()
        return replica

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            res = subprocess.run([str(BIN / "pg_isready"), "-h", str(self.base), "-p", str(self.port)],
                                 capture_output=True)
            if res.returncode == 0:
                return
            time.sleep(0.1)
        raise ClusterError(f"the cluster on port {self.port} did not become ready")
