def test_home_page_lists_areas(app, client):
    from tests.factories import make_area

    with app.app_context():
        make_area(name="Northshire", slug="northshire")
    response = client.get("/")
    assert response.status_code == 200
    assert "Northshire" in response.get_data(as_text=True)
