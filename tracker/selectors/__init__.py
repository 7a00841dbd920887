"""Non-trivial reads, one module per area."""
