"""Each role's home page, and the fixed pages linked from the footer."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from qa_audit.access_log.declarations import case_level
from qa_audit.home.services import sections_for

bp = Blueprint("home", __name__)


@bp.route("/")
@case_level("home_page")
@login_required
def index() -> ResponseReturnValue:
    return render_template("home/index.html", sections=sections_for(current_user))


@bp.route("/accessibility")
def accessibility() -> ResponseReturnValue:
    return render_template("home/accessibility.html")


@bp.route("/privacy")
def privacy() -> ResponseReturnValue:
    return render_template("home/privacy.html")
