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
# Why a campaign in review needs changes, asked of the operator who pressed Request changes:
# the campaign's id. Core checks again, when the reason comes, that it is still in review.
AWAITING_REASON = "awaiting_review_reason"
# Every wait, to end all of them when another begins: one answer is awaited at a time.
ALL_WAITS = (AWAITING_AMOUNT, AWAITING_CHANGE, AWAITING_REASON)
