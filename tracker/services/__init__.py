"""Every write to ParsTrack's core data goes through a typed service function in this package."""
