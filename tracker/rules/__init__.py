"""Clinical rules as plain functions over plain values: no ORM, no requests.

See docs/assessment.md.
"""
