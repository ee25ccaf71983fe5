"""Prizes (获奖等级, RULES.md §15): each entry's prize from the rows the results pages show (frozen at sign-off, else
computed now) and the event's prize settings (its own tiers and floor, else its policy version's tiers and pass mark).

The settings are fixed from sign-off on like the other result settings (events.lifecycle refuses a change, and the
policy version pinned at sign-off can no longer be edited), so prizes read from a frozen snapshot never move.
Who may see them is the callers' question (permissions.can_see_prizes: the organisers always, everyone else once
the results are published). Certificates build on `event_prizes`.
"""
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ...extensions import db
from ...models import FOUNDING_FIGURES, PolicyVersion
from ...rules.messages import Message
from ...rules.prizes import (DEFAULT_TIERS, Placing, TierSpec, cut_offs, decide_prize, decide_prizes, describe_tiers,
                             tiers_from_data)
from ..policy import policy_for_event, policy_in_force
from .rows import result_rows


@dataclass(frozen=True)
class PrizeSettings:
    """The tiers and the floor an event's prizes follow, and whether each is the event's own or the policy's."""

    tiers: tuple[TierSpec, ...]
    floor: Decimal
    own_tiers: bool = False
    own_floor: bool = False


def prize_settings(event, version: PolicyVersion | None = None) -> PrizeSettings:
    """The event's own tiers and floor where it set them, else its policy version's tiers and pass mark (`version`:
    the event's policy version when the caller has it already, else it is read)."""
    own_tiers, own_floor = event.prize_tiers is not None, event.prize_floor is not None
    policy = None
    if not (own_tiers and own_floor):
        policy = _version_settings(version) if version is not None else policy_prize_settings(event)
    tiers = tiers_from_data(event.prize_tiers) if own_tiers or policy is None else policy.tiers
    floor = Decimal(event.prize_floor) if own_floor or policy is None else policy.floor
    return PrizeSettings(tiers, floor, own_tiers, own_floor)


def policy_prize_settings(event=None, on: date | None = None) -> PrizeSettings:
    """The policy's tiers and pass mark, ignoring any of the event's own: the event's version, else the version in
    force on a day (the league's defaults before any)."""
    policy = policy_for_event(event) if event is not None else policy_in_force(on) if on is not None else None
    if policy is None:
        return PrizeSettings(DEFAULT_TIERS, Decimal(FOUNDING_FIGURES["pass_mark"]))
    return _version_settings(policy)


def _version_settings(version: PolicyVersion) -> PrizeSettings:
    """A policy version's tiers and pass mark."""
    return PrizeSettings(tiers_from_data(version.prize_tiers), Decimal(version.pass_mark))


def prize_settings_by_event(events: Iterable) -> dict[int, PrizeSettings]:
    """Event id → prize settings for many events, the policy versions they are pinned to read in one statement (one
    per event otherwise: the session keeps a version only while something refers to it, so each event read it anew)."""
    events = list(events)
    pinned = {event.policy_version_id for event in events} - {None}
    versions = {version.id: version for version in db.session.scalars(
        db.select(PolicyVersion).where(PolicyVersion.id.in_(pinned)))} if pinned else {}
    return {event.id: prize_settings(event, versions.get(event.policy_version_id)) for event in events}


def placings(rows: Iterable[dict]) -> list[Placing]:
    """Result rows (frozen or live, as result_rows gives them) as the rule's placings."""
    return [Placing(row["entry_id"], row["rank"], row["total"]) for row in rows]


def prizes_for_rows(rows: Iterable[dict], settings: PrizeSettings) -> dict[int, str]:
    """Entry id → prize for result rows already loaded, under the given settings."""
    return decide_prizes(placings(rows), settings.tiers, settings.floor)


def prizes_of(rows: Collection[dict], settings: PrizeSettings, entry_ids: Collection[int]) -> dict[int, str]:
    """prizes_for_rows for just these entries of an event's rows (the cut-offs still count every ranked row): a page
    showing a few people's results from many events decides no prize it does not show."""
    cuts = cut_offs(settings.tiers, sum(1 for row in rows if row["rank"] is not None))
    decided = ((row["entry_id"], decide_prize(Placing(row["entry_id"], row["rank"], row["total"]), settings.tiers,
                                              cuts, settings.floor)) for row in rows if row["entry_id"] in entry_ids)
    return {entry_id: prize for entry_id, prize in decided if prize is not None}


def event_prizes(event) -> dict[int, str]:
    """Entry id → tier name for the entries of an event that got a prize, in ranking order, from the rows the results
    pages use: the frozen snapshot once signed off, the live rows before (empty before scoring)."""
    rows, _frozen = result_rows(event, explained=False)
    return prizes_for_rows(rows, prize_settings(event))


def prize_rule(settings: PrizeSettings, ranked: int | None = None) -> str:
    """The prize rule in words for a legend: the tiers (with their sizes when the ranked count is known) and the floor."""
    return Message("获奖等级：%(tiers)s（按名次累计，并列时取较高等级）；总分低于 %(floor)s 分不设奖。",
                   tiers=describe_tiers(settings.tiers, ranked), floor=_points(settings.floor))


def policy_prize_hint(settings: PrizeSettings) -> str:
    """What an event's blank prize settings mean: the policy's tiers and its pass mark as the floor."""
    return Message("留空则按政策版本：%(tiers)s；总分低于合格分数线 %(floor)s 分不设奖。",
                   tiers=describe_tiers(settings.tiers), floor=_points(settings.floor))


def _points(value: Decimal) -> str:
    """A floor as shown: 60, or 72.5 with its decimals."""
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f").rstrip("0")


def prize_legend(event, rows: Iterable[dict]) -> str:
    """The prize rule under an event's results table, with the tier sizes for the rows' ranked entries."""
    return prize_rule(prize_settings(event), sum(1 for row in rows if row["rank"] is not None))
