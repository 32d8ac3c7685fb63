"""A creator's views and update wording: counts by plural rules, warnings, paging, tools."""

from __future__ import annotations

from datetime import timedelta

from core.campaigns import Campaign, RewardTier
from core.i18n import use_locale
from core.money import Money
from core.statements import statement
from core.updates import CreatorUpdate, UpdateAudience
from core.usecases.ambassadors import AmbassadorReport, AmbassadorRow, Dashboard
from core.usecases.update_archive import ArchivePage
from core.usecases.updating import UpdateReach
from core.views.cards import campaign_card
from core.views.creator import ambassadors_page, dashboard_card, my_campaigns_page
from core.views.intents import ExportBackers, Manage, PostUpdate, Updates, decode
from core.views.updates import archive_page, recipients, update_preview, update_sent
from tests.fakes import FixedClock

NBSP = "\u00a0"


def update(
    campaign: Campaign, clock: FixedClock, n: int, audience: UpdateAudience
) -> CreatorUpdate:
    """The n-th update, posted n hours ago."""
    at = clock.now() - timedelta(hours=n)
    return CreatorUpdate(n, campaign.id, campaign.creator_identities[0], f"News {n}", audience, at)


def test_recipients_are_counted_by_each_languages_plural_rules() -> None:
    with use_locale("en"):
        assert [recipients(n) for n in (0, 1, 2)] == [
            "0 recipients",
            "1 recipient",
            "2 recipients",
        ]
        assert update_sent(1) == "Your update is on its way to 1 recipient."
    with use_locale("fr"):
        # French puts 0 and 1 in the singular.
        assert [recipients(n) for n in (0, 1, 2)] == [
            "0 destinataire",
            "1 destinataire",
            "2 destinataires",
        ]
        assert update_sent(2) == "Votre actualité part vers 2 destinataires."


def test_the_preview_warns_when_an_audience_would_reach_nobody() -> None:
    with use_locale("en"):
        nobody = update_preview("Lamp", UpdateReach(0, 0))
        no_backers = update_preview("Lamp", UpdateReach(3, 0))
        everyone = update_preview("Lamp", UpdateReach(3, 1))
    assert nobody.warning.startswith("Nobody follows or has backed this campaign yet")
    assert no_backers.warning == (
        "Nobody has backed this campaign yet: sent to backers only, it would reach no one."
    )
    assert everyone.warning == ""
    assert [label for _, label in everyone.choices] == [
        "Send to everyone following (3 recipients)",
        "Send to backers only (1 recipient)",
    ]
    assert [audience for audience, _ in everyone.choices] == list(UpdateAudience)


def test_an_archive_page_pages_in_place_and_marks_backers_only_news(
    campaign: Campaign, clock: FixedClock
) -> None:
    updates = [
        update(campaign, clock, 5, UpdateAudience.BACKERS),
        update(campaign, clock, 6, UpdateAudience.EVERYONE),
    ]
    with use_locale("en"):
        page = archive_page(ArchivePage(campaign, updates, 12, 5, 5, insider=True))
    assert page.title == "Updates from “The Reading Lamp”"
    assert page.items[0].title.endswith(" UTC · backers only")
    assert page.items[1].title.endswith(" UTC")
    assert page.items[1].detail == "News 6"
    assert (page.first_number, page.footer) == (6, "Page 2 of 3")
    (previous, following) = page.buttons[0]
    assert previous.intent == Updates(campaign.id, 0, turn=True)
    assert following.intent == Updates(campaign.id, 10, turn=True)
    assert decode(previous.intent.encode()) == previous.intent
    assert decode(Updates(campaign.id).encode()) == Updates(campaign.id, 0, turn=False)


def test_an_empty_archive_says_so_and_says_public_to_outsiders(campaign: Campaign) -> None:
    with use_locale("fr"):
        outsider = archive_page(ArchivePage(campaign, [], 0, 0, 5, insider=False))
        insider = archive_page(ArchivePage(campaign, [], 0, 0, 5, insider=True))
    assert outsider.empty_text == (
        f"«{NBSP}The Reading Lamp{NBSP}» n’a encore publié aucune actualité publique."
    )
    assert (
        insider.empty_text == f"«{NBSP}The Reading Lamp{NBSP}» n’a encore publié aucune actualité."
    )
    assert (outsider.buttons, outsider.footer) == ((), "")


def _no_link(tier: RewardTier) -> str:
    raise AssertionError(f"{tier.title} is no secret reward")


def test_a_dashboard_offers_the_creators_tools_and_not_follow(
    campaign: Campaign, clock: FixedClock
) -> None:
    with use_locale("en"):
        mine = my_campaigns_page([statement(campaign, [])], clock.now())
        empty = dashboard_card(Dashboard(campaign, []), clock.now(), _no_link)
        board = dashboard_card(
            Dashboard(campaign, [update(campaign, clock, 1, UpdateAudience.EVERYONE)]),
            clock.now(),
            _no_link,
        )
    assert mine.items[0].intent == Manage(campaign.id)
    assert mine.items[0].detail == (
        "0% · €0.00 of €1,000.00 · 0 backers · 29 days left\n"
        "Raised: €0.00 · Backit's fee: €0.00 · Refunds: €0.00 · Disputed: €0.00 · "
        "You receive: €0.00"
    )
    assert empty.body.startswith("No updates yet")
    assert board.body.startswith("Latest updates:\n• ")
    assert board.body.endswith(" — News 1")
    labels = [button.label for row in board.buttons for button in row]
    assert labels == ["Post an update", "Ambassadors", "All updates", "Progress", "Export backers"]
    assert board.buttons[0][0].intent == PostUpdate(campaign.id)
    assert board.buttons[-1][-1].intent == ExportBackers(campaign.id)
    # The export is a creator's tool: the campaign's public card never offers it.
    public = campaign_card(campaign, clock.now(), following=False)
    assert not any(isinstance(b.intent, ExportBackers) for row in public.buttons for b in row)


def test_a_backer_sees_their_own_link_and_the_creator_the_leaderboard(campaign: Campaign) -> None:
    row = AmbassadorRow("Bo", 2, Money(3_000, "EUR"))
    with use_locale("fr"):
        full = ambassadors_page(AmbassadorReport(campaign, [row], True, "c0de"), "https://x/c")
        own = ambassadors_page(AmbassadorReport(campaign, [row], False, "c0de"), "https://x/c")
        none = ambassadors_page(AmbassadorReport(campaign, [], False, "c0de"), "https://x/c")
    assert full.items[0].detail == f"2 contributeurs · 30,00{NBSP}€"
    assert own.items == ()
    assert own.title == f"Votre lien de partage pour «{NBSP}The Reading Lamp{NBSP}»"
    assert "https://x/c\n\nVous avez amené 2 contributeurs jusqu’ici." in own.empty_text
    assert none.empty_text.endswith("Personne n’a encore contribué grâce à votre lien.")
