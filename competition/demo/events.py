"""Demo events for `flask seed-demo`: both kinds, several states, schemes and realistic rosters."""
import random
from datetime import date, timedelta

from ..models import Enterprise, Event, Season, User
from ..rules.events import CriterionSpec as C
from ..rules.events import ModuleSpec as M
from ..rules.identity import id_check_char
from ..services.audit import SYSTEM
from ..services.events.enrolment import set_enrolment_policy
from ..services.events.entries import EntryData, assign_judge, check_in, draw, enrol
from ..services.events.lifecycle import EventData, change_status, create_event

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏飞俊峰琳雪梅晨欣怡婷佳雨晓东海波宁志国庆春兰"
TOWNS_CODE = "320509"  # 苏州市吴江区

SPINNING = (
    M("理论知识", "theory", 30, (C("化纤工艺理论", "100", "measurement"),)),
    M("操作技能", "practical", 70, (
        C("纺丝组件安装", "30", "judgement"), C("断头处理与接头", "30", "judgement"),
        C("工艺参数调整", "25", "judgement"), C("安全文明生产", "15", "judgement"),
    )),
)
ELECTRICIAN = (
    M("理论知识", "theory", 20, (C("电工基础理论", "100", "measurement"),)),
    M("操作技能", "practical", 80, (
        C("电气线路安装", "40", "judgement"), C("故障排除", "40", "judgement"), C("规范与安全", "20", "judgement"),
    )),
)
FIBRE_SPLICING = (
    M("理论知识", "theory", 25, (C("光纤通信理论", "100", "measurement"),)),
    M("操作技能", "practical", 75, (
        C("熔接损耗（仪器测量）", "50", "measurement"), C("熔接工艺", "30", "judgement"), C("盘纤规范", "20", "judgement"),
    )),
)
WELDING = (
    M("理论知识", "theory", 30, (C("焊接理论", "100", "measurement"),)),
    M("操作技能", "practical", 70, (C("焊缝外观", "50", "judgement"), C("无损检测", "50", "measurement"))),
)


def demo_people(rng: random.Random, count: int, start: int) -> list[tuple[str, str]]:
    """Realistic names and valid 居民身份证号码 (Wujiang residents, born 1972-2004)."""
    people = []
    for n in range(start, start + count):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        born = date(1972, 1, 1) + timedelta(days=rng.randrange(32 * 365))
        serial = (n % 450) * 2 + rng.choice((1, 2))  # odd: man, even: woman
        first17 = f"{TOWNS_CODE}{born:%Y%m%d}{serial:03d}"
        people.append((name, first17 + id_check_char(first17)))
    return people


def _event(season: Season, name: str, occupation: str, level: int, scheme, when: date, **extra) -> Event:
    """Create an event with its scheme (as the organisers, from the command line)."""
    data = EventData(season_id=season.id, name=name, occupation=occupation, level=level,
                     kind=extra.pop("kind", "district"), event_date=when,
                     registration_deadline=when - timedelta(days=14), modules=scheme, **extra)
    return create_event(SYSTEM, data)[0]


def _enrol_all(event: Event, people, employers: list[Enterprise]) -> list:
    """Enrol people as if on the day before the deadline, employers taken in turn."""
    day = event.registration_deadline - timedelta(days=1)
    return [enrol(SYSTEM, event, EntryData(name, id_number, employer_id=employers[i % len(employers)].id), today=day)
            for i, (name, id_number) in enumerate(people)]


def seed_demo_events(season: Season, enterprises: list[Enterprise], judges: list[User]) -> None:
    """Five events: drawn enterprise event with 64 contestants, an open district event, submitted (inviting two
    other enterprises to enrol), rejected and draft ones."""
    rng = random.Random(2026)
    hengli, hengtong, tongding = enterprises[0], enterprises[1], enterprises[2]

    spinning = _event(season, "恒力化纤第三届化纤纺丝工技能竞赛", "化纤纺丝工", 4, SPINNING, date(2026, 9, 18),
                      kind="enterprise", host_enterprise_id=hengli.id, venue="恒力化纤盛泽厂区培训中心")
    for action in ("submit", "approve", "open"):
        change_status(SYSTEM, spinning, action)
    entries = _enrol_all(spinning, demo_people(rng, 64, 1), [hengli])
    check_in(SYSTEM, entries[:60], "present")
    check_in(SYSTEM, entries[60:63], "absent")
    check_in(SYSTEM, entries[63:], "withdrawn")
    change_status(SYSTEM, spinning, "close")
    for i, judge in enumerate(judges):
        assign_judge(SYSTEM, spinning, judge, i == 0)
    draw(SYSTEM, spinning, seed="wujiang-2026-spinning")

    electrician = _event(season, "2026年吴江区电工职业技能竞赛", "电工", 3, ELECTRICIAN, date(2026, 12, 20),
                         venue="吴江区职业技能鉴定中心", min_age=18, max_age=55)
    change_status(SYSTEM, electrician, "open")
    _enrol_all(electrician, demo_people(rng, 24, 100), enterprises)
    assign_judge(SYSTEM, electrician, judges[0], True)   # employed by 亨通: must not mark 亨通's entries
    assign_judge(SYSTEM, electrician, judges[1], False)
    for judge in judges[3:5]:  # a trimmed mean needs 3 judges free to mark every entry (回避 counted)
        assign_judge(SYSTEM, electrician, judge, False)

    splicing = _event(season, "亨通光纤熔接工技能竞赛", "光纤熔接工", 4, FIBRE_SPLICING, date(2027, 1, 15),
                      kind="enterprise", host_enterprise_id=hengtong.id, venue="亨通光电七都产业园")
    # The host's roster is its own; 亨通 invites the two other fibre and cable makers to enrol their splicers too.
    set_enrolment_policy(SYSTEM, splicing, "invited", [tongding.id, enterprises[3].id])
    change_status(SYSTEM, splicing, "submit")

    rejected = _event(season, "通鼎网络布线技能比武", "信息通信网络线务员", 5, ELECTRICIAN, date(2026, 12, 10),
                      kind="enterprise", host_enterprise_id=tongding.id, venue="通鼎互联震泽培训中心")
    change_status(SYSTEM, rejected, "submit")
    change_status(SYSTEM, rejected, "reject", reason="参赛规模和评分方案需补充：请注明预计参赛人数，并补充实操评分细则。")

    _event(season, "2026年吴江区焊工职业技能竞赛", "焊工", 3, WELDING, date(2027, 3, 26), venue="吴江中等专业学校")
