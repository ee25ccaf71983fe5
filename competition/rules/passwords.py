"""The password policy (issue 14): long enough, not a common password, not built on the username.

Contract: pure; `password_problem` returns the Chinese reason a new password is refused, or None.
The common-password list is Django's (BSD licence; 20,000 passwords from leaked sets, lower-case,
compiled by Royce Williams), shipped beside this file: the machines have no internet.
"""
import functools
import gzip
from importlib import resources

from .messages import Message

MIN_LENGTH = 10
MAX_LENGTH = 128


@functools.cache
def common_passwords() -> frozenset[str]:
    """The list, read once per process."""
    data = resources.files(__package__).joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip() for line in gzip.decompress(data).decode("utf-8").splitlines() if line.strip())


def password_problem(password: str | None, username: str | None = None) -> str | None:
    """Why a new password is not acceptable, or None."""
    text = password or ""
    if len(text) < MIN_LENGTH:
        return Message("密码至少需要%(count)s个字符。", count=MIN_LENGTH)
    if len(text) > MAX_LENGTH:
        return Message("密码不能超过%(count)s个字符。", count=MAX_LENGTH)
    folded = text.lower().strip()
    if folded in common_passwords():
        return Message("该密码过于常见，容易被猜中，请换一个。")
    name = (username or "").strip().lower()
    if len(name) >= 3 and (name in folded or folded in name or name[::-1] in folded):
        return Message("密码不能包含用户名。")
    return None
