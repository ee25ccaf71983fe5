"""Accounts, kept by administrators."""
from ..models import User
from ..permissions import can_manage_users
from ..services import accounts
from .framework import ADMIN_ROLES, actor, api_route, get_or_404
from .inputs import merged
from .schemas import PasswordResetIn, UserFilter, UserIn, UserOut, UserPatch

TAGS = ["users"]


@api_route("/users", roles=ADMIN_ROLES, methods=["POST"], body=UserIn, response=UserOut, status=201, allow=can_manage_users,
           summary="创建用户", tags=TAGS)
def create_user(body: UserIn):
    """Create an account; enterprise users need enterprise_id, judges may give employer_id, town officers (role town)
    need town, one of the league's towns (GET /api/v1/towns)."""
    data = accounts.NewUser(**{**body.model_dump(), "role": body.role.value})
    return accounts.create_user(actor(), data)


@api_route("/users", roles=ADMIN_ROLES, query=UserFilter, response=UserOut, paginated=True, allow=can_manage_users,
           summary="用户列表", tags=TAGS)
def list_users(query: UserFilter):
    """Accounts by username, searched by username or display name, filtered by role."""
    return accounts.user_query(query.q, query.role)


@api_route("/users/<int:user_id>", roles=ADMIN_ROLES, response=UserOut, allow=can_manage_users, summary="查看用户", tags=TAGS)
def get_user(user_id: int):
    """One account."""
    return get_or_404(User, user_id)


@api_route("/users/<int:user_id>", roles=ADMIN_ROLES, methods=["PATCH"], body=UserPatch, response=UserOut,
           allow=can_manage_users, summary="修改用户", tags=TAGS)
def update_user(user_id: int, body: UserPatch):
    """Change display name and affiliation; fields left out keep their values."""
    user = get_or_404(User, user_id)
    values = merged(body, user, ("display_name", "enterprise_id", "employer_id", "town"))
    return accounts.update_user(actor(), user, **values)


@api_route("/users/<int:user_id>/disable", roles=ADMIN_ROLES, methods=["POST"], response=UserOut, allow=can_manage_users,
           summary="停用用户", tags=TAGS)
def disable_user(user_id: int):
    """Disable an account; its sessions and tokens end."""
    return accounts.set_disabled(actor(), get_or_404(User, user_id), True)


@api_route("/users/<int:user_id>/enable", roles=ADMIN_ROLES, methods=["POST"], response=UserOut, allow=can_manage_users,
           summary="启用用户", tags=TAGS)
def enable_user(user_id: int):
    """Enable an account again; a login lock lifts."""
    return accounts.set_disabled(actor(), get_or_404(User, user_id), False)


@api_route("/users/<int:user_id>/reset-password", roles=ADMIN_ROLES, methods=["POST"], body=PasswordResetIn, status=204,
           allow=can_manage_users, summary="重置用户密码", tags=TAGS)
def reset_user_password(user_id: int, body: PasswordResetIn):
    """Set a new password; the user's sessions and tokens end and a login lock lifts."""
    accounts.reset_password(actor(), get_or_404(User, user_id), body.password)
