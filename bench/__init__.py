"""The clinic-scale benchmark (docs/benchmarks.md): a synthetic clinic, a load generator and the
runner behind `make bench`. A Django app listed only by `bench.settings` (production settings plus
the query-count header and the bench URLs), which the runner gives every command and the server it
starts: production's settings and URLs carry nothing of it.
"""
