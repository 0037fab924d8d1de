"""Releases: every dependency pinned with hashes in the lock files, the version the command
line reports, and a wheel that carries all the service reads at run time and serves from a
folder holding nothing but the wheel's files (no checkout, no npm)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.releases import ROOT, build_wheel

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
PRODUCTION = ROOT / "requirements" / "production.txt"
TEST = ROOT / "requirements" / "test.txt"


def locked(path: Path) -> dict[str, tuple[str, list[str]]]:
    """A lock file's packages: name -> (the version pinned, its hashes)."""
    text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    packages = {}
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        requirement, *options = line.split()
        name, equals, version = requirement.partition("==")
        assert equals, f"{path.name}: {requirement} is not pinned with =="
        hashes = [o.removeprefix("--hash=sha256:") for o in options if o.startswith("--hash=")]
        packages[canonicalize_name(name)] = (version, hashes)
    return packages


def declared(extra: str | None = None) -> list[Requirement]:
    project = PYPROJECT["project"]
    names = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(r) for r in names]


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        (PRODUCTION, declared()),
        (TEST, declared() + declared("test")),
    ],
    ids=["production", "test"],
)
def test_every_dependency_in_pyproject_is_pinned_with_hashes(
    lock: Path, requirements: list[Requirement]
) -> None:
    """pyproject.toml and the lock files cannot drift apart: a dependency added or moved on
    in pyproject.toml fails here until `make lock` is run."""
    packages = locked(lock)
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in packages, f"{requirement} is not in {lock.name}: run make lock"
        version, _ = packages[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock.name} pins {name}=={version}, pyproject.toml asks {requirement}: run make lock"
        )
    for name, (version, hashes) in packages.items():
        assert version, f"{name} has no version in {lock.name}"
        assert hashes, f"{name} has no hash in {lock.name}"
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name
    # pip, setuptools and the rest that pip-compile calls unsafe are pinned too.
    assert "setuptools" in packages


def test_the_lock_files_agree_and_name_no_index_or_folder() -> None:
    production, test = locked(PRODUCTION), locked(TEST)
    assert set(production) <= set(test)
    for name, (version, _) in production.items():
        assert test[name][0] == version, f"{name}: {version} in production, {test[name][0]} in test"
    for lock in (PRODUCTION, TEST):
        text = lock.read_text(encoding="utf-8")
        assert "--index-url" not in text
        assert "--find-links" not in text
        assert "file://" not in text


def test_the_command_line_reports_the_release_version() -> None:
    command = Path(sysconfig.get_paths()["scripts"]) / "qa-audit"
    done = subprocess.run([command, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"qa-audit, version {VERSION}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("release"))


def test_the_wheel_carries_all_the_service_reads(wheel: Path) -> None:
    assert wheel.name == f"qa_audit-{VERSION}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "qa_audit"
    expected = [
        "qa_audit/static/app.css",
        "qa_audit/static/app.js",
        "qa_audit/static/vendor/govuk/govuk-frontend.min.js",
        "qa_audit/static/vendor/govuk/assets/images/favicon.ico",
        "qa_audit/templates/base.html",
        "qa_audit/templates/errors/error.html",
        "qa_audit/migrations/alembic.ini",
        "qa_audit/migrations/script.py.mako",
        "qa_audit/migrations/env.py",
        "qa_audit/auth/common_passwords.txt",
        "qa_audit/gunicorn_conf.py",
    ]
    for folder, pattern in [
        ("migrations/versions", "*.py"),
        ("seed", "**/*.yaml"),
        ("templates", "**/*.html"),
        ("static/vendor/govuk/assets", "**/*.*"),
    ]:
        found = sorted((package / folder).glob(pattern))
        assert found, f"nothing in qa_audit/{folder}"
        expected += [f"qa_audit/{p.relative_to(package).as_posix()}" for p in found]
    missing = sorted(set(expected) - names)
    assert not missing, f"not in the wheel: {missing}"
    assert f"qa_audit-{VERSION}.dist-info/entry_points.txt" in names
    lock = wheel.with_name(f"qa_audit-{VERSION}-requirements.txt")
    assert lock.read_text(encoding="utf-8") == PRODUCTION.read_text(encoding="utf-8")


SERVE_FROM_THE_WHEEL = """
import importlib.metadata, json, sys
import qa_audit
from qa_audit.cli import main

for command in (["db", "upgrade"], ["seed"]):
    main(command, standalone_mode=False)
from qa_audit import create_app

client = create_app().test_client()
paths = ("/sign-in", "/static/app.css", "/assets/images/favicon.ico")
answers = {path: client.get(path) for path in paths}
print(json.dumps({
    "package": qa_audit.__file__,
    "version": importlib.metadata.version("qa-audit"),
    "status": {path: answer.status_code for path, answer in answers.items()},
    "sign_in": answers["/sign-in"].get_data(as_text=True),
    "css_bytes": len(answers["/static/app.css"].get_data()),
}))
"""


def test_the_wheel_alone_migrates_and_serves(wheel: Path, tmp_path: Path) -> None:
    """Unpacked into a folder, with the repository nowhere on the path (python -S: no .pth
    file of the project's environment runs, so its editable install is not seen), the
    wheel's files migrate a new SQLite database, load the seed data and serve a page, the
    compiled stylesheet and GOV.UK Frontend's assets."""
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    dependencies = sysconfig.get_paths()["purelib"]
    env = {
        "PYTHONPATH": f"{unpacked}:{dependencies}",
        "QA_AUDIT_DATABASE_URL": f"sqlite:///{tmp_path / 'from-wheel.sqlite'}",
        "QA_AUDIT_INSTANCE_PATH": str(tmp_path / "instance"),
        "MPLCONFIGDIR": str(tmp_path / "matplotlib"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-S", "-c", SERVE_FROM_THE_WHEEL],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    served = json.loads(done.stdout.strip().splitlines()[-1])
    assert served["package"] == str(unpacked / "qa_audit" / "__init__.py")
    assert served["version"] == VERSION
    assert served["status"] == {
        "/sign-in": 200,
        "/static/app.css": 200,
        "/assets/images/favicon.ico": 200,
    }
    assert "Sign in" in served["sign_in"]
    assert served["css_bytes"] == (ROOT / "qa_audit" / "static" / "app.css").stat().st_size
