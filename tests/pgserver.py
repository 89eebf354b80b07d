"""A PostgreSQL server for the tests: the one in ``$KINGMAKER_TEST_POSTGRES``, or a private
throwaway cluster started with ``initdb`` and ``pg_ctl`` in a temporary directory.

Without either, the tests that need it are skipped, unless ``KINGMAKER_REQUIRE_SERVICES=1``
asks for them to fail instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

URL_VAR = "KINGMAKER_TEST_POSTGRES"
REQUIRE_VAR = "KINGMAKER_REQUIRE_SERVICES"
SERVER_USER = "postgres"  # the account that runs the cluster when the tests run as root
# Durability is pointless for a throwaway cluster and costs most of its time.
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def unavailable(reason: str) -> NoReturn:
    """Skip the calling test for ``reason``, or fail it when services are required."""
    if os.environ.get(REQUIRE_VAR) == "1":
        pytest.fail(f"PostgreSQL is required ({REQUIRE_VAR}=1) but {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL for the tests: {reason}; set {URL_VAR} to a server URL")


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: on PATH, else the newest Debian one."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    found = sorted(
        Path(p).parent
        for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")
        if Path(p).with_name("pg_ctl").exists()
    )
    return max(found, key=lambda p: int(p.parent.name), default=None) if found else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def postgres_server() -> Iterator[str]:
    """A URL of a PostgreSQL server whose user may create schemas (and, if private, databases).

    Yields ``$KINGMAKER_TEST_POSTGRES`` when set; else starts a private cluster (trust
    auth, listening on 127.0.0.1 and a socket in its directory), stopped and removed on
    exit. Skips the test (or fails it, see ``unavailable``) when neither is possible.
    """
    given = os.environ.get(URL_VAR)
    if given:
        yield given
        return
    bindir = find_bindir()
    if bindir is None:
        unavailable("initdb and pg_ctl are on neither PATH nor /usr/lib/postgresql/*/bin")
    runas: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # initdb refuses to run as root
        import pwd

        if shutil.which("runuser") is None:
            unavailable("the tests run as root and runuser is missing")
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            unavailable(f"the tests run as root and there is no '{SERVER_USER}' user")
        runas = ["runuser", "-u", SERVER_USER, "--"]
    tmp = Path(tempfile.mkdtemp(prefix="kingmaker-pg-"))
    if runas:
        shutil.chown(tmp, SERVER_USER)
    data = tmp / "data"
    try:
        _run(
            [
                *runas,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            "initdb",
        )
        port = _start(runas, bindir, data, tmp)
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                [*runas, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
                check=False,
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _start(runas: list[str], bindir: Path, data: Path, tmp: Path) -> int:
    """Start the cluster on a free port (trying again if another process took it)."""
    for _ in range(3):
        port = free_port()
        options = f"-h 127.0.0.1 -p {port} -k {tmp} {FAST}"
        command = [*runas, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(tmp / "log"),
                   "-w", "-t", "60", "-o", options, "start"]  # fmt: skip
        if subprocess.run(command, capture_output=True, check=False).returncode == 0:
            return port
    log = (tmp / "log").read_text(errors="replace")[-2000:] if (tmp / "log").exists() else ""
    unavailable(f"pg_ctl could not start a cluster in {data}: {log.strip() or 'no log'}")


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        unavailable(f"{what} failed: {(done.stderr or done.stdout).strip()[-2000:]}")
