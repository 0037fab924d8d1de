#!/usr/bin/env bash
# Upgrade qa-audit to a new release: deploy/upgrade.sh NEW-WHEEL
#
# Run as root on the application server (docs/deployment.md, "Upgrades and rollback"), with the
# wheel that `make dist` built and its lock file beside it. In order, stopping at the first
# failure and never starting the service after one:
#   1. the release and the settings are checked (nothing is stopped yet);
#   2. a backup of the database as it is now, for a rollback;
#   3. the service and the nightly backups stop;
#   4. the new release is installed with its locked, hash-checked dependencies;
#   5. the new release checks the settings, 6. migrates the database (qa-audit db upgrade),
#   7. and checks the migrations are at its head (qa-audit db check);
#   8. the service starts, 9. and is waited for until /readyz answers.
# To undo it: deploy/rollback.sh PRE-UPGRADE-BACKUP PREVIOUS-RELEASE (the backup is named at
# the end; the release is the previous wheel, or a checkout of v1.0.0).
# The settings this script reads are described in deploy/release-steps.sh.
set -Eeuo pipefail
# shellcheck source=deploy/release-steps.sh
. "$(dirname "${BASH_SOURCE[0]}")/release-steps.sh"
trap stopped_on_failure ERR

if [[ $# -ne 1 ]]; then
    printf 'Usage: %s NEW-WHEEL\n' "$0" >&2
    exit 2
fi
WHEEL=$(realpath "$1")

step "Checking the release and the installed version"
check_release "$WHEEL"
FROM=$(installed_version)
printf 'Installed: qa-audit %s; to install: %s\n' "$FROM" "$(basename "$WHEEL")"
# Releases before 1.1.0 have no `config check`; the new release checks the settings at step 5.
if has_config_check; then
    qa_audit config check --quiet
fi

step "Backing up the database before the upgrade"
BACKUP="$QA_AUDIT_BACKUP_DIR/pre-upgrade-$FROM-$(date +%Y-%m-%dT%H%M%S).zip"
qa_audit backup "$BACKUP"

step "Stopping the service and the nightly backups"
STATE="Nothing has been installed; the database is as it was."
stop_service

step "Installing $(basename "$WHEEL")"
STATE="The new release may be partly installed; the database has not been migrated.
To go back: deploy/rollback.sh $BACKUP PREVIOUS-RELEASE (qa-audit $FROM)."
install_release "$WHEEL"

step "Checking the settings with the new release"
qa_audit config check --quiet

step "Migrating the database"
STATE="The new release is installed; the database may be partly migrated (on PostgreSQL each
migration is all or nothing). To go back: deploy/rollback.sh $BACKUP PREVIOUS-RELEASE
(qa-audit $FROM)."
qa_audit db upgrade

step "Checking the database is at the new release's head"
qa_audit db check

step "Starting the service and the nightly backups"
start_service

step "Waiting for the service to be ready"
if ! wait_until_ready; then
    # A service that never became ready is stopped again rather than left half-serving.
    bash -c "$QA_AUDIT_STOP_COMMAND" || true
    SERVICE_STOPPED=yes
    STATE="The new release is installed and the database migrated, but the service did not
become ready: it has been stopped again. Read its log (journalctl -u qa-audit), or go back:
deploy/rollback.sh $BACKUP PREVIOUS-RELEASE (qa-audit $FROM)."
    false
fi

trap - ERR
printf '\nUpgraded qa-audit %s to %s.\n' "$FROM" "$(installed_version)"
printf 'The pre-upgrade backup, for a rollback: %s\n' "$BACKUP"
