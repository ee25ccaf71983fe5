"""HTML blueprints: one per module, registered here with the shared filters and template helpers."""
from babel import Locale
from flask import Flask, g, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..extensions import login_manager
from ..i18n import localise
from ..rules.messages import Message
from . import blueprints, labels
from .common import ignored_filters, kept_args, next_arg
from .filters import format_dt, role_label, yuan
from .nav import nav_items

# Each language named in itself (中文, English), as CLDR spells it: a switch reads the same in every language.
LANGUAGES = tuple((code, Locale.parse(code).language_name) for code in ("zh_CN", "en"))
HTML_BLUEPRINTS: set[str] = set()


def register_blueprints(app: Flask) -> None:
    """Register the HTML blueprints, Jinja filters and template helpers."""
    import_views()
    for blueprint in blueprints.ALL:
        app.register_blueprint(blueprint)
        HTML_BLUEPRINTS.add(blueprint.name)
    app.add_template_filter(yuan)
    app.add_template_filter(format_dt, "dt")
    app.add_template_filter(role_label)
    app.jinja_env.globals.update(_view_helpers())  # globals, so imported macros see them too
    login_manager.localize_callback = translate  # "请先登录。" in the user's language
    app.before_request(_no_store_for_users)


def import_views() -> None:
    """Import every view module, which attaches its routes to its blueprint (views/blueprints.py)."""
    from . import certificates, jobs  # noqa: F401  (certificates, verification; background jobs' progress)
    from . import competitions, persons, rewards, standings  # noqa: F401  (the league: RULES.md §16)
    from . import monthly  # noqa: F401  (monthly feedback to the towns: RULES.md §17)
    from . import plan, support  # noqa: F401  (technical support and the annual plan: RULES.md §17)
    from . import towns  # noqa: F401  (the towns and their officers: RULES.md §17)
    from . import fund  # noqa: F401  (budget lines and the district's spending: RULES.md §17)
    from . import (admin, audit, auth, calendar, enterprises, entries, entries_changes, entries_checkin,  # noqa: F401
                   entries_draw, entries_import, entries_roster, events, events_detail, events_form, events_panel,
                   experts, main, marking, marking_measure, marking_time, nominations, objections, objections_review,
                   policy, reports, results, seasons, subsidy)


def _view_helpers() -> dict:
    """Navigation, paging and label helpers for every template and macro."""
    return {
        "nav_items": nav_items,
        "LANGUAGES": LANGUAGES,
        "action_label": labels.action_label,
        "object_label": labels.object_label,
        "field_label": labels.field_label,
        "page_url": page_url,
        "query_arg": query_arg,
        "translate": translate,
        "here_for_language": here_for_language,
        "ignored_filters": ignored_filters,
        "kept_args": kept_args,
        "next_arg": next_arg,
    }


def translate(text) -> str:
    """Translate a text that came from elsewhere (an error title or message) as plain, escaped text: a Message
    rendered with its parameters, other text looked up in the catalog.

    Jinja's `_()` marks its result safe, so it must never receive text that may hold user input.
    """
    if isinstance(text, Message):
        return str(localise(text))
    return str(gettext(str(text))) if text else ""


def query_arg(name: str) -> str:
    """A query-string value of the current request, or "" (filter forms keep what was asked)."""
    return "" if name in ignored_filters() else request.args.get(name, "")


def page_url(number: int, param: str = "page") -> str:
    """The current page's URL with the same filters and another ?page= (or another page argument `param`)."""
    return url_for(request.endpoint, **kept_args(**(request.view_args or {}), **{param: number}))


def here_for_language() -> str:
    """Where the language switch returns to: this page when it can be fetched again, else home."""
    if request.method == "GET" and request.endpoint not in (None, "auth.set_language"):
        return request.full_path.rstrip("?")
    return url_for("main.home")


def _no_store_for_users():
    """Pages of a logged-in user are never cached (the back button after logout shows nothing)."""
    if request.blueprint in HTML_BLUEPRINTS and current_user.is_authenticated:
        g.no_store = True

