"""Payout accounts in SQL: one per identity, found by identity or provider id, newest state kept."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, timedelta
from itertools import permutations
from typing import Any

from adapters.storage import Database
from core.identity import Identity, Platform
from core.payouts import AccountState, PayoutAccount
from core.ports import UnitOfWork
from tests.adapters.storage.builders import CO_CREATOR, CREATOR, NOW, committed

LATER = NOW + timedelta(minutes=5)
OTHER = Identity(Platform.TELEGRAM, "2000")


def a_state(account_id: str = "acct_1", **changes: Any) -> AccountState:
    """A French account still asking for details, as of NOW."""
    state = AccountState(
        account_id=account_id,
        country="FR",
        charges_enabled=False,
        payouts_enabled=True,
        details_submitted=True,
        currently_due=("external_account", "individual.dob.day"),
        as_of=NOW,
    )
    return replace(state, **changes)


async def add(
    database: Database, state: AccountState, identities: tuple[Identity, ...]
) -> PayoutAccount | None:
    """Add an account in its own committed unit of work."""
    return await committed(database, lambda uow: uow.payout_accounts.add(state, identities, NOW))


async def every_account(database: Database) -> list[PayoutAccount]:
    """Every account as committed."""
    async with database.unit_of_work() as uow:
        return list(await uow.payout_accounts.list_all())


async def test_an_account_round_trips_with_its_identities_in_the_order_given(
    database: Database,
) -> None:
    stored = await add(database, a_state(), (CO_CREATOR, CREATOR))

    assert stored is not None
    assert stored == PayoutAccount(stored.id, a_state(), (CO_CREATOR, CREATOR), NOW)
    assert stored.created_at.tzinfo is UTC
    async with database.unit_of_work() as uow:
        assert await uow.payout_accounts.of_identity(CREATOR) == stored
        assert await uow.payout_accounts.of_identity(CO_CREATOR) == stored
        assert await uow.payout_accounts.of_identity(OTHER) is None
        assert await uow.payout_accounts.list_all() == [stored]


async def test_an_account_may_belong_to_no_identity_yet(database: Database) -> None:
    stored = await add(database, a_state(), ())

    assert stored is not None
    assert stored.identities == ()
    assert await every_account(database) == [stored]


async def test_a_taken_provider_account_stores_nothing(database: Database) -> None:
    first = await add(database, a_state(), (CREATOR,))

    again = await add(database, a_state(country="DE"), (OTHER,))

    assert again is None
    assert await every_account(database) == [first]
    async with database.unit_of_work() as uow:
        assert await uow.payout_accounts.of_identity(OTHER) is None


async def test_a_taken_identity_stores_nothing_and_undoes_only_that(database: Database) -> None:
    first = await add(database, a_state(), (CREATOR,))

    async def add_two(uow: UnitOfWork) -> tuple[PayoutAccount | None, PayoutAccount | None]:
        kept = await uow.payout_accounts.add(a_state("acct_2"), (CO_CREATOR,), NOW)
        refused = await uow.payout_accounts.add(a_state("acct_3"), (OTHER, CREATOR), NOW)
        return kept, refused

    kept, refused = await committed(database, add_two)

    assert refused is None
    assert kept is not None
    assert await every_account(database) == [first, kept]
    async with database.unit_of_work() as uow:
        assert await uow.payout_accounts.of_identity(OTHER) is None
        assert await uow.payout_accounts.hold("acct_3") is None


async def test_an_identity_given_twice_belongs_to_the_account_once(database: Database) -> None:
    stored = await add(database, a_state(), (CREATOR, OTHER, CREATOR))

    assert stored is not None
    assert stored.identities == (CREATOR, OTHER)


async def test_a_campaigns_account_is_that_of_its_first_creator_who_has_one(
    database: Database,
) -> None:
    first = await add(database, a_state(), (CREATOR,))
    second = await add(database, a_state("acct_2"), (CO_CREATOR,))
    async with database.unit_of_work() as uow:
        accounts = uow.payout_accounts
        assert await accounts.of_creators([OTHER, CO_CREATOR, CREATOR]) == second
        assert await accounts.of_creators([CREATOR, CO_CREATOR]) == first
        assert await accounts.of_creators([OTHER]) is None
        assert await accounts.of_creators([]) is None


async def test_accounts_are_listed_oldest_first(database: Database) -> None:
    older = await add(database, a_state("acct_b"), (CREATOR,))
    newer = await add(database, a_state("acct_a"), (OTHER,))

    assert await every_account(database) == [older, newer]


async def test_a_newer_state_is_kept_and_an_older_one_refused(database: Database) -> None:
    stored = await add(database, a_state(), (CREATOR,))
    assert stored is not None
    ready = a_state(charges_enabled=True, currently_due=(), country="DE", as_of=LATER)
    stale = a_state(as_of=LATER - timedelta(seconds=1))

    async def save(uow: UnitOfWork) -> list[bool]:
        return [
            await uow.payout_accounts.save_state(ready),
            await uow.payout_accounts.save_state(stale),
            await uow.payout_accounts.save_state(replace(ready, payouts_enabled=False)),
            await uow.payout_accounts.save_state(a_state("acct_unknown", as_of=LATER)),
        ]

    assert await committed(database, save) == [True, False, True, False]
    assert await every_account(database) == [
        replace(stored, state=replace(ready, payouts_enabled=False))
    ]


async def test_a_held_account_is_found_by_its_provider_id(database: Database) -> None:
    stored = await add(database, a_state(), (CREATOR,))
    async with database.unit_of_work() as uow:
        assert await uow.payout_accounts.hold("acct_1") == stored
        assert await uow.payout_accounts.hold("acct_2") is None


async def test_a_held_account_keeps_others_waiting_until_its_transaction_ends(
    database: Database,
) -> None:
    await add(database, a_state(), (CREATOR,))
    holding = database.unit_of_work()
    await holding.__aenter__()
    try:
        assert await holding.payout_accounts.hold("acct_1") is not None

        async def hold_meanwhile() -> PayoutAccount:
            async with database.unit_of_work() as uow:
                held = await uow.payout_accounts.hold("acct_1")
            assert held is not None
            return held

        waiting = asyncio.create_task(hold_meanwhile())
        await asyncio.sleep(0.3)
        assert not waiting.done()
        await holding.payout_accounts.save_state(a_state(charges_enabled=True, as_of=LATER))
        await holding.commit()
    finally:
        await holding.__aexit__(None, None, None)

    assert (await waiting).can_take_pledges


async def test_one_identity_added_at_once_from_two_transactions_gets_one_account(
    database: Database,
) -> None:
    results = await asyncio.gather(
        add(database, a_state("acct_1"), (CREATOR,)),
        add(database, a_state("acct_2"), (CREATOR,)),
    )

    added = [result for result in results if result is not None]
    assert len(added) == 1
    assert await every_account(database) == added


async def test_identities_given_in_every_order_at_once_get_one_account(
    database: Database,
) -> None:
    orders = list(permutations((CREATOR, CO_CREATOR, OTHER)))

    results = await asyncio.gather(
        *(add(database, a_state(f"acct_{n}"), order) for n, order in enumerate(orders))
    )

    added = [result for result in results if result is not None]
    assert len(added) == 1
    assert await every_account(database) == added


async def test_one_provider_account_added_at_once_from_two_transactions_is_stored_once(
    database: Database,
) -> None:
    results = await asyncio.gather(
        add(database, a_state(), (CREATOR,)), add(database, a_state(), (OTHER,))
    )

    added = [result for result in results if result is not None]
    assert len(added) == 1
    assert await every_account(database) == added
