"""Outcome questionnaires: pure rules (scoring, schedule, definition files), free of the ORM."""
