"""The harness's memoised URL builders (tests/url_builders.py) build exactly the URLs werkzeug's own do."""
from competition import create_app
from tests import url_builders


def _every_url(app) -> list[str]:
    """Every rule of the app built with sample values (7 for an int, "x" for a string), plus an unknown argument."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        values = {name: 7 if type(converter).__name__ == "IntegerConverter" else "x"
                  for name, converter in rule._converters.items()}
        urls.append(adapter.build(rule.endpoint, {**values, "page": 2}, method=sorted(rule.methods)[0]))
    return urls


def test_memoised_builders_build_what_werkzeug_builds(tmp_path):
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3", "SECRET_KEY": "x" * 32}
    memoised = _every_url(create_app(config))
    url_builders.uninstall()
    try:
        plain = _every_url(create_app(config))
    finally:
        url_builders.install()
    assert len(plain) > 150 and memoised == plain
    assert "/events/7/results?page=2" in plain
