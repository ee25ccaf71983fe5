"""gunicorn.conf.py (read by gunicorn from the working directory): each worker freezes what it made while building the
app, so a full garbage collection no longer walks the modules and templates on every few requests."""
import gc
import importlib.util
from pathlib import Path

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def test_a_worker_moves_its_startup_objects_out_of_the_collectors_reach():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    gc.unfreeze()
    try:
        conf.post_worker_init(worker=None)
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()
    assert frozen > 10_000  # the interpreter's, the app's and the test run's objects, at least
