"""Demo data for `flask seed-demo`: realistic enough to click through every journey."""
from ..extensions import db
from ..models import Enterprise, Role, User
from ..services.accounts import NewUser, create_user
from ..services.audit import SYSTEM
from ..services.organisation import EnterpriseData, SeasonData, create_enterprise, create_season
from ..services.towns import ensure_founding_towns
from .fund import seed_fund
from .monthly import seed_monthly
from .support import seed_support
from .towns import seed_towns
from ..services.policy import ensure_founding_policy
from .events import seed_demo_events
from .league import seed_league
from .results import seed_demo_results
from .nominations import seed_nominations
from .objections import seed_objections
from .subsidy import seed_subsidy
from ..rules.identity import credit_check_char

DEMO_ENTERPRISES = [
    ("江苏恒力化纤股份有限公司", "91320509", "盛泽镇"),
    ("亨通集团有限公司", "91320509", "七都镇"),
    ("通鼎互联信息股份有限公司", "91320509", "震泽镇"),
    ("苏州永鼎股份有限公司", "91320509", "黎里镇"),
    ("吴江东方国际纺织有限公司", "91320509", "平望镇"),
]

DEMO_ACCOUNTS = [
    # username, password, role, display name, enterprise index (enterprise users) or employer index (judges)
    ("admin", "Guanli-2026", Role.ADMIN, "系统管理员", None),
    ("organiser", "Zuweihui-2026", Role.ORGANISER, "区组委会 王老师", None),
    ("judge", "Caipan-2026", Role.JUDGE, "李裁判", 1),
    ("judge2", "Caipan-2026", Role.JUDGE, "王裁判", 2),
    ("judge3", "Caipan-2026", Role.JUDGE, "赵裁判", 3),
    ("judge4", "Caipan-2026", Role.JUDGE, "钱裁判", None),
    ("judge5", "Caipan-2026", Role.JUDGE, "孙裁判", 4),
    ("enterprise", "Qiye-HR-2026", Role.ENTERPRISE, "恒力化纤 人事部 张敏", 0),
    ("enterprise2", "Qiye-HR-2026", Role.ENTERPRISE, "亨通集团 人力资源部 陈静", 1),
]


def demo_credit_code(prefix: str, n: int) -> str:
    """A valid demo 统一社会信用代码: region prefix, a made-up body, the real check character."""
    body = f"{prefix}MA{n:07d}"
    return body + credit_check_char(body)


def seed_demo(*, if_empty: bool = False) -> list[tuple[str, str, str]] | None:
    """Create the demo league; returns the accounts as (username, password, role label)."""
    ensure_founding_policy()
    ensure_founding_towns()
    if if_empty and db.session.scalar(db.select(db.func.count(User.id))):
        return None
    enterprises = _demo_enterprises()
    season = create_season(SYSTEM, SeasonData(year=2026, name="2026年吴江职业技能联赛", budget=2_000_000))
    accounts, judges, users = [], [], {}
    for username, password, role, name, index in DEMO_ACCOUNTS:
        ent = enterprises[index].id if index is not None else None
        user = create_user(SYSTEM, NewUser(
            username=username, password=password, display_name=name, role=role.value,
            enterprise_id=ent if role is Role.ENTERPRISE else None,
            employer_id=ent if role is Role.JUDGE else None,
        ))
        accounts.append((username, password, role.label))
        users[username] = user
        if role is Role.JUDGE:
            judges.append(user)
    accounts.append(seed_towns(users))
    seed_demo_events(season, enterprises, judges)
    seed_support(season, enterprises, users)
    results = seed_demo_results(season, enterprises, judges, users["organiser"])
    seed_subsidy(results, users)
    seed_nominations(season, enterprises, judges, users, results)
    seed_objections(users, results)
    seed_league(season, enterprises, users, results)
    seed_fund(season, users, results)
    seed_monthly()  # last: the reports count what the rest wrote
    return accounts


def _demo_enterprises() -> list[Enterprise]:
    """The five demo enterprises with valid credit codes."""
    return [
        create_enterprise(SYSTEM, EnterpriseData(name, demo_credit_code(prefix, i + 1), town))
        for i, (name, prefix, town) in enumerate(DEMO_ENTERPRISES)
    ]
