"""The pieces of `scripts/fuzz_rest.py` (`make fuzz`) and of
`tests/e2e/test_fuzz_rest.py`: the hostile messages (corpus, messages), the HTTP
client, the run against a Rasa server (runner), its figures (report) and servers
of its own (embedded)."""
