"""A transaction that only read ends with a commit on PostgreSQL (``app.extensions``: the connection keeps its
prepared statements): whatever wrote is still rolled back, however it wrote."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from app.extensions import db
from app.models import Citizen
from tests import factories


def _surname(citizen_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Citizen.surname).where(Citizen.id == citizen_id))


def test_what_a_transaction_wrote_is_rolled_back_after_its_reads(world):
    citizen = factories.citizen(world.centre_a, surname="Прежняя")
    db.session.commit()
    pk = citizen.id

    assert _surname(pk) == "Прежняя"  # reads first, then a write: the whole transaction is rolled back
    db.session.execute(update(Citizen).where(Citizen.id == pk).values(surname="Отменённая"))
    db.session.rollback()
    assert _surname(pk) == "Прежняя"

    db.session.get(Citizen, pk).surname = "Сброшенная"  # written by the ORM's flush
    db.session.flush()
    db.session.rollback()
    assert _surname(pk) == "Прежняя"

    if db.engine.dialect.name == "postgresql":  # a statement that only starts like a read (SQLite has no such)
        changed = "WITH changed AS (UPDATE citizen SET surname = 'Скрытая' WHERE id = :pk RETURNING id) "
        db.session.execute(text(changed + "SELECT count(*) FROM changed"), {"pk": pk})
        db.session.rollback()
        assert _surname(pk) == "Прежняя"

    db.session.execute(update(Citizen).where(Citizen.id == pk).values(surname="Новая"))
    db.session.commit()
    assert _surname(pk) == "Новая"


def test_postgresql_compiles_no_statement_to_machine_code(app):
    """Every connection of the console runs without PostgreSQL's JIT, a new one and one back from the pool alike
    (the setting outlives the rollback that returns a connection to the pool)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite compiles no statement to machine code")
    for _ in range(2):
        with db.engine.connect() as connection:
            assert connection.scalar(text("SHOW jit")) == "off"
            connection.rollback()
    db.engine.dispose()
    with db.engine.connect() as connection:
        assert connection.scalar(text("SHOW jit")) == "off"
