"""The API framework: one decorator declares an endpoint's auth, input, output and documentation.

    @api_route("/seasons", methods=["POST"], body=SeasonIn, response=SeasonDetailOut, status=201,
               allow=permissions.can_manage_seasons, summary="创建联赛年度", tags=["seasons"])
    def create_season(body: SeasonIn):
        return organisation.create_season(actor(), SeasonData(**body.model_dump()))

The wrapper (1) authenticates `Authorization: Bearer <token>` and sets g.api_user (browser
sessions never count), (2) refuses callers outside `roles` / `allow` with 403, (3) parses the path,
the query string (`query=` model) and the JSON body (`body=` model) into pydantic models, 400 with
field details on any problem, (4) calls the handler with them as keyword arguments (path
parameters by name, `query=`, `body=`), (5) serialises the result through `response` (a Page of it
when `paginated=True`, the handler then returning a select or a list), and (6) commits once.
AppErrors propagate to the app's handlers, which roll back and answer with the JSON error shape.
Every route is recorded in REGISTRY, from which openapi.py builds the OpenAPI document.
"""
import functools
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from flask import Blueprint, Response, abort, current_app, g, jsonify, request
from pydantic import BaseModel

from ..context import current_actor
from ..errors import NotAllowed, NotFound, Unauthorized
from ..extensions import db
from ..models import Role, User
from ..rules.messages import Message
from ..services import accounts
from ..services.audit import Actor
from ..typed import MAX_ID
from .inputs import parse_body, parse_query
from .pagination import paginate, parse_page

bp = Blueprint("api", __name__, url_prefix="/api/v1")

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Route:
    """One registered endpoint: what it takes, returns, and who may call it."""

    rule: str
    methods: tuple[str, ...]
    handler: Callable
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    roles: frozenset[Role] | None = None
    allow: Callable[[User], bool] | None = None
    auth: bool = True
    paginated: bool = False
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    errors: tuple[int, ...] = ()
    accepted: type[BaseModel] | None = None  # a 202 answer's model: the request started long work (a job)

    @property
    def endpoint(self) -> str:
        """The Flask endpoint name and OpenAPI operationId."""
        return self.handler.__name__

    @property
    def path(self) -> str:
        """The full URL rule, prefix included."""
        return f"{bp.url_prefix}{self.rule}"


REGISTRY: list[Route] = []
# The roles a route declares (every authenticated route declares them: the OpenAPI document lists them as they are,
# instead of guessing by calling `allow` with a made-up user, which left enterprise users out; issue 17).
EVERY_ROLE = (Role.ADMIN, Role.ORGANISER, Role.JUDGE, Role.ENTERPRISE)
STAFF_ROLES = (Role.ADMIN, Role.ORGANISER)
ADMIN_ROLES = (Role.ADMIN,)
STAFF_AND_ENTERPRISE = (Role.ADMIN, Role.ORGANISER, Role.ENTERPRISE)
# Every role, the town officer (镇区人社, RULES.md §3) included: their own account and token, and the league's towns.
# EVERY_ROLE leaves the town officer out: it reads its own town through the town routes only.
SIGNED_IN = EVERY_ROLE + (Role.TOWN,)


def api_route(rule: str, *, methods: Iterable[str] = ("GET",), body: type[BaseModel] | None = None,
              query: type[BaseModel] | None = None, response: type[BaseModel] | None = None,
              status: int = 200, roles: Iterable[Role | str] | None = None,
              allow: Callable[[User], bool] | None = None, auth: bool = True, paginated: bool = False,
              summary: str = "", description: str = "", tags: Iterable[str] = (),
              errors: Iterable[int] = (), limits: Iterable[Callable] = (),
              accepted: type[BaseModel] | None = None) -> Callable:
    """Declare a JSON endpoint under /api/v1 (see the module docstring); `limits` are rate-limit decorators
    (competition/limits.py) put around the endpoint; `accepted` documents a 202 answer (the handler returns it as a
    Response when it has started long work instead of answering at once)."""
    methods = tuple(m.upper() for m in methods)

    def decorator(handler: Callable) -> Callable:
        route = Route(
            rule=rule, methods=methods, handler=handler, body=body, query=query, response=response,
            status=status,
            roles=frozenset(Role(r) for r in roles) if roles is not None else None,
            allow=allow, auth=auth, paginated=paginated, summary=summary,
            description=description or (handler.__doc__ or "").strip(), tags=tuple(tags),
            errors=tuple(errors), accepted=accepted,
        )
        if route.paginated and route.response is None:
            raise TypeError(f"{route.endpoint}: a paginated route needs a response model")
        if route.auth and route.roles is None:
            raise TypeError(f"{route.endpoint}: an authenticated route declares its roles (roles=…)")
        REGISTRY.append(route)

        @functools.wraps(handler)
        def view(**path_args: Any) -> Response:
            return _dispatch(route, **path_args)

        for limit in limits:
            view = limit(view)
        bp.add_url_rule(rule, endpoint=route.endpoint, methods=list(methods), view_func=view)
        return handler

    return decorator


def _dispatch(route: Route, **path_args: Any) -> Response:
    """Run one request through auth, parsing, the handler, serialisation and commit."""
    if route.auth:
        _authorise(route, authenticate())
    _check_path_ids(path_args)
    kwargs = dict(path_args)
    if route.query is not None:
        kwargs["query"] = parse_query(route.query)
    page = parse_page() if route.paginated else None
    if route.body is not None:
        kwargs["body"] = parse_body(route.body)
    result = route.handler(**kwargs)
    response = _respond(route, result, page)
    db.session.commit()
    return response


def authenticate() -> User:
    """The user of the request's bearer token, stored in g.api_user; 401 otherwise."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(Message("缺少访问令牌：请先通过 POST /api/v1/tokens 获取令牌，"
                                   "并在请求头中提供 Authorization: Bearer <令牌>。"), code="token_missing")
    user = accounts.user_for_token(token)
    if user is None:
        raise Unauthorized(Message("访问令牌无效、已过期或已撤销，请重新获取令牌。"), code="token_invalid")
    g.api_user = user
    g.api_token = token
    return user


def _authorise(route: Route, user: User) -> None:
    """The route-level gate: the caller's role must be allowed (objects are checked by handlers)."""
    allowed = (route.roles is None or user.role in route.roles) and (route.allow is None or route.allow(user))
    if not allowed:
        if route.summary:
            raise NotAllowed(Message("您的角色（%(role)s）无权执行此操作：%(action)s。", role=user.role.label,
                                     action=route.summary))
        raise NotAllowed(Message("您的角色（%(role)s）无权执行此操作。", role=user.role.label))


def _check_path_ids(path_args: dict) -> None:
    """Integers beyond any stored id are simply not found (and never reach the database)."""
    if any(isinstance(v, int) and v > MAX_ID for v in path_args.values()):
        raise NotFound(Message("您访问的数据不存在。"))


def _respond(route: Route, result: Any, page) -> Response:
    """Serialise a handler's result: a Response as is, a Page, a model, a dict, or nothing."""
    if isinstance(result, Response):
        return result
    if route.paginated:
        return _json(paginate(result, route.response, page), route.status)
    if route.status == 204 or (result is None and route.response is None):
        return current_app.response_class(status=204)
    if route.response is not None:
        result = route.response.model_validate(result, from_attributes=True).model_dump(mode="json")
    return _json(result, route.status)


def _json(data: Any, status: int) -> Response:
    """A JSON response with a status."""
    response = jsonify(data)
    response.status_code = status
    return response


def api_user() -> User:
    """The authenticated caller of the current API request."""
    return g.api_user


def actor() -> Actor:
    """The acting user and client address, for the services."""
    return current_actor()


def get_or_404(model: type, ident: int, options=()):
    """Load a row by primary key (with loader options, if any) or answer 404 in JSON."""
    found = db.session.get(model, ident, options=options or None)
    if found is None:
        abort(404, description=Message("您访问的数据不存在。"))
    return found


@bp.after_request
def _bearer_challenge(response: Response) -> Response:
    """A 401 tells the client which scheme to use (RFC 6750)."""
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    return response
