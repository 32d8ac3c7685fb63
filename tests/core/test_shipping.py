"""Where a reward ships: digital, to the countries named, or worldwide, as the payment page asks."""

from __future__ import annotations

import pytest

from core.campaigns import Campaign
from core.shipping import SHIPPING_COUNTRIES, ship_to
from core.usecases.drafting import UnreadableShipping, draft_shipping
from tests.core.test_checkout import begin, link_for
from tests.fakes import FakeDatabase, FakeGateway, FixedClock


def test_a_worldwide_reward_asks_an_address_in_every_country_checkout_ships_to() -> None:
    everywhere = ship_to(True, ())
    assert everywhere is not None
    assert set(everywhere) == SHIPPING_COUNTRIES
    assert list(everywhere) == sorted(everywhere)
    assert ship_to(True, ("FR", "BE")) == ("FR", "BE")
    assert ship_to(False, ()) is None


@pytest.mark.parametrize("code", ["CU", "IR", "ZZ"])
def test_a_creator_names_only_countries_checkout_ships_to(code: str) -> None:
    with pytest.raises(UnreadableShipping):
        draft_shipping(f"FR, {code}")


@pytest.mark.parametrize(
    ("ships", "countries", "asked"),
    [
        (True, (), tuple(sorted(SHIPPING_COUNTRIES))),
        (True, ("FR", "BE"), ("FR", "BE")),
        (False, (), None),
    ],
)
async def test_the_checkout_asks_for_an_address_where_the_reward_ships(
    db: FakeDatabase,
    clock: FixedClock,
    gateway: FakeGateway,
    campaign: Campaign,
    ships: bool,
    countries: tuple[str, ...],
    asked: tuple[str, ...] | None,
) -> None:
    tier = db.state.campaigns[campaign.id].tiers[0]
    tier.ships, tier.ship_countries = ships, countries
    await begin(db, clock, gateway, await link_for(db, clock, campaign, 1, tier.id))
    assert gateway.requests[0].ship_to == asked
