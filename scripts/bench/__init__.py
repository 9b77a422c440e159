"""The pieces of `scripts/bench.py` (`make bench`): its command line, the whole run,
the phases, statistics, capacity steps, the SMS gateway sink and its accounting, the
bench fixture, the embedded stack (or checks of an external one), the action
servers' metrics, the simulated customer and the report."""
