"""A creator drafts a campaign on the sandbox's chat page, in a real browser: on Telegram and
on Discord, in English and French, typing a wrong amount first and then a right one."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.test_sandbox_page import bot_messages, say, shot


@pytest.fixture
def french(page: Page) -> Iterator[Page]:
    """The page with its person speaking French, and English again afterwards."""
    page.click("[data-language=fr]")
    expect(page.locator("[data-language=fr]")).to_have_attribute("aria-pressed", "true")
    yield page
    page.click("[data-language=en]")
    expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")


def answer(page: Page, text: str, then: str | re.Pattern[str]) -> Locator:
    """Send a message in the open Telegram chat and wait for the bot's reply holding `then`."""
    replies = bot_messages(page, then)
    count = replies.count()
    say(page, text)
    expect(replies).to_have_count(count + 1)
    return replies.last


def press(message: Locator, label: str) -> None:
    """Press a button of a Telegram message."""
    message.get_by_role("button", name=label, exact=True).click()


def test_on_telegram_a_creator_corrects_an_amount_and_drafts_a_campaign(page: Page) -> None:
    answer(page, "/newcampaign", "What is your campaign called?")
    answer(page, "Night Lamp", "In one sentence, what is it?")
    answer(page, "A lamp for reading in bed.", "Now the longer story")
    answer(page, "Oak, brass and a warm bulb.\n\nMade in Nantes.", "How much do you need?")
    refused = answer(page, "five thousand", "is not an amount")
    expect(refused).to_contain_text("“five thousand” is not an amount: type digits, e.g. 5000")
    shot(page, "newcampaign-telegram-wrong-amount")
    answer(page, "£3,000", "How long will it run?")
    category = answer(page, "30", "Which category is it in?")
    press(category, "Design")
    funding = bot_messages(page, "How should backers be charged?").last
    press(funding, "Flexible")
    press(bot_messages(page, "Send a picture for the campaign's cover").last, "Skip")
    expect(bot_messages(page, "Now the rewards")).not_to_have_count(0)

    refused = answer(page, "Early bird | €50 | 100", "This campaign is in GBP")
    expect(refused).to_contain_text("This campaign is in GBP; “€50” is in EUR.")
    answer(page, "Early bird | 50 | 100", "What does a backer of “Early bird” get?")
    answer(page, "The first lamp, signed.", "When do you expect to deliver")
    refused = answer(page, "2020-01", "is in the past")
    shot(page, "newcampaign-telegram-past-delivery")
    shipping = answer(page, "March 2030", "Where does “Early bird” ship?")
    press(shipping, "Worldwide")
    expect(bot_messages(page, "Who can choose “Early bird”")).not_to_have_count(0)
    refused = answer(page, "soon", "is not a length of time")
    expect(refused).to_contain_text("“soon” is not a length of time")
    answer(page, "72h", "Added “Early bird” at £50.00")
    added = bot_messages(page, "Added “Early bird” at £50.00").last
    press(added, "No more rewards")

    preview = bot_messages(page, "This is how your campaign will look").last
    expect(preview).to_contain_text("Oak, brass and a warm bulb.")
    expect(preview).to_contain_text("▸ Early bird · £50.00\nThe first lamp, signed.")
    expect(preview).to_contain_text("Estimated delivery: March 2030\nShips worldwide")
    expect(preview).to_contain_text("Until ")
    shot(page, "newcampaign-telegram-preview")
    press(preview, "Create draft")
    expect(bot_messages(page, "Your draft “Night Lamp” is saved as night-lamp")).to_have_count(1)
    shot(page, "newcampaign-telegram-saved")


def test_on_telegram_in_french_the_questions_and_refusals_are_french(french: Page) -> None:
    page = french
    answer(page, "/newcampaign", "Comment s’appelle votre campagne")
    answer(page, "Lampe de chevet", "En une phrase")
    story = answer(page, "Une lampe pour lire au lit.", "Maintenant l’histoire complète")
    press(story, "Passer")
    expect(bot_messages(page, "De combien avez-vous besoin")).not_to_have_count(0)
    refused = answer(page, "cinq mille", "n’est pas un montant")
    expect(refused).to_contain_text("«\u00a0cinq mille\u00a0» n’est pas un montant")
    shot(page, "newcampaign-telegram-wrong-amount-fr")
    answer(page, "3\u202f000,50 €", "Combien de temps")
    category = answer(page, "30", "Dans quelle catégorie")
    press(category, "Design")
    press(bot_messages(page, "Comment les contributeurs").last, "Tout ou rien")
    press(bot_messages(page, "Envoyez une image pour la couverture").last, "Passer")
    answer(page, "Badge | 5", "Que reçoit un contributeur de «\u00a0Badge\u00a0»")
    press(bot_messages(page, "Que reçoit un contributeur").last, "Passer")
    shipping = answer(page, "mars 2030", "Où «\u00a0Badge\u00a0» est-il expédié")
    press(shipping, "Numérique")
    press(
        bot_messages(page, "Qui peut choisir «\u00a0Badge\u00a0»").last,
        "Secrète\u00a0: par lien seulement",
    )
    press(bot_messages(page, "Contrepartie «\u00a0Badge\u00a0»").last, "Pas d’autre contrepartie")
    preview = bot_messages(page, "Voici à quoi ressemblera").last
    expect(preview).to_contain_text("Secrète\u00a0: proposée par lien seulement")
    expect(preview).to_contain_text("Livraison estimée\u00a0: mars 2030\nNumérique, sans envoi")
    shot(page, "newcampaign-telegram-preview-fr")
    # Dropped rather than left waiting for a button: it would take the text you type in the
    # private chat in the modules after this one, which share the process.
    press(preview, "Annuler")
    expect(page.locator(".toast")).to_contain_text("Brouillon de campagne abandonné.")


def discord_command(page: Page, command: str) -> Locator:
    """Type a slash command in the Discord channel; the form it opens."""
    page.click("#tab-discord")
    page.fill("#dc-input", command)
    page.press("#dc-input", "Enter")
    form = page.locator("#dc-modal")
    expect(form).to_be_visible()
    return form


def fill_form(page: Page, *answers: str) -> None:
    """Fill the open form's fields in order and submit it."""
    form = page.locator("#dc-modal")
    fields = form.locator("input, textarea")
    expect(fields).to_have_count(len(answers))
    for index, text in enumerate(answers):
        fields.nth(index).fill(text)
    # The sandbox page's own labels follow its language switch.
    form.get_by_role("button", name=re.compile("^(Submit|Envoyer)$")).click()
    expect(form).not_to_be_visible()


def latest(page: Page, containing: str) -> Locator:
    """The latest message only the person sees that holds that text."""
    found = page.locator(".dc-message.ephemeral", has_text=containing).last
    expect(found).to_be_visible()
    return found


def click(message: Locator, label: str) -> None:
    """Press a button of a Discord message."""
    message.locator(".dc-button", has_text=label).first.click()


def test_on_discord_a_creator_corrects_an_amount_and_drafts_a_campaign(page: Page) -> None:
    form = discord_command(page, "/newcampaign")
    expect(form).to_contain_text("New campaign")
    expect(form).to_contain_text("Goal, with its currency")
    shot(page, "newcampaign-discord-form")
    lamp = ("Desk Lamp", "A lamp for long evenings.", "Walnut and linen.")
    fill_form(page, *lamp, "five thousand", "30")
    refused = latest(page, "is not an amount")
    expect(refused).to_contain_text("“five thousand” is not an amount: type digits, e.g. 5000")
    shot(page, "newcampaign-discord-wrong-amount")
    click(refused, "Try again")
    expect(form.locator("input").nth(0)).to_have_value("Desk Lamp")
    fill_form(page, *lamp, "$2,500", "30")

    click(latest(page, "Which category is it in?"), "Design")
    click(latest(page, "How should backers be charged?"), "All or nothing")
    click(latest(page, "Now the rewards"), "Add a reward")
    expect(form).to_contain_text("Price in USD")
    fill_form(page, "Early bird", "40", "50", "A lamp, signed.", "2030-03")
    shipping = latest(page, "Where does “Early bird” ship?")
    shot(page, "newcampaign-discord-shipping")
    click(shipping, "Some countries…")
    fill_form(page, "US, CA")
    click(latest(page, "Who can choose “Early bird”"), "First 48 hours")
    click(latest(page, "Added “Early bird” at $40.00"), "Preview")
    preview = latest(page, "This is how your campaign will look")
    expect(preview).to_contain_text("Estimated delivery: March 2030")
    expect(preview).to_contain_text("Ships to United States and Canada")
    expect(preview).to_contain_text("Until ")
    shot(page, "newcampaign-discord-preview")
    click(preview, "Create draft")
    expect(latest(page, "Your draft “Desk Lamp” is saved as desk-lamp")).to_contain_text(
        "“Desk Lamp” is sent for review."
    )
    shot(page, "newcampaign-discord-saved")


def test_on_discord_in_french_the_forms_and_refusals_are_french(french: Page) -> None:
    page = french
    form = discord_command(page, "/nouvellecampagne")
    expect(form).to_contain_text("Nouvelle campagne")
    fill_form(page, "Lampe de bureau", "Une lampe pour le soir.", "", "cinq mille", "30")
    refused = latest(page, "n’est pas un montant")
    shot(page, "newcampaign-discord-wrong-amount-fr")
    click(refused, "Réessayer")
    fill_form(page, "Lampe de bureau", "Une lampe pour le soir.", "", "2\u202f500 €", "30")
    click(latest(page, "Dans quelle catégorie"), "Design")
    click(latest(page, "Comment les contributeurs"), "Flexible")
    click(latest(page, "Maintenant les contreparties"), "Ajouter une contrepartie")
    fill_form(page, "Badge", "5", "", "", "févr. 2030")
    click(latest(page, "Où «\u00a0Badge\u00a0» est-il expédié"), "Numérique")
    click(latest(page, "Qui peut choisir «\u00a0Badge\u00a0»"), "Une autre durée…")
    fill_form(page, "3 jours")
    click(latest(page, "Contrepartie «\u00a0Badge\u00a0»"), "Aperçu")
    preview = latest(page, "Voici à quoi ressemblera")
    expect(preview).to_contain_text("Livraison estimée\u00a0: février 2030")
    shot(page, "newcampaign-discord-preview-fr")
