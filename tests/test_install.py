"""An installed copy (plain `pip install .`, not editable) writes under its home, never into
site-packages: `demo`, `crawl` and `scrapy crawl` from another directory, with and without
CRAWLER_HOME, each into its own folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.demo.server import DemoPortal
from pipelines.write import output_path
from tests.helpers import FAST, ROOT, read_jsonl

SITE = "dienbien"
FAST_ARGS = [arg for name, value in FAST.items() for arg in ("-s", f"{name}={value}")]


def _tree(base: Path) -> dict[str, int]:
    return {str(p.relative_to(base)): p.stat().st_size for p in base.rglob("*")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The project installed non-editable into a folder of its own (dependencies: this venv's)."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    # Built from a copy: a build writes build/ and *.egg-info beside the sources.
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for package in ("crawler", "spiders", "pipelines"):
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp / "site-packages"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "--target", str(target), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (target / "crawler" / "settings.py").exists()
    return target


@pytest.fixture(scope="module")
def portal() -> Iterator[str]:
    with DemoPortal([SITE]) as sites:
        yield sites[0].url


def _run(installed: Path, cwd: Path, *args: str, home: Path | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("CRAWLER_HOME", "PYTHONPATH")}
    env.update(PYTHONPATH=str(installed), PYTHONDONTWRITEBYTECODE="1")
    env["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"  # no scrapy.cfg out here
    if home is not None:
        env["CRAWLER_HOME"] = str(home)
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env
    )


def _run_files(output_dir: Path) -> dict[str, Path]:
    """The one run of SITE under output_dir: its records, rejects and manifest files."""
    manifests = list(output_dir.rglob("*.json"))
    assert len(manifests) == 1, manifests
    run_id = json.loads(manifests[0].read_text("utf-8"))["run_id"]
    settings = Settings({"OUTPUT_DIR": str(output_dir)})
    files = {kind: output_path(settings, SITE, run_id, kind) for kind in ("records", "rejects")}
    files["manifest"] = output_path(settings, SITE, run_id, "manifest")
    assert files["manifest"] == manifests[0]
    for path in files.values():
        assert path.exists(), path
    return files


def test_the_installed_copy_is_the_one_that_runs(installed, tmp_path):
    proc = _run(
        installed, tmp_path, "-c", "import crawler, spiders, pipelines; print(crawler.__file__)"
    )
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()).is_relative_to(installed)


def test_demo_writes_demo_output_in_the_current_directory(installed, tmp_path):
    before = _tree(installed)
    work = tmp_path / "work"
    proc = _run(installed, work, "-m", "crawler", "demo", SITE)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    files = _run_files(work / "demo-output")
    assert read_jsonl(files["records"])
    assert sorted(p.name for p in work.iterdir()) == ["demo-output"]
    assert _tree(installed) == before


def test_crawl_writes_output_and_state_under_crawler_home(installed, portal, tmp_path):
    before = _tree(installed)
    home, work = tmp_path / "home", tmp_path / "elsewhere"
    args = ["-m", "crawler", "crawl", f"{SITE}={portal}", *FAST_ARGS]
    proc = _run(installed, work, *args, home=home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    files = _run_files(home / "output")
    assert len(read_jsonl(files["records"])) > 0
    assert (home / "state" / "state.sqlite").exists()
    assert sorted(p.name for p in home.iterdir()) == ["output", "state"]
    assert list(work.iterdir()) == []
    # The next run finds its state under the home again: nothing new, all known.
    proc = _run(installed, work, *args, home=home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(list((home / "output").rglob("*.json"))) == 2
    listed = _run(installed, work, "-m", "crawler", "list", home=home)
    assert any(line.split()[0] == SITE and "ok" in line for line in listed.stdout.splitlines())
    assert _tree(installed) == before


def test_crawl_and_plain_scrapy_without_crawler_home_write_in_the_current_directory(
    installed, portal, tmp_path
):
    before = _tree(installed)
    work = tmp_path / "work"
    proc = _run(installed, work, "-m", "crawler", "crawl", f"{SITE}={portal}", *FAST_ARGS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    crawl = _run_files(work / "output")
    assert (work / "state" / "state.sqlite").exists()
    # Plain Scrapy has no state (every article is version 1): its own folder, never output/.
    args = ["-m", "scrapy", "crawl", SITE, "-a", f"start_url={portal}", *FAST_ARGS]
    proc = _run(installed, work, *args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    plain = _run_files(work / "scrapy-output")
    assert read_jsonl(plain["records"]) and len(list((work / "output").rglob("*.json"))) == 1
    assert sorted(p.name for p in work.iterdir()) == ["output", "scrapy-output", "state"]
    assert crawl["records"].exists()
    assert _tree(installed) == before


def test_options_and_settings_override_the_defaults(installed, portal, tmp_path):
    home, work = tmp_path / "home", tmp_path / "work"
    args = ["-m", "crawler", "crawl", f"{SITE}={portal}", *FAST_ARGS]
    proc = _run(installed, work, *args, "--output-dir", "out", "--state", "st", home=home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _run_files(work / "out")
    assert (work / "st" / "state.sqlite").exists()
    settings = ["-s", f"OUTPUT_DIR={tmp_path / 'o2'}", "-s", f"STATE_DIR={tmp_path / 's2'}"]
    proc = _run(installed, work, *args, *settings, home=home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _run_files(tmp_path / "o2")
    assert (tmp_path / "s2" / "state.sqlite").exists()
    assert not home.exists()
