"""Small helpers with no domain of their own: safe redirects, SVG charts, timeline events."""
