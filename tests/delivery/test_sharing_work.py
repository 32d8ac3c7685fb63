"""Several dispatchers on one database share the outbox and never send a message twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from adapters.standins.telegram import BotApiStandin
from adapters.storage import Database
from bots.clock import SystemClock
from core.campaigns import Campaign
from core.delivery import MessageSender
from core.identity import Identity, Platform
from core.outbox import Recipient
from core.rate_limits import Rate, SendLimits
from core.updates import UpdateAudience
from core.usecases.updating import post_update
from core.views.model import Notice
from tests.adapters.storage.builders import CREATOR
from tests.delivery.audiences import add_followers
from tests.delivery.conftest import QUICK, deliver_everything, dispatcher, telegram

PEOPLE = 600
QUICK_LIMITS = SendLimits(Rate(2_000, 1.0), Rate(1, 1.0), Rate(20, 60.0))


@dataclass
class Counted:
    """A sender that counts what it delivered, around a real one."""

    sender: MessageSender
    delivered: list[str] = field(default_factory=list)

    @property
    def platform(self) -> Platform:
        """The wrapped sender's platform."""
        return self.sender.platform

    async def send(self, recipient: Recipient, notice: Notice, *, skip_parts: int = 0) -> None:
        """Send, then count."""
        await self.sender.send(recipient, notice, skip_parts=skip_parts)
        self.delivered.append(recipient.address)

    async def post_report(self, chat_id: str, text: str) -> str:
        """Post through the real sender."""
        return await self.sender.post_report(chat_id, text)

    async def edit_report(self, chat_id: str, message_id: str, text: str) -> None:
        """Edit through the real sender."""
        await self.sender.edit_report(chat_id, message_id, text)


async def test_two_dispatchers_share_the_outbox_without_sending_anything_twice(
    migrated_database_url: str, campaign: Campaign, telegram_standin: BotApiStandin
) -> None:
    people = [telegram_standin.user(10_000 + n, f"P{n}") for n in range(PEOPLE)]
    for user in people:
        telegram_standin.private_chat(user)
    async with (
        Database.connect(migrated_database_url) as first_db,
        Database.connect(migrated_database_url) as second_db,
    ):
        await add_followers(
            first_db, campaign.id, [Identity(Platform.TELEGRAM, str(u.id)) for u in people]
        )
        await post_update(
            first_db.unit_of_work(),
            SystemClock(),
            frozenset(),
            CREATOR,
            campaign.id,
            "The first lamps are out of the kiln.",
            UpdateAudience.EVERYONE,
        )
        # Small batches, so that both keep coming back for more.
        settings = replace(QUICK, batch_size=20)
        async with (
            telegram(telegram_standin, QUICK_LIMITS) as one,
            telegram(telegram_standin, QUICK_LIMITS) as other,
        ):
            first, second = Counted(one), Counted(other)
            await deliver_everything(
                first_db,
                dispatcher(first_db, [first], settings),
                dispatcher(second_db, [second], settings),
            )

    assert first.delivered
    assert second.delivered
    assert len(first.delivered) + len(second.delivered) == PEOPLE
    received = Counter(record.chat_id for record in telegram_standin.send_log)
    assert received == Counter({user.id: 1 for user in people})
