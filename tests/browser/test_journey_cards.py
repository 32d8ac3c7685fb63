"""A campaign's card in a real browser, against `backit run --sandbox`: each reward spelled
out and the stretch goals on Telegram and Discord, in English and French; and once a funded
campaign is closed, its demo backers charged and its card saying how it ended."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Sandbox, own_sandbox
from tests.browser.test_sandbox_page import bot_messages, open_card, say, shot

LAMP = "maree-lampe"
# Funded at 149% by its 55 demo backers, all or nothing.
FUNDED = "smoke-and-salt"
DEMO_BACKERS = 55
# The scheduler settles a closed campaign at its next tick: every 30 seconds by default, every
# 2 in the module's process, so that the test does not wait the 30 out.
TICK_SECONDS = "2"
SETTLES_WITHIN = 45.0


@pytest.fixture(scope="module")
def sandbox(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A process of the module's own, where you have not backed the lamp: a card that says what
    you pledged has less room for its rewards (a Telegram caption holds 1,024 characters), and
    in the shared process you back the lamp to see its group hear it is funded."""
    home = tmp_path_factory.mktemp("cards")
    ticking = {"BACKIT_SCHEDULER__INTERVAL_SECONDS": TICK_SECONDS}
    with own_sandbox(seeded, home, "backit-cards.log", ticking) as own:
        yield own


@pytest.fixture
def french(page: Page) -> Iterator[Page]:
    """The page in French, put back in English afterwards: the process is the module's."""
    page.click("[data-language=fr]")
    expect(page.locator("[data-language=fr]")).to_have_attribute("aria-pressed", "true")
    yield page
    page.click("[data-language=en]")
    expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")


def discord_card(page: Page, command: str, slug: str) -> Locator:
    """Ask the Discord bot for a campaign's card and return its embed once it came."""
    page.click("#tab-discord")
    embeds = page.locator(".dc-message", has=page.locator(".dc-embed"))
    shown = embeds.count()
    page.fill("#dc-input", f"/{command} {slug}")
    page.press("#dc-input", "Enter")
    expect(embeds).to_have_count(shown + 1)
    return embeds.last.locator(".dc-embed")


def discord_field(embed: Locator, name: str) -> Locator:
    """The value of an embed's field with that name."""
    named = embed.page.locator(".dc-field-name", has_text=name)
    return embed.locator(".dc-field", has=named).first.locator(".dc-field-value")


def test_a_telegram_card_spells_out_its_rewards_and_stretch_goals(page: Page) -> None:
    card = open_card(page, LAMP)
    card.scroll_into_view_if_needed()
    shot(page, "cards-telegram")

    expect(card).to_contain_text("Stretch goals\n€15,000.00: ")
    expect(card).to_contain_text(re.compile(r"€15,000\.00: €[\d,.]+ to go"))
    expect(card).to_contain_text("Rewards\n")
    expect(card).to_contain_text("Lève-tôt — une lampe Maréa · €149.00")
    expect(card).to_contain_text("Estimated delivery: ")
    expect(card).to_contain_text("Ships to France, Belgium, Switzerland, Luxembourg, Germany")
    expect(card).to_contain_text(re.compile(r"\d+ backers · \d+ of 40 left"))
    # The buttons stay short: title, price, what is left.
    early_bird = card.get_by_role("button", name=re.compile(r"^Lève-tôt"))
    expect(early_bird).to_have_text(
        re.compile(r"^Lève-tôt — une lampe Maréa · €149\.00 · \d+ left")
    )


def test_a_telegram_card_in_french(french: Page) -> None:
    cards = bot_messages(french, "Collecté")
    shown = cards.count()
    say(french, f"/campaign {LAMP}")
    expect(cards).to_have_count(shown + 1)
    card = cards.last
    card.scroll_into_view_if_needed()
    shot(french, "cards-telegram-fr")

    expect(card).to_contain_text(re.compile(r"Paliers\n15\s000,00\s€\s: encore [\d\s,]+€"))
    expect(card).to_contain_text("Contreparties\n")
    expect(card).to_contain_text("Livraison estimée\u00a0: ")
    expect(card).to_contain_text("Expédition\u00a0: France, Belgique, Suisse")
    expect(card).to_contain_text(re.compile(r"\d+ contributeurs · encore \d+ sur 40"))


def test_a_discord_card_spells_out_its_rewards_and_stretch_goals(page: Page) -> None:
    embed = discord_card(page, "campaign", LAMP)
    embed.scroll_into_view_if_needed()
    shot(page, "cards-discord")

    expect(discord_field(embed, "Stretch goals")).to_contain_text(
        re.compile(r"€15,000\.00: €[\d,.]+ to go")
    )
    rewards = discord_field(embed, "Rewards")
    expect(rewards).to_contain_text("Lève-tôt — une lampe Maréa · €149.00")
    expect(rewards).to_contain_text("Une lampe Maréa au prix de lancement, livrée en Europe.")
    expect(rewards).to_contain_text("Estimated delivery: ")
    expect(rewards).to_contain_text("Ships to France, Belgium, Switzerland")
    expect(rewards).to_contain_text(re.compile(r"\d+ backers · \d+ of 40 left"))
    expect(embed).to_contain_text("Duo Maréa · €329.00")


def test_a_discord_card_in_french(french: Page) -> None:
    embed = discord_card(french, "campagne", LAMP)
    embed.scroll_into_view_if_needed()
    shot(french, "cards-discord-fr")

    expect(discord_field(embed, "Paliers")).to_contain_text(re.compile(r"encore [\d\s,]+€"))
    rewards = discord_field(embed, "Contreparties")
    expect(rewards).to_contain_text("Lève-tôt — une lampe Maréa · 149,00")
    expect(rewards).to_contain_text("Livraison estimée\u00a0: ")
    expect(rewards).to_contain_text("Expédition\u00a0: France, Belgique, Suisse")


@pytest.mark.parametrize(
    ("language", "button", "title"),
    [("en", "Progress", "funding day by day"), ("fr", "Progression", "collecte jour après jour")],
)
def test_a_telegram_cards_progress_button_sends_the_chart(
    page: Page, language: str, button: str, title: str
) -> None:
    page.click(f"[data-language={language}]")
    try:
        cards = bot_messages(page, "Collecté" if language == "fr" else "Raised:")
        shown = cards.count()
        say(page, f"/campaign {LAMP}")
        expect(cards).to_have_count(shown + 1)
        expect(cards.last.locator("img.tg-photo-pixels")).to_have_js_property("naturalWidth", 1200)

        cards.last.get_by_role("button", name=button).click()
        chart = bot_messages(page, title).last
        expect(chart.locator("img.tg-photo-pixels")).to_have_js_property("naturalWidth", 1200)
        chart.scroll_into_view_if_needed()
        shot(page, f"progress-telegram-{language}")
    finally:
        page.click("[data-language=en]")


@pytest.mark.parametrize(
    ("language", "command", "button", "title"),
    [
        ("en", "campaign", "Progress", "funding day by day"),
        ("fr", "campagne", "Progression", "collecte jour après jour"),
    ],
)
def test_a_discord_cards_progress_button_shows_the_chart_to_the_member(
    page: Page, language: str, command: str, button: str, title: str
) -> None:
    page.click(f"[data-language={language}]")
    try:
        embed = discord_card(page, command, LAMP)
        expect(embed.locator(".dc-embed-image img")).to_have_js_property("naturalWidth", 1200)
        answers = page.locator(".dc-message", has=page.locator(".dc-embed", has_text=title))
        shown = answers.count()

        page.locator(".dc-message").last.get_by_role("button", name=button).click()
        expect(answers).to_have_count(shown + 1)
        chart = answers.last
        expect(chart.locator(".dc-embed-image img")).to_have_js_property("naturalWidth", 1200)
        chart.scroll_into_view_if_needed()
        shot(page, f"progress-discord-{language}")
    finally:
        page.click("[data-language=en]")


def test_a_funded_campaign_closed_charges_its_demo_backers_and_its_card_says_so(
    page: Page, sandbox: Sandbox
) -> None:
    # Shown once the page has the live campaigns: only then does it say whether it lists them.
    expect(page.locator("#closing")).to_be_visible()
    if page.locator("#closing-choice").is_visible():
        page.select_option("#closing-choice", FUNDED)
    else:
        page.fill("#closing-slug", FUNDED)
    page.locator("#closing").get_by_role("button", name="Close").click()
    expect(page.locator(".toast")).to_contain_text("Smoke & Salt")

    settled = f"settled {FUNDED}: {DEMO_BACKERS} charged, 0 declined"
    deadline = time.monotonic() + SETTLES_WITHIN
    while settled not in sandbox.logged():
        assert time.monotonic() < deadline, sandbox.logged()[-3000:]
        time.sleep(0.5)

    card = bot_messages(page, "Result:")
    say(page, f"/campaign {FUNDED}")
    expect(card).to_have_count(1)
    card.scroll_into_view_if_needed()
    shot(page, "cards-telegram-ended")
    expect(card).to_contain_text(
        re.compile(rf"Result: Funded: raised \$[\d,.]+ of \$[\d,.]+ from {DEMO_BACKERS} backers")
    )
    expect(card).not_to_contain_text("Time left")
    expect(card).not_to_contain_text(" left")
    expect(card.get_by_role("button", name="Pledge without a reward")).to_have_count(0)

    embed = discord_card(page, "campaign", FUNDED)
    embed.scroll_into_view_if_needed()
    shot(page, "cards-discord-ended")
    expect(discord_field(embed, "Result")).to_contain_text(f"from {DEMO_BACKERS} backers")
