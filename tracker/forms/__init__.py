"""Forms only clean input; writes happen in tracker.services."""
