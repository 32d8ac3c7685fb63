"""The command menus Telegram shows, in English and French, for private chats and groups."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats

from core.i18n import N_, SUPPORTED_LOCALES, gettext, use_locale

PRIVATE = (
    ("discover", N_("Browse campaigns")),
    ("search", N_("Find a campaign")),
    ("updates", N_("A campaign's past updates")),
    ("following", N_("Campaigns you follow")),
    ("mypledges", N_("Your pledges")),
    ("mycampaigns", N_("Your campaigns, as a creator")),
    ("payouts", N_("Your payout account, as a creator")),
    ("update", N_("Post an update to your backers")),
    ("newcampaign", N_("Create a campaign")),
    ("submit", N_("Send your draft for review")),
    ("cover", N_("Give your campaign its cover picture")),
    ("launchdate", N_("Choose when your campaign launches")),
    ("ambassadors", N_("What share links brought")),
    ("language", N_("Choose your language")),
)
GROUP = (
    ("discover", N_("Browse campaigns")),
    ("search", N_("Find a campaign")),
    ("updates", N_("A campaign's past updates")),
    ("link", N_("Link a campaign to this group (admins)")),
    ("unlink", N_("Unlink a campaign (admins)")),
    ("announce", N_("Turn announcements on or off (admins)")),
)


def _commands(menu: tuple[tuple[str, str], ...]) -> list[BotCommand]:
    return [BotCommand(name, gettext(description)) for name, description in menu]


async def set_menus(bot: Bot) -> None:
    """Set both menus in every supported language (English is also the default)."""
    for locale in SUPPORTED_LOCALES:
        code = None if locale == "en" else locale
        with use_locale(locale):
            await bot.set_my_commands(
                _commands(PRIVATE), scope=BotCommandScopeAllPrivateChats(), language_code=code
            )
            await bot.set_my_commands(
                _commands(GROUP), scope=BotCommandScopeAllGroupChats(), language_code=code
            )
