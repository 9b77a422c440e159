"""Custom Rasa NLU components: thin adapters over the pure functions in `bot/`."""
