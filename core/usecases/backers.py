"""Knowing the person behind a chat event."""

from __future__ import annotations

import re
import secrets

from core.backers import Backer
from core.i18n import negotiate
from core.identity import Caller, Identity
from core.ports import UnitOfWork, UnitOfWorkFactory

# What a referral code read from outside (a link's ?ref=, a start payload) may look like; the
# codes made here are 8 of these characters.
REFERRAL_CODE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


def new_referral_code() -> str:
    """A short, URL-safe, unguessable code for a backer's share links."""
    return secrets.token_urlsafe(6)


async def ensure_backer(uow: UnitOfWork, caller: Caller) -> Backer:
    """The caller's backer record, created on first contact and kept up to date."""
    locale = negotiate(caller.locale)
    backer = await uow.backers.by_identity(caller.identity)
    if backer is None:
        return await uow.backers.add(
            Backer(
                id=0,
                identity=caller.identity,
                display_name=caller.display_name,
                locale=locale,
                referral_code=new_referral_code(),
            )
        )
    if (backer.display_name, backer.locale) != (caller.display_name, locale):
        await uow.backers.update_profile(backer.id, caller.display_name, locale)
        backer.display_name, backer.locale = caller.display_name, locale
    return backer


async def choose_language(uow: UnitOfWork, caller: Caller, language: str | None) -> Backer:
    """Remember the language a person picked over the one their app reports."""
    async with uow:
        backer = await ensure_backer(uow, caller)
        chosen = negotiate(language) if language else None
        await uow.backers.choose_locale(backer.id, chosen)
        await uow.commit()
    backer.chosen_locale = chosen
    return backer


async def chosen_locale(uow: UnitOfWork, caller_identity: Identity) -> str | None:
    """The language a person picked with /language, if any."""
    async with uow:
        backer = await uow.backers.by_identity(caller_identity)
    return backer.chosen_locale if backer else None


async def reachable_again(uows: UnitOfWorkFactory, caller: Caller) -> None:
    """Someone who started the bot again (after blocking it, say) can be messaged again."""
    async with uows() as uow:
        backer = await ensure_backer(uow, caller)
        if not backer.reachable:
            await uow.backers.set_reachable(backer.id, True)
        await uow.commit()


async def remember(uows: UnitOfWorkFactory, caller: Caller) -> Backer:
    """The caller's backer record, created on first contact (needed to sign their links)."""
    # Most people are known and unchanged: a read, which waits for no writer, says so.
    async with uows(read_only=True) as uow:
        known = await uow.backers.by_identity(caller.identity)
    if known is not None and (known.display_name, known.locale) == (
        caller.display_name,
        negotiate(caller.locale),
    ):
        return known
    async with uows() as uow:
        backer = await ensure_backer(uow, caller)
        await uow.commit()
    return backer
