"""HTML views, one module per area. They stay thin: forms clean, services write."""
