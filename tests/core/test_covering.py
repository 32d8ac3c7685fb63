"""Covers: only a campaign's creator gives it one, and its card picture changes with it."""

from __future__ import annotations

import pytest

from core.campaigns import Campaign
from core.covers import Cover, NotYourCampaign
from core.errors import CampaignNotFound
from core.identity import Identity, Platform
from core.usecases.covering import campaign_to_cover, cover_jpeg, set_cover
from core.views.pictures import card_picture
from tests.core.conftest import CREATOR
from tests.fakes import FakeDatabase, FixedClock

RED = Cover.of(b"red", 1200, 675)
BLUE = Cover.of(b"blue", 1200, 675)
SOMEONE = Identity(Platform.TELEGRAM, "7")


async def test_the_creator_sets_and_replaces_the_cover(
    db: FakeDatabase, campaign: Campaign
) -> None:
    await set_cover(db.unit_of_work(), CREATOR, "lamp", RED)
    # By its title, too.
    changed = await set_cover(db.unit_of_work(), CREATOR, "The Reading Lamp", BLUE)
    assert changed.cover == BLUE.digest
    assert db.state.covers == {campaign.id: BLUE}
    assert await cover_jpeg(db.unit_of_work, BLUE.digest) == b"blue"
    assert await cover_jpeg(db.unit_of_work, RED.digest) is None


async def test_someone_else_is_refused_and_nothing_is_written(
    db: FakeDatabase, campaign: Campaign
) -> None:
    with pytest.raises(NotYourCampaign):
        await campaign_to_cover(db.unit_of_work(), SOMEONE, "lamp")
    with pytest.raises(NotYourCampaign):
        await set_cover(db.unit_of_work(), SOMEONE, "lamp", RED)
    with pytest.raises(CampaignNotFound):
        await set_cover(db.unit_of_work(), CREATOR, "nope", RED)
    assert db.state.covers == {}


async def test_the_card_picture_carries_the_cover_and_changes_with_it(
    db: FakeDatabase, clock: FixedClock, campaign: Campaign
) -> None:
    assert card_picture(campaign, clock.now()).cover is None
    red = card_picture(await set_cover(db.unit_of_work(), CREATOR, "lamp", RED), clock.now())
    blue = card_picture(await set_cover(db.unit_of_work(), CREATOR, "lamp", BLUE), clock.now())
    assert (red.cover, blue.cover) == (RED.digest, BLUE.digest)
    assert red != blue
