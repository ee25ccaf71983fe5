"""Permission predicates as a table: (predicate, role) → allowed."""
from types import SimpleNamespace

import pytest

from competition import permissions as p
from competition.models import Role

ROLES = ["anonymous", "admin", "organiser", "judge", "enterprise", "disabled_admin", "town"]


def user(kind: str, enterprise_id: int | None = None):
    """A stand-in user: predicates only read role, activity and affiliation."""
    if kind == "anonymous":
        return None
    role = Role.ADMIN if kind == "disabled_admin" else Role(kind)
    return SimpleNamespace(role=role, is_authenticated=True, is_active=kind != "disabled_admin",
                           enterprise_id=enterprise_id, id=1, town="盛泽镇" if role is Role.TOWN else None)


TABLE = {
    # predicate:             anonymous admin organiser judge enterprise disabled_admin town (a 盛泽镇 officer)
    "can_manage_users":       (False, True, False, False, False, False, False),
    "can_manage_policy":      (False, True, False, False, False, False, False),
    "can_view_policy":        (False, True, True, False, False, False, False),
    "can_manage_calendar":    (False, True, False, False, False, False, False),
    "can_view_calendar":      (False, True, True, False, False, False, False),
    "can_list_enterprises":   (False, True, True, True, True, False, False),
    "can_manage_enterprises": (False, True, True, False, False, False, False),
    "can_manage_seasons":     (False, True, True, False, False, False, False),
    "can_view_audit":         (False, True, True, False, False, False, False),
    "can_view_season_dashboard": (False, True, True, False, False, False, False),
    "can_reveal_id_number":   (False, True, True, False, False, False, False),
    "can_decide_claims":      (False, True, True, False, False, False, False),
    "can_list_claims":        (False, True, True, False, False, False, False),  # an enterprise user needs an enterprise
    "can_recommend":          (False, False, False, False, False, False, False),  # needs an enterprise: see below
    "can_view_nominations":   (False, True, True, False, False, False, False),
    "can_decide_nominations": (False, True, True, False, False, False, False),
    "can_export_experts":     (False, True, True, False, False, False, False),
    "can_list_certificates":  (False, True, True, False, False, False, False),  # an enterprise user needs an enterprise
    "can_view_objections":    (False, True, True, False, False, False, False),  # an enterprise user needs an enterprise
    "can_decide_objections":  (False, True, True, False, False, False, False),
    "can_view_standings":     (True, True, True, True, True, True, True),
    "can_manage_competitions": (False, True, True, False, False, False, False),
    "can_view_delegates":     (False, True, True, False, False, False, False),  # an enterprise user needs an enterprise
    "can_view_person":        (False, True, True, False, False, False, False),
    "can_list_rewards":       (False, True, True, False, False, False, False),  # an enterprise user needs an enterprise
    "can_decide_rewards":     (False, True, True, False, False, False, False),
    "can_manage_fund":        (False, True, True, False, False, False, False),
    "can_manage_towns":       (False, True, False, False, False, False, False),
    "can_list_monthly_reports": (False, True, True, False, False, False, True),
    "can_decide_support":     (False, True, True, False, False, False, False),
    "is_town_officer":        (False, False, False, False, False, False, True),  # bound to a town: see test_town_officer
    "can_list_towns":         (False, True, True, False, False, False, False),
}


@pytest.mark.parametrize("name, expected", TABLE.items())
def test_role_predicates(name, expected):
    predicate = getattr(p, name)
    assert tuple(predicate(user(kind)) for kind in ROLES) == expected


@pytest.mark.parametrize("kind, own, expected", [
    ("admin", False, True), ("organiser", False, True), ("judge", False, False),
    ("enterprise", True, True), ("enterprise", False, False), ("anonymous", False, False),
])
def test_view_enterprise(kind, own, expected):
    enterprise = SimpleNamespace(id=7)
    assert p.can_view_enterprise(user(kind, enterprise_id=7 if own else 8), enterprise) is expected


def test_require_raises_403():
    with pytest.raises(p.NotAllowed) as caught:
        p.require(False)
    assert caught.value.status == 403
    p.require(True)


def test_every_predicate_is_in_the_table_or_tested():
    """A new predicate must be added to these tables."""
    covered = set(TABLE) | {"can_view_enterprise", "can_view_season", "is_staff", "can_list_events", "can_view_town",
                            "can_create_event"} | {name for name, _, _ in EVENT_TABLE}
    assert set(p.PREDICATES) <= covered, set(p.PREDICATES) - covered


from competition.models import EventKind, EventStatus, OpenTo  # noqa: E402

EVENT_ROLES = ("anonymous", "admin", "organiser", "host", "other_ent", "panel_judge", "chief", "judge")


def event_user(kind: str):
    """Users around one enterprise event hosted by enterprise 7, judged by users 11 (chief) and 12."""
    table = {"host": ("enterprise", 7, 1), "other_ent": ("enterprise", 8, 2), "panel_judge": ("judge", None, 12),
             "chief": ("judge", None, 11), "judge": ("judge", None, 13)}
    if kind in ("anonymous", "admin", "organiser"):
        return user(kind)
    role, enterprise_id, user_id = table[kind]
    return SimpleNamespace(role=Role(role), is_authenticated=True, is_active=True, enterprise_id=enterprise_id,
                           id=user_id)


def event(status="open", kind=EventKind.ENTERPRISE, drawn=False, open_to=OpenTo.HOST, invited=()):
    """A stand-in event with a two-judge panel, hosted by enterprise 7 when it is an enterprise event."""
    panel = [SimpleNamespace(user_id=11, is_chief=True), SimpleNamespace(user_id=12, is_chief=False)]
    host = SimpleNamespace(id=7, name="主办公司") if kind is EventKind.ENTERPRISE else None
    return SimpleNamespace(kind=kind, status=EventStatus(status), host_enterprise_id=host.id if host else None,
                           host=host, panel=panel, draw_seed="s" if drawn else None,
                           is_published=status in ("notice", "final"), open_to=open_to, invited_ids=frozenset(invited))


EVENT_TABLE = [
    # predicate, event, expected per EVENT_ROLES: anonymous admin organiser host other_ent panel_judge chief judge
    ("can_view_event", event("submitted"), (False, True, True, True, False, True, True, False)),
    ("can_view_event", event("open"), (False, True, True, True, True, True, True, False)),
    ("can_edit_event", event("draft"), (False, True, True, True, False, False, False, False)),
    ("can_edit_event", event("approved"), (False, True, True, False, False, False, False, False)),
    ("can_submit_event", event("draft"), (False, True, True, True, False, False, False, False)),
    ("can_submit_event", event("draft", EventKind.DISTRICT), (False,) * 8),
    ("can_manage_event", event(), (False, True, True, False, False, False, False, False)),
    # An enterprise event's roster belongs to its host (RULES.md §4; issue 18): another enterprise (8) enrols only
    # when the host opened it to every enterprise or invited 8; a district event takes every enterprise's employees.
    ("can_enrol", event("open"), (False, True, True, True, False, False, False, False)),
    ("can_enrol", event("open", open_to=OpenTo.INVITED, invited=(9,)), (False, True, True, True, False, False, False, False)),
    ("can_enrol", event("open", open_to=OpenTo.INVITED, invited=(8, 9)), (False, True, True, True, True, False, False, False)),
    ("can_enrol", event("open", open_to=OpenTo.HOST, invited=(8,)), (False, True, True, True, False, False, False, False)),
    ("can_enrol", event("open", open_to=OpenTo.ALL), (False, True, True, True, True, False, False, False)),
    ("can_enrol", event("submitted", open_to=OpenTo.ALL), (False, True, True, True, False, False, False, False)),
    ("can_enrol", event("submitted"), (False, True, True, True, False, False, False, False)),
    ("can_enrol", event("open", EventKind.DISTRICT), (False, True, True, True, True, False, False, False)),
    ("can_set_enrolment_policy", event("open"), (False, True, True, True, False, False, False, False)),
    ("can_set_enrolment_policy", event("open", open_to=OpenTo.ALL), (False, True, True, True, False, False, False, False)),
    ("can_set_enrolment_policy", event("open", EventKind.DISTRICT), (False, True, True, False, False, False, False, False)),
    ("can_view_entries", event("open"), (False, True, True, True, True, False, False, False)),
    ("can_view_entries", event("drawn", drawn=True), (False, True, True, True, True, True, True, False)),
    ("can_check_in", event(), (False, True, True, False, False, False, False, False)),
    ("can_disqualify", event("scoring"), (False, True, True, False, False, False, True, False)),
    ("can_record_time", event("scoring"), (False, True, True, False, False, True, True, False)),
    ("can_enter_measurements", event("scoring"), (False, True, True, False, False, False, True, False)),
    ("can_oversee_scoring", event("scoring"), (False, True, True, False, False, False, True, False)),
    ("can_open_marks", event("scoring"), (False, True, True, False, False, True, True, False)),
    # Results: before publication the organisers and the chief judge only, never another panel judge (issue 17:
    # the API once gave them the rows while the page refused); once published everyone reads them (masked),
    # while the internal page and the 成绩册 are the organisers', the chief judge's and the host's.
    ("sees_unpublished_results", event("signed_off"), (False, True, True, False, False, False, True, False)),
    ("can_read_results", event("signed_off"), (False, True, True, False, False, False, True, False)),
    ("can_read_results", event("notice"), (True,) * 8),
    ("can_view_results", event("signed_off"), (False, True, True, False, False, False, True, False)),
    ("can_view_results", event("final"), (False, True, True, True, False, False, True, False)),
    ("can_export_results", event("final"), (False, True, True, True, False, False, False, False)),
    ("can_export_results", event("signed_off"), (False, True, True, False, False, False, False, False)),
    # Prizes (RULES.md §15): the organisers at any stage, everyone else only once the results are published.
    ("can_see_prizes", event("scoring"), (False, True, True, False, False, False, False, False)),
    ("can_see_prizes", event("signed_off"), (False, True, True, False, False, False, False, False)),
    ("can_see_prizes", event("notice"), (True,) * 8),
    ("can_see_prizes", event("final"), (True,) * 8),
    ("can_view_panel", event("drawn"), (False, True, True, False, False, False, True, False)),
    ("can_export_roster", event("open"), (False, True, True, True, True, False, False, False)),
    ("can_withdraw_entry", event("drawn"), (False, True, True, False, False, False, False, False)),
    # an entry of the host's employee (employer 7) in an open event: its own HR corrects it, no other enterprise
    ("can_correct_entry", SimpleNamespace(employer_id=7, event=event("open")),
     (False, True, True, True, False, False, False, False)),
    ("can_correct_entry", SimpleNamespace(employer_id=8, event=event("submitted")),
     (False, True, True, False, False, False, False, False)),
    ("is_host", event(), (False, False, False, True, False, False, False, False)),
    ("is_panel_judge", event(), (False, False, False, False, False, True, True, False)),
    ("is_chief_judge", event(), (False, False, False, False, False, False, True, False)),
    ("sees_identities", event("scoring"), (True, True, True, True, True, False, False, False)),
    ("sees_identities", event("notice"), (True,) * 8),
    ("can_view_subsidy", event("final"), (False, True, True, True, False, False, False, False)),
    ("can_view_subsidy", event("final", EventKind.DISTRICT), (False, True, True, False, False, False, False, False)),
    ("can_claim_subsidy", event("final"), (False, False, False, True, False, False, False, False)),
    ("can_view_claim", SimpleNamespace(host_enterprise_id=7), (False, True, True, True, False, False, False, False)),
    ("can_view_nomination", SimpleNamespace(enterprise_id=7), (False, True, True, True, False, False, False, False)),
    ("can_view_nomination", SimpleNamespace(enterprise_id=None), (False, True, True, False, False, False, False, False)),
    # Certificates (RULES.md §15): the organisers print an event's; one certificate is the organisers' and the holder's
    # employer's (as issued); a job is its owner's (user 1 is the host's HR here) and the organisers'.
    ("can_print_event_certificates", event("final"), (False, True, True, False, False, False, False, False)),
    ("can_download_certificate", SimpleNamespace(enterprise_id=7), (False, True, True, True, False, False, False, False)),
    ("can_download_certificate", SimpleNamespace(enterprise_id=None), (False, True, True, False, False, False, False, False)),
    ("can_download_entry_certificate", SimpleNamespace(employer_id=8), (False, True, True, False, True, False, False, False)),
    ("can_view_job", SimpleNamespace(owner_id=1), (False, True, True, True, False, False, False, False)),
    ("can_view_job", SimpleNamespace(owner_id=12), (False, True, True, False, False, True, False, False)),
    ("can_view_job", SimpleNamespace(owner_id=None), (False, True, True, False, False, False, False, False)),
    # Objections (RULES.md §14): the organisers for anyone; an enterprise only for its own employees (7 is the host's,
    # 8 the other enterprise's); judges never.
    ("can_object_to_entry", SimpleNamespace(employer_id=7), (False, True, True, True, False, False, False, False)),
    ("can_object_to_entry", SimpleNamespace(employer_id=8), (False, True, True, False, True, False, False, False)),
    ("can_object_to_entry", SimpleNamespace(employer_id=None), (False, True, True, False, False, False, False, False)),
    # The league (RULES.md §16): a reward is the organisers' and its enterprise's (to it, or to someone it sent); a
    # competition is the organisers' and an enterprise's that sent someone to it (8: the other enterprise).
    ("can_view_reward", SimpleNamespace(enterprise_id=7), (False, True, True, True, False, False, False, False)),
    ("can_view_reward", SimpleNamespace(enterprise_id=None), (False, True, True, False, False, False, False, False)),
    ("can_view_competition", SimpleNamespace(delegates=[SimpleNamespace(sending_enterprise_id=8)]),
     (False, True, True, False, True, False, False, False)),
    # Technical support (RULES.md §17): the host asks (the service checks the event's state); a request is the
    # organisers' and the host's; a district event has no host to ask.
    ("can_request_support", event("approved"), (False, False, False, True, False, False, False, False)),
    ("can_request_support", event("approved", EventKind.DISTRICT), (False,) * 8),
    ("can_view_support", SimpleNamespace(event=event("approved")), (False, True, True, True, False, False, False, False)),
]


@pytest.mark.parametrize("name, subject, expected", EVENT_TABLE, ids=lambda v: v if isinstance(v, str) else "")
def test_event_predicates(name, subject, expected):
    predicate = getattr(p, name)
    assert tuple(predicate(event_user(kind), subject) for kind in EVENT_ROLES) == expected


@pytest.mark.parametrize("kind, expected", [("anonymous", False), ("judge", True), ("host", True)])
def test_list_events(kind, expected):
    assert p.can_list_events(event_user(kind)) is expected


@pytest.mark.parametrize("kind, expected", [("anonymous", False), ("organiser", True), ("host", True),
                                            ("judge", False)])
def test_create_event(kind, expected):
    assert p.can_create_event(event_user(kind)) is expected


@pytest.mark.parametrize("kind, expected", [("host", True), ("other_ent", True), ("judge", False), ("anonymous", False)])
def test_list_claims_for_enterprise_users_with_an_enterprise(kind, expected):
    assert p.can_list_claims(event_user(kind)) is expected


@pytest.mark.parametrize("kind, expected", [("host", True), ("other_ent", True), ("judge", False), ("chief", False),
                                            ("organiser", True), ("anonymous", False)])
def test_enterprise_users_with_an_enterprise_and_organisers_follow_objections(kind, expected):
    assert p.can_view_objections(event_user(kind)) is expected
    assert p.can_decide_objections(event_user(kind)) is (kind == "organiser")


@pytest.mark.parametrize("kind, expected", [("host", True), ("other_ent", True), ("judge", False), ("admin", False)])
def test_enterprise_users_recommend_and_see_their_nominations(kind, expected):
    assert p.can_recommend(event_user(kind)) is expected
    assert p.can_view_nominations(event_user(kind)) is (expected or kind == "admin")


@pytest.mark.parametrize("kind, subject, named", [
    ("other_ent", event("open"), True),  # the host's roster: say whose, and what to do
    ("other_ent", event("open", open_to=OpenTo.INVITED, invited=(9,)), True),
    ("other_ent", event("open", open_to=OpenTo.ALL), False),  # may enrol: nothing to refuse
    ("other_ent", event("submitted"), False),  # can not see the event: the ordinary refusal
    ("other_ent", event("open", EventKind.DISTRICT), False),
    ("host", event("open"), False),
    ("judge", event("open"), False),
    ("anonymous", event("open"), False),
])
def test_a_refused_enrolment_names_the_host_when_the_roster_is_the_hosts(kind, subject, named):
    why = p.host_roster_refusal(event_user(kind), subject)
    assert (why is not None) is named
    if named:
        assert why == "本赛项由主办公司主办，报名名单由主办企业管理；如需为本企业员工报名，请联系主办企业邀请。"
        with pytest.raises(p.NotAllowed) as caught:
            p.require_enrolment(event_user(kind), subject)
        assert caught.value.code == "host_roster" and caught.value.message == why
    elif not p.can_enrol(event_user(kind), subject):
        with pytest.raises(p.NotAllowed) as caught:
            p.require_enrolment(event_user(kind), subject, "不行")
        assert caught.value.code == "forbidden" and caught.value.message == "不行"
    else:
        p.require_enrolment(event_user(kind), subject)


def test_town_officer_sees_its_own_town_only():
    officer = SimpleNamespace(role=Role.TOWN, is_authenticated=True, is_active=True, enterprise_id=None, id=5,
                              town="盛泽镇")
    unbound = SimpleNamespace(role=Role.TOWN, is_authenticated=True, is_active=True, enterprise_id=None, id=6, town=None)
    assert p.is_town_officer(officer) and not p.is_town_officer(unbound)
    assert p.can_view_town(officer, "盛泽镇") and not p.can_view_town(officer, "七都镇")
    assert not p.can_view_town(unbound, "盛泽镇") and not p.can_view_town(None, "盛泽镇")
    assert p.can_view_town(user("organiser"), "七都镇") and not p.can_view_town(user("enterprise", 7), "盛泽镇")


TOWN_OFFICER = SimpleNamespace(role=Role.TOWN, is_authenticated=True, is_active=True, enterprise_id=None, id=5,
                               town="盛泽镇", employer_id=None)


@pytest.mark.parametrize("name, subject", [(name, subject) for name, subject, _ in EVENT_TABLE
                                           if name != "sees_identities"])
def test_a_town_officer_gets_no_more_of_an_event_than_the_public(name, subject):
    """A town officer reads its town on the town pages only (RULES.md §3): an event predicate lets it in exactly where
    it lets in anyone (published results and prizes), whatever the event's state (sees_identities only says whether
    names are hidden from judges)."""
    assert getattr(p, name)(TOWN_OFFICER, subject) is getattr(p, name)(None, subject)


def test_a_town_officer_has_no_events_page_no_directory_and_no_enterprise():
    assert not p.can_list_events(TOWN_OFFICER) and not p.can_list_enterprises(TOWN_OFFICER)
    assert not p.can_create_event(TOWN_OFFICER)
    assert not p.can_view_enterprise(TOWN_OFFICER, SimpleNamespace(id=7, town="盛泽镇"))
    assert not p.can_list_towns(TOWN_OFFICER) and not p.can_manage_towns(TOWN_OFFICER)
    assert p.can_view_season(TOWN_OFFICER, SimpleNamespace(id=1))  # a season's name and budget are no one's data
