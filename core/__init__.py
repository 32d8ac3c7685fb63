"""Backit's domain: campaigns, tiers, pledges, milestones, follows and views, in plain Python."""
