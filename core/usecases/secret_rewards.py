"""Secret rewards: opening a campaign on the reward a shared link's code reveals."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from core.errors import SecretLinkInvalid
from core.identity import Identity
from core.ports import UnitOfWorkFactory
from core.secret_codes import SECRET_CODE
from core.usecases.browsing import CampaignDetail, as_seen_by


async def reveal(
    uows: UnitOfWorkFactory, code: str, viewer: Identity | None, operators: Collection[Identity]
) -> CampaignDetail:
    """The campaign as the viewer sees it with the secret reward `code` reveals; a malformed or
    unknown code, or one of a campaign the viewer may not see, is refused alike."""
    if not SECRET_CODE.match(code):
        raise SecretLinkInvalid()
    async with uows(read_only=True) as uow:
        campaign = await uow.campaigns.by_secret_code(code)
        if campaign is None or not campaign.shown_to(viewer, operators):
            raise SecretLinkInvalid()
        detail = await as_seen_by(uow, campaign, viewer)
    revealed = next(t for t in campaign.tiers if t.secret_code == code)
    return replace(detail, revealed=revealed)
