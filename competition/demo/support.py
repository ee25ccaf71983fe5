"""Demo technical support (RULES.md §17): 恒力's drawn 化纤纺丝工 event, approved into the plan, asked for a judge and
question setting and was granted the question setting only (its panel of five stays as the marking demo and the
tests know it; 周裁判 is in the district's pool for the browser journey to lend), with its cost on the 技术支持 line,
proposed; a second request, for venue equipment, waits for an answer."""
from ..extensions import db
from ..models import Enterprise, Event, Role, Season, User
from ..services.accounts import NewUser, create_user
from ..services.audit import SYSTEM, Actor
from ..services.events.support import SupportAsk, SupportDecision, decide_support, request_support

SPINNING = "恒力化纤第三届化纤纺丝工技能竞赛"
POOL_JUDGE = ("judge6", "Caipan-2026", "周裁判")


def seed_support(season: Season, enterprises: list[Enterprise], users: dict[str, User]) -> None:
    """One request partly granted (question setting, 3,600 yuan; no judge) and one still waiting, on 恒力's event."""
    event = db.session.scalar(db.select(Event).where(Event.season_id == season.id, Event.name == SPINNING))
    if event is None:
        return
    username, password, name = POOL_JUDGE
    create_user(SYSTEM, NewUser(username=username, password=password, display_name=name,
                                        role=Role.JUDGE.value, employer_id=enterprises[4].id))
    host, organiser = Actor(users["enterprise"], "demo"), Actor(users["organiser"], "demo")
    granted = request_support(host, event, SupportAsk(
        ["judges", "question_setting"], 1, "实操项目需一名熟悉纺丝卷绕工艺的裁判；理论题库请区里协助命题审核。"))
    decide_support(organiser, granted, SupportDecision(
        "partly_grant", granted_kinds=["question_setting"], cost=3600,
        reason="该赛项裁判组已满五人，不再借调裁判；理论题库由区职业技能鉴定中心命题审核。"))
    request_support(host, event, SupportAsk(
        ["venue"], None, "决赛需借用区公共实训基地的纺丝实训设备两台，请协调。"))
    db.session.flush()
