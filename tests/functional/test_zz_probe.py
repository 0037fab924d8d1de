from qa_audit.auth.roles import Role

def test_probe(app, login_as, client):
    login_as(Role.AUDITOR)
    assert client.get("/").status_code == 200
    other = app.test_client()
    r = other.get("/")
    print("other client status", r.status_code)
    assert r.status_code == 302
