"""/cover on Discord: the picture attached to the command becomes the campaign's cover, for its
creator alone; anyone else, and anything that is not a usable picture, is refused unkept."""

from __future__ import annotations

import io

from PIL import Image

from adapters.standins.discord import Member
from adapters.standins.discord.attachments import Upload
from core.campaigns import Campaign
from core.covers import Cover
from core.ports import Clock
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, identity, reply
from tests.adapters.images.test_covers import png_header


def picture(
    format: str, size: tuple[int, int] = (1600, 900), colour: tuple[int, int, int] = (220, 30, 30)
) -> Upload:
    """A picture of one colour, attached as a file of that format."""
    encoded = io.BytesIO()
    Image.new("RGB", size, colour).save(encoded, format=format)
    kind = format.lower()
    return Upload(f"lamp.{kind}", f"image/{kind}", encoded.getvalue())


async def cover_of(bot: RunningBot, campaign: Campaign) -> Cover | None:
    """The campaign's cover as stored."""
    async with bot.services.uows() as uow:
        return await uow.covers.of_campaign(campaign.id)


async def covers(member: Member, name: str, file: Upload) -> str | None:
    """/cover with a file; the answer, which only the member sees."""
    answer = await reply(await member.slash("cover", options={"name": name, "picture": file}))
    assert answer.visible_to == member.user.id
    return answer.content


async def test_the_creators_picture_becomes_the_cover(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada = discord_bot.member(guild, "ada")
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))

    assert await covers(ada, "lamp", picture("PNG")) == "“The Reading Lamp” has its new cover."
    first = await cover_of(discord_bot, lamp)
    assert first is not None
    assert (first.width, first.height) == (1200, 675)
    assert await covers(ada, "The Reading Lamp", picture("WEBP", (2000, 1100), (30, 30, 220))) == (
        "“The Reading Lamp” has its new cover."
    )
    second = await cover_of(discord_bot, lamp)
    assert second is not None
    assert second.digest != first.digest


async def test_someone_elses_campaign_and_unusable_pictures_are_refused(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))

    assert await covers(bob, "lamp", picture("PNG")) == (
        "Only the creator of “The Reading Lamp” can change its cover."
    )
    notes = Upload("notes.txt", "text/plain", b"a list of ideas")
    assert await covers(ada, "lamp", notes) == (
        "That is not a picture Backit can use: send a JPEG, PNG or WebP image."
    )
    assert await covers(ada, "lamp", picture("PNG", (64, 36))) == (
        "That picture is too small: send one at least 320×180 pixels."
    )
    bomb = Upload("bomb.png", "image/png", png_header(30_000, 30_000) + b"\x00" * 64)
    assert await covers(ada, "lamp", bomb) == (
        "That picture is too large: send one under 10 MB and 40 megapixels."
    )
    assert await cover_of(discord_bot, lamp) is None


async def test_the_answer_is_in_the_members_language(discord_bot: RunningBot, clock: Clock) -> None:
    lea = discord_bot.member(discord_bot.server(), "lea", locale="fr")
    await live_campaign(discord_bot.services.uows, clock, creators=(identity(lea),))
    assert await covers(lea, "lamp", picture("JPEG")) == (
        "«\u00a0The Reading Lamp\u00a0» a sa nouvelle couverture."
    )
