"""Hypothesis profiles: CI runs the same examples every time (no flaky reds); run
`python -m pytest --hypothesis-profile=explore` to search new ones.

No test writes where real runs keep their data: every test uses tmp_path. CRAWLER_HOME points
at an empty folder of the session's own (subprocesses inherit it), so that a test that forgets
to name its directories cannot reach the user's real crawler home; the guard below fails any
test that writes into that folder or into the repository's default folders."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from crawler.paths import DEFAULT_FOLDERS

settings.register_profile("default", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=2000)
settings.load_profile("default")

ROOT = Path(__file__).resolve().parent.parent
_HOME = Path(tempfile.mkdtemp(prefix="crawler-home-guard-"))


def pytest_configure(config: pytest.Config) -> None:
    # Before collection: tests.helpers copies os.environ when it is imported.
    os.environ["CRAWLER_HOME"] = str(_HOME)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_HOME, ignore_errors=True)


def _guarded() -> list[Path]:
    return [_HOME, *(ROOT / folder for folder in DEFAULT_FOLDERS)]


def _snapshot() -> dict[str, tuple[int, int]]:
    files = {}
    for base in _guarded():
        if base.exists():
            for path in base.rglob("*"):
                st = path.stat()
                files[str(path)] = (st.st_mtime_ns, st.st_size)
    return files


@pytest.fixture(autouse=True)
def _no_default_folders(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that created, changed or removed anything in a default output folder."""
    before = _snapshot()
    yield
    after = _snapshot()
    touched = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    if touched:
        pytest.fail(
            f"{request.node.nodeid} wrote where real runs keep their data (use tmp_path): "
            + ", ".join(touched[:5]),
            pytrace=False,
        )


# PostgreSQL for the state backend tests: the server the machine and CI run, overridable.
PG_SERVER = os.environ.get("CRAWLER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A state URL on a schema of this test's own (created, then dropped), so that parallel
    runs and tests never see each other's tables; skips when no server answers."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg not installed (the [postgres] extra)")
    try:
        admin = psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL unreachable at {PG_SERVER}: {str(exc).strip().splitlines()[0]}")
    schema = f"crawler_test_{os.getpid()}_{os.urandom(4).hex()}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_SERVER else "?"
    try:
        yield f"{PG_SERVER}{sep}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()
