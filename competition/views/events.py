"""Events (赛项): list, create and edit with the marking scheme, lifecycle actions, judge panels."""
from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")
