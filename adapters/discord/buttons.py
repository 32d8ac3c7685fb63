"""Every press of a button carrying an intent, routed by its custom id, even after a restart."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from adapters.discord import (
    account,
    browsing,
    changing,
    creator,
    following,
    pledging,
    update_archive,
)
from adapters.discord.answering import answer
from adapters.discord.callers import BackitInteraction
from adapters.discord.layout import REPEAT
from adapters.discord.newcampaign import PREFIX as DRAFT_PREFIX
from adapters.discord.replies import Mode, Reply
from adapters.discord.updates import AUDIENCE_PREFIX, post_update_button
from core.identity import Caller
from core.views.intents import Action, Intent, StaleButton

ButtonHandler = Callable[[BackitInteraction, Intent], Awaitable[None]]

HANDLERS: dict[Action, ButtonHandler] = {
    Action.BROWSE: browsing.browse_button,
    Action.CATEGORIES: browsing.categories_button,
    Action.SHOW: browsing.show_button,
    Action.PLEDGE: pledging.pledge_button,
    Action.PLEDGE_CUSTOM: pledging.custom_button,
    Action.FOLLOW: following.follow_button,
    Action.UNFOLLOW: following.follow_button,
    Action.CANCEL_PLEDGE: account.cancel_button,
    Action.CONFIRM_CANCEL: account.confirm_cancel_button,
    Action.UPDATES: update_archive.updates_button,
    Action.MANAGE: creator.manage_button,
    Action.AMBASSADORS: creator.ambassadors_button,
    Action.POST_UPDATE: post_update_button,
    Action.CHANGE_PLEDGE: changing.change_button,
    Action.CHANGE_TO: changing.change_to_button,
    Action.CHANGE_AMOUNT: changing.change_amount_button,
}
# Every custom id but the audience and draft buttons', whatever it holds: a malformed one still
# gets an explanation, where a custom id no template matched would go unanswered.
TEMPLATE = re.compile(
    rf"(?!{re.escape(AUDIENCE_PREFIX)}|{re.escape(DRAFT_PREFIX)})(?P<intent>.*?)(?:{REPEAT}[0-9]+)?",
    re.DOTALL,
)


async def _stale(interaction: BackitInteraction, intent: Intent | None) -> None:
    async def work(caller: Caller) -> Reply:
        raise StaleButton()

    await answer(interaction, Mode.PRIVATE, work)


class IntentButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=TEMPLATE):
    """A button whose custom id is an encoded intent; made afresh from each press."""

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: BackitInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> IntentButton:
        """The pressed button, read back from its custom id."""
        assert isinstance(item, discord.ui.Button)
        return cls(item)

    async def callback(self, interaction: BackitInteraction) -> None:  # type: ignore[override]
        """Hand the intent to its handler; data that means nothing gets a short explanation."""
        match = self.template.fullmatch(self.custom_id)
        assert match is not None, "discord.py dispatches only custom ids the template matches"
        try:
            intent = Intent.decode(match["intent"])
        except StaleButton:
            await _stale(interaction, None)
            return
        await HANDLERS.get(intent.action, _stale)(interaction, intent)
