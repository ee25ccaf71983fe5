"""Concurrent imports of the same roster (issue 8 item 4): whatever the interleaving, every contestant ends
up enrolled exactly once — one import creates them, the other finds them there or is refused whole."""
import io

from competition.models import AuditEntry, Entry, Person
from tests.clients import bearer, race
from tests.counting import count_fresh
from tests.roster_files import people, roster


def test_the_same_roster_imported_four_times_at_once_enrols_everyone_once(app, db, roster_scene):
    event, users, firms = roster_scene
    data = roster(*people(150, firms["host"].credit_code))
    url = f"/api/v1/events/{event.id}/entries/import"
    headers = bearer(users["host"])

    def upload(client):
        """One HR clerk's upload of the file."""
        return client.post(url, headers=headers, data={"file": (io.BytesIO(data), "名单.xlsx")},
                           content_type="multipart/form-data")

    responses = race(app, [upload] * 4)
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 409}, [r.get_json() for r in responses]
    created = [r.get_json()["created"] for r in responses if r.status_code == 200]
    assert sum(created) == 150, [r.get_json() for r in responses]  # created once, then found as existing
    assert count_fresh(Entry) == 150 and count_fresh(Person) == 150
    imports = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "entry.import")).all()
    assert len(imports) == statuses.count(200)
