"""Releases as a server receives them, for the release and upgrade tests: the wheel `make dist`
builds (with its lock file beside it), a virtual environment to install releases into, and the
previous release's wheel, built from its tagged commit as its own `make dist` built it.

Wheels are built from a copy of the package, as `make dist` builds them (`python -m build
--no-isolation`), so that a build never writes into the working tree. The virtual environment
is a real one with its own site-packages, where pip installs the release and its console
script; the locked dependencies come from the project's environment through a folder of links
that leaves out qa-audit itself, so pip finds every one already installed and downloads
nothing."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "production.txt"
# The release before this one, tagged v1.2.0 (its schema ends at 0014_account_lifecycle,
# CHANGELOG.md): the release the guide upgrades from. Named by commit, which every clone holds,
# where a tag might not have been fetched.
PREVIOUS_RELEASE = "f2c1eecc97c74830e722e273e1c77fd1601080e4"
PREVIOUS_VERSION = "1.2.0"
PREVIOUS_HEAD = "0014_account_lifecycle"
BUILT_ASSETS = ("static/app.css", "static/vendor/govuk/govuk-frontend.min.js")
# What `make assets` compiles or copies from npm into the package (not kept in git).
COMPILED = ("static/app.css", "static/vendor")


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
    return wheel_of(source, LOCK, folder / "dist")


def wheel_of(source: Path, lock: Path, out: Path) -> Path:
    """The wheel of the package in ``source``, as `make dist` builds it, with ``lock`` copied
    beside it under the wheel's name (qa_audit-X.Y.Z-requirements.txt)."""
    run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), "."],
        cwd=source,
    )
    (wheel,) = out.glob("*.whl")
    shutil.copy2(lock, out / (wheel.name.removesuffix("-py3-none-any.whl") + "-requirements.txt"))
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
    """The previous release's files, from git, as its tagged commit has them."""
    target = folder / f"v{PREVIOUS_VERSION}"
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", PREVIOUS_RELEASE],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def previous_release_wheel(folder: Path) -> Path:
    """The previous release as its guide has a council install it: the wheel its `make dist`
    builds from its tagged commit, with its own lock file beside it.

    Its `make dist` first compiles the stylesheet and copies GOV.UK Frontend (and axe) from
    npm into the package. This checkout's compiled files are copied in instead, which is the
    same thing only while the previous release pins the same npm packages and has the same
    Sass sources: checked here, so that the test stops rather than ship the wrong assets in
    the previous release's wheel (building them again would need npm and its registry)."""
    missing = [name for name in BUILT_ASSETS if not (ROOT / "qa_audit" / name).is_file()]
    assert not missing, f"{missing} not built: run `make assets` first"
    source = previous_release_source(folder)
    npm_then = json.loads((source / "package.json").read_text(encoding="utf-8"))
    npm_now = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert npm_then["dependencies"] == npm_now["dependencies"], (
        f"{PREVIOUS_VERSION} pins {npm_then['dependencies']}, this checkout "
        f"{npm_now['dependencies']}: its assets must be built from its own package-lock.json"
    )
    changed = subprocess.run(
        ["git", "-C", str(ROOT), "diff", "--quiet", PREVIOUS_RELEASE, "--", "assets"],
        check=False,
    )
    assert changed.returncode == 0, f"assets/ changed since {PREVIOUS_VERSION}: compile its own"
    for name in COMPILED:
        built = ROOT / "qa_audit" / name
        if built.is_dir():
            shutil.copytree(built, source / "qa_audit" / name)
        else:
            shutil.copy2(built, source / "qa_audit" / name)
    return wheel_of(source, source / "requirements" / "production.txt", folder / "dist")


def unmet_pins(lock: Path) -> list[str]:
    """The pins of ``lock`` that the project's environment, the only source of dependencies
    the release's virtual environment has, does not hold at that version."""
    text = lock.read_text(encoding="utf-8")
    unmet = []
    for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M):
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = "nothing"
        if installed != version:
            unmet.append(f"{name}=={version} (installed: {installed})")
    return unmet


def install_previous_release(venv: Path, wheel: Path) -> None:
    """The previous release as its guide installs it ("The release"): its locked,
    hash-checked dependencies, then the wheel alone."""
    lock = wheel.with_name(wheel.name.removesuffix("-py3-none-any.whl") + "-requirements.txt")
    pip(venv, "install", "--quiet", "--require-hashes", "-r", str(lock))
    pip(venv, "install", "--quiet", "--no-deps", str(wheel))


# Run by the previous release's python with its package alone: its commands (the schema, the
# reference data and the demo data set, which moderates about a third of its audits), then its
# services for what the demo set lacks. Prints the demo set's months, the period the report reads.
PREVIOUS_DATA = """
import json, sys
from qa_audit.cli import main

for command in (["db", "upgrade"], ["seed"], ["demo", "load"]):
    main(command, standalone_mode=False)

from sqlalchemy import select
from qa_audit import create_app
from qa_audit.audits.models import Audit
from qa_audit.audits.safeguarding import services as concerns
from qa_audit.auth.services import find_user_by_email
from qa_audit.committee_reports import services as committee
from qa_audit.core.extensions import db
from qa_audit.demo.definition import MONTHS
from qa_audit.demo.generating import month_start
from qa_audit.demo.loading import local_today
from qa_audit.moderation.models import Moderation

today = local_today()
first, last = (f"{month_start(today, back):%Y-%m}" for back in (MONTHS - 1, 0))
with create_app().test_request_context():
    lead = find_user_by_email("qa.lead@example.org")
    moderated = db.session.scalars(
        select(Audit).join(Moderation, Moderation.audit_id == Audit.id)
        .where(Moderation.outcome.is_not(None)).order_by(Audit.id).limit(3)
    ).all()
    resolved = concerns.raise_concern(lead, moderated[0], "The plan names no one to talk to.")
    concerns.acknowledge_concern(lead, resolved)
    concerns.add_note(lead, resolved, "Spoke to the team manager.")
    concerns.resolve_concern(lead, resolved, "plan_updated", "The plan names a trusted adult.")
    concerns.acknowledge_concern(lead, concerns.raise_concern(lead, moderated[1], "No visit."))
    concerns.raise_concern(lead, moderated[2], "The siblings were not seen alone.")
    final = committee.start_report(lead, "Quality Assurance and Practice Improvement", first, last)
    committee.finalise(lead, final, None)
    committee.start_report(lead, "For the next committee", last, last)
    db.session.commit()
print(json.dumps([first, last]))
"""


def make_previous_release_data(venv: Path, env: dict[str, str], cwd: Path) -> tuple[str, str]:
    """The previous release's data, made in its database by the previous release installed in
    ``venv``; returns the first and last month of its audits."""
    made = subprocess.run(
        [str(venv / "bin" / "python"), "-c", PREVIOUS_DATA],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=300,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    first, last = json.loads(made.stdout.strip().splitlines()[-1])
    return first, last


def pip(venv: Path, *args: str) -> None:
    run([str(venv / "bin" / "python"), "-m", "pip", *args])


def run(command: list[str], **kwargs: object) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout
