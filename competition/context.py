"""Request-side helpers shared by the HTML views and the API."""
from flask import g, has_request_context, request
from flask_login import current_user

from .services.audit import Actor


def client_address() -> str | None:
    """The client's address as the server saw it (put ProxyFix in front when behind a proxy)."""
    return request.remote_addr if has_request_context() else None


def current_actor() -> Actor:
    """The acting user (API token user, else the browser session user) and their address."""
    user = g.get("api_user")
    if user is None and current_user and current_user.is_authenticated:
        user = current_user._get_current_object()
    return Actor(user, client_address())


def wants_json() -> bool:
    """API paths answer in JSON; everything else in HTML."""
    return request.path.startswith("/api/")


def is_htmx() -> bool:
    """A request made by htmx from a page (it must never receive a whole page to paste into a fragment)."""
    return request.headers.get("HX-Request") == "true"
