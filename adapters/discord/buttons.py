"""Every press of a button carrying an intent, routed by its custom id, even after a restart."""

from __future__ import annotations

import re
from typing import Any

import discord

from adapters.discord import (
    account,
    browsing,
    changing,
    charts,
    creator,
    following,
    late_pledges,
    pledging,
    reviewing,
    update_archive,
)
from adapters.discord.answering import answer
from adapters.discord.callers import BackitInteraction
from adapters.discord.layout import REPEAT
from adapters.discord.newcampaign import PREFIX as DRAFT_PREFIX
from adapters.discord.replies import Mode, Reply
from adapters.discord.updates import AUDIENCE_PREFIX, post_update_button
from core.identity import Caller
from core.views.intents import (
    Ambassadors,
    Approve,
    Browse,
    CancelPledge,
    Categories,
    ChangeAmount,
    ChangePledge,
    ChangeTo,
    ConfirmCancel,
    ExportBackers,
    Follow,
    FundingChart,
    Intent,
    KeepPledge,
    Manage,
    OpenLatePledges,
    Pledge,
    PledgeCustom,
    PostUpdate,
    RequestChanges,
    Show,
    StaleButton,
    SubmitForReview,
    Unfollow,
    Updates,
    decode,
)

# Every custom id but the audience and draft buttons', whatever it holds: a malformed one still
# gets an explanation, where a custom id no template matched would go unanswered.
TEMPLATE = re.compile(
    rf"(?!{re.escape(AUDIENCE_PREFIX)}|{re.escape(DRAFT_PREFIX)})(?P<intent>.*?)(?:{REPEAT}[0-9]+)?",
    re.DOTALL,
)


async def _stale(interaction: BackitInteraction) -> None:
    async def work(caller: Caller) -> Reply:
        raise StaleButton()

    await answer(interaction, Mode.PRIVATE, work)


async def _run(interaction: BackitInteraction, intent: Intent) -> None:
    """Hand the intent to the handler of its kind; a kind Discord has no button for is stale."""
    match intent:
        case Browse():
            await browsing.browse_button(interaction, intent)
        case Categories():
            await browsing.categories_button(interaction, intent)
        case Show():
            await browsing.show_button(interaction, intent)
        case Pledge():
            await pledging.pledge_button(interaction, intent)
        case PledgeCustom():
            await pledging.custom_button(interaction, intent)
        case Follow() | Unfollow():
            await following.follow_button(interaction, intent)
        case CancelPledge():
            await account.cancel_button(interaction, intent)
        case ConfirmCancel():
            await account.confirm_cancel_button(interaction, intent)
        case KeepPledge():
            await account.keep_button(interaction, intent)
        case FundingChart():
            await charts.chart_button(interaction, intent)
        case Updates():
            await update_archive.updates_button(interaction, intent)
        case Manage():
            await creator.manage_button(interaction, intent)
        case Ambassadors():
            await creator.ambassadors_button(interaction, intent)
        case ExportBackers():
            await creator.export_button(interaction, intent)
        case OpenLatePledges():
            await late_pledges.open_late_button(interaction, intent)
        case PostUpdate():
            await post_update_button(interaction, intent)
        case ChangePledge():
            await changing.change_button(interaction, intent)
        case ChangeTo():
            await changing.change_to_button(interaction, intent)
        case ChangeAmount():
            await changing.change_amount_button(interaction, intent)
        case SubmitForReview():
            await reviewing.submit_button(interaction, intent)
        case Approve():
            await reviewing.approve_button(interaction, intent)
        case RequestChanges():
            await reviewing.request_changes_button(interaction, intent)
        case _:
            await _stale(interaction)


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
            intent = decode(match["intent"])
        except StaleButton:
            await _stale(interaction)
            return
        await _run(interaction, intent)
