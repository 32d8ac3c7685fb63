"""Secret rewards: listed nowhere, revealed and pledged for only through their code."""

from __future__ import annotations

import pytest

from core.campaigns import Campaign
from core.errors import SecretLinkInvalid, TierNotFound
from core.i18n import use_locale
from core.payments import OutcomeKind
from core.usecases.ambassadors import Dashboard
from core.usecases.changing import ChangeRequest, new_amount
from core.usecases.managing import TierDraft, create_campaign, publish_campaign
from core.usecases.pledging import PledgeLimits, offer_pledge
from core.usecases.secret_rewards import reveal
from core.views.cards import campaign_card, viewer_card
from core.views.creator import dashboard_card
from core.views.intents import Pledge, StaleButton, decode
from core.views.model import Field
from core.views.pledge_changes import change_choices
from tests.core.conftest import CREATOR, apply, caller, draft, pledged
from tests.fakes import FakeDatabase, FixedClock

SECRET = TierDraft("Backstage pass", "Meet the makers", 20_000, quantity_limit=5, secret=True)


@pytest.fixture
async def with_secret(db: FakeDatabase, clock: FixedClock) -> Campaign:
    """A live campaign whose third reward is secret."""
    tiers = (*draft(clock).tiers, SECRET)
    await create_campaign(db.unit_of_work(), draft(clock, tiers=tiers))
    return await publish_campaign(db.unit_of_work(), clock, "lamp")


def _code(campaign: Campaign) -> str:
    code = campaign.tiers[2].secret_code
    assert code is not None
    return code


def _labels(campaign: Campaign, clock: FixedClock, **kwargs: object) -> list[str]:
    card = campaign_card(campaign, clock.now(), following=False, **kwargs)  # type: ignore[arg-type]
    return [button.label for row in card.buttons for button in row]


async def test_a_secret_reward_gets_an_unguessable_code_of_its_own_and_only_it(
    db: FakeDatabase, with_secret: Campaign
) -> None:
    codes = [tier.secret_code for tier in with_secret.tiers]
    assert codes[:2] == [None, None]
    assert codes[2] is not None
    assert len(codes[2]) == 10
    assert codes[2].isalnum()
    assert [tier.secret for tier in with_secret.tiers] == [False, False, True]


async def test_a_card_lists_no_secret_reward_but_offers_the_one_a_code_revealed(
    db: FakeDatabase, clock: FixedClock, with_secret: Campaign
) -> None:
    listed = _labels(with_secret, clock)
    assert not any("Backstage" in label for label in listed)
    card = campaign_card(with_secret, clock.now(), following=False)
    assert [
        entry.heading for s in card.sections for entry in s.entries if "Backstage" in entry.heading
    ] == []
    detail = await reveal(db.unit_of_work, _code(with_secret), caller(1).identity, ())
    assert detail.revealed == with_secret.tiers[2]
    shown = viewer_card(detail, clock.now(), own=True)
    pledges = [b.intent for row in shown.buttons for b in row if isinstance(b.intent, Pledge)]
    secret = Pledge(with_secret.id, with_secret.tiers[2].id, _code(with_secret))
    assert pledges[-1] == secret
    assert decode(secret.encode()) == secret


@pytest.mark.parametrize("code", ["", "short", "abcdefghij", "abc_efghij", "x" * 64])
async def test_a_malformed_or_unknown_code_is_refused_with_one_message(
    db: FakeDatabase, with_secret: Campaign, code: str
) -> None:
    with pytest.raises(SecretLinkInvalid) as refused:
        await reveal(db.unit_of_work, code, caller(1).identity, ())
    with use_locale("fr"):
        assert refused.value.user_message().startswith("Ce lien de récompense n’est pas valide.")


async def test_a_code_of_a_draft_is_unknown_to_all_but_its_creators(
    db: FakeDatabase, clock: FixedClock
) -> None:
    stored = await create_campaign(
        db.unit_of_work(), draft(clock, tiers=(*draft(clock).tiers, SECRET))
    )
    code = _code(stored)
    with pytest.raises(SecretLinkInvalid):
        await reveal(db.unit_of_work, code, caller(1).identity, ())
    assert (await reveal(db.unit_of_work, code, CREATOR, ())).revealed is not None


async def test_a_secret_reward_is_offered_only_with_its_code(
    db: FakeDatabase, clock: FixedClock, with_secret: Campaign
) -> None:
    tier_id = with_secret.tiers[2].id
    for wrong in (None, "AAAAAAAAAA"):
        with pytest.raises(SecretLinkInvalid):
            await offer_pledge(db.unit_of_work, clock, caller(1), with_secret.id, tier_id, wrong)
    offer = await offer_pledge(
        db.unit_of_work, clock, caller(1), with_secret.id, tier_id, _code(with_secret)
    )
    assert offer.tier is not None
    assert offer.tier.id == tier_id


async def test_no_change_of_pledge_leads_to_a_secret_reward(
    db: FakeDatabase, clock: FixedClock, with_secret: Campaign
) -> None:
    pledge_id = await pledged(db, clock, with_secret, 1, 3_000)
    await apply(db, clock, pledge_id, OutcomeKind.PAID)
    pledge = db.state.pledges[pledge_id]
    campaign = db.state.campaigns[with_secret.id]
    choices = change_choices(pledge, campaign, clock.now())
    assert not any("Backstage" in b.label for row in choices.buttons for b in row)
    request = ChangeRequest(caller(1), pledge_id, campaign.tiers[2].id)
    with pytest.raises(TierNotFound):
        new_amount(pledge, campaign, request, PledgeLimits(), clock.now())


async def test_a_dashboard_gives_each_secret_reward_its_link_to_share(
    clock: FixedClock, with_secret: Campaign
) -> None:
    board = dashboard_card(
        Dashboard(with_secret, []), clock.now(), lambda tier: f"link:{tier.secret_code}"
    )
    secret = [field for field in board.fields if field.name.startswith("Secret reward")]
    assert secret == [Field("Secret reward: Backstage pass", f"link:{_code(with_secret)}")]


@pytest.mark.parametrize("data", ["p:1:2:short", "p:1:2:abc_efghij", "p:1:2:Ab3dE6gH9k:x"])
def test_a_pledge_button_with_a_malformed_code_is_stale(data: str) -> None:
    with pytest.raises(StaleButton):
        decode(data)
