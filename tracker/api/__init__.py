"""The REST API under /api/: one module per area, routed in `tracker/api/urls.py` (docs/api.md)."""
