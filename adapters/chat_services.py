"""What every chat surface needs from core and the settings, passed in by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.images.card_images import card_images, picture_now, picture_path
from adapters.images.drawings import Drawings
from adapters.images.progress_charts import ProgressCharts
from core.campaigns import Campaign
from core.identity import Caller, Identity
from core.payments import PaymentUnavailable
from core.payouts import NO_PAYOUTS, PayoutTerms
from core.pledge_links import PledgeLinkSigner
from core.ports import Clock, PaymentGateway, PayoutGateway, UnitOfWorkFactory
from core.usecases.cached_reads import CachedReads
from core.usecases.changing import PledgeChange
from core.usecases.payouts import OnboardingUrls, open_payouts
from core.usecases.pledging import PledgeLimits
from core.views.model import Reply
from core.views.payouts import draft_fee, payouts_off, payouts_reply
from core.views.pictures import CardPicture


def share_url(public_url: str, slug: str, referral_code: str) -> str:
    """A campaign's public page carrying a referral code: every surface shares this one."""
    return f"{public_url.rstrip('/')}/c/{slug}?ref={referral_code}"


@dataclass(frozen=True, slots=True)
class Payouts:
    """Creators' payout accounts: the provider, Backit's terms and its onboarding pages."""

    gateway: PayoutGateway
    terms: PayoutTerms
    urls: OnboardingUrls


@dataclass(frozen=True, slots=True)
class ChatServices:
    """Core's ports and settings, the same for Telegram and Discord."""

    uows: UnitOfWorkFactory
    clock: Clock
    # What nearly every message reads first (languages, communities, browse pages), kept.
    reads: CachedReads
    limits: PledgeLimits
    operators: frozenset[Identity]
    public_url: str
    # Both None when payments are not configured: reward buttons then explain instead.
    signer: PledgeLinkSigner | None
    gateway: PaymentGateway | None
    # Campaigns' progress charts, the web server's own: each drawn once for every surface.
    progress_charts: ProgressCharts
    page_size: int = 5
    # None unless creators are paid through their own accounts ([payments] connect).
    payouts: Payouts | None = None
    # Campaigns' card pictures, the web server's own: each drawn once for every surface.
    card_images: Drawings[CardPicture] = field(default_factory=card_images)
    # How creators are paid, which publishing a campaign an operator approves respects.
    terms: PayoutTerms = NO_PAYOUTS

    async def payouts_answer(self, caller: Caller, country: str | None) -> Reply:
        """The answer to /payouts: the caller's account (opened in `country` the first time)
        and its next link; where creators have no account of their own, who pays them."""
        if self.payouts is None:
            return payouts_off()
        payouts = self.payouts
        status = await open_payouts(
            self.uows, self.clock, payouts.gateway, caller, country, payouts.terms, payouts.urls
        )
        return payouts_reply(status)

    def draft_fee(self, campaign: Campaign) -> str | None:
        """Backit's fee as a creator reads it under their draft; None where creators are paid
        by the team running Backit rather than into accounts of their own."""
        return None if self.payouts is None else draft_fee(self.payouts.terms, campaign)

    def card_picture_url(self, campaign: Campaign) -> str | None:
        """Where the web server serves the campaign's card picture, as of now in the current
        language; None where it does not run (payments off)."""
        if self.signer is None:
            return None
        picture = picture_now(campaign, self.clock.now())
        return self.public_url.rstrip("/") + picture_path(campaign.slug, picture)

    def pledge_url(self, token: str) -> str:
        """The web server's address for a signed pledge link."""
        return f"{self.public_url.rstrip('/')}/pledge/{token}"

    def share_url(self, slug: str, referral_code: str) -> str:
        """A campaign's public page, crediting whoever shares it."""
        return share_url(self.public_url, slug, referral_code)

    def personal_link(
        self,
        backer_id: int,
        campaign_id: int,
        tier_id: int | None,
        amount: int | None = None,
        referral_code: str | None = None,
    ) -> str | None:
        """A signed pledge link for one backer, or None when payments are not configured."""
        if self.signer is None:
            return None
        link = self.signer.new_link(
            self.clock.now(), backer_id, campaign_id, tier_id, amount, referral_code
        )
        return self.pledge_url(self.signer.sign(link))

    def top_up_url(self, change: PledgeChange) -> str | None:
        """A signed link to pay what a change still needs paid; None when nothing is due."""
        if change.top_up is None:
            return None
        if self.signer is None:
            raise PaymentUnavailable()
        due = change.top_up
        link = self.signer.new_top_up(
            self.clock.now(), change.pledge.id, due.tier_id, due.amount.amount
        )
        return f"{self.public_url.rstrip('/')}/pledge/top-up/{self.signer.sign_top_up(link)}"
