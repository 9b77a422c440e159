"""The words of documents questions: customers' spellings, one-typo corrections.

`canonical_text` folds a message (lower case, no accents, no punctuation) and writes
each token as its lexicon word, so that the rules of `bot.documents` read one
spelling per meaning.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.dates.lexicon import damerau_levenshtein, fold

# One word per meaning, "word: spellings customers type", all folded. The rules
# below are written with the words on the left only.
_LEXICON = """
accepte: accepter acceptee acceptes acceptees acceptez acceptent acceptable
    acceptables acepte aceptee
ancien: ancienne anciens anciennes ancienes
carte: cartes kart karte
cartonnee: cartonne cartonnes cartonnees cartonee cartone
comme: com kom
comment: cmt cmnt coment comen commen komen koment koman
correspondre: correspond corresponde correspondent correspondes correspondance
    corespond corespondre coresponde
d identite: didentite didentiter didentitee
deposer: depose deposes deposee deposees deposez
different: differente differents differentes diferent diferente dif diff
document: documents doc docs documant
envoyer: envoi envoie envoies envoient envoye envoyee envoyes envoyees envois envoy
    anvoyer renvoyer renvoie renvoye
epoux: epouse
etranger: etrangere etrangers etrangeres etranje
fichier: fichiers fichie
format: formats formt
fournir: fourni fournis fournie fournies fournit
francais: francaise francaises
identite: identites identiter identitee indentite idantite
j ai: jai
je peux: jpeux jpeu jpx
je suis: chui chuis jsuis jsui
justificatif: justificatifs justificative justificatives justif justifs justificatis
lourd: lourde lourds lourdes lour
mail: mails email emails courriel
mettre: mets met
mo: mb mega megas megaoctet megaoctets
nouveau: nouvelle nouvel nouveaux nouvelles
papier: papiers papie
pas: pa
passeport: passeports passport passports pasport paseport passepor
permis: permi permit permie
photo: photos foto fotos
piece: pieces pice
plastifiee: plastifie plastifies plastifiees
quel: quelle quels quelles kel kelle kels kelles
quoi: koi
recto: rectos rekto
recu: recue recus recues
reduire: reduis reduit reduite reduction
resident: residente residents residentes residant residante
sejour: sejours sejoure sejor
taille: tailles taile
telecharger: telecharge telecharges telechargee telechargez telechargement
transmettre: transmet transmets transmis transmise
valable: valables
perime: perimee perimes perimees
expire: expiree expires expirees expiration
verso: versos versot
vieux: vieille vieilles vieil vielle
volets: volet
"""
# Real words one edit away from a word above: never read as typos.
_NOT_TYPOS = frozenset(
    """etrange etranges president nieces violets valets faille paille maille
    reposer repose certes secour secours""".split()
)


def _parse(lexicon: str) -> dict[str, str]:
    words: dict[str, str] = {}
    for entry in re.split(r"\n(?=\S)", lexicon.strip()):
        word, spellings = entry.split(":")
        words.update({spelling: word for spelling in [word, *spellings.split()]})
    return words


_WORDS = _parse(_LEXICON)
_FUZZY = {spelling: word for spelling, word in _WORDS.items() if len(spelling) >= 5}


@lru_cache(maxsize=4096)
def _word(token: str) -> str:
    """The word a token means: itself, its lexicon word, or the one typo it is."""
    if token in _WORDS:
        return _WORDS[token]
    if len(token) < 6 or token in _NOT_TYPOS:
        return token
    near = {
        word
        for spelling, word in _FUZZY.items()
        if abs(len(spelling) - len(token)) <= 1
        and damerau_levenshtein(token, spelling) <= 1
    }
    return near.pop() if len(near) == 1 else token


def canonical_text(text: str) -> str:
    """Fold `text` and write each token as its lexicon word, space-padded."""
    folded = fold(text).replace("œ", "oe").replace("æ", "ae")
    folded = re.sub(r"(\d)([a-z])", r"\1 \2", folded)
    tokens = re.findall(r"[a-z0-9]+", folded)
    return " " + " ".join(_word(token) for token in tokens) + " "
