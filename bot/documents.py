"""Tell which precise question a customer asks about supporting documents.

`topic_of` folds the message (lower case, no accents, no punctuation), brings typos
and SMS spellings back to one word per meaning ("pasport" -> "passeport", "cmt" ->
"comment", `bot.documents_words`), then tries keyword rules in order, most specific
first. A message about identity documents with no precise question is ACCEPTED_IDS;
documents already sent or being checked are ALREADY_SENT (the order tells); one that
is not about sending documents at all (or about what these answers do not cover: a
RIB, a tax notice, photo quality) gives None, for the general answer.
`TOPIC_RESPONSES` names the Rasa response for each topic; the texts are in
domain.yml.
"""

from __future__ import annotations

import enum
import re

from bot.documents_words import canonical_text


class DocumentTopic(str, enum.Enum):
    """A precise question about supporting documents."""

    OLD_ID_CARD = "old_id_card"
    PINK_LICENCE = "pink_licence"
    FOREIGN_ID = "foreign_id"
    RESIDENCE_PERMIT = "residence_permit"
    NAME_MATCH = "name_match"
    FILE_TOO_BIG = "file_too_big"
    FORMATS = "formats"
    RECTO_VERSO = "recto_verso"
    HOW_TO_SEND = "how_to_send"
    ACCEPTED_IDS = "accepted_ids"
    EXPIRED = "expired"
    FORMAT_REFUSED = "format_refused"
    PROOF_OF_ADDRESS = "proof_of_address"
    ALREADY_SENT = "already_sent"  # where the check of sent documents stands


TOPIC_RESPONSES: dict[DocumentTopic, str] = {
    DocumentTopic.OLD_ID_CARD: "utter_documents_old_id_card",
    DocumentTopic.PINK_LICENCE: "utter_documents_pink_licence",
    DocumentTopic.FOREIGN_ID: "utter_documents_foreign_id",
    DocumentTopic.RESIDENCE_PERMIT: "utter_documents_residence_permit",
    DocumentTopic.NAME_MATCH: "utter_documents_name_match",
    DocumentTopic.FILE_TOO_BIG: "utter_documents_file_too_big",
    DocumentTopic.FORMATS: "utter_documents_formats",
    DocumentTopic.RECTO_VERSO: "utter_documents_recto_verso",
    DocumentTopic.HOW_TO_SEND: "utter_documents_how_to_send",
    DocumentTopic.ACCEPTED_IDS: "utter_documents_accepted_ids",
    DocumentTopic.EXPIRED: "utter_documents_expired",
    DocumentTopic.FORMAT_REFUSED: "utter_documents_format_refused",
    DocumentTopic.PROOF_OF_ADDRESS: "utter_documents_proof_of_address",
    DocumentTopic.ALREADY_SENT: "utter_documents_already_sent",
}


def _gap(words: int) -> str:
    """Up to `words` words in between."""
    return rf"(?:\w+ ){{0,{words}}}?"


_ID_CARD = (
    r"(?:carte (?:nationale )?(?:d )?identite|cni|ci(?! (?:joint|dessous|dessus)))"
)
_ID_WORD = r"(?:piece|justificatif|document|papier|identite|cni|passeport|permis)"
_KIN = (
    r"(?:mari|femme|epoux|conjoint|conjointe|copain|copine|compagnon|compagne|pere|"
    r"mere|parent|parents|fils|fille|enfant|frere|soeur|oncle|tante|ami|amie)"
)
# "le même fichier" is about pages, not about whose name is on the document.
_SAME = r"meme(?! (?:fichier|document|pdf|scan|page|envoi|image|photo))"
_NOT_SIM = r"(?! (?:\w+ ){0,3}?(?:sim|esim|nano|micro)\b)"  # the SIM card's size
_EXT = r"(?:pdf|jpeg|jpg|tiff|tif|png|heic|heif|gif|bmp|webp|docx|odt|word)"
_EXT_REFUSED = r"(?:png|heic|heif|gif|bmp|webp|docx|doc|odt|word|zip|raw)"
_SEND = (
    r"(?:envoyer|transmettre|telecharger|deposer|fournir|joindre|uploader|upload|"
    r"televerser|charger|mettre|ajouter|faire parvenir|scanner|importer)"
)
_NATIONALITY = (
    r"(?:belge|suisse|italien|espagnol|portugais|allemand|roumain|polonais|bulgare|"
    r"britannique|anglais|irlandais|neerlandais|americain|canadien|bresilien|"
    r"marocain|algerien|tunisien|senegalais|ivoirien|malien|camerounais|congolais|"
    r"comorien|turc|russe|ukrainien|chinois|indien|pakistanais|vietnamien)(?:ne|e)?s?"
)

# Ordered, most specific first; the first rule whose words appear gives the topic.
# fmt: off
_TOPIC_RULES: list[tuple[DocumentTopic | None, list[str]]] = [
    (DocumentTopic.EXPIRED, [
        r"perime|expire|(?:plus|pas) (?:en cours de )?(?:valide|validite)|"
        r"fin de validite",
    ]),
    (DocumentTopic.FORMAT_REFUSED, [_EXT_REFUSED]),
    (DocumentTopic.PROOF_OF_ADDRESS, [
        r"(?:justificatif|preuve|attestation) (?:de |d )?(?:domicile|adresse)",
        r"domicile|facture (?:d |de )?(?:electricite|edf|gaz|eau|internet)|quittance",
        r"(?:preuve|justif) (?:d |de )?(?:adresse|domicile)",
    ]),
    (DocumentTopic.NAME_MATCH, [
        rf"(?:nom|prenom|identite)s? {_gap(4)}(?:correspondre|{_SAME}|pareil|"
        r"identique|different|differe|pas le bon|faute|erreur|mal)",
        rf"(?:correspondre|meme|pareil|identique|different) {_gap(3)}"
        r"(?:nom|prenom|titulaire|contrat|souscription|personne)",
        rf"(?:faute|erreur) {_gap(4)}(?:nom|prenom)",
        r"(?:au|a|sous) (?:le )?nom (?:de|d) (?:mon|ma|mes|son|sa|ses|un|une|quelqu)",
        rf"(?:{_ID_WORD}|carte) {_gap(3)}(?:de|d) (?:mon|ma|mes|son|sa) {_KIN}",
        rf"(?:pour|a la place de) (?:mon|ma) {_KIN}",
        r"nom (?:de |d )?(?:jeune fille|usage|naissance|marie|mariee|epoux|marital)",
        r"(?:ancien|nouveau) nom|pas (?:a |au |de )?mon nom|mariage|divorce|divorcee",
        r"(?:change|changer|changement) (?:de |d )?(?:nom|prenom)",
        r"autre personne|quelqu un d autre|(?:celle|celui) du (?:titulaire|contrat)",
        rf"{_ID_WORD} {_gap(4)}(?:titulaire|souscripteur)",
        rf"(?:mon|ma|mes) {_KIN} {_gap(4)}(?:souscrit|souscription|contrat|titulaire|"
        r"ligne|abonnement|commande|utilise|utiliser)",
    ]),
    (DocumentTopic.RESIDENCE_PERMIT, [
        r"sejour|resident|monaco|andorre",
        r"(?:carte|titre) (?:de )?residence",
    ]),
    (DocumentTopic.PINK_LICENCE, [
        rf"permis {_gap(4)}(?:rose|papier|cartonnee|carton|volets|ancien|vieux|"
        r"nouveau|plastifiee)",
        rf"(?:ancien|nouveau|vieux) {_gap(2)}permis",
        r"rose .*permis|(?:trois|3) volets",
    ]),
    (DocumentTopic.OLD_ID_CARD, [
        rf"(?:ancien|vieux) {_gap(3)}{_ID_CARD}",
        rf"{_ID_CARD} {_gap(4)}(?:ancien|vieux|volets|cartonnee|carton|papier|"
        r"plastifiee)",
        r"volets|cartonnee|plastifiee|(?:est|carte) (?:en )?papier",
        r"(?:ancien|nouveau|vieux) (?:format|modele|version)",
        r"format (?:de |d une )?(?:carte bancaire|carte de credit|cb)",
    ]),
    (DocumentTopic.FOREIGN_ID, [
        r"(?<!a l )etranger|nationalite(?! francais)|refugie|refugiee",
        rf"(?:pas|plus) {_gap(2)}francais",
        rf"(?:{_ID_WORD}|carte) {_gap(4)}(?:d un autre|autre|mon|son) pays",
        r"pays d origine|europeen|europeenne|ue|union europeenne|schengen",
        r"europeens|europeennes",
        _NATIONALITY,
    ]),
    (DocumentTopic.FILE_TOO_BIG, [
        rf"trop {_gap(1)}(?:lourd|gros|grosse|grosses|volumineux|volumineuse|grand|"
        r"grande|grands|grandes|important)",
        rf"(?:taille|poids){_NOT_SIM}|volumineux|volumineuse|\d+ (?:mo|ko|kb)|mo",
        r"reduire|compresser|compression|redimensionner|alleger",
        rf"depass\w* {_gap(3)}(?:limite|taille|poids|max|maximum|autorise)",
    ]),
    (DocumentTopic.FORMATS, [
        rf"format{_NOT_SIM}|extension|types? (?:de |d )(?:fichier|image)",
        r"(?:genre|sorte|type)s? (?:de |d )fichiers?|fichiers? (?:accepte|autorise)",
    ]),
    (DocumentTopic.HOW_TO_SEND, [r"par (?:courrier|la poste|voie postale)"]),
    (DocumentTopic.RECTO_VERSO, [
        r"recto|verso",
        r"(?:deux|2|les deux|les 2) (?:faces|face|cotes|cote)",
        r"(?:face|cote) (?:arriere|avant)|l autre (?:face|cote)",
        r"arriere|(?:le|au) derriere",
        r"dos (?:de|d)",
    ]),
    (DocumentTopic.FORMATS, [
        _EXT,
        r"capture d ecran|screenshot",
    ]),
    (DocumentTopic.HOW_TO_SEND, [
        r"(?:comment|ou(?! en est)|par ou|a quel endroit|quel adresse|a qui|"
        rf"de quel (?:facon|maniere)|procedure|demarche) {_gap(5)}{_SEND}",
        rf"lien|(?:recu|trouve|retrouve) {_gap(3)}mail",
        rf"mail {_gap(4)}(?:piece|justificatif|document)",
        r"(?:dans|sur|via|par|rubrique|depuis) (?:le |la |l |mon |ma |votre )?"
        r"(?:suivi|espace client|appli|application|site)",
        r"par (?:courrier|la poste|voie postale|mail|sms|whatsapp|fax)",
    ]),
    # Documents already sent or being checked: an order-status question.
    (DocumentTopic.ALREADY_SENT, [
        r"(?:j ai|je l ai|je les ai|on a|deja) (?:deja |bien |pourtant |hier )?"
        r"(?:envoyer|transmettre|telecharger|deposer|fournir)",
        rf"(?:combien de temps|delai|ou en est) {_gap(4)}"
        rf"(?:{_ID_WORD}|papier|justif|validation|verification|valider|verifier)",
        r"(?:validation|verification) (?:de |d )?(?:mes|mon|ma|du|des|la)",
        r"(?:valider|verifier|traiter) (?:mes|les)",
        rf"(?:recu|reception) {_gap(3)}(?:{_ID_WORD}|papier|justif)",
    ]),
    # A RIB or a tax notice, which these answers do not cover; where something
    # else stands (the SIM card's delivery): not a documents question.
    (None, [
        r"rib|iban|facture|avis d imposition",
        r"ou en est|combien de temps|delai",
    ]),
    (DocumentTopic.ACCEPTED_IDS, [
        rf"quel {_gap(2)}(?:piece|document|justificatif|papier)",
        rf"{_ID_WORD} {_gap(4)}(?:accepte|valable)",
        rf"(?:accepte|valable) {_gap(3)}{_ID_WORD}",
        rf"quoi comme|(?:envoyer|fournir|donner) quoi|qu est ce {_gap(4)}"
        r"(?:envoyer|fournir|donner)|quoi (?:envoyer|fournir|donner)",
        r"carte vitale|carte d electeur|carte (?:d )?etudiant|livret de famille|"
        r"acte de naissance|photocopie",
    ]),
    (DocumentTopic.HOW_TO_SEND, [
        rf"{_SEND} {_gap(3)}(?:{_ID_WORD}|photo|scan|carte)",
    ]),
    (DocumentTopic.ACCEPTED_IDS, [_ID_WORD]),
]
# fmt: on

_RULES: list[tuple[DocumentTopic | None, re.Pattern[str]]] = [
    (topic, re.compile(rf"\b(?:{'|'.join(patterns)})\b"))
    for topic, patterns in _TOPIC_RULES
]


def topic_of(text: str) -> DocumentTopic | None:
    """Return the precise documents question `text` asks, or None."""
    canonical = canonical_text(text)
    for topic, pattern in _RULES:
        if pattern.search(canonical):
            return topic
    return None


# Practical questions a message often asks together ("quel format, et quelle taille
# maximum ?"): each gets its answer.
_PRACTICAL = (
    DocumentTopic.FORMATS,
    DocumentTopic.FILE_TOO_BIG,
    DocumentTopic.RECTO_VERSO,
)


def topics_of(text: str) -> list[DocumentTopic]:
    """The documents questions `text` asks: its topic, and a second practical one
    (format, size, both sides) when it asks two of them."""
    first = topic_of(text)
    if first not in _PRACTICAL:
        return [first] if first else []
    canonical = canonical_text(text)
    found = [first]
    for topic, pattern in _RULES:
        if topic in _PRACTICAL and topic not in found and pattern.search(canonical):
            found.append(topic)
    return found[:2]
