"""Backers: created on first contact, their chosen language kept."""

from __future__ import annotations

from core.campaigns import Campaign
from core.identity import Caller
from core.usecases.backers import choose_language, remember
from core.usecases.following import follow
from tests.core.conftest import caller
from tests.fakes import FakeDatabase, FixedClock


async def test_first_contact_creates_a_backer_with_a_referral_code(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    await follow(db.unit_of_work(), clock, caller(1, locale="fr-FR"), campaign.id)
    await follow(db.unit_of_work(), clock, caller(2), campaign.id)
    first, second = db.state.backers.values()
    assert first.locale == "fr"
    assert len(first.referral_code) >= 8
    assert first.referral_code != second.referral_code


async def test_a_chosen_language_wins_over_the_platforms_and_survives_renames(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    person = caller(1, locale="en")
    await choose_language(db.unit_of_work(), person, "fr")
    renamed = Caller(person.identity, "New Name", "en")
    await follow(db.unit_of_work(), clock, renamed, campaign.id)
    backer = next(iter(db.state.backers.values()))
    assert (backer.display_name, backer.effective_locale) == ("New Name", "fr")
    await choose_language(db.unit_of_work(), person, None)
    assert next(iter(db.state.backers.values())).effective_locale == "en"


async def test_remembering_someone_known_and_unchanged_writes_nothing(db: FakeDatabase) -> None:
    first = await remember(db.unit_of_work, caller(7))
    commits = db.commits

    again = await remember(db.unit_of_work, caller(7))
    renamed = await remember(db.unit_of_work, Caller(caller(7).identity, "Ada L.", "en"))

    assert again == first
    assert renamed.display_name == "Ada L."
    assert db.commits == commits + 1
