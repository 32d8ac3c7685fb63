"""Creator commands that name a campaign, then await one answer about it (/cover, /launchdate):
the campaign checked before the question, kept for the answer, forgotten on /cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Update
from telegram.ext import ConversationHandler

from adapters.telegram.callers import caller_of, is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.picking import typed
from core.campaigns import Campaign
from core.errors import DomainError
from core.i18n import gettext, use_locale
from core.identity import Identity
from core.ports import UnitOfWork

WAITING = 0


@dataclass(frozen=True, slots=True)
class NamedCampaignAsk:
    """One such command: where it keeps the campaign's slug, what it says (untranslated
    messages, as N_ marks them), the check made before asking, and the question."""

    key: str
    private_only: str
    usage: str
    unchanged: str
    check: Callable[[UnitOfWork, Identity, str], Awaitable[Campaign]]
    question: Callable[[str], str]

    async def begin(self, update: Update, context: BackitContext) -> int:
        """The command with a name: the campaign checked, then the question asked."""
        caller = await caller_of(update, context)
        with use_locale(caller.locale):
            if not is_private(update):
                await tell(update, gettext(self.private_only))
                return ConversationHandler.END
            if not typed(context):
                await tell(update, gettext(self.usage))
                return ConversationHandler.END
            try:
                campaign = await self.check(
                    context.services.uows(), caller.identity, typed(context)
                )
            except DomainError as error:
                await tell(update, error.user_message())
                return ConversationHandler.END
            assert context.user_data is not None
            context.user_data[self.key] = campaign.slug
            await tell(update, self.question(campaign.title))
            return WAITING

    def campaign(self, context: BackitContext) -> str:
        """The slug of the campaign the answer is about."""
        assert context.user_data is not None
        return str(context.user_data[self.key])

    def forget(self, context: BackitContext) -> None:
        """The answer came: nothing is awaited any more."""
        assert context.user_data is not None
        context.user_data.pop(self.key, None)

    async def cancelled(self, update: Update, context: BackitContext) -> int:
        """/cancel: the campaign stays as it was."""
        caller = await caller_of(update, context)
        self.forget(context)
        with use_locale(caller.locale):
            await tell(update, gettext(self.unchanged))
        return ConversationHandler.END
