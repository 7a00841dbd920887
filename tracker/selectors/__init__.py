"""Non-trivial reads (trends, aggregates, timelines), one module per area."""
