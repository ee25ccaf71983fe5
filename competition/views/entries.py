"""Entries of an event: enrolment, roster import, check-in, draw, exports."""
from flask import Blueprint

bp = Blueprint("entries", __name__, url_prefix="/events")
