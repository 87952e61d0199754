"""The console starts, the admin signs in and sees the menu in Russian."""


def test_admin_sees_every_menu_in_russian(world, login):
    client = login("admin")
    html = client.get("/citizenview/list/").get_data(as_text=True)
    for label in ("Граждане", "Сопровождение", "Комиссии", "Справочники", "Администрирование"):
        assert label in html
