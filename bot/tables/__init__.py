"""The tables, split by concept; import them through `bot.models`."""
