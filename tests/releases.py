"""Releases as a server receives them, for the release and upgrade tests: the wheel `make dist`
builds (with its lock file beside it), a virtual environment to install releases into, and the
previous release's source.

The wheel is built from a copy of the package, as `make dist` builds it (`python -m build
--no-isolation`), so that a build never writes into the working tree. The virtual environment
is a real one with its own site-packages, where pip installs the release and its console
script; the locked dependencies come from the project's environment through a folder of links
that leaves out qa-audit itself, so pip finds every one already installed and downloads
nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "production.txt"
# The first release as reviewed, tagged v1.0.0 (its schema ends at 0004_log_chain). Named by
# commit, which every clone holds, where a tag might not have been fetched.
PREVIOUS_RELEASE = "9cac447ea1f3b150777da27894d3758d04001602"
PREVIOUS_HEAD = "0004_log_chain"
BUILT_ASSETS = ("static/app.css", "static/vendor/govuk/govuk-frontend.min.js")


def build_wheel(folder: Path, extra_files: dict[str, str] | None = None) -> Path:
    """This release's wheel, built into ``folder`` from a copy of the package (plus
    ``extra_files``, paths inside the package), with its lock file beside it as `make dist`
    leaves it."""
    missing = [name for name in BUILT_ASSETS if not (ROOT / "qa_audit" / name).is_file()]
    assert not missing, f"{missing} not built: run `make assets` first"
    source = folder / "source"
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "qa_audit", source / "qa_audit", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name, text in (extra_files or {}).items():
        (source / "qa_audit" / name).write_text(text, encoding="utf-8")
    out = folder / "dist"
    run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), "."],
        cwd=source,
    )
    (wheel,) = out.glob("*.whl")
    shutil.copy2(LOCK, out / (wheel.name.removesuffix("-py3-none-any.whl") + "-requirements.txt"))
    return wheel


def release_venv(folder: Path) -> Path:
    """An empty virtual environment that sees the locked dependencies but not qa-audit."""
    site = Path(sysconfig.get_paths()["purelib"])
    links = folder / "dependencies"
    links.mkdir(parents=True)
    for entry in site.iterdir():
        if entry.name.startswith(("qa_audit", "__editable__")) or entry.suffix == ".pth":
            continue
        (links / entry.name).symlink_to(entry)
    venv = folder / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    (venv_site(venv) / "project-dependencies.pth").write_text(f"{links}\n", encoding="utf-8")
    return venv


def venv_site(venv: Path) -> Path:
    (site,) = (venv / "lib").glob("python3*/site-packages")
    return site


def previous_release_source(folder: Path) -> Path:
    """The previous release's files, from git, as its server had them checked out."""
    target = folder / "v1.0.0"
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", PREVIOUS_RELEASE],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def install_previous_release(venv: Path, source: Path) -> None:
    """1.0.0 as its `make install` installed it: editable, from the checkout."""
    pip(venv, "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", str(source))


def pip(venv: Path, *args: str) -> None:
    run([str(venv / "bin" / "python"), "-m", "pip", *args])


def run(command: list[str], **kwargs: object) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout
