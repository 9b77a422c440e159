"""Which porting question a customer asks, so that each gets its own answer.

`ask_porting_process` covers many questions (how long, the steps, the old line, the
cost, being abroad, no network on the day, the withdrawal period, choosing the date
at subscription, the slot); `ask_rio` covers what the RIO is and a refused RIO. Ordered
keyword rules over the folded text (lower case, no accents, SMS-speak spelled out),
most specific first; no match gives the general answer.
"""

from __future__ import annotations

import enum
import re

from bot.dates.lexicon import fold


class PortingTopic(str, enum.Enum):
    """A precise question about porting a number."""

    WITHDRAWAL = "withdrawal"
    CHOOSE_DATE = "choose_date"
    SLOT = "slot"
    ABROAD = "abroad"
    CONTACTS = "contacts"
    NO_NETWORK = "no_network"
    OLD_LINE = "old_line"
    COST = "cost"
    DELAYS = "delays"
    STEPS = "steps"
    RIO_REFUSED = "rio_refused"
    RIO = "rio"


TOPIC_RESPONSES: dict[PortingTopic, str] = {
    topic: f"utter_porting_{topic.value}" for topic in PortingTopic
}
TOPIC_RESPONSES[PortingTopic.RIO] = "utter_ask_rio"

# SMS-speak and frequent typos, written out before the rules read the text.
_SPELLED = {
    "cb": "combien",
    "cmb": "combien",
    "tps": "temps",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "ds": "dans",
    "jr": "jour",
    "jrs": "jours",
    "portab": "portabilite",
    "porta": "portabilite",
    "portage": "portabilite",
    "resilie": "resilier",
    "resiliation": "resilier",
    "rio": "rio",
    "ca": "ca",
    "sa": "ca",
    "koi": "quoi",
    "kel": "quel",
    "kelle": "quelle",
    "tel": "telephone",
    "fo": "faut",
}

_ERROR = (
    r"(?:refus|invalide|incorrect|errone|faux|fausse|erreur|rejet|bloque|mauvais|"
    r"marche pas|fonctionne pas|accepte pas|pas accepte|pas valide|non valide)"
)
_NETWORK = r"(?:capte|capter|reseau|signal|appel|sms|internet|data|telephone|mobile)"
_SUBSCRIBE = r"(?:souscri|command|abonn|inscri)"
# "depuis ce matin", "ce matin": when something happened, not the slot asked about.
_NOT_SINCE = r"(?<!depuis )(?<!ce )(?<!cet )(?<!hier )"
# "engagée jusqu'en mars" is a date, not a country.
_MONTHS = (
    r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|"
    r"novembre|decembre)"
)
_CHOOSE = (
    r"(?:choisi|choix|indiqu|donn|mettre|fixe)\w* (?:\w+ ){0,2}?"
    r"(?:la |une |ma |de |le )?(?:date|jour)\b"
)

# Ordered, most specific first; the first rule whose words appear gives the topic.
_RULES: list[tuple[PortingTopic, list[str]]] = [
    (PortingTopic.RIO_REFUSED, [rf"rio\b.*{_ERROR}", rf"{_ERROR}\w*\b.*\brio\b"]),
    (PortingTopic.RIO, [r"\brio\b"]),
    (PortingTopic.WITHDRAWAL, [r"retract|renonc|changer d avis|droit de retour"]),
    (
        PortingTopic.CHOOSE_DATE,
        [rf"{_CHOOSE}.*{_SUBSCRIBE}", rf"{_SUBSCRIBE}.*{_CHOOSE}"],
    ),
    (
        PortingTopic.SLOT,
        [rf"creneau|horaire|heure|{_NOT_SINCE}(?:matin|apres ?midi|aprem)"],
    ),
    (
        PortingTopic.ABROAD,
        [
            r"etranger|vacances|voyage|hors de france|pas en france|en deplacement",
            r"\b(?:pars|partir|serai|suis|jsuis|serais) (?:\w+ ){0,4}?en "
            r"(?!france\b|train\b|retard\b|ligne\b|plus\b|cours\b|attente\b|"
            rf"panne\b|{_MONTHS}\b)[a-z]{{4,}}",
            r"\b(?:au|aux) (?:canada|portugal|maroc|senegal|japon|bresil|mexique|"
            r"royaume uni|etats unis|usa|liban|cameroun|vietnam|antilles)\b",
            r"\babsente?\b",
        ],
    ),
    (PortingTopic.CONTACTS, [r"\bcontacts?\b|repertoire|carnet d adresses"]),
    (
        PortingTopic.NO_NETWORK,
        [
            rf"{_NETWORK}\w* .*(?:\bplus\b|\bpas\b|coupe|rien|marche)",
            r"(?:plus|pas|aucun) de (?:reseau|signal|service)",
            r"(?:plus|pas) (?:d |de )?(?:internet|reseau|signal|sms|appels?|data)\b",
            r"(?:coupe|coupure|sans) (?:de |du )?(?:reseau|service)",
            r"(?:peux|peut|arrive) (?:plus|pas) (?:a )?(?:appeler|telephoner|capter)",
        ],
    ),
    (
        PortingTopic.OLD_LINE,
        [
            r"resili|ancien operateur|ancienne ligne|operateur actuel|mon operateur",
            r"ancien forfait|ancien abonnement|engage",
        ],
    ),
    (
        PortingTopic.COST,
        [
            r"combien (?:ca |cela )?(?:coute|coutera|va couter)|cout|payant|gratuit",
            r"prix|tarif|frais|paye|factur",
        ],
    ),
    (
        PortingTopic.DELAYS,
        [
            r"combien de temps|temps|delai|\bdure|long|rapide|quand|jours|heures",
            r"48|attendre|activation|active|dimanche|ferie|week end|ouvrable",
            r"au plus tard|au plus tot|jusqu a quand",
        ],
    ),
    (
        PortingTopic.STEPS,
        [
            r"etape|comment (?:ca |cela )?(?:se passe|marche|fonctionne|faire)",
            r"demarche|procedure|que (?:je )?(?:dois|faut)|qu il faut|deroule",
            r"quoi faire|faire quoi|fai[st] comment|me faut quoi|faut quoi",
            r"besoin de quoi",
        ],
    ),
]
_COMPILED = [(topic, re.compile("|".join(patterns))) for topic, patterns in _RULES]


def folded(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, SMS-speak spelled out."""
    words = re.findall(r"[a-z0-9]+", fold(text).replace("'", " "))
    return " ".join(_SPELLED.get(word, word) for word in words)


def topic_of(text: str) -> PortingTopic | None:
    """The precise porting question `text` asks, or None for the general answer."""
    words = folded(text)
    for topic, pattern in _COMPILED:
        if pattern.search(words):
            return topic
    return None


# A second question after a request: "…elle en est où ? et au fait la porta c
# gratuit ?". Only topics whose words cannot be part of the request itself (the old
# line can: "annulez, je reste chez mon opérateur actuel").
_SIDE_TOPICS = (PortingTopic.COST, PortingTopic.CONTACTS)
_CLAUSES = re.compile(r"[?!.;\n]+|\b(?:et au fait|au fait|autre question|et aussi)\b")
_ABOUT_PORTING = re.compile(r"\b(?:portabilite|transfert|garder mon numero)\b")


def side_question(text: str) -> PortingTopic | None:
    """The porting question a request asks besides itself, in a later clause that
    names the porting: its cost or the contacts; None otherwise."""
    clauses = [c for c in _CLAUSES.split(fold(text)) if c and c.strip()]
    for clause in clauses[1:]:
        words = folded(clause)
        topic = topic_of(clause)
        if topic in _SIDE_TOPICS and _ABOUT_PORTING.search(words):
            return topic
    return None


# Topics precise enough to answer a question the classifier did not recognise.
_QUESTION_TOPICS = (
    PortingTopic.ABROAD,
    PortingTopic.CONTACTS,
    PortingTopic.NO_NETWORK,
    PortingTopic.COST,
    PortingTopic.OLD_LINE,
)


def precise_question(text: str) -> PortingTopic | None:
    """The precise porting question a message asks though it reads as information
    or as nothing clear ("je serai au Maroc le jour de ma portabilité, le 14. Est-ce
    gênant ?"), or None."""
    topic = topic_of(text)
    return topic if "?" in text and topic in _QUESTION_TOPICS else None
