"""API tokens and the caller's own account."""
from flask import current_app, g

from ..context import client_address
from ..errors import Unauthorized
from ..extensions import db
from ..limits import failed_logins, note_failed_login
from ..services import accounts, logins
from ..services.audit import Actor
from .framework import SIGNED_IN, actor, api_route, api_user
from .schemas import PasswordChangeIn, TokenIn, TokenOut, UserOut


@api_route("/tokens", methods=["POST"], body=TokenIn, response=TokenOut, status=201, auth=False,
           summary="获取访问令牌", tags=["auth"], errors=[401, 429], limits=[failed_logins])
def create_token(body: TokenIn):
    """Log in with username and password. Five wrong passwords from one address lock the account there (as on the
    login page); 20 failed logins a minute from one address are refused with 429 and Retry-After."""
    anonymous = Actor(None, client_address())
    result = logins.authenticate(anonymous, body.username, body.password)
    if not result.ok:
        note_failed_login()
        db.session.commit()  # the failure counter, the lock and the audit row must persist
        raise Unauthorized(result.error, code="account_locked" if result.code == "account_locked"
                           else "invalid_credentials")
    user = result.user
    hours = current_app.config["API_TOKEN_HOURS"]
    text, token = accounts.issue_token(Actor(user, client_address()), user, hours=hours)
    return {"token": text, "expires_at": token.expires_at}


@api_route("/tokens/current", roles=SIGNED_IN, methods=["DELETE"], status=204, summary="注销当前令牌", tags=["auth"])
def revoke_current_token():
    """Revoke the token this request carries."""
    accounts.revoke_token(actor(), g.api_token)


@api_route("/me", roles=SIGNED_IN, response=UserOut, summary="当前用户", tags=["auth"])
def get_me():
    """The account the token belongs to."""
    return api_user()


@api_route("/me/password", roles=SIGNED_IN, methods=["POST"], body=PasswordChangeIn, status=204, summary="修改本人密码",
           tags=["auth"])
def change_my_password(body: PasswordChangeIn):
    """Change the caller's password; every session and token of the account ends, this one too."""
    accounts.change_password(actor(), api_user(), body.old_password, body.new_password)
