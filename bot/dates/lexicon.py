"""French words for dates: months, weekdays, spelled numbers, with typo tolerance."""

from __future__ import annotations

import unicodedata

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def fold(word: str) -> str:
    """Lower-case `word` and strip its accents ("Décembre" -> "decembre")."""
    # Decompose first: "𝐃", "𝔸" (styled capitals) decompose to "D", "A", then lower.
    decomposed = unicodedata.normalize("NFKD", word).lower()
    return "".join(char for char in decomposed if not unicodedata.combining(char))


MONTH_ABBREVIATIONS = {
    "jan": 1, "janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "juill": 7,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_WORDS = {
    **{fold(name): number for number, name in enumerate(MONTHS, start=1)},
    **MONTH_ABBREVIATIONS,
}
_WEEKDAY_WORDS = {name: number for number, name in enumerate(WEEKDAYS)}

UNITS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
    "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
}  # fmt: skip
TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}

# Words after a number that make it a count or an amount, never a day of the month.
UNIT_WORDS = frozenset(
    """h heure heures min mn minute minutes sec seconde secondes euro euros eur e
    cent cents centimes ct cts jour jours semaine semaines mois an ans annee annees
    ligne lignes forfait forfaits go gb mo mb sms mms numero numeros num fois
    personne personnes carte cartes sim puce puces appel appels message messages
    ko km kg pourcent eme ieme e lettres chiffres caracteres
    rue avenue av bd boulevard chemin allee impasse route quai square bis ter
    etage etages""".split()
)
CURRENCY_OR_PERCENT = frozenset("€ $ £ %".split())

_FUZZY_MIN_LENGTH = 5
# Real words and names one edit away from a date word (checked against spaCy's French
# vocabulary): "Mahdi" is not "mardi", "dédain" is not "demain".
_NOT_TYPOS = frozenset(
    """hardi mahdi marti tardi landi javier ferrier sevrier gevrier guillet juilly
    dedain domain derain""".split()
)


def damerau_levenshtein(a: str, b: str) -> int:
    """Edit distance counting insertions, deletions, substitutions, transpositions."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _closest(word: str, names: dict[str, int]) -> int | None:
    """Return the value of the only name at most one edit from `word`, if any."""
    if len(word) < _FUZZY_MIN_LENGTH or word in _NOT_TYPOS:
        return None
    near = {
        value
        for name, value in names.items()
        if len(name) >= _FUZZY_MIN_LENGTH and _one_edit_away(word, name)
    }
    return near.pop() if len(near) == 1 else None


def month_number(word: str) -> int | None:
    """Return 1-12 for a month name, abbreviation or near miss ("févier"), else None."""
    folded = fold(word)
    if folded in _MONTH_WORDS:
        return _MONTH_WORDS[folded]
    return _closest(folded, _MONTH_WORDS)


def weekday_number(word: str) -> int | None:
    """Return 0 (Monday) to 6 for a weekday name or near miss ("samdi"), else None."""
    folded = fold(word)
    if folded in _WEEKDAY_WORDS:
        return _WEEKDAY_WORDS[folded]
    if folded.endswith("s") and folded[:-1] in _WEEKDAY_WORDS:
        return None  # "les mardis": a habit, not a date
    return _closest(folded, _WEEKDAY_WORDS)


def is_near(word: str, target: str) -> bool:
    """Tell whether `word` is `target` or, when long enough, one edit away from it."""
    folded = fold(word)
    if folded == target:
        return True
    if len(folded) < _FUZZY_MIN_LENGTH or folded in _NOT_TYPOS:
        return False
    return _one_edit_away(folded, target)


def _one_edit_away(word: str, name: str) -> bool:
    """At most one edit apart. Lengths further apart need more edits: checked first,
    so that a word thousands of letters long costs nothing (not seconds)."""
    return abs(len(word) - len(name)) <= 1 and damerau_levenshtein(word, name) <= 1
