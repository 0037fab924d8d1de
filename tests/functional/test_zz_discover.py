from qa_audit.auth.roles import Role
from qa_audit.extensions import db as _db
from tests import factories, factories_access
import json

SKIP = {"static", "govuk_assets"}
OVERRIDE = {"reports.domain_chart": {"key": "assessment"}}

def code(resp):
    if resp.status_code == 302:
        return "signin" if resp.headers["Location"].startswith("/sign-in") else "302"
    return resp.status_code

def test_discover(app, client, db):
    w = factories_access.world()
    out = {}
    for role in [None, *Role]:
        c = app.test_client()
        headers = {}
        if role is not None:
            u = factories_access.actor(role)
            _db.session.commit()
            r = c.post("/sign-in", data={"email": u.email, "password": factories.PASSWORD})
            assert r.status_code == 302
            headers = {"Authorization": "Bearer " + factories_access.bearer_token(u)}
        for rule in app.url_map.iter_rules():
            if rule.endpoint in SKIP: continue
            args = {a: OVERRIDE.get(rule.endpoint, {}).get(a, w.args[a]) for a in rule.arguments}
            from flask import url_for
            with app.test_request_context():
                url = url_for(rule.endpoint, **args, **(factories_access.report_period() if rule.endpoint.startswith("reports.") or rule.endpoint=="api.period_report" else {}))
            if rule.endpoint == "auth.sign_out": continue
            h = headers if rule.rule.startswith("/api/") else {}
            for m in sorted(rule.methods & {"GET","POST"}):
                resp = c.open(url, method=m, data={}, headers=h)
                body = resp.get_data(as_text=True)
                leaks = [cr for cr in w.case_refs if cr in body]
                out.setdefault(rule.endpoint+" "+m, {})[str(role.value if role else "anon")] = (m, code(resp), leaks)
    json.dump(out, open("/tmp/disc/out.json","w"), indent=1)
