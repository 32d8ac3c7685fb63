"""Seeding: demo backing for a catalog, through the same pledge and payment paths as real money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.backers import Backer
from core.campaigns import Campaign, CampaignStatus, FundingModel
from core.covers import Cover
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.pledges import Pledge, PledgeStatus
from core.ports import Clock, DemoCards, UnitOfWork, UnitOfWorkFactory
from core.usecases.backers import new_referral_code
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge

# A demo backer's user id starts so: a non-numeric id can never be a real platform account.
DEMO_PREFIX = "demo-"


@dataclass(frozen=True, slots=True)
class _At:
    """A clock stopped at one instant: a demo pledge made then."""

    instant: datetime

    def now(self) -> datetime:
        """The instant."""
        return self.instant


def demo_pledge_times(start: datetime, end: datetime, count: int) -> list[datetime]:
    """When `count` demo backers pledged between a campaign's start and `end`: many in its
    first days and fewer after, as a launch goes, so its progress chart has a history."""
    span = end - start
    return [start + span * ((number + 0.5) / count) ** 2 for number in range(count)]


def is_demo(backer: Backer) -> bool:
    """Whether a backer was made by seeding."""
    return backer.identity.user_id.startswith(DEMO_PREFIX)


async def seed_backers(
    uows: UnitOfWorkFactory,
    clock: Clock,
    limits: PledgeLimits,
    campaign: Campaign,
    count: int,
    tier_id: int | None,
    amount: int | None,
) -> None:
    """Back a campaign with `count` demo backers, who are never sent a message."""
    kind = (
        OutcomeKind.AUTHORIZED
        if campaign.funding_model is FundingModel.ALL_OR_NOTHING
        else OutcomeKind.PAID
    )
    async with uows() as uow:
        # Numbered from the stored count, so seeding the same campaign twice never collides.
        stored = await uow.campaigns.get(campaign.id)
        first = stored.backers_count if stored else 0
        backers = []
        for number in range(first + 1, first + count + 1):
            identity = Identity(Platform.TELEGRAM, f"{DEMO_PREFIX}{campaign.slug}-{number}")
            backers.append(
                await uow.backers.add(
                    Backer(
                        0,
                        identity,
                        f"Demo backer {number}",
                        "en",
                        new_referral_code(),
                        reachable=False,
                    )
                )
            )
        await uow.commit()
    start = min(campaign.starts_at, clock.now())
    times = demo_pledge_times(start, min(clock.now(), campaign.ends_at), len(backers))
    for backer, pledged_at in zip(backers, times, strict=True):
        then = _At(pledged_at)
        pledge = await start_pledge(
            uows(),
            then,
            limits,
            PledgeRequest(
                caller=Caller(backer.identity, backer.display_name, backer.locale),
                campaign_id=campaign.id,
                tier_id=tier_id,
                amount=Money(amount, campaign.goal.currency) if amount is not None else None,
            ),
        )
        await apply_payment_outcome(uows(), then, PaymentOutcome(pledge.id, kind))


async def seed_cover(uow: UnitOfWork, campaign_id: int, cover: Cover) -> None:
    """Give a catalog's campaign its cover, on the operator's word: no creator is asked."""
    async with uow:
        await uow.covers.put(campaign_id, cover)
        await uow.commit()


async def save_demo_cards(uows: UnitOfWorkFactory, clock: Clock, cards: DemoCards) -> int:
    """Give each demo backer's card-saved pledge a card saved with the provider, recorded as a
    provider's repeated report of the saved card is, so that a funded campaign charges them
    as it charges anyone; returns how many pledges got one."""
    held = await _demo_pledges_to_charge(uows)
    for pledge, backer in held:
        refs = await cards.save_card(backer)
        outcome = PaymentOutcome(pledge.id, OutcomeKind.AUTHORIZED, refs=refs)
        await apply_payment_outcome(uows(), clock, outcome)
    return len(held)


async def _demo_pledges_to_charge(uows: UnitOfWorkFactory) -> list[tuple[Pledge, Backer]]:
    """Demo backers' pledges waiting, card saved, for an all-or-nothing campaign's end."""
    found = []
    async with uows() as uow:
        for campaign in await uow.campaigns.list_all():
            # Only these charge saved cards; an unfunded campaign releases them.
            waiting = campaign.status in (CampaignStatus.LIVE, CampaignStatus.SUCCESSFUL)
            if campaign.funding_model is not FundingModel.ALL_OR_NOTHING or not waiting:
                continue
            authorized = frozenset({PledgeStatus.AUTHORIZED})
            for pledge in await uow.pledges.of_campaign(campaign.id, authorized):
                backer = await uow.backers.get(pledge.backer_id)
                if backer is not None and is_demo(backer):
                    found.append((pledge, backer))
    return found


async def creators_without_accounts(uows: UnitOfWorkFactory) -> list[tuple[Identity, ...]]:
    """The creators, each as the identities it creates campaigns under (on every platform,
    merged across its campaigns), who have no payout account yet."""
    groups: list[list[Identity]] = []
    async with uows() as uow:
        for campaign in await uow.campaigns.list_all():
            identities = campaign.creator_identities
            if not identities or await uow.payout_accounts.of_creators(identities) is not None:
                continue
            group = next((g for g in groups if any(i in g for i in identities)), None)
            if group is None:
                groups.append(list(identities))
            else:
                group += [identity for identity in identities if identity not in group]
    return [tuple(group) for group in groups]
