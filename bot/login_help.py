"""Questions about logging in to the customer area, answered by topic."""

from __future__ import annotations

import re

from bot.dates.lexicon import fold

FORGOTTEN_EMAIL = re.compile(
    r"(oubli|sai[st] plus|rappel\w* plus|souvien\w* (plus|pas)|retrouv"
    r"|quel(le)? (adresse|mail|e-?mail)).*(adresse|mail|e-?mail|inscri|identifiant)"
    r"|(adresse|mail|e-?mail).*(oubli|sai[st] plus|rappel\w* plus|retrouv)"
)


_PASSWORD = re.compile(r"mot de pass|\bmdp\b|password")


def mentions_password(folded: str) -> bool:
    """Tell whether a folded message (`fold`) speaks of the password."""
    return _PASSWORD.search(folded) is not None


# Asking for a link, or a login that fails: the reset form, not a question.
_RESET = re.compile(
    r"(reinit|debloqu|bloque|verrouill|creation"
    r"|\bcree?r? (un |mon |son |l )?(acces|compte|espace)"
    r"|\blien (de|pour) (reinit|creer|changer)"
    r"|arrive (pas|plus)|arrive pa\b|parvien\w* (pas|plus)|peu[xt] (pas|plus)"
    r"|impossible|marche pas|fonctionne pas|passent (pas|plus)|ne passe (pas|plus)"
    r"|incorrect|invalide|erreur|refus|plus acces|pas acces|aucun utilisateur"
    r"|jamais recu|pas recu|recoi\w* (pas|rien)|tourne en boucle"
    r"|laisse[rz]? (pas )?entrer"
    r"|souci|probleme|\bcode)"
)
# Asking which login to use, where or how to log in.
_QUESTION = re.compile(
    r"(avec (quoi|koi|quel)|identifian|login|connecte (avec|comment)|connecter avec"
    r"|(mail|adresse|e-?mail) ou (mon |le )?(num|06|tel)"
    r"|(num\w*|tel\w*) ou (mon |l )?(mail|adresse|e-?mail)"
    r"|comment (il|elle|on|je|j|moi|me|se|s|acced\w*|aller|ouvrir|entrer|rentrer"
    r"|peu|doi|faire)"
    r"|co(nnecter)? comment|\bs?e co\b|\bme co\b|\bcmt\b"
    r"|pour (me |se |te |nous )?(co|connecter|entrer)\b"
    r"|\bou (je|on|se|trouver|est|dois|aller|passe)\b|\bd ou\b|par ou|c est ou"
    r"|\blequel|\blaquelle|il faut quoi|saisir quoi|mettre quoi|mets? quoi"
    r"|nom d utilisateur|payant|gratuit|rester connecte|en meme temps"
    r"|plusieurs appareils"
    r"|appli|application|quel(le)?s? (adresse|mail|e-?mail|renseignement|page)"
    r"|kel (mail|adresse)|sans (adresse|mail|e-?mail)|acced"
    r"|\blien (pour aller|de l espace)|connexion c"
    r"|c est (quoi|laquelle|lequel) (mon|l|le|la) (mail|adresse|identifiant))"
)


def login_question(text: str) -> str | None:
    """The login topic when a message about access asks a question rather than for
    a reset link: `forgotten_email` (the login address is lost), `identifier`
    (which login, where, how), or None for a reset or a login that fails."""
    folded = fold(text).replace("'", " ")
    if FORGOTTEN_EMAIL.search(folded) and not mentions_password(folded):
        return "forgotten_email"
    if mentions_password(folded) or _RESET.search(folded):
        return None
    return "identifier" if _QUESTION.search(folded) else None


def login_topic(text: str) -> str:
    """`forgotten_email` when the customer lost their login address, else
    `identifier` (which login for whom)."""
    return "forgotten_email" if FORGOTTEN_EMAIL.search(fold(text)) else "identifier"


_CHANGE_FAILED = re.compile(
    r"(echou|echec|marche pas|fonctionne pas|impossible|erreur|refus|bloqu|"
    r"n arrive pas|arrive pas|pas possible|deja utilise)"
)


def email_change_failed(text: str) -> bool:
    """Tell whether a question about changing the login e-mail says it failed."""
    return _CHANGE_FAILED.search(fold(text).replace("'", " ")) is not None
