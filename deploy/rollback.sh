#!/usr/bin/env bash
# Roll qa-audit back to the release before an upgrade, with the data as they were before it:
#   deploy/rollback.sh PRE-UPGRADE-BACKUP PREVIOUS-RELEASE
#
# Run as root on the application server (docs/deployment.md, "Upgrades and rollback"). The
# backup is the one deploy/upgrade.sh made (pre-upgrade-VERSION-….zip); the release is the
# previous release's wheel, with its lock file beside it, or for 1.0.0, which had no wheel, a
# checkout of its tag (git clone --branch v1.0.0 …). In order, stopping at the first failure and
# never starting the service after one:
#   1. the backup and the release are checked (nothing is stopped yet);
#   2. the service and the nightly backups stop;
#   3. a backup of the database as it is now, so that what was entered since the upgrade is
#      kept (restore it later, or read it, to re-enter those changes);
#   4. the installed (newer) release migrates the database down to the backup's revision: only
#      it knows how, the previous release has never heard of the newer migrations;
#   5. the previous release is installed with its locked, hash-checked dependencies;
#   6. the pre-upgrade backup replaces everything the database holds (qa-audit restore --force);
#   7. the database is checked to be at the backup's revision (the service's own start-up check,
#      `qa-audit db check`, then refuses it unless that is the installed release's head);
#   8. the service starts, 9. and is waited for until QA_AUDIT_READY_URL answers (for a
#      release before 1.1.0, which has no /readyz, set it to http://127.0.0.1:8000/healthz).
# The settings this script reads are described in deploy/release-steps.sh.
set -Eeuo pipefail
# shellcheck source=deploy/release-steps.sh
. "$(dirname "${BASH_SOURCE[0]}")/release-steps.sh"
trap stopped_on_failure ERR

if [[ $# -ne 2 ]]; then
    printf 'Usage: %s PRE-UPGRADE-BACKUP PREVIOUS-RELEASE\n' "$0" >&2
    exit 2
fi
BACKUP=$(realpath "$1")
RELEASE=$(realpath "$2")

step "Checking the backup and the release"
check_release "$RELEASE"
[[ -f $BACKUP ]] || fail "$BACKUP does not exist"
REVISION=$(backup_revision "$BACKUP")
FROM=$(installed_version)
printf 'Installed: qa-audit %s; going back to %s with the data of %s (revision %s)\n' \
    "$FROM" "$(basename "$RELEASE")" "$(basename "$BACKUP")" "$REVISION"

step "Stopping the service and the nightly backups"
stop_service

step "Backing up the database as it is now"
SAFETY="$QA_AUDIT_BACKUP_DIR/before-rollback-$FROM-$(date +%Y-%m-%dT%H%M%S).zip"
qa_audit backup "$SAFETY"
STATE="Nothing has been changed yet. What was entered since the upgrade is in $SAFETY."

step "Migrating the database down to $REVISION (with qa-audit $FROM)"
STATE="The database may be partly migrated down; qa-audit $FROM is still installed.
What was entered since the upgrade is in $SAFETY."
qa_audit db downgrade "$REVISION"

step "Installing $(basename "$RELEASE")"
STATE="The database is at $REVISION; the previous release may be partly installed.
What was entered since the upgrade is in $SAFETY."
install_release "$RELEASE"

step "Restoring $(basename "$BACKUP")"
STATE="The previous release is installed; the restore changed nothing if it failed (it is all
or nothing). What was entered since the upgrade is in $SAFETY."
qa_audit restore --force "$BACKUP"

step "Checking the database is at $REVISION"
CURRENT=$(qa_audit db current)
printf '%s\n' "$CURRENT"
grep -Eq "^$REVISION( \(head\))?$" <<<"$CURRENT" || fail "the database should be at $REVISION"

step "Starting the service and the nightly backups"
start_service

step "Waiting for the service to be ready"
if ! wait_until_ready; then
    bash -c "$QA_AUDIT_STOP_COMMAND" || true
    SERVICE_STOPPED=yes
    STATE="The previous release is installed with the pre-upgrade data, but the service did not
become ready: it has been stopped again. Read its log (journalctl -u qa-audit)."
    false
fi

trap - ERR
printf '\nRolled back to qa-audit %s with the data of %s.\n' "$(installed_version)" "$BACKUP"
printf 'What was entered after the upgrade is in %s.\n' "$SAFETY"
