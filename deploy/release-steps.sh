# Shared by deploy/upgrade.sh and deploy/rollback.sh (sourced, not run): the settings they read,
# numbered steps, and the commands they run. Each script stops at the first command that fails
# and says what state it left; neither ever starts the service after a failure.
#
# Settings, from the environment (the defaults are the layout of docs/deployment.md):
#   QA_AUDIT_VENV           the virtual environment qa-audit is installed in   (/opt/qa-audit/venv)
#   QA_AUDIT_CONFIG         the settings file every qa-audit command reads     (/etc/qa-audit/qa-audit.env)
#   QA_AUDIT_BACKUP_DIR     where the safety backups are written               (/var/backups/qa-audit)
#   QA_AUDIT_SERVICE_USER   the account qa-audit commands run as, when run by root (qa-audit);
#                           empty: as whoever runs the script
#   QA_AUDIT_STOP_COMMAND   stops the service and the scheduled jobs
#                           (systemctl stop qa-audit.service qa-audit-backup.timer)
#   QA_AUDIT_START_COMMAND  starts them again (systemctl start qa-audit.service qa-audit-backup.timer)
#   QA_AUDIT_READY_URL      answers 200 once the service is ready (http://127.0.0.1:8000/readyz);
#                           empty: not waited for
#   QA_AUDIT_READY_SECONDS  how long to wait for it (60)

QA_AUDIT_VENV=${QA_AUDIT_VENV:-/opt/qa-audit/venv}
export QA_AUDIT_CONFIG=${QA_AUDIT_CONFIG:-/etc/qa-audit/qa-audit.env}
QA_AUDIT_BACKUP_DIR=${QA_AUDIT_BACKUP_DIR:-/var/backups/qa-audit}
QA_AUDIT_SERVICE_USER=${QA_AUDIT_SERVICE_USER-qa-audit}
QA_AUDIT_STOP_COMMAND=${QA_AUDIT_STOP_COMMAND:-systemctl stop qa-audit.service qa-audit-backup.timer}
QA_AUDIT_START_COMMAND=${QA_AUDIT_START_COMMAND:-systemctl start qa-audit.service qa-audit-backup.timer}
QA_AUDIT_READY_URL=${QA_AUDIT_READY_URL-http://127.0.0.1:8000/readyz}
QA_AUDIT_READY_SECONDS=${QA_AUDIT_READY_SECONDS:-60}

PYTHON="$QA_AUDIT_VENV/bin/python"
STEP=0
STEP_NAME="starting"
# What to tell the operator if a step fails: set by each script as it goes.
STATE="nothing has been changed"
# Set once the service has been stopped, so that a failure says it stays stopped.
SERVICE_STOPPED=""

step() {
    STEP=$((STEP + 1))
    STEP_NAME=$1
    printf '\n== %d. %s\n' "$STEP" "$STEP_NAME"
}

stopped_on_failure() {
    local status=$?
    trap - ERR
    {
        printf '\nFAILED at step %d (%s), exit status %d.\n' "$STEP" "$STEP_NAME" "$status"
        printf '%s\n' "$STATE"
        if [[ -n $SERVICE_STOPPED ]]; then
            printf 'The service has NOT been started again.\n'
        fi
    } >&2
    exit "$status"
}

fail() {
    printf 'Error: %s\n' "$1" >&2
    return 1
}

# qa-audit as the service account, which owns the backups and holds the database password.
qa_audit() {
    if [[ -n $QA_AUDIT_SERVICE_USER && $(id -u) == 0 ]]; then
        runuser -u "$QA_AUDIT_SERVICE_USER" -- env QA_AUDIT_CONFIG="$QA_AUDIT_CONFIG" \
            "$QA_AUDIT_VENV/bin/qa-audit" "$@"
    else
        "$QA_AUDIT_VENV/bin/qa-audit" "$@"
    fi
}

# Whether the installed release has `qa-audit config check` (1.1.0 on), found without starting
# the application.
has_config_check() {
    "$PYTHON" - <<'PY'
import importlib.util
import pathlib
import sys

spec = importlib.util.find_spec("qa_audit")
folder = pathlib.Path(spec.origin).parent if spec and spec.origin else None
sys.exit(0 if folder and (folder / "core" / "config_command.py").is_file() else 1)
PY
}

installed_version() {
    "$PYTHON" -c 'import importlib.metadata as m; print(m.version("qa-audit"))'
}

# A release is its wheel and the lock file `make dist` writes beside it: the wheel's name up to
# the version, then -requirements.txt (qa_audit-1.1.0-requirements.txt). A release from before
# wheels (1.0.0) is a checkout of its tag, installed as its `make install` did: editable, with
# requirements/production.txt when it has one.
lock_of() {
    local release=$1
    if [[ -d $release ]]; then
        printf '%s/requirements/production.txt\n' "$release"
        return
    fi
    local name
    name=$(basename "$release")
    printf '%s/%s-requirements.txt\n' "$(dirname "$release")" "$(cut -d- -f1-2 <<<"$name")"
}

check_release() {
    local release=$1
    if [[ -d $release ]]; then
        [[ -f $release/pyproject.toml ]] || fail "$release is neither a wheel nor a checkout of qa-audit"
    else
        [[ $release == *.whl && -f $release ]] || fail "$release is not a wheel file (make dist builds one)"
        [[ -f $(lock_of "$release") ]] ||
            fail "$(lock_of "$release") is missing: the wheel's lock file, which make dist writes beside it"
    fi
    [[ -x $PYTHON ]] || fail "$QA_AUDIT_VENV is not a virtual environment (set QA_AUDIT_VENV)"
    [[ -d $QA_AUDIT_BACKUP_DIR ]] || fail "$QA_AUDIT_BACKUP_DIR does not exist (set QA_AUDIT_BACKUP_DIR)"
}

# Every dependency exactly as locked (pip refuses a file whose hash differs), then the release
# itself, which has no hash in the lock.
install_release() {
    local release=$1
    local lock
    lock=$(lock_of "$release")
    if [[ -f $lock ]]; then
        "$PYTHON" -m pip install --quiet --require-hashes -r "$lock"
    fi
    if [[ -d $release && -f $lock ]]; then
        "$PYTHON" -m pip install --quiet --no-deps --no-build-isolation -e "$release"
    elif [[ -d $release ]]; then
        "$PYTHON" -m pip install --quiet --no-build-isolation -e "$release"
    else
        "$PYTHON" -m pip install --quiet --no-deps --force-reinstall "$release"
    fi
    printf 'Installed qa-audit %s\n' "$(installed_version)"
}

stop_service() {
    bash -c "$QA_AUDIT_STOP_COMMAND"
    SERVICE_STOPPED=yes
}

start_service() {
    bash -c "$QA_AUDIT_START_COMMAND"
    SERVICE_STOPPED=""
}

wait_until_ready() {
    if [[ -z $QA_AUDIT_READY_URL ]]; then
        printf 'Not waited for (QA_AUDIT_READY_URL is empty)\n'
        return 0
    fi
    "$PYTHON" - "$QA_AUDIT_READY_URL" "$QA_AUDIT_READY_SECONDS" <<'PY'
import sys
import time
import urllib.error
import urllib.request

url, seconds = sys.argv[1], float(sys.argv[2])
deadline = time.monotonic() + seconds
answer = "no answer"
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            print(f"{url}: {response.status} {response.read(200).decode(errors='replace').strip()}")
            sys.exit(0)
    except urllib.error.HTTPError as error:
        answer = f"{error.code} {error.read(200).decode(errors='replace').strip()}"
    except OSError as error:
        answer = str(error)
    time.sleep(1)
sys.exit(f"{url} was not ready within {seconds:g} seconds (last answer: {answer})")
PY
}

# The migration revision a qa-audit backup was made at (its manifest's alembic_revisions).
backup_revision() {
    "$PYTHON" - "$1" <<'PY'
import json
import sys
import zipfile

with zipfile.ZipFile(sys.argv[1]) as backup:
    revisions = json.loads(backup.read("manifest.json"))["alembic_revisions"]
if len(revisions) != 1:
    sys.exit(f"{sys.argv[1]}: expected one migration revision, found {revisions}")
print(revisions[0])
PY
}
