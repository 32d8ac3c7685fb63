"""Notices: each reader's language and links, and wording that says what happens to the money."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.i18n import use_locale
from core.milestones import Milestone, MilestoneKind
from core.moments import date_time
from core.notifications import milestone_reached
from core.outbox import Audience, DeliveryCounts, read_event
from core.payments import OutcomeKind
from core.usecases.dispatching import Dispatcher, DispatchSettings
from core.usecases.following import follow
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from core.views.intents import Intent, Show
from core.views.model import Notice
from core.views.notices import NoticeContext, delivery_report, notice
from tests.core.conftest import apply, caller, pledged
from tests.delivery_fakes import FakeLinks, RecordingSender
from tests.fakes import FakeDatabase, FixedClock


async def deliver(db: FakeDatabase, clock: FixedClock, links: FakeLinks) -> RecordingSender:
    """Deliver everything due on Telegram; the sender that did."""
    sender = RecordingSender(caller(0).identity.platform)
    await Dispatcher(db.unit_of_work, clock, [sender], links, DispatchSettings()).drain()
    return sender


def write(kind: str, data: dict[str, Any], campaign: Campaign, clock: FixedClock) -> Notice:
    """A notice about a campaign for a reader without a referral code."""
    return notice(
        read_event(kind, {"campaign_id": campaign.id, **data}),
        NoticeContext(campaign, None, FakeLinks(), clock.now()),
    )


async def test_notices_are_in_each_readers_language_and_shared_ones_written_once(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    for user, locale in ((1, "en"), (2, "en-GB"), (3, "fr"), (4, "fr-CA")):
        await follow(db.unit_of_work(), clock, caller(user, locale=locale), campaign.id)
    async with db.unit_of_work() as uow:
        await uow.outbox.enqueue_audience(
            campaign.id,
            Audience.FOLLOWERS_AND_BACKERS,
            milestone_reached(Milestone(campaign.id, MilestoneKind.PERCENT, 50)),
            clock.now(),
            include_communities=False,
        )
        await uow.commit()
    sender = await deliver(db, clock, FakeLinks())
    [english], [also_english], [french], [also_french] = (
        sender.delivered_to(address) for address in ("1", "2", "3", "4")
    )
    assert english is also_english
    assert french is also_french
    assert english.title == "The Reading Lamp reached 50% of its goal"
    assert french.title == "«\u00a0The Reading Lamp\u00a0» a atteint 50\u00a0% de son objectif"
    # Babel writes French numbers with no-break spaces: narrow in 1 000, full before € and units.
    assert french.text == (
        "0,00\xa0€ sur 1\u202f000,00\xa0€ grâce à 0 contributeur, encore 29\xa0jours."
    )
    assert [[b.label for b in row] for row in french.buttons] == [
        ["Soutenir"],
        ["Voir la campagne"],
    ]


async def test_a_receipt_invites_its_reader_to_share_their_own_link(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    for user in (1, 2):
        await apply(db, clock, await pledged(db, clock, campaign, user, 5_000), OutcomeKind.PAID)
    sender = await deliver(db, clock, FakeLinks())
    codes = {b.identity.user_id: b.referral_code for b in db.state.backers.values()}
    receipts = {address: sender.delivered_to(address)[0] for address in ("1", "2")}
    assert receipts["1"] is not receipts["2"]
    for address, receipt in receipts.items():
        assert receipt.title == "Thank you for backing The Reading Lamp!"
        assert f"You are backer #{address}." in receipt.text
        [[share]] = receipt.buttons
        assert (share.label, share.url) == (
            "Share your link",
            f"https://backit.test/c/lamp?ref={codes[address]}",
        )


async def test_a_declined_card_can_be_replaced_until_a_week_after_the_deadline(
    db: FakeDatabase, clock: FixedClock, aon_campaign: Campaign
) -> None:
    pledge_id = await pledged(db, clock, aon_campaign, 1, 5_000)
    await apply(db, clock, pledge_id, OutcomeKind.AUTHORIZED)
    await apply(db, clock, pledge_id, OutcomeKind.FAILED)
    links = FakeLinks()
    sender = await deliver(db, clock, links)
    saved, failed = sender.delivered_to("1")
    assert saved.title == "Pledge saved for The Reading Lamp"
    assert failed.title == "Payment failed for The Reading Lamp"
    expires = aon_campaign.ends_at + timedelta(days=7)
    assert links.retries == [(pledge_id, expires)]
    assert failed.text == (
        "Your card could not be charged €50.00. You can pay with another card until "
        f"{date_time(expires)}."
    )
    assert failed.buttons[0][0].url == f"https://backit.test/retry/{pledge_id}"


async def test_a_receipt_names_the_reward_in_its_readers_language(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign, aon_campaign: Campaign
) -> None:
    paid = await start_pledge(
        db.unit_of_work(),
        clock,
        PledgeLimits(),
        PledgeRequest(caller(1), campaign.id, campaign.tiers[0].id),
    )
    await apply(db, clock, paid.id, OutcomeKind.PAID)
    saved = await start_pledge(
        db.unit_of_work(),
        clock,
        PledgeLimits(),
        PledgeRequest(caller(2, locale="fr"), aon_campaign.id, aon_campaign.tiers[1].id),
    )
    await apply(db, clock, saved.id, OutcomeKind.AUTHORIZED)

    sender = await deliver(db, clock, FakeLinks())

    [english] = sender.delivered_to("1")
    [french] = sender.delivered_to("2")
    assert english.text.startswith("Your pledge of €50.00 for “Early bird” is confirmed.")
    with use_locale("fr"):
        end = date_time(aon_campaign.ends_at)
    assert french.text.startswith(
        "Votre carte est enregistrée pour «\xa0Lamp\xa0» (75,00\xa0€)\xa0: elle ne sera "
        f"débitée que si la campagne atteint son objectif d’ici le {end}."
    )


def test_a_receipt_written_before_receipts_named_rewards_still_reads(
    campaign: Campaign, clock: FixedClock
) -> None:
    data = {"pledge_id": 1, "campaign_id": campaign.id, "status": "refunded"}
    written = write("receipt", {**data, "amount": 5_000, "currency": "EUR"}, campaign, clock)
    assert written.text.startswith("Your pledge of €50.00 to The Reading Lamp was refunded")
    failed = write(
        "receipt",
        {**data, "status": "failed", "amount": 5_000, "currency": "EUR", "tier_id": 10**6},
        campaign,
        clock,
    )
    assert failed.text.startswith("Your card could not be charged €50.00. ")


@pytest.mark.parametrize(
    ("model", "status", "title", "money"),
    [
        (
            FundingModel.FLEXIBLE,
            CampaignStatus.SUCCESSFUL,
            "The Reading Lamp is funded",
            "Thank you to everyone who backed it.",
        ),
        (
            FundingModel.ALL_OR_NOTHING,
            CampaignStatus.SUCCESSFUL,
            "The Reading Lamp is funded",
            "If you backed it, your card is charged now for your pledge.",
        ),
        (
            FundingModel.FLEXIBLE,
            CampaignStatus.FAILED,
            "The Reading Lamp has ended",
            "As a flexible campaign, its creator keeps what was pledged.",
        ),
        (
            FundingModel.ALL_OR_NOTHING,
            CampaignStatus.FAILED,
            "The Reading Lamp did not reach its goal",
            "No one is charged: every pledge is released.",
        ),
        (
            FundingModel.FLEXIBLE,
            CampaignStatus.CANCELLED,
            "The Reading Lamp was cancelled",
            "Every payment is refunded.",
        ),
        (
            FundingModel.ALL_OR_NOTHING,
            CampaignStatus.CANCELLED,
            "The Reading Lamp was cancelled",
            "No one is charged: every pledge is released.",
        ),
    ],
)
def test_an_ended_campaign_says_what_happens_to_the_money(
    campaign: Campaign,
    clock: FixedClock,
    model: FundingModel,
    status: CampaignStatus,
    title: str,
    money: str,
) -> None:
    ended = replace(campaign, status=status, funding_model=model, raised=40_000, backers_count=3)
    data = {"campaign_id": campaign.id, "status": str(status), "funding_model": str(model)}
    written = write("ended", data, ended, clock)
    assert written.title == title
    assert written.text == f"It raised €400.00 of €1,000.00 from 3 backers.\n{money}"


def test_milestones_say_how_far_the_campaign_has_come(
    campaign: Campaign, clock: FixedClock
) -> None:
    funded = replace(campaign, raised=150_000, backers_count=1)

    def milestone_notice(kind: str, value: int) -> Notice:
        return write("milestone", {"kind": kind, "value": value}, funded, clock)

    assert (
        milestone_notice("percent", 75).text
        == "€1,500.00 of €1,000.00 from 1 backer, 29 days left."
    )
    funded_notice = milestone_notice("percent", 100)
    assert funded_notice == Notice(
        "The Reading Lamp is funded!",
        "€1,500.00 of €1,000.00 from 1 backer.",
        funded_notice.buttons,
        "lamp",
        funded_notice.picture,
        funded_notice.picture_url,
    )
    assert milestone_notice("stretch", 150_000).title == (
        "The Reading Lamp unlocked a stretch goal: €1,500.00"
    )


def test_a_milestone_comes_with_its_picture_where_the_web_server_serves_it(
    campaign: Campaign, clock: FixedClock
) -> None:
    funded = replace(campaign, raised=150_000, backers_count=1)
    stretch = write("milestone", {"kind": "stretch", "value": 150_000}, funded, clock)

    assert stretch.picture is not None
    assert (stretch.picture.state, stretch.picture.milestone) == (
        "Stretch goal unlocked!",
        "s150000",
    )
    assert stretch.picture_url == "https://backit.test/c/lamp/card.png?m=s150000"
    # The same milestone later in the minute: the same picture, drawn and uploaded once.
    assert write("milestone", {"kind": "stretch", "value": 150_000}, funded, clock) == stretch


def test_a_reminder_says_how_long_is_left_in_french(campaign: Campaign, clock: FixedClock) -> None:
    clock.advance(timedelta(days=28))
    halfway = replace(campaign, raised=50_000)
    with use_locale("fr"):
        written = write("reminder", {"campaign_id": campaign.id}, halfway, clock)
        end = date_time(campaign.ends_at)
    assert written.title == "«\u00a0The Reading Lamp\u00a0» se termine bientôt"
    assert written.text == (
        f"500,00\xa0€ sur 1\u202f000,00\xa0€ (50\xa0%), encore 24\xa0heures. "
        f"Elle se termine le {end}."
    )
    assert [[(b.label, b.intent, b.url) for b in row] for row in written.buttons] == [
        [("Soutenir", Show(campaign.id), None)],
        [("Voir la campagne", None, "https://backit.test/c/lamp")],
    ]


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("milestone", {"kind": "percent", "value": 50}),
        ("milestone", {"kind": "percent", "value": 100}),
        ("milestone", {"kind": "stretch", "value": 150_000}),
        ("update", {"update_id": 3, "text": "The first lamps are out of the kiln."}),
    ],
)
def test_milestones_and_updates_offer_to_back_the_campaign_only_while_it_is_open(
    campaign: Campaign, clock: FixedClock, kind: str, data: dict[str, Any]
) -> None:
    page = ("See the campaign", None, "https://backit.test/c/lamp")

    def buttons(campaign: Campaign) -> list[list[tuple[str, Intent | None, str | None]]]:
        written = write(kind, {"campaign_id": campaign.id, **data}, campaign, clock)
        assert written.campaign_slug == "lamp"
        return [[(b.label, b.intent, b.url) for b in row] for row in written.buttons]

    assert buttons(campaign) == [
        [("Back it", Show(campaign.id), None)],
        [page],
    ]
    assert buttons(replace(campaign, status=CampaignStatus.SUCCESSFUL)) == [[page]]
    late = replace(
        campaign, status=CampaignStatus.SUCCESSFUL, late_until=campaign.ends_at + timedelta(days=1)
    )
    clock.advance(campaign.ends_at - clock.now())
    assert buttons(campaign) == [[page]]
    # Taking late pledges, it may be backed again.
    assert buttons(late) == [[("Back it", Show(campaign.id), None)], [page]]


def test_receipts_without_a_referral_code_or_after_a_refund_offer_no_share_link(
    campaign: Campaign, clock: FixedClock
) -> None:
    data = {"pledge_id": 9, "amount": 5_000, "currency": "EUR", "backer_number": None}
    paid = write("receipt", {**data, "status": "paid"}, campaign, clock)
    assert paid.text == (
        "Your pledge of €50.00 is confirmed. "
        "Share your link: whoever backs through it counts as brought by you."
    )
    assert paid.buttons == ()
    refunded = write("receipt", {**data, "status": "refunded"}, campaign, clock)
    assert refunded == Notice(
        "Pledge refunded",
        "Your pledge of €50.00 to The Reading Lamp was refunded; your bank may take a few days "
        "to show it.",
    )
    cancelled = write("receipt", {**data, "status": "cancelled"}, campaign, clock)
    assert cancelled == Notice(
        "Pledge cancelled", "Your pledge of €50.00 to The Reading Lamp is cancelled."
    )


@pytest.mark.parametrize(
    ("referrals", "english", "french"),
    [
        (1, "You have brought 1 backer so far.", "Vous avez amené 1 contributeur jusqu’ici."),
        (2, "You have brought 2 backers so far.", "Vous avez amené 2 contributeurs jusqu’ici."),
    ],
)
def test_an_ambassador_hears_how_many_backers_they_brought(
    campaign: Campaign, clock: FixedClock, referrals: int, english: str, french: str
) -> None:
    data = {"campaign_id": campaign.id, "referrals": referrals}
    assert write("referral", data, campaign, clock).text.startswith(english)
    with use_locale("fr"):
        assert write("referral", data, campaign, clock).text.startswith(french)


@pytest.mark.parametrize(
    ("counts", "finished", "english", "french"),
    [
        (
            DeliveryCounts(sent=1_200, waiting=34),
            False,
            "Delivering your update: 1,200 of 1,234",
            "Envoi de votre actualité\u00a0: 1\u202f200 sur 1\u202f234",
        ),
        (
            DeliveryCounts(sent=5, failed=1),
            True,
            "Update delivered to 5 of 6 · 1 unreachable",
            "Actualité remise\u00a0: 5 sur 6 · 1 injoignable",
        ),
        (
            DeliveryCounts(sent=3, failed=2),
            True,
            "Update delivered to 3 of 5 · 2 unreachable",
            "Actualité remise\u00a0: 3 sur 5 · 2 injoignables",
        ),
        (
            DeliveryCounts(),
            True,
            "Your update is posted; there is no one to send it to yet.",
            "Votre actualité est publiée\u00a0; il n’y a encore personne à qui l’envoyer.",
        ),
    ],
)
def test_a_delivery_report_counts_in_the_authors_language(
    counts: DeliveryCounts, finished: bool, english: str, french: str
) -> None:
    assert delivery_report(counts, finished) == english
    with use_locale("fr"):
        assert delivery_report(counts, finished) == french
