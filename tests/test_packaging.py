"""The wheel holds the whole app, and installed alone it runs: what `pipx install` of the wheel gives a researcher.

The wheel is built from a copy of the package files (a build in the checkout would leave ``build/`` there, and
setuptools' ``build/lib`` keeps files deleted since) and installed into a new virtual environment; the commands
then run from a temporary folder, so nothing of this checkout is on their path. pip fetches the dependencies
(and setuptools for the build) from the package index: it runs without the suite's network guard, which stays
on for Threadcoder itself. Plain venv and pip do what pipx does, without installing pipx.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NETWORK_GUARD = Path(__file__).resolve().parent / "network_guard"
PACKAGES = ("archive", "index", "app", "ui", "desktop", "resources")
DATA = (
    "resources/demo/metoo_demo.jsonl",
    "resources/demo/README.md",
    "resources/demo/source/users.json",
    "resources/codebooks/metoo-men.json",
    "resources/codebooks/blank-template.json",
)
INSTALL_SECONDS = 600
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(INSTALL_SECONDS + 300)]


def package_files() -> list[str]:
    """Every file of our packages in this checkout, committed or new (not ignored), as a relative path."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to list the package files")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *PACKAGES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return sorted(name for name in listed if (ROOT / name).is_file())


def pip_env() -> dict[str, str]:
    """The environment for pip: this one without the network guard (pip downloads) and without PYTHONPATH."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


@pytest.fixture(scope="module")
def sources() -> list[str]:
    return package_files()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, sources) -> Path:
    copy = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", *sources):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(copy)],
        cwd=out,
        env=pip_env(),
        capture_output=True,
        text=True,
        timeout=INSTALL_SECONDS,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (found,) = out.glob("threadcoder-*.whl")
    return found


def test_the_wheel_holds_every_module_and_data_file_and_the_command(wheel, sources):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(name.rsplit("/", 1)[0] for name in names if name.endswith(".dist-info/METADATA"))
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        metadata = archive.read(f"{info}/METADATA").decode()
    contents = sorted(name for name in names if not name.startswith(info + "/"))
    assert contents == sources  # every sub-package and data file, and nothing else (no tests, no build junk)
    assert set(DATA) <= set(contents)
    assert "threadcoder = desktop.main:main" in entry_points
    readme = (ROOT / "README.md").read_text(encoding="utf-8")  # its install lines name this very file
    assert f"pipx install dist/{wheel.name}" in readme and f"pipx install dist\\{wheel.name}" in readme
    for requirement in PROJECT["dependencies"]:
        name = requirement.split("#")[0].split("==")[0].split(">=")[0].strip()
        assert f"Requires-Dist: {name}" in metadata


@pytest.fixture
def env_dir(tmp_path):
    """Where the fresh environment goes; removed after the test (it holds some 800 MB, Qt mostly)."""
    folder = tmp_path / "env"
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_installed_from_the_wheel_into_a_fresh_environment_it_runs(wheel, env_dir, tmp_path):
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, timeout=120)
    scripts = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-compile", str(wheel)],
        cwd=tmp_path,
        env=pip_env(),
        capture_output=True,
        text=True,
        timeout=INSTALL_SECONDS,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr

    log = tmp_path / "network.log"
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env.update(
        PYTHONPATH=str(NETWORK_GUARD),  # only the guard: nothing of the checkout is importable
        THREADCODER_NETWORK_LOG=str(log),
        THREADCODER_DATA_DIR=str(tmp_path / "data"),
        THREADCODER_CONFIG_DIR=str(tmp_path / "config"),
    )

    def run(program: Path, *args: str) -> str:
        done = subprocess.run(
            [str(program), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    where = run(python, "-c", "import app, desktop, resources, ui.window; print(app.__file__, resources.__file__)")
    assert all(Path(path).is_relative_to(env_dir) for path in where.split()), where
    assert run(scripts / "threadcoder", "--version").strip() == f"threadcoder, version {PROJECT['version']}"
    project = tmp_path / "demo.threadcoder"
    assert "Demo project ready" in run(scripts / "threadcoder", "demo", "--path", str(project), "--no-open")
    found = run(scripts / "threadcoder", "search", str(project), "#metoo", "--limit", "1")
    assert "posts match" in found and "showing 1-1" in found
    assert not log.exists() or log.read_text() == ""  # installed, it still makes no network call
