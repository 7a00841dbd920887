"""The bench databases and the environment of every command and server the runner starts."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from bench.config import BENCH_DB, ROOT, SETTINGS, Config

PYTHON = sys.executable


def pg_reachable(url: str) -> str | None:
    """The server's version, or None when no PostgreSQL answers."""
    try:
        import psycopg

        with psycopg.connect(f"{url}/postgres", connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - any failure means "not reachable": skip PostgreSQL
        return None


def fresh_database(config: Config, db: str) -> str:
    """A new, empty bench database; returns its DATABASE_URL."""
    if db == "sqlite":
        path = config.work / f"{BENCH_DB}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(f"{config.pg_url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return f"{config.pg_url}/{BENCH_DB}"


def manage(args: list[str], env: dict[str, str], *, quiet: bool = False) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def base_env(database_url: str) -> dict[str, str]:
    """The caller's environment on the bench database, with the bench settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "PARSTRACK_ENV", "DATABASE_REPLICA_URL"}
    }
    env["DATABASE_URL"] = database_url
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    return env


def production_env(database_url: str) -> dict[str, str]:
    """Production's profile. The only addition is bench.settings (query header, bench URLs)."""
    env = base_env(database_url)
    env.update(
        PARSTRACK_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
    )
    return env
