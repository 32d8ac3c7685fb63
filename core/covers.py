"""A campaign's cover: the picture Backit keeps for it, and why an upload cannot be one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from core.errors import DomainError
from core.i18n import N_


@dataclass(frozen=True, slots=True)
class Cover:
    """A cover as kept: a JPEG, its size in pixels, and a short digest of its bytes."""

    jpeg: bytes
    width: int
    height: int
    digest: str

    @classmethod
    def of(cls, jpeg: bytes, width: int, height: int) -> Cover:
        """A cover of these JPEG bytes, named by their digest."""
        return cls(jpeg, width, height, hashlib.blake2s(jpeg, digest_size=8).hexdigest())


class NotAnImage(DomainError):
    """The upload is not a picture Backit can read."""

    template = N_("That is not a picture Backit can use: send a JPEG, PNG or WebP image.")


class ImageTooLarge(DomainError):
    """The upload is over the size or pixel limit for a cover."""

    template = N_(
        "That picture is too large: send one under {megabytes} MB and {megapixels} megapixels."
    )


class NotYourCampaign(DomainError):
    """Someone other than the campaign's creator tried to change its cover."""

    template = N_("Only the creator of “{title}” can change its cover.")


class ImageTooSmall(DomainError):
    """The upload is too small to be shown as a card's picture."""

    template = N_("That picture is too small: send one at least {width}×{height} pixels.")
