"""identifiers normalised: one person per ID number whatever digits it was typed in

Before this revision an ID number typed with full-width (３２０５…), Arabic-Indic (٣٢٠٥…) or Devanagari
(३२०५…) digits passed the check and became a new person, so one employee could be enrolled several times
in one event and be given the 技术能手 title, and its 2000 yuan, twice (issue 14, finding 1). The app now
normalises every identifier (NFKC, then ASCII only). This revision brings the stored rows in line:

- every person's ID number and mobile, and every enterprise's credit code, is rewritten in ASCII;
- persons whose numbers are the same once normalised are merged into one (the one already spelt in
  ASCII, else the oldest): their entries, nominations and titles move to it;
- where the merge finds the same person twice in one event, the earliest entry stays and the later ones
  are removed with their marks; where it finds two live nominations in one season, or two titles, the
  later ones are withdrawn, because each title pays 2000 yuan once;
- everything changed is written to the audit log (actions identity.*) and printed, naming the doubled
  titles and money, so that the organisers can recover a subsidy already paid. Enterprises whose credit
  codes collide are only reported: merging enterprises needs a person's judgement.

Revision ID: 0007_identity_normalise
Revises: 0006_snapshot_explanations
Create Date: 2026-12-04 15:00:00
"""
import unicodedata
from collections import defaultdict
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

import competition.models.types  # noqa: F401

revision = '0007_identity_normalise'
down_revision = '0006_snapshot_explanations'
branch_labels = None
depends_on = None

persons = sa.table('persons', sa.column('id', sa.Integer), sa.column('id_number', sa.String),
                   sa.column('name', sa.String), sa.column('phone', sa.String))
enterprises = sa.table('enterprises', sa.column('id', sa.Integer), sa.column('name', sa.String),
                       sa.column('credit_code', sa.String))
entries = sa.table('entries', sa.column('id', sa.Integer), sa.column('event_id', sa.Integer),
                   sa.column('person_id', sa.Integer), sa.column('status', sa.String), sa.column('number', sa.String))
events = sa.table('events', sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('status', sa.String))
marks = sa.table('marks', sa.column('id', sa.Integer), sa.column('entry_id', sa.Integer))
mark_changes = sa.table('mark_changes', sa.column('id', sa.Integer), sa.column('entry_id', sa.Integer))
nominations = sa.table('nominations', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                       sa.column('season_id', sa.Integer), sa.column('entry_id', sa.Integer),
                       sa.column('state', sa.String), sa.column('reason', sa.String),
                       sa.column('reason_code', sa.String))
titles = sa.table('expert_titles', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                  sa.column('year', sa.Integer), sa.column('subsidy', sa.Integer),
                  sa.column('nomination_id', sa.Integer), sa.column('season_id', sa.Integer))
audit = sa.table('audit_entries', sa.column('at', competition.models.types.UTCDateTime()),
                 sa.column('action', sa.String), sa.column('object_type', sa.String),
                 sa.column('object_id', sa.Integer), sa.column('before', sa.JSON), sa.column('after', sa.JSON),
                 sa.column('message', sa.String), sa.column('client_address', sa.String))
LIVE = ('proposed', 'approved')


def canonical(text):
    """NFKC, every Unicode decimal digit as its ASCII digit, trimmed, upper-case."""
    normal = unicodedata.normalize('NFKC', text or '')
    digits = (str(unicodedata.decimal(ch)) if not ch.isascii() and unicodedata.decimal(ch, None) is not None
              else ch for ch in normal)
    return ''.join(digits).strip().upper()


def masked(text):
    """3205**********123X: never a whole ID number in the audit log or the console."""
    return text[:4] + '*' * max(len(text) - 8, 0) + text[-4:] if text and len(text) > 8 else text


class Report:
    """What the revision changed, written to the audit log and printed."""

    def __init__(self, connection):
        self.connection = connection
        self.lines = []

    def add(self, action, object_type, object_id, message, before=None, after=None):
        """One audit row and one printed line."""
        self.lines.append(message)
        self.connection.execute(audit.insert().values(
            at=datetime.now(timezone.utc), action=action, object_type=object_type, object_id=object_id,
            before=before, after=after, message=message[:500], client_address='migration 0007'))


def upgrade():
    connection = op.get_bind()
    report = Report(connection)
    _enterprises(connection, report)
    _phones(connection)
    groups = defaultdict(list)
    for row in connection.execute(sa.select(persons.c.id, persons.c.id_number).order_by(persons.c.id)):
        groups[canonical(row.id_number)].append(row)
    for number, members in groups.items():
        if len(members) > 1:
            _merge(connection, report, number, members)
        elif members[0].id_number != number:
            connection.execute(persons.update().where(persons.c.id == members[0].id).values(id_number=number))
    if report.lines:
        print('0007_identity_normalise:\n  ' + '\n  '.join(report.lines))


def _enterprises(connection, report):
    """Credit codes in ASCII; codes that collide once normalised are reported, not merged."""
    groups = defaultdict(list)
    for row in connection.execute(sa.select(enterprises.c.id, enterprises.c.name, enterprises.c.credit_code)):
        groups[canonical(row.credit_code)].append(row)
    for code, members in groups.items():
        if len(members) == 1 and members[0].credit_code != code:
            connection.execute(enterprises.update().where(enterprises.c.id == members[0].id).values(credit_code=code))
        elif len(members) > 1:
            names = '、'.join(f'{m.name}（编号{m.id}）' for m in members)
            report.add('identity.duplicate_enterprise', 'Enterprise', members[0].id,
                       f'统一社会信用代码 {code} 的 {len(members)} 家企业实为同一家：{names}。请管理员核实后合并，'
                       '并检查其同一年度是否领取了两次竞赛经费补贴。', after={'enterprise_ids': [m.id for m in members]})


def _phones(connection):
    """Mobiles in ASCII digits."""
    for row in connection.execute(sa.select(persons.c.id, persons.c.phone).where(persons.c.phone.is_not(None))):
        if canonical(row.phone) != row.phone:
            connection.execute(persons.update().where(persons.c.id == row.id).values(phone=canonical(row.phone)))


def _merge(connection, report, number, members):
    """Merge persons that are one: entries, nominations and titles move to the keeper; doubles are withdrawn."""
    keeper = next((m for m in members if m.id_number == number), members[0])
    others = [m.id for m in members if m.id != keeper.id]
    ids = [m.id for m in members]
    _entries(connection, report, keeper.id, ids, number)
    _titles(connection, report, keeper.id, ids, number)
    _nominations(connection, report, keeper.id, ids)
    connection.execute(persons.delete().where(persons.c.id.in_(others)))
    connection.execute(persons.update().where(persons.c.id == keeper.id).values(id_number=number))
    report.add('identity.merge', 'Person', keeper.id,
               f'身份证号码 {masked(number)} 的 {len(members)} 条人员记录（编号 {"、".join(map(str, ids))}）为同一人，'
               f'已合并为编号 {keeper.id}。', before={'person_ids': ids,
                                                 'id_numbers': [masked(m.id_number) for m in members]},
               after={'person_id': keeper.id})


def _entries(connection, report, keeper_id, ids, number):
    """One entry per event: the earliest stays, later ones go with their marks."""
    rows = connection.execute(sa.select(entries.c.id, entries.c.event_id, entries.c.status, entries.c.number,
                                        events.c.name, events.c.status.label('event_status'))
                              .join(events, events.c.id == entries.c.event_id)
                              .where(entries.c.person_id.in_(ids)).order_by(entries.c.id)).all()
    kept = {}
    for row in rows:
        if row.event_id not in kept:
            kept[row.event_id] = row
            continue
        first = kept[row.event_id]
        marked = connection.execute(sa.select(sa.func.count()).select_from(marks)
                                    .where(marks.c.entry_id == row.id)).scalar()
        connection.execute(nominations.update().where(nominations.c.entry_id == row.id).values(entry_id=None))
        connection.execute(mark_changes.delete().where(mark_changes.c.entry_id == row.id))
        connection.execute(marks.delete().where(marks.c.entry_id == row.id))
        connection.execute(entries.delete().where(entries.c.id == row.id))
        report.add('identity.duplicate_entry', 'Entry', row.id,
                   f'赛项“{row.name}”（状态 {row.event_status}）中 {masked(number)} 重复报名：保留报名编号 {first.id}，'
                   f'删除报名编号 {row.id}（状态 {row.status}，参赛号 {row.number or "无"}，评分 {marked} 条）。'
                   '如该赛项已签核，其参赛人数和补贴资格请复核。',
                   before={'entry_id': row.id, 'event_id': row.event_id, 'status': row.status, 'number': row.number,
                           'marks': marked}, after={'kept_entry_id': first.id})
    connection.execute(entries.update().where(entries.c.person_id.in_(ids)).values(person_id=keeper_id))


def _titles(connection, report, keeper_id, ids, number):
    """One title per person ever: later titles are withdrawn, naming the money paid twice."""
    rows = connection.execute(sa.select(titles).where(titles.c.person_id.in_(ids)).order_by(titles.c.id)).all()
    for row in rows[1:]:
        first = rows[0]
        connection.execute(titles.delete().where(titles.c.id == row.id))
        if row.nomination_id is not None:
            connection.execute(nominations.update().where(nominations.c.id == row.nomination_id).values(
                state='rejected', reason_code='duplicate_identity',
                reason=f'同一人已于{first.year}年获得技术能手称号（一次性补贴只发放一次）；本次称号由数据迁移撤销。'))
        report.add('identity.doubled_title', 'ExpertTitle', row.id,
                   f'重复授予：{masked(number)} 已于{first.year}年获得技术能手称号（称号编号 {first.id}），'
                   f'又于{row.year}年以另一种号码写法再次获得（称号编号 {row.id}），补贴 {row.subsidy} 元被重复计入。'
                   '迁移已撤销重复的称号；如该补贴已发放，请追回。',
                   before={'title_id': row.id, 'year': row.year, 'subsidy': row.subsidy,
                           'nomination_id': row.nomination_id, 'season_id': row.season_id},
                   after={'kept_title_id': first.id})
    connection.execute(titles.update().where(titles.c.person_id.in_(ids)).values(person_id=keeper_id))


def _nominations(connection, report, keeper_id, ids):
    """One live nomination per person and season: approved before proposed, then the earliest."""
    rows = connection.execute(sa.select(nominations.c.id, nominations.c.season_id, nominations.c.state)
                              .where(nominations.c.person_id.in_(ids), nominations.c.state.in_(LIVE))
                              .order_by(nominations.c.id)).all()
    by_season = defaultdict(list)
    for row in rows:
        by_season[row.season_id].append(row)
    for season_rows in by_season.values():
        ordered = sorted(season_rows, key=lambda r: (r.state != 'approved', r.id))
        for row in ordered[1:]:
            connection.execute(nominations.update().where(nominations.c.id == row.id).values(
                state='rejected', reason_code='duplicate_identity',
                reason=f'同一人本年度已有提名（编号 {ordered[0].id}），每人每年度至多一项提名；由数据迁移撤销。'))
            report.add('identity.duplicate_nomination', 'Nomination', row.id,
                       f'同一人在同一年度有两项提名：保留提名编号 {ordered[0].id}，撤销提名编号 {row.id}（原状态 {row.state}）。',
                       before={'state': row.state}, after={'state': 'rejected', 'kept_nomination_id': ordered[0].id})
    connection.execute(nominations.update().where(nominations.c.person_id.in_(ids)).values(person_id=keeper_id))


def downgrade():
    # Merged persons can not be split again: the spellings that made them many were the bug.
    pass
