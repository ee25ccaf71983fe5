"""Messages in Python go through translation (issue 17, item 4): a rule's reason is a Message the page renders
in the reader's language, and no Chinese text reaches a user without passing gettext or Message.

The scan below reads every module of competition/ and scoring/ (whose explanations, tie notes and problems reach
the results pages) with `ast`. A Chinese string constant is fine as a docstring,
as the first argument of gettext (`_`, `gettext`, `ngettext`, `lazy_gettext`, `_l`) or of `Message`, in the demo
data, as the OpenAPI document's summaries and descriptions, or in the modules that write the league's office documents (成绩册, 申请表, 年度报表, 名录, the roster
template), whose text is the document and stays Chinese for filing; even there, text raised to a user as an
error must be a Message.
"""
import ast
import copy
import json
import pickle
import re
from pathlib import Path

from competition.i18n import localise
from competition.rules.messages import Message, render
from scoring.messages import Message as ScoringMessage, from_data, to_data

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
TRANSLATED = {"_", "gettext", "ngettext", "lazy_gettext", "_l", "Message"}
DEMO = "competition/demo/"
API, API_DOCS = "competition/api/", {"summary", "description", "title"}
DOCUMENTS = {
    # modules whose Chinese text is the content of an office document, listed with what they write
    "competition/services/reports/workbook.py",  # 年度报表
    "competition/services/reports/money.py",  # the money sheets of 年度报表
    "competition/services/reports/season_book.py",  # 年度报表's sheet list
    "competition/services/reports/rewards.py",  # 奖励台账 and the rewards sheet of 年度报表
    "competition/services/reports/fund_sheets.py",  # the 预算科目 and 区级赛事支出 sheets of 年度报表
    "competition/services/results/exports.py",  # 成绩册, 评分表
    "competition/services/money/subsidy_reports.py",  # 竞赛经费补贴申请表
    "competition/services/titles/queries.py",  # 技术能手名录
    "competition/services/events/roster.py",  # the roster template and roster workbooks
    "competition/services/plan_workbook.py",  # 年度竞赛计划
    "competition/rules/roster.py",  # the roster template's columns and guide
}
PROPER_NAMES = {
    # modules holding proper names, the same in every language
    "competition/models/towns.py",  # the district's towns (松陵街道 …), as the founding list writes them
}
ERRORS = {"Invalid", "NotAllowed", "NotFound", "InvalidState", "Duplicate", "TooLarge", "Unauthorized",
          "AppError", "Checked", "ValueError"}


def _name(func) -> str | None:
    return getattr(func, "id", getattr(func, "attr", None))


def untranslated(path: Path) -> list[str]:
    """'line: text' of each Chinese constant in the module that reaches a user without gettext or Message."""
    relative = path.relative_to(ROOT).as_posix()
    if relative.startswith(DEMO):
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Expr):
            continue  # a docstring
        if relative.startswith(API) and isinstance(parent, ast.keyword) and parent.arg in API_DOCS:
            continue  # the OpenAPI document, read by integrators in Chinese as API.md is
        owner = parent
        while isinstance(owner, (ast.JoinedStr, ast.FormattedValue, ast.BinOp, ast.keyword)):
            owner = parents.get(owner)
        if isinstance(owner, ast.Call) and _name(owner.func) in TRANSLATED and owner.args and owner.args[0] is node:
            continue  # a literal msgid (an f-string there could never match the catalog, so it is reported)
        if (relative in DOCUMENTS or relative in PROPER_NAMES) and not (
                isinstance(owner, ast.Call) and _name(owner.func) in ERRORS):
            continue
        found.append(f"{relative}:{node.lineno}: {node.value[:40]}")
    return found


SCANNED = ("competition", "scoring")


def test_no_chinese_reaches_a_user_without_translation():
    found = [line for package in SCANNED for path in sorted((ROOT / package).rglob("*.py"))
             for line in untranslated(path)]
    assert found == [], f"{len(found)} untranslated:\n" + "\n".join(found[:80])


def test_the_scan_sees_what_it_must(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.test_messages_i18n.ROOT", tmp_path)
    module = tmp_path / "competition" / "services" / "x.py"
    module.parent.mkdir(parents=True)
    module.write_text('"""说明。"""\nfrom x import _, Message\n'
                      'A = _("已翻译")\nB = Message("%(n)s 人", n=1)\nC = "未翻译"\nD = f"未翻译{A}"\n'
                      'raise Invalid("错误")\nE = _(f"拼接{A}")\n', encoding="utf-8")
    assert [line.split(": ", 1)[1] for line in untranslated(module)] == ["未翻译", "未翻译", "错误", "拼接"]


def test_a_message_is_its_chinese_text_and_keeps_its_template():
    message = Message("身份证号码前两位（%(code)s）不是有效的省级行政区划代码。", code="99")
    assert message == "身份证号码前两位（99）不是有效的省级行政区划代码。"
    assert (message.template, dict(message.params)) == ("身份证号码前两位（%(code)s）不是有效的省级行政区划代码。",
                                                        {"code": "99"})
    copy = pickle.loads(pickle.dumps(message))
    assert isinstance(copy, Message) and copy == message and copy.params == {"code": "99"}


def test_render_translates_the_template_and_then_fills_it_in():
    english = {"第%(n)s名": "No. %(n)s", "合格": "pass", "%(who)s：%(verdict)s": "%(who)s: %(verdict)s"}
    nested = Message("%(who)s：%(verdict)s", who="张三", verdict=Message("合格"))
    assert render(nested, lambda text: english.get(text, text)) == "张三: pass"
    assert render(Message("第%(n)s名", n=3), english.get) == "No. 3"
    assert render("plain", english.get) == "plain"


def test_pages_and_errors_speak_the_readers_language(app, client):
    with app.test_request_context():
        assert localise(Message("请填写姓名。")) == "请填写姓名。"
        assert localise(None) is None
    with client.session_transaction() as session:
        session["lang"] = "en"
    response = client.post("/login", data={"username": "nobody", "password": "wrong"})
    page = response.get_data(as_text=True)
    assert "用户名或密码错误" not in page and "username or password" in page.lower()


def test_the_message_of_the_rules_is_scorings():
    assert Message is ScoringMessage  # scoring/ is the lowest layer: its explanations are messages too


def test_messages_survive_json_nested_ones_too():
    message = Message("%(who)s：%(verdict)s", who="张三", verdict=Message("第%(n)s名", n=3))
    data = json.loads(json.dumps(to_data({"texts": [message, "plain"], "n": 1}), ensure_ascii=False))
    assert data["texts"][0] == {"template": "%(who)s：%(verdict)s",
                                "params": {"who": "张三", "verdict": {"template": "第%(n)s名", "params": {"n": 3}}}}
    back = from_data(data)
    assert back == {"texts": ["张三：第3名", "plain"], "n": 1} and type(back["texts"][1]) is str
    assert isinstance(back["texts"][0], Message) and back["texts"][0].params["verdict"].params == {"n": 3}
    assert copy.deepcopy(message) is message
