"""The browser tests' server closes every file it sends even when the browser hangs up (CI failed on this once)."""
import gc
import warnings

from werkzeug.test import EnvironBuilder

from tests.browser_fixtures import _closing


def _unclosed_files_after_a_dropped_static_response(wsgi) -> list:
    environ = EnvironBuilder(path="/static/js/app.js").get_environ()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        body = wsgi(environ, lambda status, headers: None)
        del body  # what werkzeug's server does when the drain after a dropped connection raises: close() never runs
        gc.collect()
    return [w for w in caught if issubclass(w.category, ResourceWarning)]


def test_the_bare_app_leaves_a_static_file_open_when_its_response_is_dropped(app):
    assert _unclosed_files_after_a_dropped_static_response(app.wsgi_app)


def test_the_live_servers_app_closes_a_static_file_before_the_server_writes_it(app):
    assert not _unclosed_files_after_a_dropped_static_response(_closing(app.wsgi_app))
