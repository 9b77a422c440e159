"""Read the words around a date: is it the one refused, or the one being replaced?"""

from __future__ import annotations

from bot.dates.reader import APOSTROPHES, Match, Reader
from bot.dates.tokens import SENTENCE_BREAKS

# A date right after these words is refused or being replaced: "au lieu du 8".
_OLD_BEFORE = frozenset(
    """lieu place pas non initialement initiale initial actuellement actuelle actuel
    prevu prevue prevus prevues ancienne ancien originale etait depuis""".split()
)
# ... or right before these: "le 8 est impossible", "le 8 initialement prévu".
_OLD_AFTER = frozenset(
    """impossible initialement actuellement prevu prevue annule annulee bosse
    travaille boulot occupe occupee indisponible absent absente""".split()
)
_NEGATIONS = frozenset({"ne", "n"})
_NOT_POSSIBLE = frozenset({"possible", "dispo", "disponible", "bon", "libre", "top"})
# "ça ne me dérange pas", "pas de souci": negations that accept.
_ACCEPTING = frozenset(
    {"probleme", "souci", "soucis", "derange", "gene", "comme", "pourquoi"}
)
# "pas avant le 15": a bound, not a refusal.
_BOUNDS = frozenset({"avant", "apres"})
_CLAUSE_WORDS = frozenset(
    {"mais", "plutot", "sinon", "car", "parce", "puisque", "si", "que", "qu"}
)
_PREFERENCE = frozenset(
    """plutot mieux prefere preferes preferer preferais preferait prefererais
    preferable plus autant""".split()
)
# Words that refuse a date only after another: "au lieu", "à la place", "et non"
# (not "avoir lieu", "non, le 15").
_NEEDS_BEFORE = {"lieu": "au", "place": "la", "non": "et"}
_DETERMINERS = frozenset({"le", "la", "l", "du", "au", "celui", "de", "d"})
_WINDOW = 4


def is_replaced(reader: Reader, matches: list[Match], index: int) -> bool:
    """Tell whether the words around a date refuse it or say it is being replaced."""
    match = matches[index]
    floor = matches[index - 1].end if index else 0
    before = _words(reader, match.first - 1, floor, step=-1)
    if any(_refuses(before, position) for position in range(len(before))):
        return True
    if _compared_to(reader, matches, index):
        return True
    if len(matches) > 1 and reader.word(match.first - 1) in ("du", "de"):
        return True
    following = matches[index + 1 :]
    ceiling = following[0].first if following else len(reader.tokens)
    after = _words(reader, match.end, ceiling - 1, step=1)
    if _ACCEPTING & set(after):
        return False
    if _OLD_AFTER & set(after):
        return True
    if "pas" not in after and "plus" not in after:
        return False
    if _NEGATIONS & set(after):
        return True
    negation = after.index("pas") if "pas" in after else -1
    return 0 <= negation < len(after) - 1 and after[negation + 1] in _NOT_POSSIBLE


def _refuses(before: list[str], position: int) -> bool:
    """Tell whether word `position` of `before` (read backwards) refuses the date."""
    word = before[position]
    if word not in _OLD_BEFORE or _ACCEPTING & set(before):
        return False
    if word == "pas":  # "pas avant le 15" is a bound, not a refusal
        return not (position and before[position - 1] in _BOUNDS)
    if word in _NEEDS_BEFORE:  # "et non le 4", but "non le 15" answers the assistant
        return before[position + 1 : position + 2] == [_NEEDS_BEFORE[word]]
    return True


def _compared_to(reader: Reader, matches: list[Match], index: int) -> bool:
    """ "le 15 plutôt que le 8", "je préfère le 15 au 8": the second is refused."""
    i = matches[index].first - 1
    while reader.word(i) in _DETERMINERS - {"au"} or reader.text(i) in APOSTROPHES:
        i -= 1
    if reader.word(i) in ("que", "qu"):
        return _prefers(reader, i)
    return (
        reader.word(i) in ("au", "a")
        and index > 0
        and (_prefers(reader, matches[index - 1].first))
    )


def _prefers(reader: Reader, i: int) -> bool:
    """Tell whether a word of preference ("plutôt", "préfère") comes shortly before."""
    return bool({reader.word(j) for j in range(max(i - 8, 0), i)} & _PREFERENCE)


def _words(reader: Reader, start: int, stop: int, step: int) -> list[str]:
    """Return up to `_WINDOW` words from `start` toward `stop`, within one clause."""
    words: list[str] = []
    i = start
    while len(words) < _WINDOW and (i >= stop if step < 0 else i <= stop):
        token = reader.token(i)
        if token is None or token.text in SENTENCE_BREAKS:
            break
        if token.is_word:
            if token.norm in _CLAUSE_WORDS:
                break
            words.append(token.norm)
        i += step
    return words
