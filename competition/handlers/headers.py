"""What every response carries, and the health check."""
from flask import g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError

from ..extensions import db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def healthz():
    """Health check: 200 after a database round trip, 503 when the database does not answer."""
    try:
        db.session.execute(db.text("SELECT 1"))
    except OperationalError:
        db.session.rollback()
        return jsonify({"status": "error", "message": _("数据库不可用")}), 503
    return jsonify({"status": "ok"})


def _security_headers(response):
    """Security headers on every response; a CSP allowing only the app's own scripts."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if getattr(g, "no_store", False) or request.path.startswith("/api/"):
        headers.setdefault("Cache-Control", "no-store")
    return response
