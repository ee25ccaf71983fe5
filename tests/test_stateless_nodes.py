"""Stateless nodes (issue 22, item 1): two app nodes on one database behind a round-robin balancer serve one user as
one app: a login made on one node holds on the other, a roster previewed on one node is confirmed on the other, a
job started on one is followed on the other, and neither node writes anything to its instance folder."""
import io
import itertools

from werkzeug.test import Client

from competition import create_app
from competition.extensions import db as _db
from competition.jobs import runner_for
from competition.models import Entry
from tests.builders import PASSWORD
from tests.roster_files import people, roster


class RoundRobin:
    """A balancer in front of the nodes: each request goes to the next one, and says which it went to."""

    def __init__(self, nodes):
        self.nodes = nodes
        self.turn = itertools.cycle(range(len(nodes)))
        self.served: list[int] = []

    def __call__(self, environ, start_response):
        index = next(self.turn)
        self.served.append(index)
        node = self.nodes[index]
        with node.app_context():  # each request in a context of its own, as a server gives it (not the test's)
            return list(node(environ, start_response))


def test_two_nodes_share_the_login_the_staged_preview_and_the_jobs(app, db, roster_scene, tmp_path):
    event, users, _ = roster_scene
    folders = [tmp_path / "node-a", tmp_path / "node-b"]
    second = create_app({key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING",
                                                          "WTF_CSRF_ENABLED", "UPLOADS_PER_MINUTE")}
                        | {"INSTANCE_PATH": str(folders[1]), "IMPORT_JOB_BYTES": 10**9})
    app.config["IMPORT_JOB_BYTES"] = 10**9
    balancer = RoundRobin([app, second])
    client = Client(balancer)
    event_id, username = event.id, users["host"].username
    db.session.commit()
    db.session.remove()  # the test's own session ends (SQLite holds its write lock from BEGIN)
    before = {path for folder in folders if folder.exists() for path in folder.rglob("*")}

    login = client.post("/login", data={"username": username, "password": PASSWORD})
    assert login.status_code == 302 and balancer.served == [0]
    preview = client.post(f"/events/{event_id}/entries/import/preview", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(roster(*people(20))), "名单.xlsx")})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'name="token"' in page, page[:500]  # node b: the session of node a holds
    token = page.split('name="token" value="')[1].split('"')[0]
    confirmed = client.post(f"/events/{event_id}/entries/import/confirm", data={"token": token})
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)[:500]
    assert balancer.served == [0, 1, 0]  # previewed on node b, confirmed on node a
    assert db.session.scalar(db.select(db.func.count(Entry.id)).where(Entry.event_id == event_id)) == 20
    db.session.remove()

    started = client.post(f"/api/v1/events/{event_id}/entries/import-jobs", content_type="multipart/form-data",
                          headers={"Authorization": "Bearer " + _token(client, username)},
                          data={"file": (io.BytesIO(roster(*people(5, start=100))), "名单.xlsx")})
    assert started.status_code == 202
    for node in (app, second):
        assert runner_for(node).wait(timeout=60)
    polled = client.get(started.get_json()["status_url"],
                        headers={"Authorization": "Bearer " + _token(client, username)})
    assert polled.get_json()["result"] == {"created": 5, "existing": 0}  # polled on the node that did not start it
    after = {path for folder in folders if folder.exists() for path in folder.rglob("*")}
    assert after == before  # nothing kept in a node's instance folder
    with second.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _token(client, username: str) -> str:
    answer = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.get_json()["token"]
