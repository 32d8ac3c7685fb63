"""Coming-soon campaigns: not backed before their launch, launched once, announced once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.campaigns import Campaign, CampaignStatus
from core.errors import CampaignNotLaunched
from core.i18n import use_locale
from core.moments import date_time
from core.money import Money
from core.outbox import read_event
from core.ports import CampaignQuery, Sort
from core.usecases.browsing import browse
from core.usecases.choosing import Purpose, campaigns_to_pick
from core.usecases.closing import close_due_campaigns
from core.usecases.following import follow
from core.usecases.launching import launch_campaign, launch_due_campaigns
from core.usecases.managing import TierDraft, create_campaign, publish_campaign
from core.usecases.pledging import PledgeLimits, PledgeRequest, offer_pledge, start_pledge
from core.views.intents import Show
from core.views.notices import NoticeContext, notice
from tests.core.conftest import caller, draft
from tests.delivery_fakes import FakeLinks
from tests.fakes import FakeDatabase, FixedClock

LAUNCH_IN = timedelta(hours=3)


@pytest.fixture
async def soon(db: FakeDatabase, clock: FixedClock) -> Campaign:
    """A campaign launching in three hours, with an early bird for its first two days."""
    start = clock.now() + LAUNCH_IN
    closes = start + timedelta(days=2)
    tiers = (
        TierDraft("First lamps", "One lamp, cheaper", 5_000, opens_at=start, closes_at=closes),
        TierDraft("Lamp", "One lamp", 7_500),
    )
    await create_campaign(
        db.unit_of_work(), draft(clock, slug="soon", starts_at=start, tiers=tiers)
    )
    return await publish_campaign(db.unit_of_work(), clock, "soon")


async def test_a_coming_soon_campaign_launches_once_its_start_has_come_and_tells_followers_once(
    db: FakeDatabase, clock: FixedClock, soon: Campaign
) -> None:
    for user in (2, 3):
        await follow(db.unit_of_work(), clock, caller(user), soon.id)
    assert soon.status is CampaignStatus.COMING_SOON
    assert await launch_due_campaigns(db.unit_of_work, clock) == []

    clock.advance(LAUNCH_IN)
    launched = await launch_due_campaigns(db.unit_of_work, clock)
    again = await launch_due_campaigns(db.unit_of_work, clock)

    assert [c.slug for c in launched] == ["soon"]
    assert again == []
    assert await launch_campaign(db.unit_of_work(), clock, soon.id) is None
    assert db.state.campaigns[soon.id].status is CampaignStatus.LIVE
    told = [m for m in db.state.outbox if m.notification.type == "launched"]
    assert sorted(m.recipient.address for m in told) == ["2", "3"]
    assert {m.notification.event_key for m in told} == {f"launched:{soon.id}"}


async def test_pledging_before_the_launch_is_refused_naming_the_launch_time(
    db: FakeDatabase, clock: FixedClock, soon: Campaign
) -> None:
    early_bird = soon.tiers[0].id
    with pytest.raises(CampaignNotLaunched) as offered:
        await offer_pledge(db.unit_of_work, clock, caller(2), soon.id, early_bird)
    request = PledgeRequest(caller(2), soon.id, None, Money(2_000, "EUR"))
    with pytest.raises(CampaignNotLaunched):
        await start_pledge(db.unit_of_work(), clock, PledgeLimits(), request)

    with use_locale("fr"):
        french = offered.value.user_message()
        launch = date_time(soon.starts_at)
    assert french == (
        f"«\u00a0The Reading Lamp\u00a0» sera lancée le {launch}\u00a0: elle accepte les "
        "contributions à partir de ce moment-là."
    )
    assert db.state.pledges == {}

    clock.advance(LAUNCH_IN)
    await launch_due_campaigns(db.unit_of_work, clock)
    offer = await offer_pledge(db.unit_of_work, clock, caller(2), soon.id, early_bird)
    assert offer.tier is not None
    assert offer.tier.title == "First lamps"


async def test_coming_soon_campaigns_are_listed_by_soonest_launch_and_only_under_their_sort(
    db: FakeDatabase, clock: FixedClock, soon: Campaign, campaign: Campaign
) -> None:
    later = draft(clock, slug="later", title="Later", starts_at=clock.now() + timedelta(days=2))
    await create_campaign(db.unit_of_work(), later)
    await publish_campaign(db.unit_of_work(), clock, "later")

    coming = await browse(db.unit_of_work(), clock, CampaignQuery(Sort.COMING_SOON))
    trending = await browse(db.unit_of_work(), clock, CampaignQuery(Sort.TRENDING))

    assert [c.slug for c in coming.campaigns] == ["soon", "later"]
    assert [c.id for c in trending.campaigns] == [campaign.id]


async def test_the_launch_notice_names_the_early_birds_with_the_card_picture_in_french(
    db: FakeDatabase, clock: FixedClock, soon: Campaign
) -> None:
    clock.advance(LAUNCH_IN)
    [launched] = await launch_due_campaigns(db.unit_of_work, clock)
    event = read_event("launched", {"campaign_id": launched.id})
    context = NoticeContext(launched, None, FakeLinks(), clock.now())

    english = notice(event, context)
    with use_locale("fr"):
        french = notice(event, context)
        closes = date_time(clock.now() + timedelta(days=2))
        ends = date_time(launched.ends_at)

    assert english.title == "The Reading Lamp is live!"
    assert english.text.splitlines()[1:] == [
        f"It takes pledges until {date_time(launched.ends_at)}.",
        f"Early bird: First lamps, €50.00, until {date_time(clock.now() + timedelta(days=2))}.",
    ]
    assert french.title == "«\u00a0The Reading Lamp\u00a0» est en ligne\u00a0!"
    assert french.text.splitlines() == [
        "A warm lamp for long nights.",
        f"Elle accepte les contributions jusqu’au {ends}.",
        f"Lève-tôt\u00a0: First lamps, 50,00\u00a0€, jusqu’au {closes}.",
    ]
    assert [[(b.label, b.intent) for b in row] for row in french.buttons] == [
        [("Soutenir", Show(launched.id))],
        [("Voir la campagne", None)],
    ]
    assert french.picture is not None
    assert french.picture.time_left == "encore 28\u00a0jours"
    assert french.picture_url == "https://backit.test/c/soon/card.png"


async def test_a_coming_soon_campaign_can_be_picked_to_show_and_link_after_the_live_ones(
    db: FakeDatabase, clock: FixedClock, soon: Campaign, campaign: Campaign
) -> None:
    for purpose in (Purpose.CAMPAIGN, Purpose.LINK):
        picked = await campaigns_to_pick(db.unit_of_work, clock, purpose, caller(2).identity)
        assert [c.slug for c in picked] == ["lamp", "soon"]
    typed = await campaigns_to_pick(
        db.unit_of_work, clock, Purpose.LINK, caller(2).identity, typed="reading"
    )
    assert [c.slug for c in typed] == ["lamp", "soon"]


async def test_a_launch_missed_past_the_end_is_closed_without_being_announced_as_live(
    db: FakeDatabase, clock: FixedClock, soon: Campaign
) -> None:
    await follow(db.unit_of_work(), clock, caller(2), soon.id)
    clock.advance(soon.ends_at - clock.now())

    [launched] = await launch_due_campaigns(db.unit_of_work, clock)
    [closed] = await close_due_campaigns(db.unit_of_work, clock)

    assert (launched.slug, closed.status) == ("soon", CampaignStatus.FAILED)
    assert [m.notification.type for m in db.state.outbox] == ["ended"]
