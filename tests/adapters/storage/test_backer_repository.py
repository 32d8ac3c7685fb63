"""Backers in SQL: every field round-trips, found by id, identity and referral code."""

from __future__ import annotations

from dataclasses import replace

from adapters.storage import Database
from core.backers import Backer
from core.identity import Identity, Platform
from tests.adapters.storage.builders import a_backer, committed


async def add(database: Database, backer: Backer) -> Backer:
    """A backer, stored and committed."""
    return await committed(database, lambda uow: uow.backers.add(backer))


async def get(database: Database, backer_id: int) -> Backer | None:
    """A backer as committed."""
    async with database.unit_of_work() as uow:
        return await uow.backers.get(backer_id)


async def test_a_backer_round_trips_with_every_field(database: Database) -> None:
    backer = a_backer(
        "80351110224678912",
        identity=Identity(Platform.DISCORD, "80351110224678912"),
        chosen_locale="fr",
        reachable=False,
    )
    stored = await add(database, backer)
    assert stored == replace(backer, id=stored.id)
    async with database.unit_of_work() as uow:
        assert await uow.backers.get(stored.id) == stored
        assert await uow.backers.by_identity(backer.identity) == stored
        assert await uow.backers.by_referral_code(backer.referral_code) == stored


async def test_the_same_user_id_on_two_platforms_is_two_backers(database: Database) -> None:
    telegram = await add(database, a_backer("5"))
    discord = await add(
        database, a_backer("5", identity=Identity(Platform.DISCORD, "5"), referral_code="d5")
    )
    assert telegram.id != discord.id
    async with database.unit_of_work() as uow:
        assert await uow.backers.by_identity(Identity(Platform.DISCORD, "5")) == discord


async def test_adding_a_known_identity_again_returns_the_stored_backer(database: Database) -> None:
    first = await add(database, a_backer("5"))
    again = await add(database, a_backer("5", display_name="Someone else", referral_code="other"))
    assert again == first


async def test_unknown_backers_are_not_found(database: Database) -> None:
    async with database.unit_of_work() as uow:
        assert await uow.backers.get(1) is None
        assert await uow.backers.by_identity(Identity(Platform.TELEGRAM, "1")) is None
        assert await uow.backers.by_referral_code("nope") is None


async def test_the_profile_follows_what_the_platform_reports(database: Database) -> None:
    stored = await add(database, a_backer("5"))
    await committed(database, lambda uow: uow.backers.update_profile(stored.id, "Grace", "fr"))
    assert await get(database, stored.id) == replace(stored, display_name="Grace", locale="fr")


async def test_a_chosen_locale_is_kept_and_can_be_cleared(database: Database) -> None:
    stored = await add(database, a_backer("5"))
    await committed(database, lambda uow: uow.backers.choose_locale(stored.id, "fr"))
    chosen = await get(database, stored.id)
    assert chosen is not None
    assert (chosen.chosen_locale, chosen.effective_locale) == ("fr", "fr")
    await committed(database, lambda uow: uow.backers.choose_locale(stored.id, None))
    assert await get(database, stored.id) == stored
