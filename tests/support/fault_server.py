"""The app in its own process, for fault tests: `python tests/support/fault_server.py DB_URL PORT MARKER`.

The roster import is made to stop half-way: once the new persons are inserted (not yet committed),
the process writes MARKER and waits, so the test can kill it in the middle of the import.
"""
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(url: str, port: int, marker: str) -> None:
    """Serve the app on 127.0.0.1:PORT with the stalling import."""
    from werkzeug.serving import make_server

    import competition.services.events.roster as roster
    from competition import create_app

    written = roster._person_ids

    def person_ids_then_stall(id_numbers):
        """The persons are written inside the import's transaction: say so, then hang until killed."""
        found = written(id_numbers)
        pathlib.Path(marker).write_text(str(len(found)))
        time.sleep(120)
        return found

    roster._person_ids = person_ids_then_stall
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": os.urandom(32).hex(), "TESTING": False})
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
