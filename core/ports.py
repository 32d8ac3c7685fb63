"""Ports: what core needs from the outside world, as Protocols that adapters implement."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Protocol, Self

from core.backers import Backer
from core.caching import CacheVersions
from core.campaigns import Campaign, CampaignStatus, FundingModel
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
)
from core.payments import (
    ChargeResult,
    CheckoutRequest,
    CheckoutSession,
    PaymentAnomaly,
    PaymentOutcome,
    PaymentRefs,
)
from core.payouts import AccountState, Destination, DisputeState, PayoutAccount
from core.pledges import FundingDay, Pledge, PledgeStatus
from core.updates import CreatorUpdate


class Clock(Protocol):
    """Tells the time, always as aware UTC."""

    def now(self) -> datetime:
        """The current instant."""
        ...


class Sort(StrEnum):
    """Orders a campaign list can be browsed in."""

    TRENDING = "trending"
    NEWEST = "newest"
    ENDING_SOON = "ending"
    NEARLY_FUNDED = "nearly"
    MOST_BACKED = "backed"
    STAFF_PICKS = "picks"
    # Published campaigns still to launch, soonest first; every other order lists live ones.
    COMING_SOON = "soon"


@dataclass(frozen=True, slots=True)
class CampaignQuery:
    """What to list: live campaigns, sorted and filtered, one page at a time."""

    sort: Sort = Sort.TRENDING
    category: str | None = None
    text: str | None = None
    # Campaigns linked to this community come first.
    community_id: int | None = None
    offset: int = 0
    limit: int = 5


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A pledge's move from the status it is expected in, with any number and references."""

    pledge_id: int
    expected: PledgeStatus
    status: PledgeStatus
    backer_number: int | None
    refs: PaymentRefs


@dataclass(frozen=True, slots=True)
class TotalChange:
    """A campaign's figures around an atomic change to its total, and its milestone thresholds."""

    raised_before: int
    raised_after: int
    backers_before: int
    backers_after: int
    goal: int
    stretch_goals: tuple[int, ...]


class CampaignRepository(Protocol):
    """Campaigns and their tiers."""

    async def add(self, campaign: Campaign) -> Campaign:
        """Store a new campaign with its tiers; returns it with ids assigned."""
        ...

    async def get(self, campaign_id: int) -> Campaign | None:
        """One campaign with its tiers."""
        ...

    async def by_slug(self, slug: str) -> Campaign | None:
        """One campaign with its tiers, by slug."""
        ...

    async def by_secret_code(self, code: str) -> Campaign | None:
        """The campaign with the secret tier holding that code, with its tiers."""
        ...

    async def list_all(self) -> Sequence[Campaign]:
        """Every campaign, in slug order, with its tiers."""
        ...

    async def browse(self, query: CampaignQuery, now: datetime) -> tuple[Sequence[Campaign], int]:
        """One page of open campaigns (with tiers) and how many match in all."""
        ...

    async def created_by(self, identity: Identity) -> Sequence[Campaign]:
        """The campaigns an identity owns, newest first."""
        ...

    async def set_status(
        self, campaign_id: int, expected: CampaignStatus, status: CampaignStatus
    ) -> bool:
        """Move the status only if it still is `expected`; False if someone else moved it."""
        ...

    async def due_to_launch(self, now: datetime) -> Sequence[Campaign]:
        """Coming-soon campaigns whose start time has come."""
        ...

    async def go_live(self, campaign_id: int, starting: datetime) -> bool:
        """Make a coming-soon campaign live only if it still starts at `starting`; False if it
        was launched, cancelled or moved meanwhile."""
        ...

    async def due_to_close(self, now: datetime) -> Sequence[Campaign]:
        """Live campaigns whose end time has passed."""
        ...

    async def claim_reminders(self, now: datetime, ending_before: datetime) -> Sequence[Campaign]:
        """Live campaigns ending between now and `ending_before` not yet reminded of, each
        marked reminded so that it is returned once, across processes and restarts."""
        ...

    async def needing_settlement(self) -> Sequence[Campaign]:
        """Ended campaigns with pledges left to settle: authorized ones of an ended
        all-or-nothing campaign, paid ones of a cancelled flexible campaign."""
        ...

    async def change_total(
        self, campaign_id: int, amount_delta: int, backers_delta: int = 0, *, late: bool = False
    ) -> TotalChange:
        """Atomically add to the total and to the backer count (`late`: to what late pledges
        raised and their backer count instead)."""
        ...

    async def open_late(
        self, campaign_id: int, late_until: datetime, late_prices: Mapping[int, int]
    ) -> bool:
        """Take late pledges until `late_until`, at a late price (minor units) per tier id, any
        other tier not offered late; only while the campaign is successful, else False."""
        ...

    async def reschedule(
        self, campaign: Campaign, starting: datetime, statuses: Collection[CampaignStatus]
    ) -> bool:
        """Write the campaign's start, end and rewards' windows, only if it still starts at
        `starting` with one of `statuses`; False if it moved or changed state meanwhile."""
        ...


class TierRepository(Protocol):
    """Reward tier stock."""

    async def claim(self, tier_id: int, now: datetime) -> bool:
        """Take one unit atomically; False when a limited tier has none left or the tier is
        not open at `now`."""
        ...

    async def release(self, tier_id: int) -> None:
        """Give one claimed unit back."""
        ...


class BackerRepository(Protocol):
    """People, by platform identity."""

    async def get(self, backer_id: int) -> Backer | None:
        """One backer by id."""
        ...

    async def by_identity(self, identity: Identity) -> Backer | None:
        """One backer by platform identity."""
        ...

    async def by_referral_code(self, code: str) -> Backer | None:
        """The backer who owns a referral code."""
        ...

    async def hold(self, backer_id: int) -> None:
        """Take a backer's turn: another transaction holding the same backer waits for this one
        to end, then sees what it committed."""
        ...

    async def add(self, backer: Backer) -> Backer:
        """Store a new backer; returns it with its id."""
        ...

    async def update_profile(self, backer_id: int, display_name: str, locale: str) -> None:
        """Keep the name and language the platform last reported."""
        ...

    async def set_reachable(self, backer_id: int, reachable: bool) -> None:
        """Stop messaging a person the platform says cannot be reached (blocked, deleted),
        or start again once they are back."""
        ...

    async def choose_locale(self, backer_id: int, locale: str | None) -> None:
        """Record the language the person chose, or None to follow the platform again."""
        ...


class PledgeRepository(Protocol):
    """Pledges and their status changes."""

    async def add(self, pledge: Pledge) -> Pledge | None:
        """Store a new pledge, returned with its id; None, storing nothing, if its link is taken."""
        ...

    async def get(self, pledge_id: int) -> Pledge | None:
        """One pledge by id."""
        ...

    async def hold(self, pledge_id: int) -> tuple[Pledge, Backer, FundingModel] | None:
        """A pledge, its backer and its campaign's funding model; others wait to change the
        pledge or its campaign's figures."""
        ...

    async def hold_all(
        self, pledge_ids: Collection[int]
    ) -> Mapping[int, tuple[Pledge, Backer, FundingModel]]:
        """`hold` for several pledges at once, by id; an unknown id is left out."""
        ...

    async def counted_by(
        self, campaign_id: int, backer_ids: Collection[int], *, late: bool = False
    ) -> Mapping[int, set[int]]:
        """The ids of the counted pledges (late ones, with `late`; else the others) each of
        these backers has on a campaign, by backer; a backer with none is left out."""
        ...

    async def by_link_key(self, link_key: str) -> Pledge | None:
        """The pledge started from one signed link."""
        ...

    async def by_checkout_session(self, session_id: str) -> Pledge | None:
        """The pledge whose checkout page (the latest one opened for it) has this id."""
        ...

    async def at_checkout(self, backer_id: int, tier_id: int) -> Pledge | None:
        """A backer's pending pledge for a tier (the oldest, should there be several), top-ups
        aside."""
        ...

    async def top_ups(self, pledge_id: int) -> Sequence[Pledge]:
        """The top-ups started for a pledge, oldest first."""
        ...

    async def add_top_up(self, pledge_id: int, amount: int) -> None:
        """Count a paid top-up's amount as part of a held pledge."""
        ...

    async def forget_link(self, pledge_id: int) -> None:
        """Let the link an expired pledge started from start a new pledge."""
        ...

    async def of_backer(self, backer_id: int) -> Sequence[Pledge]:
        """A backer's pledges, newest first; a top-up is part of its pledge, not one of them."""
        ...

    async def of_campaign(
        self, campaign_id: int, statuses: frozenset[PledgeStatus] | None = None
    ) -> Sequence[Pledge]:
        """A campaign's pledges, oldest first, optionally only some statuses."""
        ...

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
        """Change status only if still `expected` (else False), with any number and references."""
        ...

    async def transition_all(self, changes: Sequence[StatusChange], now: datetime) -> set[int]:
        """`transition` for several pledges at once; the ids of those that moved."""
        ...

    async def add_refund(self, pledge_id: int, expected_refunded: int, refunded: int) -> bool:
        """Raise the refunded amount only if it still is `expected_refunded`."""
        ...

    async def change_reward(
        self, pledge_id: int, tier_id: int | None, amount: Money, now: datetime
    ) -> None:
        """Give a held pledge another reward (or none) and amount."""
        ...

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
        """Record the provider's references (and any shipping address); None leaves one as is."""
        ...

    async def set_destination(self, pledge_id: int, account_id: str, fee: int) -> None:
        """Record the creator's account a pledge's money is asked for, and Backit's fee on it."""
        ...

    async def set_dispute(
        self, pledge_id: int, expected: DisputeState | None, state: DisputeState, amount: int
    ) -> bool:
        """Move a pledge's dispute only if it still is `expected` (else False)."""
        ...

    async def paid_without_transfer(self) -> Sequence[Pledge]:
        """Paid pledges to a creator's account whose transfer is not known yet, oldest first."""
        ...

    async def stale_pending(self, created_before: datetime) -> Sequence[Pledge]:
        """Pending pledges started before a moment, oldest first."""
        ...

    async def count_referrals(self, referral_code: str, campaign_id: int) -> int:
        """How many backers (people, not pledges) a referral code brought to a campaign."""
        ...

    async def referral_stats(self, campaign_id: int) -> Sequence[tuple[str, int, int]]:
        """Per referral code: backers brought and amount counted, biggest first."""
        ...

    async def funding_days(self, campaign_id: int) -> Sequence[FundingDay]:
        """A campaign's funding by UTC day, oldest first, days with no pledge left out: what
        counts now on the day it was pledged, a refunded pledge's amount there too and taken
        off on the day it was refunded in full, and each backer new on the day of their first
        pledge that counts."""
        ...


class FollowRepository(Protocol):
    """Who follows what."""

    async def get(self, backer_id: int, campaign_id: int) -> Follow | None:
        """A backer's follow of a campaign, if any."""
        ...

    async def add(self, follow: Follow) -> bool:
        """Start following; False if the follow already existed."""
        ...

    async def remove(self, backer_id: int, campaign_id: int) -> bool:
        """Stop following; False if there was nothing to remove."""
        ...

    async def set_muted(self, backer_id: int, campaign_id: int, muted: bool) -> None:
        """Mute or unmute a follow."""
        ...

    async def count(self, campaign_id: int) -> int:
        """How many people follow a campaign."""
        ...

    async def campaigns_followed(self, backer_id: int) -> Sequence[Campaign]:
        """The campaigns a backer follows, with tiers."""
        ...


class CommunityRepository(Protocol):
    """Groups, channels and servers, and the campaigns they link."""

    async def get(self, platform: Platform, chat_id: str) -> Community | None:
        """A community by its platform chat id."""
        ...

    async def save(self, community: Community) -> Community:
        """Create or update a community (not its links); returns it with its id."""
        ...

    async def link(self, community_id: int, campaign_id: int) -> bool:
        """Link a campaign; False if it was linked already."""
        ...

    async def unlink(self, community_id: int, campaign_id: int) -> bool:
        """Unlink a campaign; False if it was not linked."""
        ...

    async def stop_announcements(self, community_id: int) -> None:
        """Turn announcements off for a community whose channel cannot be reached."""
        ...


class UpdateRepository(Protocol):
    """Creator updates."""

    async def add(self, update: CreatorUpdate) -> CreatorUpdate:
        """Store an update; returns it with its id."""
        ...

    async def claim_reports(
        self, now: datetime, next_report_at: datetime, limit: int
    ) -> Sequence[CreatorUpdate]:
        """Updates whose delivery report is due, each pushed back to `next_report_at` so that
        only one dispatcher reports it at a time."""
        ...

    async def set_report_message(self, update_id: int, message_id: str) -> None:
        """Remember the status message being edited in place for an update."""
        ...

    async def finish_report(self, update_id: int) -> None:
        """Stop reporting an update's delivery: its final count is shown."""
        ...

    async def of_campaign(
        self, campaign_id: int, *, backers_only_too: bool, offset: int, limit: int
    ) -> tuple[Sequence[CreatorUpdate], int]:
        """A page of a campaign's updates, newest first (public ones only unless
        `backers_only_too`), and how many there are in all."""
        ...


class MilestoneRepository(Protocol):
    """Milestones reached, unique per campaign and threshold."""

    async def record(self, milestone: Milestone, now: datetime) -> bool:
        """Record a milestone; False if it was recorded before (so it is not announced again)."""
        ...

    async def of_campaign(self, campaign_id: int) -> Sequence[Milestone]:
        """The milestones a campaign has reached."""
        ...


class OutboxRepository(Protocol):
    """Notifications waiting to be delivered."""

    async def enqueue(
        self, recipient: Recipient, notification: Notification, now: datetime
    ) -> bool:
        """Queue one message; False if that recipient already has this event."""
        ...

    async def enqueue_all(
        self, messages: Sequence[tuple[Recipient, Notification]], now: datetime
    ) -> None:
        """Queue several messages at once; one whose recipient already has its event is not."""
        ...

    async def enqueue_audience(
        self,
        campaign_id: int,
        audience: Audience,
        notification: Notification,
        now: datetime,
        include_communities: bool,
    ) -> int:
        """Queue one message per reachable person in the audience (and per announcing
        community that linked the campaign); returns how many were queued."""
        ...

    async def count_audience(
        self, campaign_id: int, audience: Audience, include_communities: bool
    ) -> int:
        """How many messages `enqueue_audience` would queue for a new event now."""
        ...

    async def pending(self, limit: int = 100) -> Sequence[OutboxMessage]:
        """Messages not yet delivered, oldest first."""
        ...

    async def claim(
        self, platform: Platform, now: datetime, lease_until: datetime, limit: int
    ) -> Sequence[OutboxMessage]:
        """Take up to `limit` due messages for one platform (pending, or being sent by a
        dispatcher whose lease ran out), oldest first, leased until `lease_until` and with
        one more attempt counted; concurrent claims never take the same message."""
        ...

    async def mark_sent(self, message_ids: Sequence[int], now: datetime) -> None:
        """Record messages as delivered."""
        ...

    async def retry_later(self, message_id: int, at: datetime, error: str, parts_sent: int) -> None:
        """Put a message back to be tried again at `at`, remembering what went wrong."""
        ...

    async def give_up(self, message_id: int, error: str) -> None:
        """Dead-letter one message."""
        ...

    async def abandon_recipient(self, recipient: Recipient, error: str) -> int:
        """Dead-letter every undelivered message to an unreachable recipient; how many."""
        ...

    async def delivery_counts(self, event_key: str) -> DeliveryCounts:
        """How far the messages of one event have got."""
        ...

    async def status_counts(self) -> dict[OutboxStatus, int]:
        """How many messages are in each state."""
        ...

    async def latest_failures(self, limit: int) -> Sequence[OutboxMessage]:
        """The most recent messages that failed at least once, newest first."""
        ...


class PaymentEventRepository(Protocol):
    """Payment events already applied."""

    async def record(self, event_id: str, now: datetime) -> bool:
        """Record an event id; False if it was applied before."""
        ...

    async def record_all(self, event_ids: Collection[str], now: datetime) -> set[str]:
        """Record several event ids at once; those recorded now (the rest were applied before)."""
        ...

    async def record_anomaly(self, anomaly: PaymentAnomaly) -> None:
        """Keep a report that was not applied, for an operator."""
        ...

    async def unresolved_anomalies(self) -> Sequence[PaymentAnomaly]:
        """The anomalies no operator has resolved yet, oldest first."""
        ...

    async def resolve_anomaly(self, anomaly_id: int, now: datetime) -> bool:
        """Mark an anomaly looked into; False if no unresolved anomaly has that id."""
        ...


class PayoutAccountRepository(Protocol):
    """Creators' payout accounts and the identities each belongs to."""

    async def add(
        self, state: AccountState, identities: Sequence[Identity], now: datetime
    ) -> PayoutAccount | None:
        """Store a new account for identities that have none; None, storing nothing, if one
        of them (or the provider's account) is taken."""
        ...

    async def of_identity(self, identity: Identity) -> PayoutAccount | None:
        """The account an identity belongs to."""
        ...

    async def of_creators(self, identities: Sequence[Identity]) -> PayoutAccount | None:
        """The account of the first of a campaign's creator identities that has one."""
        ...

    async def hold(self, account_id: str) -> PayoutAccount | None:
        """An account by the provider's id; others wait to change it until this transaction
        ends."""
        ...

    async def save_state(self, state: AccountState) -> bool:
        """Keep what the provider says about an account unless what is kept is newer; False
        when it was older (or the account is unknown), nothing written."""
        ...

    async def list_all(self) -> Sequence[PayoutAccount]:
        """Every account, oldest first."""
        ...


class CoverRepository(Protocol):
    """The covers Backit keeps, one per campaign at most."""

    async def put(self, campaign_id: int, cover: Cover) -> None:
        """Give a campaign this cover, in place of any it had."""
        ...

    async def of_campaign(self, campaign_id: int) -> Cover | None:
        """A campaign's cover, if it has one."""
        ...

    async def by_digest(self, digest: str) -> Cover | None:
        """A cover with this digest, whichever campaign has it."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository; leaving without commit rolls back."""

    @property
    def campaigns(self) -> CampaignRepository:
        """The campaigns of this transaction."""
        ...

    @property
    def tiers(self) -> TierRepository:
        """The tiers of this transaction."""
        ...

    @property
    def backers(self) -> BackerRepository:
        """The backers of this transaction."""
        ...

    @property
    def pledges(self) -> PledgeRepository:
        """The pledges of this transaction."""
        ...

    @property
    def follows(self) -> FollowRepository:
        """The follows of this transaction."""
        ...

    @property
    def communities(self) -> CommunityRepository:
        """The communities of this transaction."""
        ...

    @property
    def updates(self) -> UpdateRepository:
        """The updates of this transaction."""
        ...

    @property
    def milestones(self) -> MilestoneRepository:
        """The milestones of this transaction."""
        ...

    @property
    def outbox(self) -> OutboxRepository:
        """The outbox of this transaction."""
        ...

    @property
    def payment_events(self) -> PaymentEventRepository:
        """The payment events of this transaction."""
        ...

    @property
    def payout_accounts(self) -> PayoutAccountRepository:
        """The payout accounts of this transaction."""
        ...

    @property
    def covers(self) -> CoverRepository:
        """The campaigns' covers in this transaction."""
        ...

    async def __aenter__(self) -> Self:
        """Begin the transaction."""
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed, and end the transaction."""
        ...

    async def commit(self) -> None:
        """Make everything done in this unit of work permanent."""
        ...

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A nested transaction: leaving it by an exception undoes only what was done in it."""
        ...


class PaymentGateway(Protocol):
    """The payment provider: hosted checkout, saved cards, refunds and its own record of events.

    Every method raises core.payments.PaymentUnavailable when the provider cannot be reached;
    those taking a session id raise core.payments.CheckoutNotFound when it names no session.
    """

    async def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Open a hosted checkout page for a pledge (idempotent by the request's key)."""
        ...

    async def checkout_outcome(self, session_id: str) -> PaymentOutcome | None:
        """What a checkout session's current state means for its pledge; None while undecided."""
        ...

    async def open_checkout(self, session_id: str) -> CheckoutSession | None:
        """A checkout page that can still be paid; None once it is complete or expired."""
        ...

    async def expire_checkout(self, session_id: str) -> None:
        """Close an open checkout page so it can no longer be paid."""
        ...

    async def charge_saved_card(
        self, pledge: Pledge, idempotency_key: str, destination: Destination | None = None
    ) -> ChargeResult:
        """Charge an authorized pledge's saved card off-session, to the creator's account
        less Backit's fee when a destination is given."""
        ...

    async def refund(
        self, pledge: Pledge, idempotency_key: str, amount: Money | None = None
    ) -> None:
        """Refund what is left of a paid pledge, or only `amount` of it; a pledge paid to a
        creator's account takes the money back from it and gives Backit's fee back in
        proportion."""
        ...

    def outcomes_since(self, since: datetime) -> AsyncIterator[PaymentOutcome]:
        """Every outcome the provider recorded since a moment, oldest first (for reconciling)."""
        ...


class PayoutGateway(Protocol):
    """Creators' accounts with the payment provider: opening, onboarding, their dashboard.

    Every method raises core.payments.PaymentUnavailable when the provider cannot be reached.
    """

    async def create_account(self, country: str, idempotency_key: str) -> AccountState:
        """Open an account able to take card payments and receive transfers (idempotent by
        the key)."""
        ...

    async def account_state(self, account_id: str) -> AccountState:
        """What the provider says about an account now."""
        ...

    async def onboarding_link(self, account_id: str, refresh_url: str, return_url: str) -> str:
        """A new single-use link to the provider's onboarding of an account."""
        ...

    async def dashboard_link(self, account_id: str) -> str:
        """A single-use link to the account's own dashboard (payouts, bank details)."""
        ...

    async def transfer_of(self, payment_intent_id: str) -> str | None:
        """The transfer a destination charge made, once the provider made it."""
        ...


class DemoCards(Protocol):
    """Cards saved with the payment provider in test mode for demo backers, who never open a
    checkout page."""

    async def save_card(self, backer: Backer) -> PaymentRefs:
        """A new customer for the backer with a test card that pays, saved for later charges
        as a checkout in setup mode saves one."""
        ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work per use case."""

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """A new, not yet entered, unit of work; a read-only one never waits for writers and
        refuses to commit."""
        ...


class ChangeCounters(Protocol):
    """The committed changes behind every cached read, counted where all processes see them."""

    async def current(self) -> CacheVersions:
        """The counters now; within `one_reading`, as first read there unless this process
        has committed a change since."""
        ...

    def one_reading(self) -> AbstractContextManager[None]:
        """One request's reads: the counters are read once for all of them."""
        ...
