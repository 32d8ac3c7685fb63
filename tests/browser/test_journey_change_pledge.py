"""Backing a reward, seeing "You backed this" on the card, and moving the pledge to another
reward, on Telegram and Discord, in English and French, in a real browser."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from tests.browser.test_sandbox_page import GOOD_CARD, bot_messages, open_card, pay, shot

# All-or-nothing campaigns: each test backs a reward and moves to another. You (on each
# platform) pledge to them in no other module sharing the process.
SYNTH = "mothwing-synth"
BAKERY = "fournil-solidaire"
# A flexible campaign: a paid pledge goes up by paying the difference.
DOCUMENTARY = "sel-et-braise"


def french(page: Page) -> None:
    """Both bots speak French to the person from now on."""
    page.click("[data-language=fr]")
    expect(page.locator("[data-language=fr]")).to_have_attribute("aria-pressed", "true")


def back_on_telegram(page: Page, slug: str, reward: str, saved: str) -> None:
    """Back a reward from the private chat and wait for the receipt."""
    card = open_card(page, slug)
    checkout = pay(page, card.get_by_role("button", name=re.compile(f"^{reward}")), GOOD_CARD)
    checkout.close()
    expect(bot_messages(page, saved)).to_have_count(1)


def test_on_telegram_a_backer_sees_their_pledge_and_moves_it_to_another_reward(
    page: Page,
) -> None:
    back_on_telegram(page, SYNTH, "Mothwing kit", "Pledge saved for Mothwing")
    card = open_card(page, SYNTH)
    expect(card).to_contain_text(
        "You pledged: Mothwing kit, $139.00, charged if it reaches its goal"
    )
    shot(page, "change-telegram-backed")

    card.get_by_role("button", name=re.compile("^Assembled Mothwing")).click()
    question = bot_messages(page, "You already backed this with Mothwing kit, $139.00")
    expect(question).to_have_count(1)
    expect(question.get_by_role("button", name="Add a second pledge")).to_be_visible()
    shot(page, "change-telegram-question")
    question.get_by_role("button", name="Change to Assembled Mothwing, $189.00").click()
    expect(bot_messages(page, "is now Assembled Mothwing, $189.00")).to_have_count(1)
    shot(page, "change-telegram-changed")

    expect(open_card(page, SYNTH)).to_contain_text(
        "You pledged: Assembled Mothwing, $189.00, charged if it reaches its goal"
    )
    shot(page, "change-telegram-card-after")


def test_on_telegram_in_french_change_my_pledge_offers_the_other_rewards(page: Page) -> None:
    back_on_telegram(page, BAKERY, "Carte de dix pains", "Pledge saved for Le Fournil")
    french(page)
    try:
        cards = bot_messages(page, "Collecté")
        shown = cards.count()
        page.fill("#tg-input", f"/campaign {BAKERY}")
        page.press("#tg-input", "Enter")
        expect(cards).to_have_count(shown + 1)
        card = cards.last
        expect(card).to_contain_text("Votre contribution\u00a0: Carte de dix pains")
        card.get_by_role("button", name="Modifier ma contribution").click()
        choices = bot_messages(page, "Modifier votre contribution à")
        expect(choices).to_have_count(1)
        shot(page, "change-telegram-choices-fr")
        choices.get_by_role("button", name=re.compile("^Atelier pain au levain ·")).click()
        done = bot_messages(page, "est maintenant Atelier pain au levain")
        expect(done).to_have_count(1)
        expect(done).to_contain_text("Contribution modifiée")
        shot(page, "change-telegram-changed-fr")
    finally:
        page.click("[data-language=en]")
        expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")


def test_on_telegram_a_paid_pledge_goes_up_by_paying_the_difference(page: Page) -> None:
    back_on_telegram(page, DOCUMENTARY, "Merci au générique", "Thank you for backing Sel et Braise")
    card = open_card(page, DOCUMENTARY)
    expect(card).to_contain_text("You backed this: Merci au générique, €10.00")
    card.get_by_role("button", name="Change my pledge").click()
    choices = bot_messages(page, "for more, you pay the difference")
    expect(choices).to_have_count(1)
    shot(page, "change-telegram-flexible-choices")

    choices.get_by_role("button", name=re.compile("^Le film en ligne ·")).click()
    offer = bot_messages(page, "pay the €10.00 difference")
    expect(offer).to_have_count(1)
    expect(offer).to_contain_text("To make it €20.00 for “Le film en ligne”")
    shot(page, "change-telegram-flexible-offer")
    checkout = pay(page, offer.get_by_role("button", name="Pay the €10.00 difference"), GOOD_CARD)
    checkout.close()

    raised = bot_messages(page, "is now €20.00 for “Le film en ligne”")
    expect(raised).to_have_count(1)
    expect(raised).to_contain_text("Pledge changed")
    shot(page, "change-telegram-flexible-raised")
    expect(open_card(page, DOCUMENTARY)).to_contain_text(
        "You backed this: Le film en ligne, €20.00"
    )
    shot(page, "change-telegram-flexible-card-after")


def answered(page: Page, containing: str | re.Pattern[str], press: Callable[[], None]) -> Locator:
    """The reply only the member sees, holding that text, that a press brings (earlier ones
    from other tests stay on the page)."""
    replies = page.locator(".dc-message.ephemeral", has_text=containing)
    shown = replies.count()
    press()
    expect(replies).to_have_count(shown + 1)
    return replies.last


def discord_card(page: Page, name: str, discover: str = "/discover") -> Locator:
    """The member's own card of a campaign, from the list `discover` (the command's name in
    the member's language) gives, paged through until it shows the campaign: the campaigns
    the server links come first, and other modules sharing the process link some."""
    listings = page.locator(".dc-message:not(.ephemeral)", has=page.locator(".dc-used"))
    shown = listings.count()
    page.fill("#dc-input", discover)
    # The composer offers the command's options as it is typed; Enter would pick one.
    expect(page.locator("#dc-suggestions")).to_be_visible()
    page.press("#dc-input", "Escape")
    page.press("#dc-input", "Enter")
    expect(listings).to_have_count(shown + 1)
    listing = listings.last
    campaign = listing.locator(".dc-button", has_text=name)
    turned = 1
    while not campaign.count():
        turned += 1
        listing.locator(".dc-button", has_text=re.compile("^(Next|Suivant) ▶")).click()
        expect(listing).to_contain_text(re.compile(f"Page {turned} (of|sur) "))
    return answered(page, name, campaign.click)


def back_on_discord(page: Page, name: str, reward: str) -> None:
    """Back a reward from the member's own card, through the link only they see."""
    card = discord_card(page, name)
    reward_button = card.locator(".dc-button", has_text=reward).first
    offer = answered(page, "one tap takes you", reward_button.click)
    checkout = pay(page, offer.locator(".dc-button").first, GOOD_CARD)
    checkout.close()


def test_on_discord_a_member_sees_their_pledge_and_moves_it_to_another_reward(
    page: Page,
) -> None:
    page.click("#tab-discord")
    back_on_discord(page, "Yoru no Machi", "Photobook")
    card = discord_card(page, "Yoru no Machi")
    expect(card.locator(".dc-field-name").first).to_have_text("You pledged")
    expect(card).to_contain_text("Photobook")
    shot(page, "change-discord-backed")

    change = card.locator(".dc-button", has_text="Change my pledge").click
    choices = answered(page, "Change your pledge to", change)
    shot(page, "change-discord-choices")
    done = answered(page, "Pledge changed", choices.locator(".dc-button").first.click)
    expect(done).to_contain_text("Your pledge to “Yoru no Machi")
    shot(page, "change-discord-changed")


def test_on_discord_in_french_a_second_pledge_is_asked_about(page: Page) -> None:
    page.click("#tab-discord")
    back_on_discord(page, "Mothwing", "Mothwing kit")
    french(page)
    try:
        card = discord_card(page, "Mothwing", "/découvrir")
        expect(card.locator(".dc-field-name").first).to_have_text("Votre contribution")
        assembled = card.locator(".dc-button", has_text="Assembled Mothwing").click
        question = answered(page, "Vous soutenez déjà ce projet", assembled)
        expect(question).to_contain_text("ou en ajouter une seconde")
        second = question.locator(".dc-button", has_text="Ajouter une seconde contribution")
        expect(second).to_be_visible()
        shot(page, "change-discord-question-fr")
        change = question.locator(".dc-button", has_text="Passer à Assembled Mothwing")
        done = answered(page, "Contribution modifiée", change.click)
        expect(done).to_contain_text("est maintenant Assembled Mothwing")
        shot(page, "change-discord-changed-fr")
    finally:
        page.click("[data-language=en]")
        expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")
