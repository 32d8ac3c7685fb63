"""Pictures Backit draws itself: campaign cards."""
