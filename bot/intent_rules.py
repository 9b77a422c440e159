"""Corrections to the classifier that its words cannot learn: a date makes a
message an answer, and a request given with its facts is a request."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.dates.lexicon import fold
from bot.login_help import mentions_password

# Intents that name no task: with a date or a period, the message gives information
# ("quel temps fera-t-il demain" stays out of scope: it asks something else).
_CHIT_CHAT = frozenset({"greet", "goodbye", "thank", "nlu_fallback", "bot_challenge"})
# Longer messages are not read: the customer is asked to say it in a few sentences.
MAX_MESSAGE_CHARS = 2000
# Saying "I cannot help with that" is a strong claim: below this, ask to rephrase.
OUT_OF_SCOPE_MIN = 0.5
_DATES = frozenset({"date", "date_period"})


def date_answer_intent(
    intent: str | None, entities: Iterable[str | None], text: str
) -> str | None:
    """`inform` for a chit-chat or unclear message that gives a date, else None
    (the classifier's intent stands). Button payloads are never relabelled."""
    if text.startswith("/") or intent not in _CHIT_CHAT:
        return None
    return "inform" if _DATES & set(entities) else None


# Requests the assistant serves: asking for one of them is never only information.
TASKS = frozenset(
    """change_porting_date cancel_porting ask_porting_date order_status recover_access
    ask_documents ask_porting_process ask_rio change_login_email activate_line
    sim_unlock request_human code_not_received cancel_order""".split()
)
# Readings under which a message opening with "oui" or "non" is that answer ("oui,
# je reste chez mon opérateur" may read as information, "yes please" as English).
POLITE_OR_UNSURE = frozenset(
    {"thank", "goodbye", "greet", "nlu_fallback", "inform", "english"}
)
# Polite words that come with an answer: "oui merci" answers, "merci, bonne soirée"
# says goodbye.
_WITH_THANKS = {
    frozenset({"affirm", "thank"}): "affirm",
    frozenset({"deny", "thank"}): "deny",
    frozenset({"goodbye", "thank"}): "goodbye",
}
# Close scores between these mean the request itself is unclear: ask again.
_CANCELS = frozenset({"cancel_porting", "cancel_order"})
# How long a porting takes, or when is mine: a porting of one's own decides.
_WHEN = frozenset({"ask_porting_process", "ask_porting_date"})
_MY_PORTING = re.compile(
    r"\b(il (me )?reste|mon (numero|num|transfert|portage|06|07)|ma (porta\w*|date)"
    r"|ma ligne|chez moi|la mienne)\b"
)
# Logging in or changing the login address: replacing the address decides.
_ACCESS = frozenset({"recover_access", "change_login_email"})
_REPLACES_ADDRESS = re.compile(
    r"\b(chang\w*|modifi\w*|remplac\w*|corrig\w*|mettre a jour|a la place"
    r"|(nouvelle|autre) (adresse|mail|e-?mail)|la mienne)\b"
)
# A request to change or cancel the porting (or close to cancelling the order, or
# to a porting question) in a message that says it only asks ("je voulais juste
# savoir", "surtout n'annulez rien"): a question about the porting, nothing done.
_PORTING_TASKS = frozenset({"change_porting_date", "cancel_porting"})
_ASKABLE = _PORTING_TASKS | {"cancel_order", "ask_porting_process"}
_ONLY_ASKING = re.compile(
    r"\b((juste|seulement|simplement) (savoir|demander|une question|me renseigner)"
    r"|simple question|par curiosite|au cas ou|(n|ne) (annulez|changez|modifiez) rien"
    r"|sans (rien )?(annuler|changer|modifier))\b"
)
_CONFLICTING = (frozenset({"change_porting_date", "cancel_porting"}), _CANCELS)
# Why a code, or the code that did not come: a missing or expired code decides (a
# new one is sent), else a "why" asks why the code is needed (nothing is sent).
_CODE_OR_WHY = frozenset({"code_not_received", "ask_why"})
_CODE_MISSING = re.compile(
    r"\b(recu\w*|recoi\w*|arrive\w*|venu|vient|renvo\w*|expire\w*|perime\w*"
    r"|nouveau|autre|rien|toujours pas|jamais|marche pas|plus valable)\b"
)
_ASKS_WHY = re.compile(r"\b(pourquoi|pkoi|pq|pk|a quoi (ca )?sert|ca sert a quoi)\b")


def resolve_ambiguity(
    ranking: Sequence[Mapping[str, Any]], threshold: float, text: str = ""
) -> str | None:
    """The intent to keep when the fallback came from two close intents, not from
    a weak best one: a task over `inform` ("ma commande … elle en est où ? 06…"),
    the first of two compatible tasks, the answer or the goodbye a thanks comes
    with, the order's cancellation when the message names the order (the
    assistant only refuses it: never a porting cancelled on a doubt), the login
    address's change when the message replaces it, the porting question when the
    message says it only asks, the porting's date when it asks about one's own,
    a new code when it is missing and the reason for it when asked why; None to
    keep the fallback."""
    scored = [item for item in ranking if item.get("name") != "nlu_fallback"]
    if len(scored) < 2 or float(scored[0].get("confidence", 0)) < threshold:
        return None
    first, second = str(scored[0]["name"]), str(scored[1]["name"])
    pair = frozenset({first, second})
    if pair in _WITH_THANKS:
        return _WITH_THANKS[pair]
    if pair == _CANCELS and names_only_the_order(text):
        return "cancel_order"
    if (
        pair <= _ASKABLE
        and pair & _PORTING_TASKS
        and _ONLY_ASKING.search(fold(text).replace("'", " "))
    ):
        return "ask_porting_process"
    if pair == _CODE_OR_WHY:
        folded = fold(text).replace("'", " ")
        if _CODE_MISSING.search(folded):
            return "code_not_received"
        return "ask_why" if _ASKS_WHY.search(folded) else None
    if pair == _WHEN and _MY_PORTING.search(fold(text).replace("'", " ")):
        return "ask_porting_date"
    if pair == _ACCESS:
        folded = fold(text)
        replaces = _REPLACES_ADDRESS.search(folded) and not mentions_password(folded)
        return "change_login_email" if replaces else first
    if "inform" in pair:
        (other,) = pair - {"inform"}
        return other if other in TASKS else None
    if pair <= TASKS and pair not in _CONFLICTING:
        return first
    return None


_ORDER_STATUS_WORDS = re.compile(
    r"\b(commande|colis|livraison|livre|expedi\w*|carte sim)\b"
)
# Words that name an order (or the subscription): "annuler" with none of them, in a
# porting's context, is about the porting.
ORDER_WORDS = re.compile(r"\b(commande|abonnement|forfait|contrat|souscription|sim)\b")
# The words that name the porting (SMS-speak included).
_PORTING = r"(portab\w*|porta|portage|transfert)"
_PORTING_DATE_WORDS = re.compile(
    rf"\b{_PORTING}\b.*\b(quand|qd|date)\b|\b(quand|qd|date)\b.*\b{_PORTING}\b"
)


_PORTING_WORDS = re.compile(rf"\b({_PORTING}|numero)\b")
_NOT_THE_PORTING = re.compile(
    rf"\b(pas|non) (de |la |ma |le |mon )?({_PORTING}|numero)\b"
)


def names_only_the_order(text: str) -> bool:
    """Tell whether a cancellation names an order and not the porting, or says
    it is not the porting ("non pas la portabilité, ma commande")."""
    words = " ".join(re.findall(r"[a-z0-9]+", fold(text)))
    if not ORDER_WORDS.search(words):
        return False
    return not _PORTING_WORDS.search(words) or bool(_NOT_THE_PORTING.search(words))


_BARE_STOP = re.compile(
    r"^(stop+( stop+)*|arrete[rz]?|on arrete|laisse[rz]? tomber|laisse[rz] faire)$"
)


def too_long(text: str) -> bool:
    """Tell whether a message is longer than the assistant reads."""
    return len(text) > MAX_MESSAGE_CHARS


def bare_stop(text: str) -> bool:
    """Tell whether the message only says stop ("stop", "laissez tomber"): a no,
    which leaves a form with nothing changed, whatever the classifier read."""
    return bool(_BARE_STOP.match(" ".join(re.findall(r"[a-z]+", fold(text)))))


def says_not_the_porting(intent: str | None, text: str) -> bool:
    """Tell whether a porting cancellation reading says it is about the order
    instead ("annuler ma commande, pas la portabilité"): then it is the order's."""
    words = " ".join(re.findall(r"[a-z0-9]+", fold(text)))
    return (
        intent == "cancel_porting"
        and bool(ORDER_WORDS.search(words))
        and bool(_NOT_THE_PORTING.search(words))
    )


def second_request(text: str, task: str | None) -> str | None:
    """The other read-only request a message makes besides `task`: "c'est quand ma
    portabilité et ma commande elle en est où ?" asks for the status and the order."""
    words = " ".join(re.findall(r"[a-z0-9]+", fold(text)))
    if task == "status" and _ORDER_STATUS_WORDS.search(words):
        return "order"
    if task == "order" and _PORTING_DATE_WORDS.search(words):
        return "status"
    return None


def weak_out_of_scope(intent: str | None, confidence: float) -> bool:
    """Tell whether an out-of-scope reading is too unsure to say so ("zblorg kwix"):
    the customer is asked to rephrase instead."""
    return intent == "out_of_scope" and confidence < OUT_OF_SCOPE_MIN


_YES = re.compile(
    r"^(oui|ouais|ouai|yes|yep|ok|okay|d accord|dac|je confirme|confirme|"
    r"c est bon|parfait|vas y|allez y|tout a fait|exactement|bien sur)\b"
)
# "Annulez", "j'annule", "annulation" alone, said to "Vous confirmez l'annulation ?".
_BARE_CANCEL = re.compile(
    r"^(j )?(annule[rz]?|annulation|annulez la|annule la)( svp)?$"
)
_NO = re.compile(r"^(non|nan|no|nope|pas du tout|surtout pas)\b")


def cancels_this_porting(task: str | None, text: str) -> bool:
    """Tell whether a cancellation said during a porting's cancellation is about
    that porting: it names no order ("annulez", "oui, j'annule")."""
    return task == "cancel" and not ORDER_WORDS.search(fold(text))


def confirmation_answer(intent: str | None, text: str, task: str | None) -> bool | None:
    """The yes or no a message gives to "Vous confirmez … ?" when the classifier
    read something else: thanks or an unclear reading ("Oui, je confirme, merci
    beaucoup"), or a cancellation that names no order while a porting's
    cancellation is being confirmed ("oui, j'annule quand même"). None for a
    question, a complaint or another request ("oui mais pourquoi ?")."""
    about_this_cancellation = intent in (
        "cancel_porting",
        "cancel_order",
    ) and cancels_this_porting(task, text)
    if intent in POLITE_OR_UNSURE:
        return yes_or_no(text)
    if about_this_cancellation:
        answer = yes_or_no(text)
        bare = _BARE_CANCEL.match(" ".join(re.findall(r"[a-z]+", fold(text))))
        return True if answer is None and bare else answer
    return None


def yes_or_no(text: str) -> bool | None:
    """True or False for a message that opens with a plain yes or no ("Oui, je
    confirme, merci", "non merci"), None otherwise; "oui… non" is unclear."""
    words = " ".join(re.findall(r"[a-z]+", fold(text)))
    if _YES.match(words) and not re.search(r"\b(non|pas)\b", words):
        return True
    if _NO.match(words):
        return False
    return None


_CLOSING = re.compile(
    r"\b(au revoir|bonne (journee|soiree|fin de journee|nuit|continuation)|"
    r"bon (week end|weekend|we)|a (bientot|plus)|bye|ciao)\s*$"
)


def closes_with_goodbye(intent: str | None, text: str) -> bool:
    """Tell whether a message the classifier did not understand ends with a
    farewell ("…c'est ma petite-fille qui voulait que j'essaie. Merci et bonne
    soirée."): whatever came before, the customer is leaving."""
    words = " ".join(re.findall(r"[a-z]+", fold(text).replace("-", " ")))
    return intent == "nlu_fallback" and bool(_CLOSING.search(words))
