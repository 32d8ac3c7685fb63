"""Reviewing: a creator submits, an operator approves or asks for changes; everyone else is
refused, and each side hears the other once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from core.campaigns import Campaign, CampaignStatus
from core.errors import CampaignNotFound, DomainError, InvalidField, NotAllowed, TextTooLong
from core.i18n import use_locale
from core.identity import Caller, Identity, Platform
from core.outbox import ReviewDecided, ReviewRequested
from core.payouts import FeePolicy, PayoutsNotReady, PayoutTerms
from core.usecases.backers import remember
from core.usecases.cancelling import cancel_campaign
from core.usecases.dispatching import Dispatcher, DispatchSettings
from core.usecases.managing import create_campaign, publish_campaign
from core.usecases.reviewing import (
    REASON_MAX,
    CannotSubmit,
    NotAnOperator,
    NotInReview,
    NotYourCampaign,
    approve,
    in_review,
    request_changes,
    review_reason,
    submit,
    to_review,
)
from core.views.intents import Approve, RequestChanges, Show, SubmitForReview, decode
from core.views.reviews import approved, changes_sent, submitted
from tests.core.conftest import CREATOR, draft
from tests.delivery_fakes import FakeLinks, RecordingSender
from tests.fakes import FakeDatabase, FakeGateway, FixedClock

# One operator on each platform: the Telegram one speaks French, the Discord one never spoke.
OPERATOR = Identity(Platform.TELEGRAM, "9000")
DISCORD_OPERATOR = Identity(Platform.DISCORD, "9001")
OPERATORS = frozenset({OPERATOR, DISCORD_OPERATOR})
STRANGER = Identity(Platform.TELEGRAM, "5555")


@pytest.fixture
async def lamp(db: FakeDatabase, clock: FixedClock) -> Campaign:
    """Ada's draft, and the French-speaking operator known to Backit."""
    await remember(db.unit_of_work, Caller(OPERATOR, "Olga", "fr"))
    return await create_campaign(db.unit_of_work(), draft(clock))


async def stored(db: FakeDatabase, campaign_id: int) -> Campaign:
    async with db.unit_of_work() as uow:
        found = await uow.campaigns.get(campaign_id)
    assert found is not None
    return found


def messages(db: FakeDatabase, kind: type[object]) -> list[tuple[str, str, str]]:
    """Who each queued message of a kind goes to: platform, address, language."""
    return [
        (str(m.recipient.platform), m.recipient.address, m.recipient.locale)
        for m in db.state.outbox
        if isinstance(m.notification.event, kind)
    ]


def said(error: pytest.ExceptionInfo[DomainError], locale: str = "en") -> str:
    with use_locale(locale):
        return error.value.user_message()


async def test_the_round_trip_submit_changes_resubmit_approve(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    sent = await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    assert (sent.already, sent.operators, sent.campaign.status) == (
        False,
        True,
        CampaignStatus.IN_REVIEW,
    )
    # Each operator in the language they chose; one who never spoke, in the default one.
    assert sorted(messages(db, ReviewRequested)) == [
        ("discord", "9001", "en"),
        ("telegram", "9000", "fr"),
    ]
    with use_locale("en"):
        assert submitted(sent).text == (
            "“The Reading Lamp” is sent for review. An operator will approve it or ask for "
            "changes, and you will hear which here."
        )

    assert (await to_review(db.unit_of_work, OPERATORS, OPERATOR, lamp.id)).id == lamp.id
    sent_back = await request_changes(
        db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id, "  Add a photo of the lamp.\n"
    )
    assert sent_back.campaign.status is CampaignStatus.DRAFT
    assert (await stored(db, lamp.id)).status is CampaignStatus.DRAFT
    (change,) = [
        m.notification.event
        for m in db.state.outbox
        if isinstance(m.notification.event, ReviewDecided)
    ]
    assert change == ReviewDecided(lamp.id, False, CampaignStatus.DRAFT, "Add a photo of the lamp.")
    assert messages(db, ReviewDecided) == [("telegram", CREATOR.user_id, "en")]
    with use_locale("en"):
        assert changes_sent(sent_back).text.startswith(
            "“The Reading Lamp” is back with its creator"
        )

    # Submitted again: the operators are told again, a new event for each.
    clock.advance(timedelta(minutes=5))
    again = await submit(db.unit_of_work, clock, OPERATORS, CREATOR, lamp.id)
    assert not again.already
    assert len(messages(db, ReviewRequested)) == 4

    decision = await approve(db.unit_of_work, clock, OPERATORS, DISCORD_OPERATOR, lamp.id)
    assert (decision.already, decision.campaign.status) == (False, CampaignStatus.LIVE)
    assert (await stored(db, lamp.id)).status is CampaignStatus.LIVE
    told = [
        m.notification.event
        for m in db.state.outbox
        if isinstance(m.notification.event, ReviewDecided)
    ]
    assert told[-1] == ReviewDecided(lamp.id, True, CampaignStatus.LIVE)
    with use_locale("en"):
        assert (
            approved(decision).text
            == "“The Reading Lamp” is approved and live. Its creator is told."
        )


async def test_a_second_approval_publishes_nothing_more_and_tells_nobody_again(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    first = await approve(db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id)
    second = await approve(db.unit_of_work, clock, OPERATORS, DISCORD_OPERATOR, lamp.id)
    assert (first.already, second.already) == (False, True)
    assert messages(db, ReviewDecided) == [("telegram", CREATOR.user_id, "en")]
    with use_locale("fr"):
        assert approved(second).text == "«\u00a0The Reading Lamp\u00a0» était déjà approuvée."


async def test_two_operators_approving_at_once_publish_once(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    # The fakes run one after the other; tests/adapters/storage races them on real databases.
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    decisions = await asyncio.gather(
        approve(db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id),
        approve(db.unit_of_work, clock, OPERATORS, DISCORD_OPERATOR, lamp.id),
    )
    assert sorted(d.already for d in decisions) == [False, True]
    assert messages(db, ReviewDecided) == [("telegram", CREATOR.user_id, "en")]


async def test_a_campaign_starting_later_is_approved_as_coming_soon(
    db: FakeDatabase, clock: FixedClock
) -> None:
    later = await create_campaign(
        db.unit_of_work(),
        draft(
            clock,
            starts_at=clock.now() + timedelta(days=3),
            ends_at=clock.now() + timedelta(days=30),
        ),
    )
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, later.id)
    decision = await approve(db.unit_of_work, clock, OPERATORS, OPERATOR, later.id)
    assert decision.campaign.status is CampaignStatus.COMING_SOON
    (event,) = [
        m.notification.event
        for m in db.state.outbox
        if isinstance(m.notification.event, ReviewDecided)
    ]
    assert event == ReviewDecided(later.id, True, CampaignStatus.COMING_SOON)


async def test_submitting_twice_is_a_clear_no_op(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    again = await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    assert again.already
    assert len(messages(db, ReviewRequested)) == 2
    with use_locale("en"):
        assert submitted(again).text == "“The Reading Lamp” is already waiting for review."


async def test_without_operators_a_draft_is_still_submitted_for_the_command_line(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    sent = await submit(db.unit_of_work, clock, frozenset(), CREATOR, "lamp")
    assert (sent.already, sent.operators) == (False, False)
    assert db.state.outbox == []
    assert [c.slug for c in await in_review(db.unit_of_work)] == ["lamp"]
    with use_locale("en"):
        assert "from Backit's command line" in submitted(sent).text
    # The operator's command line approves with no platform identity, and the creator hears it.
    decision = await approve(db.unit_of_work, clock, frozenset(), None, lamp.id)
    assert decision.campaign.status is CampaignStatus.LIVE
    assert messages(db, ReviewDecided) == [("telegram", CREATOR.user_id, "en")]


async def test_only_the_creator_submits(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    # An operator sees the draft, but it is not theirs to submit.
    with pytest.raises(NotYourCampaign) as refused:
        await submit(db.unit_of_work, clock, OPERATORS, OPERATOR, "lamp")
    assert isinstance(refused.value, NotAllowed)
    assert said(refused) == "Only the campaign's creator can submit it for review."
    assert said(refused, "fr") == ("Seul le créateur de la campagne peut la soumettre à relecture.")
    # Anyone else does not even see it.
    with pytest.raises(CampaignNotFound):
        await submit(db.unit_of_work, clock, OPERATORS, STRANGER, "lamp")
    with pytest.raises(CampaignNotFound):
        await submit(db.unit_of_work, clock, OPERATORS, STRANGER, lamp.id)
    assert (await stored(db, lamp.id)).status is CampaignStatus.DRAFT
    assert db.state.outbox == []


async def test_a_published_or_ended_campaign_is_not_submitted(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    await publish_campaign(db.unit_of_work(), clock, "lamp")
    with pytest.raises(CannotSubmit) as refused:
        await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    assert said(refused) == (
        "“The Reading Lamp” can't be submitted for review: it is already published."
    )
    await cancel_campaign(db.unit_of_work, clock, FakeGateway(), OPERATORS, CREATOR, "lamp")
    with pytest.raises(CannotSubmit) as ended:
        await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    assert said(ended) == "“The Reading Lamp” can't be submitted for review: it has ended."
    assert said(ended, "fr") == (
        "«\u00a0The Reading Lamp\u00a0» ne peut pas être soumise à relecture\u00a0: "
        "elle est terminée."
    )
    assert messages(db, ReviewRequested) == []


async def test_a_draft_whose_end_has_passed_is_not_submitted(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    clock.advance(timedelta(days=30))
    with pytest.raises(InvalidField) as refused:
        await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    assert said(refused) == "End: it has already passed"
    assert (await stored(db, lamp.id)).status is CampaignStatus.DRAFT


async def test_only_operators_decide(db: FakeDatabase, clock: FixedClock, lamp: Campaign) -> None:
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    for who in (CREATOR, STRANGER):
        with pytest.raises(NotAnOperator) as refused:
            await approve(db.unit_of_work, clock, OPERATORS, who, lamp.id)
        assert said(refused) == "Only an operator can review campaigns."
        with pytest.raises(NotAnOperator):
            await request_changes(db.unit_of_work, clock, OPERATORS, who, lamp.id, "No.")
        with pytest.raises(NotAnOperator):
            await to_review(db.unit_of_work, OPERATORS, who, lamp.id)
    with pytest.raises(NotAnOperator) as french:
        await approve(db.unit_of_work, clock, OPERATORS, STRANGER, lamp.id)
    assert said(french, "fr") == "Seul un opérateur peut relire les campagnes."
    assert (await stored(db, lamp.id)).status is CampaignStatus.IN_REVIEW
    assert messages(db, ReviewDecided) == []


async def test_a_campaign_not_in_review_is_not_decided(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    # A draft never submitted, or sent back already.
    with pytest.raises(NotInReview) as draft_refused:
        await approve(db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id)
    assert said(draft_refused) == (
        "“The Reading Lamp” is not waiting for review: it is a draft, with its creator."
    )
    with pytest.raises(NotInReview):
        await to_review(db.unit_of_work, OPERATORS, OPERATOR, lamp.id)
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    await approve(db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id)
    with pytest.raises(NotInReview) as published:
        await request_changes(db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id, "Too late")
    assert (
        said(published) == "“The Reading Lamp” is not waiting for review: it is already published."
    )
    with pytest.raises(CampaignNotFound):
        await approve(db.unit_of_work, clock, OPERATORS, OPERATOR, 999)
    assert len(messages(db, ReviewDecided)) == 1


async def test_approving_respects_the_payout_terms(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    connect = PayoutTerms(connect=True, fees=FeePolicy(500, {"EUR": 30}))
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    with pytest.raises(PayoutsNotReady):
        await approve(db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id, connect)
    assert (await stored(db, lamp.id)).status is CampaignStatus.IN_REVIEW
    assert messages(db, ReviewDecided) == []


@pytest.mark.parametrize(
    ("reason", "message", "french"),
    [
        ("", "Reason: it is required", "Motif\u00a0: ce champ est obligatoire"),
        (" \n\t ", "Reason: it is required", "Motif\u00a0: ce champ est obligatoire"),
        (
            "x" * (REASON_MAX + 1),
            "Reason can be at most 1000 characters long.",
            "Motif\u00a0: 1000 caractères au plus.",
        ),
    ],
)
async def test_a_reason_is_required_and_at_most_a_thousand_characters(
    db: FakeDatabase,
    clock: FixedClock,
    lamp: Campaign,
    reason: str,
    message: str,
    french: str,
) -> None:
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    with pytest.raises((InvalidField, TextTooLong)) as refused:
        await request_changes(db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id, reason)
    assert said(refused) == message
    with use_locale("fr"):
        assert refused.value.user_message().replace("\u202f", "\u00a0") == french
    assert (await stored(db, lamp.id)).status is CampaignStatus.IN_REVIEW
    assert messages(db, ReviewDecided) == []


def test_a_reason_is_trimmed_and_may_be_exactly_a_thousand_characters() -> None:
    assert review_reason("  Fix the goal.\n") == "Fix the goal."
    assert review_reason(" " + "x" * REASON_MAX + " ") == "x" * REASON_MAX


def test_the_review_intents_fit_button_data_and_read_back() -> None:
    for intent in (Approve(12), RequestChanges(12), SubmitForReview(12)):
        assert decode(intent.encode()) == intent


async def test_the_operator_reads_the_card_as_backers_will_and_the_creator_the_decision(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    await request_changes(
        db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id, "Say where the brass comes from."
    )
    telegram, discord = RecordingSender(Platform.TELEGRAM), RecordingSender(Platform.DISCORD)
    await Dispatcher(
        db.unit_of_work, clock, [telegram, discord], FakeLinks(), DispatchSettings()
    ).drain()
    (to_olga,) = [d for d in telegram.delivered if d.recipient.address == OPERATOR.user_id]
    assert to_olga.notice.title == "Relecture demandée\u00a0: The Reading Lamp"
    (to_discord,) = discord.delivered
    review = to_discord.notice
    assert review.title == "Review requested: The Reading Lamp"
    # Its start has passed: approved, it launches then, for the whole of its 30 days.
    assert review.text.startswith(
        "Submitted by Ada as lamp; approved, it launches at once and runs for 30 days."
    )
    for line in (
        "by Ada · Design",
        "A warm lamp for long nights.\n\nMade of oak and brass.",
        "Raised: €0.00 of €1,000.00",
        "Time left: 30 days left",
        "▸ Early bird · €50.00",
        "Stretch goals",
    ):
        assert line in review.text
    assert [[(b.label, b.intent) for b in row] for row in review.buttons] == [
        [("Approve", Approve(lamp.id)), ("Request changes", RequestChanges(lamp.id))]
    ]
    assert review.picture is not None
    assert review.picture_url is None
    (to_ada,) = [d for d in telegram.delivered if d.recipient.address == CREATOR.user_id]
    assert to_ada.notice.title == "Changes requested for The Reading Lamp"
    assert to_ada.notice.text == (
        "An operator asked for changes before publishing it:\n\nSay where the brass comes "
        "from.\n\nWhen it is ready, submit it again with /submit lamp."
    )

    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    await approve(db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id)
    telegram = RecordingSender(Platform.TELEGRAM)
    await Dispatcher(
        db.unit_of_work, clock, [telegram, discord], FakeLinks(), DispatchSettings()
    ).drain()
    (approval,) = [d for d in telegram.delivered if d.recipient.address == CREATOR.user_id]
    assert approval.notice.title == "The Reading Lamp is approved"
    assert approval.notice.text == "It is live: people can discover it and back it now."
    assert approval.notice.buttons[0][0].intent == Show(lamp.id)


async def test_approved_after_its_start_a_campaign_launches_then_for_its_whole_run(
    db: FakeDatabase, clock: FixedClock, lamp: Campaign
) -> None:
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    clock.advance(timedelta(days=2))
    decided = await approve(db.unit_of_work, clock, OPERATORS, OPERATOR, lamp.id)
    launched = await stored(db, lamp.id)
    assert (launched.status, launched.starts_at) == (CampaignStatus.LIVE, clock.now())
    assert launched.ends_at - launched.starts_at == lamp.ends_at - lamp.starts_at
    assert decided.campaign.starts_at == clock.now()


async def test_a_campaign_starting_later_is_shown_to_operators_coming_soon_with_its_launch(
    db: FakeDatabase, clock: FixedClock
) -> None:
    launch = clock.now() + timedelta(days=3)
    await create_campaign(db.unit_of_work(), draft(clock, starts_at=launch))
    await submit(db.unit_of_work, clock, OPERATORS, CREATOR, "lamp")
    discord = RecordingSender(Platform.DISCORD)
    await Dispatcher(db.unit_of_work, clock, [discord], FakeLinks(), DispatchSettings()).drain()
    (review,) = discord.delivered
    assert review.notice.text.startswith(
        "Submitted by Ada as lamp; it would launch on Nov 4, 2026 at 12:00\u202fPM UTC."
    )
    assert "Coming soon: Launches in 3 days" in review.notice.text
