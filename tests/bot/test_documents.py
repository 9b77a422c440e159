"""Which precise question a customer asks about supporting documents."""

from __future__ import annotations

import pytest

from bot.documents import (
    TOPIC_RESPONSES,
    DocumentTopic,
    canonical_text,
    topic_of,
    topics_of,
)

PHRASINGS: dict[DocumentTopic, list[str]] = {
    DocumentTopic.OLD_ID_CARD: [
        "Est-ce que vous acceptez l'ancienne carte d'identité ?",
        "jai une vieille carte didentite cartonnée ca passe ?",
        "ma cni est encore l'ancien modèle, c'est bon ?",
        "Ma carte d’identité est à deux volets, elle est acceptée ?",
        "carte d'identité papier plastifiée acceptée ou pas",
        "je n'ai pas la nouvelle carte au format carte bancaire",
        "tu prends les anciennes CNI ?",
        "l'ancien format de carte d identiter c ok?",
        "vs acceptez lancienne carte d'identiter a volet ?",
        "ma carte d'identitée date de 1998 elle est en papier",
    ],
    DocumentTopic.PINK_LICENCE: [
        "Le permis rose est-il accepté ?",
        "jai que mon ancien permis de conduire",
        "permis papier ca marche ?",
        "est ce que je peux envoyer mon permis rose a 3 volets",
        "mon permi est l'ancien format rose",
        "vous acceptez le vieux permis cartonné ?",
        "pemris rose ok?",
        "jé un vieu permi rose",
        "tu prends l'ancien modèle de permis ?",
        "le permis de conduire au nouveau format est accepté ?",
    ],
    DocumentTopic.FOREIGN_ID: [
        "Je suis étranger, quelle pièce d'identité dois-je envoyer ?",
        "j'ai une carte d'identité étrangère, elle est acceptée ?",
        "passeport etranger accepté ??",
        "ma piece d identite est d un autre pays",
        "jsuis pas francais, je peux utiliser mon passeport marocain ?",
        "Carte d'identité italienne ok pour vous ?",
        "tu acceptes un passport belge",
        "je suis etrangere est ce un probleme",
        "je suis etranje",
        "une carte d'identité UE ça passe ?",
        "Vous acceptez les passeports non européens ?",
    ],
    DocumentTopic.RESIDENCE_PERMIT: [
        "Est-ce que la carte de séjour est acceptée ?",
        "jai un titre de sejour c bon ?",
        "carte de resident ca passe",
        "je suis résident à Monaco, quelle pièce fournir ?",
        "titre de séjours en cours de renouvellement",
        "tu prends les cartes de sejour ?",
        "je suis étranger avec une carte de résidente",
        "vous acceptez une carte de résidence andorrane ?",
    ],
    DocumentTopic.NAME_MATCH: [
        "Le nom sur la pièce doit-il correspondre à celui du contrat ?",
        "mon nom est différent du contrat",
        "je peux envoyer la pièce d'identité de mon mari ?",
        "la carte d'identité est au nom de ma femme",
        "jai mis mon nom de jeune fille a la souscription",
        "le titulaire du contrat n'est pas la même personne que sur la carte",
        "faute dans mon nom sur le contrat",
        "mon prénom est mal orthographié sur la commande",
        "c pa mon nom sur le contrat",
        "la ligne est pour ma fille, je mets sa carte ou la mienne ?",
        "la pièce d'identité doit être celle du titulaire ?",
        "Ma femme a souscrit mais c'est moi qui envoie les pièces",
        "j'ai changé de nom de famille",
    ],
    DocumentTopic.FILE_TOO_BIG: [
        "Mon fichier est trop lourd",
        "la photo est trop grosse ca passe pas",
        "quelle est la taille maximale des fichiers ?",
        "comment réduire la taille de ma photo ?",
        "mon pdf fait 12 Mo",
        "fichié trop volumineux",
        "ma foto depasse la limite",
        "tu sais comment compresser une photo sur iphone ?",
        "le scan fait 15Mo il passe pas",
        "fichier trop lour",
    ],
    DocumentTopic.FORMATS: [
        "Quel format de fichier acceptez-vous ?",
        "pdf accepté ?",
        "je peux envoyer en jpeg ?",
        "est ce que le format tiff passe",
        "c koi les formats acceptés",
        "une capture d'écran c'est ok ?",
        "vous acceptez quels types de fichiers ?",
    ],
    DocumentTopic.RECTO_VERSO: [
        "Faut-il envoyer le recto et le verso ?",
        "je dois scanner les deux faces ?",
        "recto verso sur la même page ?",
        "ou je mets le verso de ma carte",
        "g oublié le verso",
        "on peu mettre recto et verso dans le mm fichier ?",
        "il manque l'arrière de ma carte d'identité",
        "tu veux les 2 côtés de la carte ?",
        "recto et verso dans le même pdf c possible ?",
    ],
    DocumentTopic.HOW_TO_SEND: [
        "Comment envoyer mes justificatifs ?",
        "où télécharger mes pièces justificatives",
        "j'ai pas reçu le lien pour envoyer les documents",
        "je trouve pas où déposer ma carte d'identité dans l'espace client",
        "cmt je transmet mes papiers",
        "comment jenvoi mes justif",
        "je peux envoyer les documents par mail ?",
        "tu peux me renvoyer le lien ?",
        "ou est ce que je dois mettre les justifs",
        "je voudrais envoyer ma pièce d'identité",
    ],
    DocumentTopic.ACCEPTED_IDS: [
        "Quelles pièces sont acceptées ?",
        "quels documents dois-je fournir ?",
        "kel justificatif d'identité faut il",
        "le passeport c'est bon ?",
        "mon permis de conduire est accepté ?",
        "qu'est-ce que je dois envoyer comme papiers",
        "liste des pièces justificatives svp",
        "c koi les doc a fournir",
        "Vous prenez la carte vitale ?",
        "bjr je c pa koi envoyé com piece",
    ],
}

PHRASINGS[DocumentTopic.ALREADY_SENT] = [
    "j'ai déjà envoyé mes papiers, c'est validé ?",
    "je les ai envoyés hier",
    "Où en est la vérification de mes pièces",
    "Combien de temps pour valider mes documents ?",
    "vous avez bien reçu ma carte d'identité ?",
    "g deja transmis les justifs c bon ?",
]
PHRASINGS[DocumentTopic.EXPIRED] = [
    "ma carte d'identité est périmée, elle est valable ?",
    "passeport expiré depuis 2 mois ça passe ?",
    "mon permis n'est plus valide",
    "jai que une cni perimee",
    "Puis-je envoyer un titre de séjour arrivé à expiration ?",
    "ma piece didentite est plus en cours de validité",
]
PHRASINGS[DocumentTopic.FORMAT_REFUSED] = [
    "vous prenez les png ?",
    "une photo heic ça marche ?",
    "je peux envoyer un fichier word ?",
    "format gif accepté ?",
    "mon iphone fait des photos en HEIF",
    "un .docx c'est bon ?",
]
PHRASINGS[DocumentTopic.PROOF_OF_ADDRESS] = [
    "il me faut un justificatif de domicile ?",
    "faut il une preuve d'adresse",
    "jdois envoyer une facture edf ?",
    "une quittance de loyer ça compte ?",
    "vous voulez une attestation de domicile ?",
    "justif de domicile obligatoire ?",
]

CASES = [(text, topic) for topic, texts in PHRASINGS.items() for text in texts]

NOT_A_DOCUMENTS_QUESTION = [
    "Bonjour",
    "",
    "où en est ma commande ?",
    "je veux changer la date de ma portabilité",
    "je serai à l'étranger le jour du portage",
    "comment changer mon adresse mail",
    "c'est étrange, rien ne marche",
    "ma carte SIM ne fonctionne pas",
    "ci-joint mon RIO",
    "ma photo est floue, c'est grave ?",
    "c'est quoi la taille de la carte SIM ?",
    "je veux un forfait 100 Go",
    "je pars en vacances dans un autre pays, ça pose problème ?",
    "où en est l'envoi de ma carte SIM ?",
]


@pytest.mark.parametrize(("text", "topic"), CASES)
def test_each_question_is_recognised_whatever_the_spelling(
    text: str, topic: DocumentTopic
) -> None:
    assert topic_of(text) is topic


@pytest.mark.parametrize("topic", list(DocumentTopic))
def test_each_topic_is_tested_with_at_least_six_phrasings(topic: DocumentTopic) -> None:
    assert len(PHRASINGS[topic]) >= 6


@pytest.mark.parametrize("text", NOT_A_DOCUMENTS_QUESTION)
def test_a_message_with_no_documents_question_has_no_topic(text: str) -> None:
    assert topic_of(text) is None


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("ma photo est trop lourde, et le recto ?", DocumentTopic.FILE_TOO_BIG),
        ("quel format pour le recto ?", DocumentTopic.FORMATS),
        ("j'ai envoyé le recto mais pas le verso", DocumentTopic.RECTO_VERSO),
        ("étranger, j'ai une carte de séjour", DocumentTopic.RESIDENCE_PERMIT),
        ("mon ancien permis de séjour est valable ?", DocumentTopic.RESIDENCE_PERMIT),
        ("le passeport de ma femme est étranger", DocumentTopic.NAME_MATCH),
        ("comment envoyer mon ancienne carte d'identité", DocumentTopic.OLD_ID_CARD),
    ],
)
def test_the_most_specific_topic_wins(text: str, topic: DocumentTopic) -> None:
    assert topic_of(text) is topic


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Pièces d’identité", " piece d identite "),
        ("cmt jenvoie mon pasport", " comment envoyer mon passeport "),
        ("9Mo", " 9 mo "),
        ("titre de séjours", " titre de sejour "),
    ],
)
def test_messages_are_folded_and_typos_brought_back_to_one_word(
    typed: str, canonical: str
) -> None:
    assert canonical_text(typed) == canonical


def test_real_words_close_to_a_keyword_are_not_read_as_typos() -> None:
    assert canonical_text("président étrange") == " president etrange "


@pytest.mark.parametrize("topic", list(DocumentTopic))
def test_every_topic_has_its_own_documents_response(topic: DocumentTopic) -> None:
    assert TOPIC_RESPONSES[topic] == f"utter_documents_{topic.value}"


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        (
            "quel format pour le scan, et y a-t-il une taille maximum ?",
            [DocumentTopic.FILE_TOO_BIG, DocumentTopic.FORMATS],
        ),
        (
            "recto et verso dans le même fichier ?",
            [DocumentTopic.RECTO_VERSO],
        ),
        ("mon nom n'est pas le même que sur le contrat", [DocumentTopic.NAME_MATCH]),
        ("passeport périmé, et en pdf ça passe ?", [DocumentTopic.EXPIRED]),
        ("bonjour", []),
    ],
)
def test_two_practical_questions_get_both_answers(text, topics) -> None:
    assert topics_of(text) == topics
