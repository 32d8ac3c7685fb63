"""What a private chat waits for the person to type: conversation state only, one at a time."""

from __future__ import annotations

# A new pledge's amount: (campaign id, referral code). The pledge itself is created in the
# database when its link is followed.
AWAITING_AMOUNT = "awaiting_amount"
# The message of the last offer made for a typed amount: a newer amount takes its button off.
LAST_OFFER = "last_amount_offer"
# Another amount for a pledge being changed: its id. Core checks the pledge again when the
# amount comes.
AWAITING_CHANGE = "awaiting_change"
