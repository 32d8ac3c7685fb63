"""Adapters: every edge of Backit (chat platforms, payments, storage, web) behind core's ports."""
