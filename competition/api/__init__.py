"""The JSON API under /api/v1: bearer tokens, pydantic models, generated OpenAPI.

To add endpoints, write a module of `@api_route` handlers (see framework.py) and import it below;
the blueprint must have all its routes before create_app registers it.
"""
from .framework import REGISTRY, api_route, bp  # noqa: F401

from . import audit, auth, calendar, entries, events, organisation, users  # noqa: E402,F401  (register the routes)
from . import marks  # noqa: E402,F401  (register the marks and results routes)
from . import subsidy  # noqa: E402,F401  (register the subsidy and policy-version routes)
from . import nominations  # noqa: E402,F401  (技术能手 nominations and the title register)
from . import objections  # noqa: E402,F401  (objections during the notice)
from . import certificates  # noqa: E402,F401  (certificates: PDFs, verification; background jobs)
from . import league  # noqa: E402,F401  (the league: standings, higher-level competitions, delegates, rewards)
from . import towns  # noqa: E402,F401  (the league's towns: issue 21)
from . import monthly  # noqa: E402,F401  (monthly feedback to the towns: RULES.md §17)
from . import support  # noqa: E402,F401  (technical support and the annual plan)
from . import fund  # noqa: E402,F401  (budget lines and the district's spending: RULES.md §17)
from . import openapi  # noqa: E402,F401  (last: documents the routes above)
