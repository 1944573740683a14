def test_health(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "database": "ok"}


def test_world_pages(world, client, login):
    login(client, world.officer_ptk)
    for url in [
        "/dashboard",
        "/needs/",
        f"/needs/{world.n1.id}",
        "/needs/new",
        f"/needs/{world.n1.id}/edit",
    ]:
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.get_data(as_text=True)[-3000:])
