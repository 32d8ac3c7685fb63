"""In-memory fakes of core's ports, for unit tests of the use cases."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable, Collection, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Self

from core.backers import Backer
from core.caching import CacheVersions
from core.campaigns import Campaign, CampaignStatus, FundingModel, RewardTier
from core.communities import Community
from core.covers import Cover
from core.follows import Follow
from core.identity import Identity, Platform
from core.milestones import Milestone
from core.money import Money
from core.outbox import (
    Audience,
    DeliveryCounts,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Recipient,
    RecipientKind,
)
from core.payments import (
    ChargeResult,
    CheckoutNotFound,
    CheckoutRequest,
    CheckoutSession,
    OutcomeKind,
    PaymentAnomaly,
    PaymentOutcome,
    PaymentRefs,
    PaymentUnavailable,
)
from core.payouts import AccountState, Destination, DisputeState, PayoutAccount
from core.pledges import FundingDay, Pledge, PledgeStatus
from core.ports import CampaignQuery, Sort, StatusChange, TotalChange
from core.reservations import Reservations
from core.updates import CreatorUpdate


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        """The current fake instant."""
        return self.current

    def advance(self, delta: timedelta) -> None:
        """Move time forward."""
        self.current += delta


@dataclass
class State:
    """Everything the fake database holds."""

    campaigns: dict[int, Campaign] = field(default_factory=dict)
    backers: dict[int, Backer] = field(default_factory=dict)
    pledges: dict[int, Pledge] = field(default_factory=dict)
    follows: dict[tuple[int, int], Follow] = field(default_factory=dict)
    communities: dict[int, Community] = field(default_factory=dict)
    updates: dict[int, CreatorUpdate] = field(default_factory=dict)
    milestones: set[Milestone] = field(default_factory=set)
    outbox: list[OutboxMessage] = field(default_factory=list)
    payment_events: set[str] = field(default_factory=set)
    payment_anomalies: list[PaymentAnomaly] = field(default_factory=list)
    payout_accounts: dict[str, PayoutAccount] = field(default_factory=dict)
    covers: dict[int, Cover] = field(default_factory=dict)
    # Campaigns whose followers were reminded of the deadline (the SQL reminded_at).
    reminded: set[int] = field(default_factory=set)
    # When each update's delivery report is due next; absent once finished (report_due_at).
    report_due: dict[int, datetime] = field(default_factory=dict)
    next_id: int = 1

    def new_id(self) -> int:
        """A fresh id, shared by every table like a sequence."""
        self.next_id += 1
        return self.next_id


class _Repo:
    def __init__(self, state: State) -> None:
        self.state = state


class FakeCampaigns(_Repo):
    """Campaigns in a dict."""

    async def add(self, campaign: Campaign) -> Campaign:
        """Store with fresh ids."""
        stored = copy.deepcopy(campaign)
        stored.id = self.state.new_id()
        for tier in stored.tiers:
            tier.id, tier.campaign_id = self.state.new_id(), stored.id
        self.state.campaigns[stored.id] = stored
        return copy.deepcopy(stored)

    def _read(self, campaign: Campaign | None) -> Campaign | None:
        """A copy, like a fresh read: tiers with no unit left say what pending pledges hold."""
        if campaign is None:
            return None
        read = copy.deepcopy(campaign)
        cover = self.state.covers.get(read.id)
        read.cover = cover.digest if cover is not None else None
        for tier in read.tiers:
            if tier.sold_out:
                held = [
                    p.created_at
                    for p in self.state.pledges.values()
                    if p.tier_id == tier.id and p.status is PledgeStatus.PENDING
                ]
                tier.reservations = Reservations(len(held), min(held)) if held else None
        return read

    def _read_all(self, campaigns: Sequence[Campaign]) -> list[Campaign]:
        return [read for c in campaigns if (read := self._read(c)) is not None]

    async def get(self, campaign_id: int) -> Campaign | None:
        """A copy, like a fresh read."""
        return self._read(self.state.campaigns.get(campaign_id))

    async def by_slug(self, slug: str) -> Campaign | None:
        """A copy by slug."""
        return self._read(next((c for c in self.state.campaigns.values() if c.slug == slug), None))

    async def by_secret_code(self, code: str) -> Campaign | None:
        """A copy of the campaign with a tier holding that code."""
        return self._read(
            next(
                (
                    c
                    for c in self.state.campaigns.values()
                    if any(t.secret_code == code for t in c.tiers)
                ),
                None,
            )
        )

    async def list_all(self) -> Sequence[Campaign]:
        """All, by slug."""
        return sorted(self._read_all(list(self.state.campaigns.values())), key=lambda c: c.slug)

    async def browse(self, query: CampaignQuery, now: datetime) -> tuple[Sequence[Campaign], int]:
        """Open campaigns (or those coming soon), filtered and sorted like the SQL version."""
        if query.sort is Sort.COMING_SOON:
            found = [
                c
                for c in self.state.campaigns.values()
                if c.status is CampaignStatus.COMING_SOON and now < c.ends_at
            ]
        else:
            found = [c for c in self.state.campaigns.values() if c.is_open(now)]
        if query.category is not None:
            found = [c for c in found if c.category == query.category]
        if query.text:
            needle = query.text.lower()
            found = [c for c in found if needle in c.title.lower() or needle in c.blurb.lower()]
        if query.sort is Sort.NEARLY_FUNDED:
            found = [c for c in found if c.goal.amount * 75 <= c.raised * 100 < c.goal.amount * 100]
        if query.sort is Sort.STAFF_PICKS:
            found = [c for c in found if c.staff_pick]
        since = now - timedelta(hours=48)

        def trending(c: Campaign) -> int:
            return sum(
                1
                for p in self.state.pledges.values()
                if p.campaign_id == c.id and p.counted and p.created_at >= since
            )

        keys: dict[Sort, Callable[[Campaign], tuple[float, ...]]] = {
            Sort.TRENDING: lambda c: (-trending(c), -c.backers_count),
            Sort.NEWEST: lambda c: (-c.starts_at.timestamp(),),
            Sort.ENDING_SOON: lambda c: (c.ends_at.timestamp(),),
            Sort.NEARLY_FUNDED: lambda c: (-(c.raised * 10000 // c.goal.amount),),
            Sort.MOST_BACKED: lambda c: (-c.backers_count,),
            Sort.STAFF_PICKS: lambda c: (-c.starts_at.timestamp(),),
            Sort.COMING_SOON: lambda c: (c.starts_at.timestamp(),),
        }
        linked: tuple[int, ...] = ()
        if query.community_id is not None:
            linked = self.state.communities[query.community_id].linked_campaign_ids
        found.sort(key=lambda c: (c.id not in linked, *keys[query.sort](c), c.id))
        page = found[query.offset : query.offset + query.limit]
        return self._read_all(page), len(found)

    async def created_by(self, identity: Identity) -> Sequence[Campaign]:
        """Owned campaigns, newest first."""
        owned = [c for c in self.state.campaigns.values() if c.is_creator(identity)]
        return self._read_all(sorted(owned, key=lambda c: -c.id))

    async def set_status(
        self, campaign_id: int, expected: CampaignStatus, status: CampaignStatus
    ) -> bool:
        """Compare and set."""
        campaign = self.state.campaigns[campaign_id]
        if campaign.status is not expected:
            return False
        campaign.status = status
        return True

    async def due_to_launch(self, now: datetime) -> Sequence[Campaign]:
        """Coming soon, and their start has come."""
        return [
            copy.deepcopy(c)
            for c in self.state.campaigns.values()
            if c.status is CampaignStatus.COMING_SOON and c.starts_at <= now
        ]

    async def go_live(self, campaign_id: int, starting: datetime) -> bool:
        """Compare the status and the start, then set live."""
        campaign = self.state.campaigns[campaign_id]
        if campaign.status is not CampaignStatus.COMING_SOON or campaign.starts_at != starting:
            return False
        campaign.status = CampaignStatus.LIVE
        return True

    async def due_to_close(self, now: datetime) -> Sequence[Campaign]:
        """Live and past their end."""
        return [
            copy.deepcopy(c)
            for c in self.state.campaigns.values()
            if c.status is CampaignStatus.LIVE and c.ends_at <= now
        ]

    async def claim_reminders(self, now: datetime, ending_before: datetime) -> Sequence[Campaign]:
        """Live campaigns ending in (now, ending_before] not reminded of yet, now remembered."""
        claimed = [
            c
            for c in self.state.campaigns.values()
            if c.status is CampaignStatus.LIVE
            and c.id not in self.state.reminded
            and now < c.ends_at <= ending_before
        ]
        self.state.reminded.update(c.id for c in claimed)
        return copy.deepcopy(sorted(claimed, key=lambda c: c.id))

    async def needing_settlement(self) -> Sequence[Campaign]:
        """Ended campaigns holding pledges to settle."""
        ended = (CampaignStatus.SUCCESSFUL, CampaignStatus.FAILED, CampaignStatus.CANCELLED)

        def waiting(campaign: Campaign) -> bool:
            statuses: tuple[CampaignStatus, ...]
            if campaign.funding_model is FundingModel.ALL_OR_NOTHING:
                wanted, statuses = PledgeStatus.AUTHORIZED, ended
            else:
                wanted, statuses = PledgeStatus.PAID, (CampaignStatus.CANCELLED,)
            return campaign.status in statuses and any(
                p.campaign_id == campaign.id and p.status is wanted
                for p in self.state.pledges.values()
            )

        return [copy.deepcopy(c) for c in self.state.campaigns.values() if waiting(c)]

    async def change_total(
        self, campaign_id: int, amount_delta: int, backers_delta: int = 0, *, late: bool = False
    ) -> TotalChange:
        """Add to the figures, or to the late ones."""
        campaign = self.state.campaigns[campaign_id]
        if late:
            raised_before, backers_before = campaign.late_raised, campaign.late_backers
            campaign.late_raised += amount_delta
            campaign.late_backers += backers_delta
            raised_after, backers_after = campaign.late_raised, campaign.late_backers
        else:
            raised_before, backers_before = campaign.raised, campaign.backers_count
            campaign.raised += amount_delta
            campaign.backers_count += backers_delta
            raised_after, backers_after = campaign.raised, campaign.backers_count
        return TotalChange(
            raised_before,
            raised_after,
            backers_before,
            backers_after,
            campaign.goal.amount,
            campaign.stretch_goals,
        )

    async def reschedule(
        self, campaign: Campaign, starting: datetime, statuses: Collection[CampaignStatus]
    ) -> bool:
        """Compare the start and the status, then set the run and the windows."""
        stored = self.state.campaigns[campaign.id]
        if stored.starts_at != starting or stored.status not in statuses:
            return False
        stored.starts_at, stored.ends_at = campaign.starts_at, campaign.ends_at
        for tier in stored.tiers:
            moved = campaign.tier(tier.id)
            if moved is not None:
                tier.opens_at, tier.closes_at = moved.opens_at, moved.closes_at
        return True

    async def open_late(
        self, campaign_id: int, late_until: datetime, late_prices: Mapping[int, int]
    ) -> bool:
        """Set the late period and prices while the campaign is successful."""
        campaign = self.state.campaigns[campaign_id]
        if campaign.status is not CampaignStatus.SUCCESSFUL:
            return False
        campaign.late_until = late_until
        for tier in campaign.tiers:
            price = late_prices.get(tier.id)
            tier.late_amount = None if price is None else Money(price, campaign.goal.currency)
        return True


class FakeTiers(_Repo):
    """Tier stock inside the stored campaigns."""

    def _tier(self, tier_id: int) -> RewardTier:
        for campaign in self.state.campaigns.values():
            tier = campaign.tier(tier_id)
            if tier is not None:
                return tier
        raise KeyError(tier_id)

    async def claim(self, tier_id: int, now: datetime) -> bool:
        """Take one unit if any is left and the tier is open at `now`."""
        tier = self._tier(tier_id)
        if not tier.offered(now):
            return False
        tier.claimed += 1
        return True

    async def release(self, tier_id: int) -> None:
        """Give one unit back."""
        tier = self._tier(tier_id)
        tier.claimed = max(tier.claimed - 1, 0)


class FakeBackers(_Repo):
    """Backers in a dict."""

    async def get(self, backer_id: int) -> Backer | None:
        """By id."""
        return copy.deepcopy(self.state.backers.get(backer_id))

    async def by_identity(self, identity: Identity) -> Backer | None:
        """By platform identity."""
        found = next((b for b in self.state.backers.values() if b.identity == identity), None)
        return copy.deepcopy(found)

    async def by_referral_code(self, code: str) -> Backer | None:
        """By referral code."""
        found = next((b for b in self.state.backers.values() if b.referral_code == code), None)
        return copy.deepcopy(found)

    async def hold(self, backer_id: int) -> None:
        """Nothing runs concurrently here, so there is nothing to wait for."""

    async def add(self, backer: Backer) -> Backer:
        """Store with a fresh id."""
        stored = replace(backer, id=self.state.new_id())
        self.state.backers[stored.id] = stored
        return replace(stored)

    async def update_profile(self, backer_id: int, display_name: str, locale: str) -> None:
        """Refresh name and reported language."""
        backer = self.state.backers[backer_id]
        backer.display_name, backer.locale = display_name, locale

    async def set_reachable(self, backer_id: int, reachable: bool) -> None:
        """Stop or start messaging this person (no one: nothing to do)."""
        if backer_id in self.state.backers:
            self.state.backers[backer_id].reachable = reachable

    async def choose_locale(self, backer_id: int, locale: str | None) -> None:
        """Record the chosen language."""
        self.state.backers[backer_id].chosen_locale = locale


class FakePledges(_Repo):
    """Pledges in a dict."""

    async def add(self, pledge: Pledge) -> Pledge | None:
        """Store with a fresh id; None when the link key is taken."""
        if pledge.link_key is not None and await self.by_link_key(pledge.link_key) is not None:
            return None
        stored = replace(pledge, id=self.state.new_id())
        self.state.pledges[stored.id] = stored
        return replace(stored)

    async def get(self, pledge_id: int) -> Pledge | None:
        """By id."""
        return copy.deepcopy(self.state.pledges.get(pledge_id))

    async def hold(self, pledge_id: int) -> tuple[Pledge, Backer, FundingModel] | None:
        """By id, with its backer and funding model; nothing runs concurrently here."""
        pledge = self.state.pledges.get(pledge_id)
        if pledge is None:
            return None
        model = self.state.campaigns[pledge.campaign_id].funding_model
        return copy.deepcopy(pledge), copy.deepcopy(self.state.backers[pledge.backer_id]), model

    async def hold_all(
        self, pledge_ids: Collection[int]
    ) -> dict[int, tuple[Pledge, Backer, FundingModel]]:
        """Each known pledge, held."""
        return {i: held for i in pledge_ids if (held := await self.hold(i)) is not None}

    async def counted_by(
        self, campaign_id: int, backer_ids: Collection[int], *, late: bool = False
    ) -> dict[int, set[int]]:
        """Counted pledges' ids by backer, late ones or the others."""
        counted: dict[int, set[int]] = {}
        for p in self.state.pledges.values():
            if (
                p.campaign_id == campaign_id
                and p.backer_id in backer_ids
                and p.counted
                and p.late is late
            ):
                counted.setdefault(p.backer_id, set()).add(p.id)
        return counted

    async def by_link_key(self, link_key: str) -> Pledge | None:
        """By the link it started from."""
        found = next((p for p in self.state.pledges.values() if p.link_key == link_key), None)
        return copy.deepcopy(found)

    async def by_checkout_session(self, session_id: str) -> Pledge | None:
        """By its latest checkout page."""
        pledges = self.state.pledges.values()
        found = next((p for p in pledges if p.checkout_session_id == session_id), None)
        return copy.deepcopy(found)

    async def at_checkout(self, backer_id: int, tier_id: int) -> Pledge | None:
        """A backer's oldest pending pledge for a tier."""
        found = [
            p
            for p in self.state.pledges.values()
            if p.backer_id == backer_id
            and p.tier_id == tier_id
            and p.status is PledgeStatus.PENDING
            and p.tops_up is None
        ]
        return copy.deepcopy(min(found, key=lambda p: p.id)) if found else None

    async def top_ups(self, pledge_id: int) -> Sequence[Pledge]:
        """Oldest first."""
        found = [p for p in self.state.pledges.values() if p.tops_up == pledge_id]
        return copy.deepcopy(sorted(found, key=lambda p: p.id))

    async def add_top_up(self, pledge_id: int, amount: int) -> None:
        """Raise what top-ups added."""
        self.state.pledges[pledge_id].topped_up += amount

    async def forget_link(self, pledge_id: int) -> None:
        """An expired pledge lets go of its link key."""
        pledge = self.state.pledges[pledge_id]
        if pledge.status is PledgeStatus.EXPIRED:
            pledge.link_key = None

    async def of_backer(self, backer_id: int) -> Sequence[Pledge]:
        """Newest first."""
        pledges = self.state.pledges.values()
        mine = [p for p in pledges if p.backer_id == backer_id and p.tops_up is None]
        return copy.deepcopy(sorted(mine, key=lambda p: -p.id))

    async def of_campaign(
        self, campaign_id: int, statuses: frozenset[PledgeStatus] | None = None
    ) -> Sequence[Pledge]:
        """Oldest first."""
        found = [
            p
            for p in self.state.pledges.values()
            if p.campaign_id == campaign_id and (statuses is None or p.status in statuses)
        ]
        return copy.deepcopy(sorted(found, key=lambda p: p.id))

    async def transition(
        self,
        pledge_id: int,
        expected: PledgeStatus,
        status: PledgeStatus,
        now: datetime,
        *,
        backer_number: int | None = None,
        refs: PaymentRefs | None = None,
    ) -> bool:
        """Compare and set, with the backer number and references given."""
        pledge = self.state.pledges[pledge_id]
        if pledge.status is not expected:
            return False
        pledge.status, pledge.updated_at = status, now
        pledge.backer_number = backer_number or pledge.backer_number
        if refs is not None:
            _keep_refs(pledge, refs)
        return True

    async def transition_all(self, changes: Sequence[StatusChange], now: datetime) -> set[int]:
        """Each in turn."""
        return {
            change.pledge_id
            for change in changes
            if await self.transition(
                change.pledge_id,
                change.expected,
                change.status,
                now,
                backer_number=change.backer_number,
                refs=change.refs,
            )
        }

    async def add_refund(self, pledge_id: int, expected_refunded: int, refunded: int) -> bool:
        """Compare and set the refunded amount."""
        pledge = self.state.pledges[pledge_id]
        if pledge.refunded_amount != expected_refunded:
            return False
        pledge.refunded_amount = refunded
        return True

    async def change_reward(
        self, pledge_id: int, tier_id: int | None, amount: Money, now: datetime
    ) -> None:
        """Another reward and amount."""
        pledge = self.state.pledges[pledge_id]
        pledge.tier_id, pledge.amount, pledge.updated_at = tier_id, amount, now

    async def set_payment_refs(
        self,
        pledge_id: int,
        *,
        checkout_session_id: str | None = None,
        payment_intent_id: str | None = None,
        customer_id: str | None = None,
        payment_method_id: str | None = None,
        shipping_address: str | None = None,
        transfer_id: str | None = None,
    ) -> None:
        """Keep the references given."""
        refs = PaymentRefs(
            checkout_session_id,
            payment_intent_id,
            customer_id,
            payment_method_id,
            shipping_address,
            transfer_id,
        )
        _keep_refs(self.state.pledges[pledge_id], refs)

    async def set_destination(self, pledge_id: int, account_id: str, fee: int) -> None:
        """Keep the account and the fee."""
        pledge = self.state.pledges[pledge_id]
        pledge.payout_account, pledge.fee = account_id, fee

    async def set_dispute(
        self, pledge_id: int, expected: DisputeState | None, state: DisputeState, amount: int
    ) -> bool:
        """Compare and set the dispute."""
        pledge = self.state.pledges[pledge_id]
        if pledge.dispute is not expected:
            return False
        pledge.dispute, pledge.disputed_amount = state, amount
        return True

    async def paid_without_transfer(self) -> Sequence[Pledge]:
        """Paid to an account, no transfer known."""
        found = [
            p
            for p in self.state.pledges.values()
            if p.status is PledgeStatus.PAID and p.payout_account and p.transfer_id is None
        ]
        return copy.deepcopy(sorted(found, key=lambda p: p.id))

    async def stale_pending(self, created_before: datetime) -> Sequence[Pledge]:
        """Pending pledges older than a moment."""
        found = [
            p
            for p in self.state.pledges.values()
            if p.status is PledgeStatus.PENDING and p.created_at < created_before
        ]
        return copy.deepcopy(sorted(found, key=lambda p: p.id))

    async def count_referrals(self, referral_code: str, campaign_id: int) -> int:
        """Backers with a counted pledge through a code."""
        return len(
            {
                p.backer_id
                for p in self.state.pledges.values()
                if p.referral_code == referral_code and p.campaign_id == campaign_id and p.counted
            }
        )

    async def referral_stats(self, campaign_id: int) -> Sequence[tuple[str, int, int]]:
        """Per code: distinct backers and amount."""
        backers: dict[str, set[int]] = {}
        amounts: dict[str, int] = {}
        for p in self.state.pledges.values():
            if p.campaign_id == campaign_id and p.counted and p.referral_code:
                backers.setdefault(p.referral_code, set()).add(p.backer_id)
                amounts[p.referral_code] = amounts.get(p.referral_code, 0) + p.counted_amount
        rows = [(code, len(backers[code]), amounts[code]) for code in backers]
        return sorted(rows, key=lambda row: (-row[2], row[0]))

    async def funding_days(self, campaign_id: int) -> Sequence[FundingDay]:
        """By UTC day: counted amounts, refunded ones on and off, backers' first days."""
        raised: dict[date, int] = {}
        first: dict[int, datetime] = {}

        def add(moment: datetime, amount: int) -> None:
            day = moment.astimezone(UTC).date()
            raised[day] = raised.get(day, 0) + amount

        for p in self.state.pledges.values():
            if p.campaign_id != campaign_id:
                continue
            if p.counted:
                add(p.created_at, p.counted_amount)
                first[p.backer_id] = min(first.get(p.backer_id, p.created_at), p.created_at)
            elif p.status is PledgeStatus.REFUNDED:
                add(p.created_at, p.amount.amount)
                add(p.updated_at, -p.amount.amount)
        backers: dict[date, int] = {}
        for moment in first.values():
            day = moment.astimezone(UTC).date()
            backers[day] = backers.get(day, 0) + 1
        return [FundingDay(day, raised[day], backers.get(day, 0)) for day in sorted(raised)]


def _keep_refs(pledge: Pledge, refs: PaymentRefs) -> None:
    pledge.checkout_session_id = refs.checkout_session_id or pledge.checkout_session_id
    pledge.payment_intent_id = refs.payment_intent_id or pledge.payment_intent_id
    pledge.customer_id = refs.customer_id or pledge.customer_id
    pledge.payment_method_id = refs.payment_method_id or pledge.payment_method_id
    pledge.shipping_address = refs.shipping_address or pledge.shipping_address
    pledge.transfer_id = refs.transfer_id or pledge.transfer_id


class FakeFollows(_Repo):
    """Follows in a dict."""

    async def get(self, backer_id: int, campaign_id: int) -> Follow | None:
        """One follow."""
        return copy.deepcopy(self.state.follows.get((backer_id, campaign_id)))

    async def add(self, follow: Follow) -> bool:
        """Insert unless present."""
        key = (follow.backer_id, follow.campaign_id)
        if key in self.state.follows:
            return False
        self.state.follows[key] = replace(follow)
        return True

    async def remove(self, backer_id: int, campaign_id: int) -> bool:
        """Delete if present."""
        return self.state.follows.pop((backer_id, campaign_id), None) is not None

    async def set_muted(self, backer_id: int, campaign_id: int, muted: bool) -> None:
        """Mute or unmute."""
        self.state.follows[(backer_id, campaign_id)].muted = muted

    async def count(self, campaign_id: int) -> int:
        """Followers of one campaign."""
        return sum(1 for (_, followed) in self.state.follows if followed == campaign_id)

    async def campaigns_followed(self, backer_id: int) -> Sequence[Campaign]:
        """Followed campaigns."""
        return [
            copy.deepcopy(self.state.campaigns[campaign_id])
            for (follower, campaign_id) in self.state.follows
            if follower == backer_id
        ]


class FakeCommunities(_Repo):
    """Communities in a dict."""

    async def get(self, platform: Platform, chat_id: str) -> Community | None:
        """By platform chat."""
        found = next(
            (
                c
                for c in self.state.communities.values()
                if c.platform is platform and c.chat_id == chat_id
            ),
            None,
        )
        return copy.deepcopy(found)

    async def save(self, community: Community) -> Community:
        """Insert or update, keeping links."""
        existing = await self.get(community.platform, community.chat_id)
        stored = replace(
            community,
            id=existing.id if existing else self.state.new_id(),
            linked_campaign_ids=existing.linked_campaign_ids if existing else (),
        )
        self.state.communities[stored.id] = stored
        return replace(stored)

    async def link(self, community_id: int, campaign_id: int) -> bool:
        """Link once."""
        community = self.state.communities[community_id]
        if campaign_id in community.linked_campaign_ids:
            return False
        community.linked_campaign_ids = (*community.linked_campaign_ids, campaign_id)
        return True

    async def unlink(self, community_id: int, campaign_id: int) -> bool:
        """Unlink if linked."""
        community = self.state.communities[community_id]
        if campaign_id not in community.linked_campaign_ids:
            return False
        community.linked_campaign_ids = tuple(
            c for c in community.linked_campaign_ids if c != campaign_id
        )
        return True

    async def stop_announcements(self, community_id: int) -> None:
        """Turn announcements off (no community: nothing to do)."""
        if community_id in self.state.communities:
            self.state.communities[community_id].announcements = False


class FakeUpdates(_Repo):
    """Creator updates in a dict."""

    async def add(self, update: CreatorUpdate) -> CreatorUpdate:
        """Store with a fresh id; with a report chat, its first report is due at once."""
        stored = replace(update, id=self.state.new_id())
        self.state.updates[stored.id] = stored
        if stored.report_chat:
            self.state.report_due[stored.id] = stored.created_at
        return replace(stored)

    async def claim_reports(
        self, now: datetime, next_report_at: datetime, limit: int
    ) -> Sequence[CreatorUpdate]:
        """Due reports, earliest first, each pushed back to `next_report_at`; by id."""
        due = sorted(
            (at, update_id) for update_id, at in self.state.report_due.items() if at <= now
        )[:limit]
        for _, update_id in due:
            self.state.report_due[update_id] = next_report_at
        return sorted(
            (replace(self.state.updates[update_id]) for _, update_id in due), key=lambda u: u.id
        )

    async def set_report_message(self, update_id: int, message_id: str) -> None:
        """Remember the status message (no update: nothing to do)."""
        if update_id in self.state.updates:
            self.state.updates[update_id].report_message_id = message_id

    async def finish_report(self, update_id: int) -> None:
        """Report no more."""
        self.state.report_due.pop(update_id, None)

    async def of_campaign(
        self, campaign_id: int, *, backers_only_too: bool, offset: int, limit: int
    ) -> tuple[Sequence[CreatorUpdate], int]:
        """A campaign's updates, newest first (ties by id), public ones unless asked."""
        shown = sorted(
            (
                u
                for u in self.state.updates.values()
                if u.campaign_id == campaign_id and (backers_only_too or u.public)
            ),
            key=lambda u: (u.created_at, u.id),
            reverse=True,
        )
        return [replace(u) for u in shown[offset : offset + limit]], len(shown)


class FakeMilestones(_Repo):
    """Milestones in a set."""

    async def record(self, milestone: Milestone, now: datetime) -> bool:
        """Insert unless present."""
        if milestone in self.state.milestones:
            return False
        self.state.milestones.add(milestone)
        return True

    async def of_campaign(self, campaign_id: int) -> Sequence[Milestone]:
        """A campaign's milestones."""
        return [m for m in self.state.milestones if m.campaign_id == campaign_id]


class FakeOutbox(_Repo):
    """Outbox rows in a list, unique per event and recipient."""

    async def enqueue(
        self, recipient: Recipient, notification: Notification, now: datetime
    ) -> bool:
        """Insert unless that recipient already has the event."""
        key = (notification.event_key, recipient.platform, recipient.kind, recipient.address)
        for message in self.state.outbox:
            r = message.recipient
            if (message.notification.event_key, r.platform, r.kind, r.address) == key:
                return False
        self.state.outbox.append(
            OutboxMessage(
                self.state.new_id(), recipient, notification, OutboxStatus.PENDING, 0, now, now
            )
        )
        return True

    async def enqueue_all(
        self, messages: Sequence[tuple[Recipient, Notification]], now: datetime
    ) -> None:
        """Each in turn."""
        for recipient, notification in messages:
            await self.enqueue(recipient, notification, now)

    async def enqueue_audience(
        self,
        campaign_id: int,
        audience: Audience,
        notification: Notification,
        now: datetime,
        include_communities: bool,
    ) -> int:
        """One row per reachable person in the audience, and per announcing community."""
        queued = 0
        for recipient in self._audience(campaign_id, audience, include_communities):
            queued += await self.enqueue(recipient, notification, now)
        return queued

    async def count_audience(
        self, campaign_id: int, audience: Audience, include_communities: bool
    ) -> int:
        """How many recipients a new event for that audience would have."""
        return len(self._audience(campaign_id, audience, include_communities))

    def _audience(
        self, campaign_id: int, audience: Audience, include_communities: bool
    ) -> list[Recipient]:
        backed = {
            p.backer_id
            for p in self.state.pledges.values()
            if p.campaign_id == campaign_id and p.counted
        }
        follows = {b: f for (b, c), f in self.state.follows.items() if c == campaign_id}
        muted = {b for b, f in follows.items() if f.muted}
        followers = set(follows) - muted
        chosen = {
            Audience.FOLLOWERS_AND_BACKERS: (followers | backed) - muted,
            Audience.BACKERS: backed - muted,
            Audience.FOLLOWERS_NOT_BACKED: followers - backed,
        }[audience]
        recipients = [
            Recipient(
                backer.identity.platform,
                RecipientKind.USER,
                backer.identity.user_id,
                backer.effective_locale,
                backer_id=backer.id,
            )
            for backer in (self.state.backers[b] for b in sorted(chosen))
            if backer.reachable
        ]
        if include_communities:
            recipients += [
                Recipient(
                    community.platform,
                    RecipientKind.CHANNEL,
                    community.announce_channel_id or community.chat_id,
                    community.locale,
                    community_id=community.id,
                )
                for community in self.state.communities.values()
                if community.announcements and campaign_id in community.linked_campaign_ids
            ]
        return recipients

    async def pending(self, limit: int = 100) -> Sequence[OutboxMessage]:
        """Undelivered rows, oldest first."""
        found = [m for m in self.state.outbox if m.status is OutboxStatus.PENDING]
        return copy.deepcopy(found[:limit])

    def _rows(self, message_ids: Sequence[int], *statuses: OutboxStatus) -> list[OutboxMessage]:
        wanted = set(message_ids)
        return [m for m in self.state.outbox if m.id in wanted and m.status in statuses]

    async def claim(
        self, platform: Platform, now: datetime, lease_until: datetime, limit: int
    ) -> Sequence[OutboxMessage]:
        """Due rows of one platform (pending, or sending past their lease), earliest due
        first, leased and counted as one more attempt; copies, oldest first."""
        due = sorted(
            (
                m
                for m in self.state.outbox
                if m.recipient.platform is platform
                and m.status in _UNDELIVERED
                and m.next_attempt_at <= now
            ),
            key=lambda m: (m.next_attempt_at, m.id),
        )[:limit]
        for message in due:
            message.status, message.next_attempt_at = OutboxStatus.SENDING, lease_until
            message.attempts += 1
        return copy.deepcopy(sorted(due, key=lambda m: (m.created_at, m.id)))

    async def mark_sent(self, message_ids: Sequence[int], now: datetime) -> None:
        """Rows being sent become sent."""
        for message in self._rows(message_ids, OutboxStatus.SENDING):
            message.status = OutboxStatus.SENT

    async def retry_later(self, message_id: int, at: datetime, error: str, parts_sent: int) -> None:
        """A row being sent goes back to pending, due at `at`."""
        for message in self._rows([message_id], OutboxStatus.SENDING):
            message.status, message.next_attempt_at = OutboxStatus.PENDING, at
            message.last_error, message.parts_sent = error, parts_sent

    async def give_up(self, message_id: int, error: str) -> None:
        """An undelivered row becomes dead."""
        for message in self._rows([message_id], *_UNDELIVERED):
            message.status, message.last_error = OutboxStatus.DEAD, error

    async def abandon_recipient(self, recipient: Recipient, error: str) -> int:
        """Every undelivered row to that address becomes dead; how many."""
        address = (recipient.platform, recipient.kind, recipient.address)
        abandoned = [
            m
            for m in self.state.outbox
            if m.status in _UNDELIVERED
            and (m.recipient.platform, m.recipient.kind, m.recipient.address) == address
        ]
        for message in abandoned:
            message.status, message.last_error = OutboxStatus.DEAD, error
        return len(abandoned)

    async def delivery_counts(self, event_key: str) -> DeliveryCounts:
        """Sent, dead and undelivered rows of one event."""
        statuses = [m.status for m in self.state.outbox if m.notification.event_key == event_key]
        return DeliveryCounts(
            sent=statuses.count(OutboxStatus.SENT),
            failed=statuses.count(OutboxStatus.DEAD),
            waiting=sum(1 for status in statuses if status in _UNDELIVERED),
        )

    async def status_counts(self) -> dict[OutboxStatus, int]:
        """Rows per status, every status listed."""
        statuses = [m.status for m in self.state.outbox]
        return {status: statuses.count(status) for status in OutboxStatus}

    async def latest_failures(self, limit: int) -> Sequence[OutboxMessage]:
        """Rows with an error, newest first."""
        failed = [m for m in self.state.outbox if m.last_error is not None]
        return copy.deepcopy(sorted(failed, key=lambda m: -m.id)[:limit])


_UNDELIVERED = (OutboxStatus.PENDING, OutboxStatus.SENDING)


class FakePaymentEvents(_Repo):
    """Applied payment event ids."""

    async def record(self, event_id: str, now: datetime) -> bool:
        """Insert unless present."""
        if event_id in self.state.payment_events:
            return False
        self.state.payment_events.add(event_id)
        return True

    async def record_all(self, event_ids: Collection[str], now: datetime) -> set[str]:
        """Each in turn."""
        return {event_id for event_id in event_ids if await self.record(event_id, now)}

    async def record_anomaly(self, anomaly: PaymentAnomaly) -> None:
        """Append with a fresh id."""
        self.state.payment_anomalies.append(replace(anomaly, id=self.state.new_id()))

    async def unresolved_anomalies(self) -> Sequence[PaymentAnomaly]:
        """Oldest first."""
        return list(self.state.payment_anomalies)

    async def resolve_anomaly(self, anomaly_id: int, now: datetime) -> bool:
        """Drop it from the unresolved ones."""
        kept = [a for a in self.state.payment_anomalies if a.id != anomaly_id]
        resolved = len(kept) < len(self.state.payment_anomalies)
        self.state.payment_anomalies = kept
        return resolved


class FakePayoutAccounts(_Repo):
    """Payout accounts by the provider's id."""

    async def add(
        self, state: AccountState, identities: Sequence[Identity], now: datetime
    ) -> PayoutAccount | None:
        """Store unless the account or one of the identities is taken."""
        taken = {i for a in self.state.payout_accounts.values() for i in a.identities}
        if state.account_id in self.state.payout_accounts or taken & set(identities):
            return None
        account = PayoutAccount(self.state.new_id(), state, tuple(identities), now)
        self.state.payout_accounts[state.account_id] = account
        return account

    async def of_identity(self, identity: Identity) -> PayoutAccount | None:
        """The account naming the identity."""
        return await self.of_creators([identity])

    async def of_creators(self, identities: Sequence[Identity]) -> PayoutAccount | None:
        """The first identity's account."""
        for identity in identities:
            for account in self.state.payout_accounts.values():
                if identity in account.identities:
                    return account
        return None

    async def hold(self, account_id: str) -> PayoutAccount | None:
        """By provider id (the fake has one writer)."""
        return self.state.payout_accounts.get(account_id)

    async def save_state(self, state: AccountState) -> bool:
        """Keep it unless older than what is kept."""
        account = self.state.payout_accounts.get(state.account_id)
        if account is None or state.as_of < account.state.as_of:
            return False
        self.state.payout_accounts[state.account_id] = replace(account, state=state)
        return True

    async def list_all(self) -> Sequence[PayoutAccount]:
        """Oldest first."""
        return sorted(self.state.payout_accounts.values(), key=lambda a: a.id)


class FakeDatabase:
    """The committed state, shared by every fake unit of work made from it."""

    def __init__(self) -> None:
        self.state = State()
        self.commits = 0
        self.counters = FakeCounters(self)
        self.savepoints = 0

    def unit_of_work(self, *, read_only: bool = False) -> FakeUnitOfWork:
        """A fresh unit of work over this database."""
        return FakeUnitOfWork(self, read_only=read_only)


class FakeCounters:
    """core.ports.ChangeCounters of a fake database: every commit changes every version."""

    def __init__(self, database: FakeDatabase) -> None:
        self.database = database
        self.reads = 0

    async def current(self) -> CacheVersions:
        """The database's commits so far, as every version."""
        self.reads += 1
        return CacheVersions(catalog=self.database.commits, people=self.database.commits)

    @contextmanager
    def one_reading(self) -> Iterator[None]:
        """Reads are free here: nothing to keep."""
        yield


class FakeCovers(_Repo):
    """Covers in a dict by campaign id."""

    async def put(self, campaign_id: int, cover: Cover) -> None:
        """Set or replace."""
        self.state.covers[campaign_id] = cover

    async def of_campaign(self, campaign_id: int) -> Cover | None:
        """The campaign's, if any."""
        return self.state.covers.get(campaign_id)

    async def by_digest(self, digest: str) -> Cover | None:
        """Any with that digest."""
        return next((c for c in self.state.covers.values() if c.digest == digest), None)


class FakeUnitOfWork:
    """Works on a copy of the state; commit makes the copy the database's state."""

    def __init__(self, database: FakeDatabase, *, read_only: bool = False) -> None:
        self.database = database
        self.read_only = read_only

    async def __aenter__(self) -> Self:
        self._work_on(copy.deepcopy(self.database.state))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Nothing to do: uncommitted work is simply dropped."""

    async def commit(self) -> None:
        """Publish the working copy; a read-only unit of work refuses, as the real one does."""
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self.database.state = self.working
        self.database.commits += 1
        self._work_on(copy.deepcopy(self.working))

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """Go back to a copy of the working state if the block raises."""
        self.database.savepoints += 1
        saved = copy.deepcopy(self.working)
        try:
            yield
        except BaseException:
            self._work_on(saved)
            raise

    def _work_on(self, state: State) -> None:
        self.working = state
        self.campaigns = FakeCampaigns(state)
        self.tiers = FakeTiers(state)
        self.backers = FakeBackers(state)
        self.pledges = FakePledges(state)
        self.follows = FakeFollows(state)
        self.communities = FakeCommunities(state)
        self.updates = FakeUpdates(state)
        self.milestones = FakeMilestones(state)
        self.outbox = FakeOutbox(state)
        self.payment_events = FakePaymentEvents(state)
        self.payout_accounts = FakePayoutAccounts(state)
        self.covers = FakeCovers(state)


class FakeGateway:
    """A payment provider that records requests; tests decide how each session ends."""

    def __init__(self) -> None:
        self.requests: list[CheckoutRequest] = []
        self.sessions: dict[str, CheckoutRequest] = {}
        self.outcomes: dict[str, PaymentOutcome] = {}
        self.expired: list[str] = []
        self.charges: list[tuple[int, str]] = []
        self.refunds: list[tuple[int, str]] = []
        # Parts of payments refunded, by idempotency key: (pledge id, amount).
        self.partial_refunds: dict[str, tuple[int, Money]] = {}
        self.declined_pledges: set[int] = set()
        self.history: list[PaymentOutcome] = []
        self.unavailable = False
        # Where each deadline charge was asked to send the money, by pledge.
        self.destinations: dict[int, Destination | None] = {}
        # Sessions the provider no longer knows (a restarted stand-in, say).
        self.forgotten: set[str] = set()

    def _check(self) -> None:
        if self.unavailable:
            raise PaymentUnavailable()

    async def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Open a session, replaying the first one for a repeated key."""
        self._check()
        self.requests.append(request)
        session_id = f"cs_{request.idempotency_key}"
        self.sessions.setdefault(session_id, request)
        return CheckoutSession(session_id, f"https://pay.test/{session_id}")

    def pay(self, session_id: str, kind: OutcomeKind, **refs: str) -> PaymentOutcome:
        """The backer finished the page: the session now reports this outcome."""
        request = self.sessions[session_id]
        outcome = PaymentOutcome(
            request.pledge_id, kind, refs=PaymentRefs(checkout_session_id=session_id, **refs)
        )
        self.outcomes[session_id] = outcome
        self.history.append(outcome)
        return outcome

    async def checkout_outcome(self, session_id: str) -> PaymentOutcome | None:
        """What the session says now; a forgotten session is unknown, as at the provider."""
        self._check()
        if session_id in self.forgotten:
            raise CheckoutNotFound()
        return self.outcomes.get(session_id)

    async def open_checkout(self, session_id: str) -> CheckoutSession | None:
        """The page of a session opened here and not finished yet."""
        self._check()
        if session_id not in self.sessions or session_id in self.outcomes:
            return None
        return CheckoutSession(session_id, f"https://pay.test/{session_id}")

    async def expire_checkout(self, session_id: str) -> None:
        """Expire an open session."""
        self._check()
        self.expired.append(session_id)
        if session_id not in self.outcomes:
            pledge_id = self.sessions[session_id].pledge_id
            self.outcomes[session_id] = PaymentOutcome(pledge_id, OutcomeKind.EXPIRED)

    async def charge_saved_card(
        self, pledge: Pledge, idempotency_key: str, destination: Destination | None = None
    ) -> ChargeResult:
        """Charge, declining the pledges told to."""
        self._check()
        self.charges.append((pledge.id, idempotency_key))
        self.destinations[pledge.id] = destination
        if pledge.id in self.declined_pledges:
            return ChargeResult(False, f"pi_{pledge.id}", "card_declined")
        return ChargeResult(True, f"pi_{pledge.id}")

    async def refund(
        self, pledge: Pledge, idempotency_key: str, amount: Money | None = None
    ) -> None:
        """Record a refund; a part of a payment once per key, as the provider refunds it."""
        self._check()
        if amount is None:
            self.refunds.append((pledge.id, idempotency_key))
        else:
            self.partial_refunds.setdefault(idempotency_key, (pledge.id, amount))

    async def outcomes_since(self, since: datetime) -> AsyncIterator[PaymentOutcome]:
        """Everything recorded, oldest first."""
        self._check()
        for outcome in self.history:
            yield outcome


class FakePayoutGateway:
    """Payout accounts at a provider that tests onboard by hand."""

    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self.accounts: dict[str, AccountState] = {}
        self.opened_by_key: dict[str, str] = {}
        self.links: list[tuple[str, str, str]] = []
        self.unavailable = False

    def _check(self) -> None:
        if self.unavailable:
            raise PaymentUnavailable()

    async def create_account(self, country: str, idempotency_key: str) -> AccountState:
        """A new account with everything still due; the same one again for a repeated key."""
        self._check()
        account_id = self.opened_by_key.setdefault(
            idempotency_key, f"acct_{len(self.accounts) + 1}"
        )
        return self.accounts.setdefault(
            account_id,
            AccountState(
                account_id, country, False, False, False, ("external_account",), self.clock.now()
            ),
        )

    def onboard(self, account_id: str, *, charges: bool = True) -> AccountState:
        """The creator finished onboarding (or, charges=False, lost the right to charge)."""
        state = replace(
            self.accounts[account_id],
            charges_enabled=charges,
            payouts_enabled=charges,
            details_submitted=True,
            currently_due=() if charges else ("individual.verification.document",),
            as_of=self.clock.now(),
        )
        self.accounts[account_id] = state
        return state

    async def account_state(self, account_id: str) -> AccountState:
        """The account as it is now."""
        self._check()
        return replace(self.accounts[account_id], as_of=self.clock.now())

    async def onboarding_link(self, account_id: str, refresh_url: str, return_url: str) -> str:
        """A fresh onboarding link, recorded."""
        self._check()
        self.links.append((account_id, refresh_url, return_url))
        return f"https://connect.test/setup/{account_id}/{len(self.links)}"

    async def dashboard_link(self, account_id: str) -> str:
        """The account's dashboard."""
        self._check()
        return f"https://connect.test/express/{account_id}"

    async def transfer_of(self, payment_intent_id: str) -> str | None:
        """Every destination charge here made a transfer named after its intent."""
        self._check()
        return f"tr_{payment_intent_id}"
