"""The sandbox's chat page in a real browser, at Backit's edges: leaving the checkout page,
a personal answer asked for in a group, an amount below the minimum charge, in English and
French, on Telegram and Discord."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Sandbox, own_sandbox
from tests.browser.test_sandbox_page import bot_messages, open_card, say, shot

LAMP = "maree-lampe"
EARLY_BIRD = re.compile(r"^Lève-tôt")


@pytest.fixture(scope="module")
def sandbox(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A process of the module's own: the French answer to /mescontributions is the one for a
    Discord you who never backed anything, and in the shared process other modules did."""
    home = tmp_path_factory.mktemp("edges")
    with own_sandbox(seeded, home, "backit-edges.log") as own:
        yield own


def units_left(button: Locator) -> int:
    """How many units a limited reward's button says are left."""
    found = re.search(r"(\d+) (?:left|restant)", button.inner_text())
    assert found is not None, button.inner_text()
    return int(found[1])


def test_leaving_the_checkout_page_gives_the_reward_back_and_leads_to_the_chat(
    page: Page,
) -> None:
    left = units_left(open_card(page, LAMP).get_by_role("button", name=EARLY_BIRD))
    with page.context.expect_page() as opened:
        open_card(page, LAMP).get_by_role("button", name=EARLY_BIRD).click()
    checkout = opened.value
    checkout.wait_for_load_state()
    shot(checkout, "edges-checkout")
    # Held while its page is open: one fewer is left for everyone else.
    assert units_left(open_card(page, LAMP).get_by_role("button", name=EARLY_BIRD)) == left - 1

    checkout.get_by_role("link", name="Back").click()
    checkout.wait_for_load_state()
    expect(checkout.locator("h1")).to_have_text("Pledge cancelled")
    expect(checkout.locator("body")).to_contain_text("the reward is available again")
    # The same way back as after paying: the bot, where the pledge began.
    expect(checkout.get_by_role("link", name="Back to Telegram")).to_be_visible()
    shot(checkout, "edges-checkout-left")
    checkout.close()

    assert units_left(open_card(page, LAMP).get_by_role("button", name=EARLY_BIRD)) == left


def test_asking_for_ones_pledges_in_a_group_is_answered_in_private(page: Page) -> None:
    page.click("[data-chat=group]")
    say(page, "/mypledges")
    pointer = bot_messages(page, "I answer this in our private chat")
    expect(pointer).to_have_count(1)
    shot(page, "edges-group-mypledges")

    pointer.get_by_role("button", name="Open the private chat").click()
    expect(page.locator("[data-chat=private]")).to_have_class(re.compile(r"\bactive\b"))
    expect(bot_messages(page, re.compile("Your pledges|You have not backed"))).to_have_count(1)
    shot(page, "edges-private-mypledges")


def test_an_amount_below_the_minimum_charge_is_refused_naming_the_minimum(page: Page) -> None:
    open_card(page, LAMP).get_by_role("button", name="Pledge without a reward").click()
    expect(bot_messages(page, "How much would you like to pledge to")).to_have_count(1)
    say(page, "0.10")
    refusal = bot_messages(page, "“0.10” is less than €0.50, the smallest amount accepted.")
    expect(refusal).to_have_count(1)
    shot(page, "edges-minimum")


def test_in_french_the_minimum_and_the_private_answers_are_in_french(page: Page) -> None:
    page.click("[data-language=fr]")
    try:
        cards = bot_messages(page, "Collecté")
        shown = cards.count()
        say(page, f"/campaign {LAMP}")
        expect(cards).to_have_count(shown + 1)
        cards.last.get_by_role("button", name="Contribuer sans contrepartie").click()
        expect(bot_messages(page, "Combien souhaitez-vous donner")).to_have_count(1)
        say(page, "0,10")
        expect(bot_messages(page, "est inférieur à 0,50")).to_have_count(1)
        shot(page, "edges-minimum-fr")

        page.click("[data-chat=group]")
        say(page, "/mypledges")
        pointer = bot_messages(page, "Je vous réponds dans notre discussion privée")
        expect(pointer).to_have_count(1)
        expect(pointer.get_by_role("button", name="Ouvrir la discussion privée")).to_be_visible()
        shot(page, "edges-group-mypledges-fr")

        page.click("#tab-discord")
        page.fill("#dc-input", "/mescontributions")
        page.press("#dc-input", "Enter")
        private = page.locator(".dc-message.ephemeral").last
        expect(private).to_contain_text("Vous n’avez encore soutenu aucune campagne")
        shot(page, "edges-discord-mypledges-fr")
    finally:
        page.click("[data-language=en]")
        expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")
