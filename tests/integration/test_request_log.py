import json
import logging

from marketplace.web.request_log import JSONFormatter


def test_every_response_carries_a_request_id_and_is_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="marketplace.request"):
        response = client.get("/healthz")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    [record] = [r for r in caplog.records if r.name == "marketplace.request"]
    fields = record.fields
    assert fields["request_id"] == request_id
    assert fields["status"] == 200
    assert fields["path"] == "/healthz"
    assert fields["duration_ms"] >= 0
    line = json.loads(JSONFormatter().format(record))
    assert line["request_id"] == request_id


def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert client.get("/healthz", headers={"X-Request-ID": "lb-1234abcd"}).headers[
        "X-Request-ID"] == "lb-1234abcd"
    for hostile in ("<script>alert(1)</script>", "a" * 500, "short"):
        echoed = client.get("/healthz", headers={"X-Request-ID": hostile}).headers["X-Request-ID"]
        assert echoed != hostile
        assert len(echoed) == 32


def test_a_signed_in_request_logs_its_user_without_asking_the_database_again(
        client, auth, create_user, caplog, app):
    from sqlalchemy import event

    from marketplace.models import db

    user = create_user()
    auth.session_for(user)
    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with caplog.at_level(logging.INFO, logger="marketplace.request"):
            client.post("/account/settings/profile", data={"name": "Renamed"})  # commits
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    [record] = [r for r in caplog.records if r.name == "marketplace.request"]
    assert record.fields["user_id"] == user.id
    assert record.fields["status"] in (302, 303)
    # the last statement is the profile's own UPDATE and its COMMIT; nothing loads the user
    # again after it just to log its id
    assert statements[-1].lstrip().upper().startswith("UPDATE USERS")
