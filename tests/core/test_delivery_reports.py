"""Delivery reports: a creator watches an update reach its audience in one status message."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from core.campaigns import Campaign
from core.delivery import DeliveryFailed, RecipientGone
from core.identity import Caller, Identity, Platform
from core.updates import CreatorUpdate, UpdateAudience
from core.usecases.backers import remember
from core.usecases.dispatching import Dispatcher, DispatchSettings
from core.usecases.following import follow
from core.usecases.reporting import DeliveryReports
from core.usecases.updating import post_update
from tests.core.conftest import CREATOR, caller
from tests.delivery_fakes import FakeLinks, RecordingSender, Report
from tests.fakes import FakeDatabase, FixedClock

EVERY = timedelta(seconds=5)
CHAT = "1000"


async def posted_update(
    db: FakeDatabase,
    clock: FixedClock,
    campaign: Campaign,
    author: Identity = CREATOR,
    locale: str = "en",
    report_chat: str | None = CHAT,
) -> CreatorUpdate:
    """Users 1 to 3 follow; the author, writing in `locale`, posts an update from a chat."""
    await remember(db.unit_of_work, Caller(author, "Ada", locale))
    for user in (1, 2, 3):
        await follow(db.unit_of_work(), clock, caller(user), campaign.id)
    operators = () if author == CREATOR else (author,)
    posted = await post_update(
        db.unit_of_work(),
        clock,
        operators,
        author,
        campaign.id,
        "Shipping next week!",
        UpdateAudience.EVERYONE,
        report_chat,
    )
    return posted.update


async def settle(
    db: FakeDatabase, clock: FixedClock, sent: Collection[str], dead: Collection[str]
) -> None:
    """Record some of the update's messages as delivered and others as given up."""
    now = clock.now()
    async with db.unit_of_work() as uow:
        claimed = await uow.outbox.claim(Platform.TELEGRAM, now, now + EVERY, 100)
        ids = {m.recipient.address: m.id for m in claimed}
        await uow.outbox.mark_sent([ids[address] for address in sent], now)
        for address in dead:
            await uow.outbox.give_up(ids[address], "Forbidden: bot was blocked by the user")
        for address, message_id in ids.items():
            if address not in {*sent, *dead}:
                # Back in the queue, due at once: still waiting, as far as the report goes.
                await uow.outbox.retry_later(message_id, now, "network down", 0)
        await uow.commit()


async def test_a_report_is_posted_then_edited_in_place_as_the_count_changes(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    update = await posted_update(db, clock, campaign)
    sender = RecordingSender(Platform.TELEGRAM)
    reporting = DeliveryReports(db.unit_of_work, clock, {Platform.TELEGRAM: sender}, EVERY)

    await reporting.report_due()
    assert sender.posted == [Report(CHAT, "report-1", "Delivering your update: 0 of 3")]
    assert db.state.updates[update.id].report_message_id == "report-1"
    # Not due again yet, then due with nothing new to show: no edit either way.
    await reporting.report_due()
    clock.advance(EVERY)
    await reporting.report_due()
    assert sender.edited == []

    await settle(db, clock, sent=["1", "2"], dead=[])
    clock.advance(EVERY)
    await reporting.report_due()
    assert sender.edited == [Report(CHAT, "report-1", "Delivering your update: 2 of 3")]

    await settle(db, clock, sent=[], dead=["3"])
    clock.advance(EVERY)
    await reporting.report_due()
    assert sender.edited[-1] == Report(
        CHAT, "report-1", "Update delivered to 2 of 3 · 1 unreachable"
    )
    assert update.id not in db.state.report_due

    clock.advance(EVERY)
    await reporting.report_due()
    assert (len(sender.posted), len(sender.edited)) == (1, 2)


async def test_a_report_speaks_the_authors_language(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await posted_update(db, clock, campaign, locale="fr")
    sender = RecordingSender(Platform.TELEGRAM)
    await DeliveryReports(db.unit_of_work, clock, {Platform.TELEGRAM: sender}, EVERY).report_due()
    assert [r.text for r in sender.posted] == ["Envoi de votre actualité\u00a0: 0 sur 3"]


async def test_a_drained_outbox_reports_the_final_count_at_once(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    update = await posted_update(db, clock, campaign)
    sender = RecordingSender(Platform.TELEGRAM)
    sender.fail("2", RecipientGone("Forbidden: user is deactivated"))
    await Dispatcher(db.unit_of_work, clock, [sender], FakeLinks(), DispatchSettings()).drain()
    assert [r.text for r in sender.posted] == ["Update delivered to 2 of 3 · 1 unreachable"]
    assert update.id not in db.state.report_due


async def test_a_report_on_another_platform_is_left_to_a_dispatcher_with_its_sender(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    author = Identity(Platform.DISCORD, "80351110224678912")
    update = await posted_update(db, clock, campaign, author=author)
    telegram = RecordingSender(Platform.TELEGRAM)
    await DeliveryReports(db.unit_of_work, clock, {Platform.TELEGRAM: telegram}, EVERY).report_due()
    assert telegram.posted == []
    assert db.state.report_due[update.id] == clock.now() + EVERY

    clock.advance(EVERY)
    discord = RecordingSender(Platform.DISCORD)
    await DeliveryReports(db.unit_of_work, clock, {Platform.DISCORD: discord}, EVERY).report_due()
    assert [r.text for r in discord.posted] == ["Delivering your update: 0 of 3"]


async def test_a_report_that_cannot_be_shown_is_retried_unless_its_chat_is_gone(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    update = await posted_update(db, clock, campaign)
    sender = RecordingSender(Platform.TELEGRAM)
    reporting = DeliveryReports(db.unit_of_work, clock, {Platform.TELEGRAM: sender}, EVERY)
    sender.report_error = DeliveryFailed("Bad Gateway")
    await reporting.report_due()
    assert update.id in db.state.report_due

    clock.advance(EVERY)
    sender.report_error = RecipientGone("Forbidden: bot was blocked by the user")
    await reporting.report_due()
    assert update.id not in db.state.report_due
    assert sender.posted == []


async def test_an_update_posted_without_a_chat_is_not_reported(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await posted_update(db, clock, campaign, report_chat=None)
    sender = RecordingSender(Platform.TELEGRAM)
    await DeliveryReports(db.unit_of_work, clock, {Platform.TELEGRAM: sender}, EVERY).report_due()
    assert (sender.posted, db.state.report_due) == ([], {})
