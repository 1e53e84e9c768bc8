"""Reading a page writes nothing: the session is saved only when something in it changes (the
centre last visited, the idle timeout moved at most every SESSION_REFRESH_SECONDS)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_centre_pages_do_not_write_the_session_on_every_request(world, web):
    client = web(world.people["chief_a"])
    assert client.get("/c/alpha/").status_code == 200  # remembers the centre, starts the clock
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/c/alpha/").status_code == 200
        assert client.get("/c/alpha/duty/log/").status_code == 200
    assert session_writes(queries) == []
    assert client.session["centre"] == "alpha"
