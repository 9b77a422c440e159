"""The pieces of `scripts/bench.py` (`make bench`): statistics, capacity steps, the
SMS gateway sink, the bench fixture, the embedded stack, the simulated customer and
the report."""
