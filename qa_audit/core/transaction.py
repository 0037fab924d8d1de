"""One transaction path for every request, as Indico's request handler owns commit and rollback.

- A view never commits or rolls back. It calls services; when the request ends the session is
  committed if the response succeeded (below 400) and rolled back otherwise.
- A service that refuses raises DomainError. ``attempt`` around the call rolls back what the
  service had done and turns the error into a form error (or a flashed message); the view
  shows the form again with ``form_status`` (400).
- A form that does two things in one request (the audit form saves the draft, then runs the
  button's own step) calls ``keep_work`` when the first was saved and the second refused: the
  page answers 400 and the saved part still commits.
- E-mail queued with ``qa_audit.core.notifications.send_after_commit`` leaves once the commit
  has succeeded, never for a rolled-back change.
- Just before the commit ``request_finishing`` is sent: the access log adds its row, which
  commits with the request's work (or alone, when that work was rolled back), before the
  response leaves: a page whose row cannot be written is replaced by the error page.
- On SQLite a request that only reads (GET, HEAD) begins DEFERRED, so pages are built while
  others write; its first write (usually that row) first upgrades the transaction to an
  immediate one (qa_audit/core/db.py). Requests that write begin IMMEDIATE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, Response, current_app, flash, g, redirect
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from qa_audit.core import signals
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.forms import apply_domain_error


@dataclass
class Outcome:
    """How an ``attempt`` went: ``ok`` unless the service refused (``error``)."""

    ok: bool = True
    error: DomainError | None = None


@contextmanager
def attempt(form: FlaskForm | None = None, field: str | None = None) -> Iterator[Outcome]:
    """Run service calls; a DomainError rolls their work back and is shown to the person:
    on ``form`` (on the field it names, else ``field``), or flashed when there is no form."""
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        db.session.rollback()
        outcome.ok = False
        outcome.error = error
        if form is not None:
            apply_domain_error(form, error, field)
        else:
            flash(error.message, "error")


def button_step(change: Callable[[], object], done: str, then: str) -> BaseResponse:
    """A button that does one thing and goes back: ``change`` made and ``done`` flashed, or its
    refusal flashed; either way the person is sent on to ``then``."""
    with attempt() as outcome:
        change()
    if outcome.ok:
        flash(done, "success")
    return redirect(then)


def keep_work() -> None:
    """Commit what this request has done although its page answers with an error status."""
    g.keep_work = True


def init_app(app: Flask) -> None:
    """Register the end of every request's transaction. Flask runs an app's after-request
    functions last-registered first: this is registered before any other, so it runs after
    every other (they may still add to the transaction). An exception skips it: Flask-SQLAlchemy
    then discards the session with the app context."""
    app.after_request(_end_transaction)


def _end_transaction(response: Response) -> Response:
    if response.status_code >= 400 and not g.pop("keep_work", False):
        db.session.rollback()  # a refused or failed request keeps nothing of its own
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    signals.request_finishing.send(app, response=response)
    db.session.commit()
    return response
