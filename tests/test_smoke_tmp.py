def test_home_redirects(client):
    r = client.get("/")
    assert r.status_code == 302

def test_sign_in(client, login_as):
    login_as("admin")
    r = client.get("/")
    assert r.status_code == 200, r.get_data(as_text=True)[:3000]
    for url in ["/admin/users", "/admin/users/new", "/admin/service-areas", "/admin/change-log", "/audit-tools/", "/audit-tools/practice-principles-2024", "/nope"]:
        r = client.get(url)
        print(url, r.status_code)
        assert r.status_code in (200, 404, 403), r.get_data(as_text=True)[:3000]
