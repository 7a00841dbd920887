"""The demo clinic (`manage.py seed_demo`): its people and each area's history. DEBUG only."""
