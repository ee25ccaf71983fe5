"""The HTML blueprints, one per area, with their URL prefixes: the URL map in one place (issue 17).

A view module takes its blueprint from here, never from another view module, so no view module imports
its parent back (events.py no longer imports events_detail, events_form and events_panel to attach their
routes); views/__init__.py imports every view module and registers these blueprints."""
from flask import Blueprint

admin = Blueprint("admin", __name__, url_prefix="/admin")
audit = Blueprint("audit", __name__, url_prefix="/audit")
auth = Blueprint("auth", __name__)
calendar = Blueprint("calendar", __name__, url_prefix="/calendar")
certificates = Blueprint("certificates", __name__)
competitions = Blueprint("competitions", __name__, url_prefix="/competitions")
enterprises = Blueprint("enterprises", __name__, url_prefix="/enterprises")
entries = Blueprint("entries", __name__, url_prefix="/events")
events = Blueprint("events", __name__, url_prefix="/events")
experts = Blueprint("experts", __name__)
jobs = Blueprint("jobs", __name__, url_prefix="/jobs")
main = Blueprint("main", __name__)
marking = Blueprint("marking", __name__, url_prefix="/events")
monthly = Blueprint("monthly", __name__, url_prefix="/monthly-reports")
nominations = Blueprint("nominations", __name__)
objections = Blueprint("objections", __name__)
persons = Blueprint("persons", __name__, url_prefix="/persons")
policy = Blueprint("policy", __name__, url_prefix="/policy")
reports = Blueprint("reports", __name__)
results = Blueprint("results", __name__)
rewards = Blueprint("rewards", __name__, url_prefix="/rewards")
seasons = Blueprint("seasons", __name__, url_prefix="/seasons")
standings = Blueprint("standings", __name__)
subsidy = Blueprint("subsidy", __name__, url_prefix="/subsidy")
support = Blueprint("support", __name__)
plan = Blueprint("plan", __name__)
towns = Blueprint("towns", __name__, url_prefix="/towns")
fund = Blueprint("fund", __name__)

# Registered in this order (views/__init__.py).
ALL = (auth, main, admin, enterprises, seasons, events, entries, audit, policy, calendar, results, marking, nominations, objections,
       experts,
       subsidy, reports, certificates, jobs, standings, persons, competitions, rewards,
       monthly,
       towns,
       support, plan,
       fund)
