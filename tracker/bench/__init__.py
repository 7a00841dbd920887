"""The clinic-scale benchmark (docs/benchmarks.md): a synthetic clinic, a load generator and the
runner behind `make bench`. Nothing here runs in production unless PARSTRACK_BENCH is set, and
then only the query-count header and a fixed-response URL (tracker.bench.middleware and .views).
"""
