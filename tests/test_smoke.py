"""The console starts and reads in Russian; each role sees its menus."""


def test_director_sees_every_menu_in_russian(world, login):
    html = login("director").get("/citizenview/list/").get_data(as_text=True)
    for label in ("Граждане", "Сопровождение", "Комиссии", "Справочники", "Администрирование"):
        assert label in html


def test_admin_manages_reference_data_and_users_but_sees_no_case_data(world, login):
    """DOMAIN.md §1: the IT team administers users, centres and reference lists, not citizens' cases."""
    client = login("admin")
    html = client.get("/centreview/list/").get_data(as_text=True)
    for label in ("Справочники", "Администрирование", "Комиссии", "Сопровождение"):
        assert label in html
    assert "/citizenview/list/" not in html
    assert "Граждане" not in html  # no empty menu either
    assert client.get("/users/list/").status_code == 200
    assert client.get("/citizenview/list/").status_code in (302, 403)
