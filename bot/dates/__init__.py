"""Read the dates French-speaking customers type, and write dates back in French.

`find_dates` returns every precise date of a message, `requested_date` the one the
customer asks for, both resolved against a given "today"; vague answers ("fin
décembre", "dès que possible") and dates that do not exist give nothing.
`format_french_date` writes "mardi 8 décembre 2026". Standard library only.
"""

from __future__ import annotations

from bot.dates.formatting import format_french_date
from bot.dates.request import requested_date
from bot.dates.scan import FoundDate, find_dates

__all__ = ["FoundDate", "find_dates", "format_french_date", "requested_date"]
