"""Which precise porting question a customer asks, so that each gets its answer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.porting_faq import (
    TOPIC_RESPONSES,
    PortingTopic,
    folded,
    precise_question,
    side_question,
    topic_of,
)

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"

PHRASINGS: dict[PortingTopic, list[str]] = {
    PortingTopic.CONTACTS: [
        "est-ce que je vais perdre mes contacts ?",
        "mes contacts sont sur la carte sim, je fais comment",
        "mon répertoire passe sur la nouvelle puce ?",
        "jvais perdre mon repertoire ??",
        "Faut-il sauvegarder mes contacts avant le transfert ?",
        "et mon carnet d'adresses dans tout ça",
    ],
    PortingTopic.DELAYS: [
        "Combien de temps prend la portabilité ?",
        "cb de tps pour porter mon numero",
        "la porta prend combien de jours ?",
        "quel est le délai pour garder mon numéro ?",
        "c long la portabilite ?",
        "ça dure combien de temps le transfert de numéro",
        "quand est ce que mon numero sera actif chez vous",
        "jdois attendre cmb de temps",
        "en combien de jrs c fait",
    ],
    PortingTopic.STEPS: [
        "Comment se passe la portabilité ?",
        "quelles sont les étapes pour garder mon numéro ?",
        "comment ca marche la porta",
        "je dois faire quoi pour garder mon numero",
        "quelle est la procédure pour transférer mon numéro",
        "qu'est-ce que je dois faire pour la portabilité",
        "qu'est ce qu'il faut faire pour garder mon 06",
        "je fais comment pour garder mon numéro",
        "les demarches pour conserver mon numero svp",
    ],
    PortingTopic.OLD_LINE: [
        "Dois-je résilier mon ancien forfait ?",
        "faut il que je resilie chez mon operateur actuel",
        "est ce que mon ancienne ligne est coupée automatiquement",
        "et mon engagement chez SFR ?",
        "la resiliation se fait toute seule ?",
        "ma ligne chez free sera resiliee auto ?",
        "je suis engagé chez bouygues encore 6 mois",
        "faut-il une lettre recommandée ? J'y suis encore engagée jusqu'en mars",
        "faut il prévenir mon opérateur",
    ],
    PortingTopic.COST: [
        "La portabilité est-elle payante ?",
        "combien ca coute de garder mon numero",
        "c gratuit la porta ?",
        "y a des frais pour transférer mon numéro ?",
        "je dois payer quelque chose pour la portabilité ?",
        "quel est le prix du portage",
        "c'est facturé combien ?",
        "je paye combien",
    ],
    PortingTopic.ABROAD: [
        "Je suis à l'étranger le jour de la portabilité",
        "je serai en vacances le jour du transfert, c grave ?",
        "jsuis en voyage au maroc, ca marche quand meme ?",
        "je ne suis pas en France en ce moment",
        "je pars a l'etranger la semaine de la portab",
        "si je suis hors de france ça se passe comment",
        "je serai en Espagne le jour J",
    ],
    PortingTopic.NO_NETWORK: [
        "Je n'ai plus de réseau depuis ce matin",
        "mon tel capte plus rien",
        "plus de signal depuis la portabilité",
        "je ne peux plus appeler depuis le transfert",
        "internet ne marche pas sur ma nouvelle sim",
        "pas de reseau aujourd'hui c normal ?",
        "coupure de service le jour du portage",
        "jai fait la porta ce matin et g tjr pas internet, c normal ?",
        "je suis sans reseau depuis hier après-midi",
    ],
    PortingTopic.WITHDRAWAL: [
        "Puis-je me rétracter après la souscription ?",
        "j'ai changé d'avis, je veux renoncer",
        "c quoi le délai de rétractation",
        "je veux exercer mon droit de retractation",
        "comment renoncer à mon abonnement",
        "je me retracte possible ?",
    ],
    PortingTopic.CHOOSE_DATE: [
        "Puis-je choisir la date de portabilité à la souscription ?",
        "j'ai pas pu choisir la date quand j'ai commandé",
        "j'ai pas pu choisir de date à la commande",
        "on peut indiquer une date lors de la commande ?",
        "je voulais mettre une date en souscrivant",
        "lors de la souscription est ce qu'on fixe la date ?",
    ],
    PortingTopic.SLOT: [
        "À quelle heure se fait la portabilité ?",
        "la porta a lieu le matin ou l'après-midi ?",
        "c quel creneau",
        "je peux choisir l'horaire du transfert ?",
        "la portabilité de mon numéro de téléphone se passe à quelle heure ?",
        "portabilité l'aprem ?",
    ],
    PortingTopic.RIO_REFUSED: [
        "Mon RIO est refusé",
        "le rio que j'ai donné est invalide",
        "vous me dites que mon RIO est incorrect",
        "erreur sur le RIO",
        "le code rio marche pas",
        "rio pas accepté pk ?",
        "mon rio est faux apparemment",
    ],
    PortingTopic.RIO: [
        "C'est quoi le RIO ?",
        "où trouver mon rio",
        "comment obtenir mon RIO",
        "c koi le rio",
        "je trouve pas mon RIO",
        "a quoi sert le RIO",
    ],
}

CASES = [(text, topic) for topic, texts in PHRASINGS.items() for text in texts]

NO_PRECISE_QUESTION = [
    "Bonjour",
    "",
    "ok merci",
    "je veux garder mon numéro",
    "je voudrais des infos sur la portabilité",
    "je veux faire une portabilité",
    "quelle pièce d'identité envoyer",
    "je veux changer de mot de passe",
    "le transfert d'appels se passe comment",
]


@pytest.mark.parametrize(("text", "topic"), CASES)
def test_each_porting_question_is_recognised_whatever_the_spelling(
    text: str, topic: PortingTopic
) -> None:
    assert topic_of(text) is topic


@pytest.mark.parametrize("topic", list(PortingTopic))
def test_each_topic_is_tested_with_at_least_six_phrasings(topic: PortingTopic) -> None:
    assert len(PHRASINGS[topic]) >= 6


@pytest.mark.parametrize("text", NO_PRECISE_QUESTION)
def test_a_message_with_no_precise_question_gets_the_general_answer(text: str) -> None:
    assert topic_of(text) is None


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "mon RIO est refusé, combien de temps pour en avoir un autre ?",
            "rio_refused",
        ),
        ("c'est quoi le rio et c'est payant ?", "rio"),
        ("je veux me rétracter, ça coûte combien ?", "withdrawal"),
        ("je suis en vacances, la porta se fait à quelle heure ?", "slot"),
        ("je serai à l'étranger, je n'aurai plus de réseau ?", "abroad"),
        ("résilier mon ancien forfait, c'est gratuit ?", "old_line"),
        ("c gratuit et ça prend combien de temps ?", "cost"),
    ],
)
def test_the_most_specific_topic_wins(text: str, topic: str) -> None:
    assert topic_of(text) is PortingTopic(topic)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("quelle est la procédure ?", PortingTopic.STEPS),
        ("ça se passe comment avec mon tel ?", None),
    ],
)
def test_words_hidden_inside_longer_words_are_not_read(
    text: str, topic: PortingTopic | None
) -> None:
    # "procédure" holds "dure" (a delay), "passe" holds "pas" (a lost network).
    assert topic_of(text) is topic


@pytest.mark.parametrize(
    ("typed", "spelled"),
    [
        ("Cb de tps pr la porta ?", "combien de temps pr la portabilite"),
        ("C'est koi le RIO", "c est quoi le rio"),
        ("mon tél capte plus", "mon telephone capte plus"),
    ],
)
def test_sms_speak_is_spelled_out_before_the_rules_read_it(
    typed: str, spelled: str
) -> None:
    assert folded(typed) == spelled


@pytest.mark.parametrize("topic", list(PortingTopic))
def test_every_topic_has_a_response_that_exists_in_the_domain(
    topic: PortingTopic,
) -> None:
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    assert TOPIC_RESPONSES[topic] in responses


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "ma commande CMD-2026-004587 elle en est ou ? au fait la porta c gratuit",
            PortingTopic.COST,
        ),
        (
            "je veux changer ma date. Est-ce que la portabilité est payante ?",
            PortingTopic.COST,
        ),
        (
            "c'est quand ma portabilité ? et mes contacts après le transfert ?",
            PortingTopic.CONTACTS,
        ),
        ("je veux changer la date de ma portabilité, c'est gratuit ?", None),
        ("annulez ma portabilité. Je reste chez mon opérateur actuel", None),
        ("je veux changer ma date. C'est gratuit ?", None),
    ],
)
def test_a_second_question_about_the_porting_is_found_after_the_request(
    text: str, topic: PortingTopic | None
) -> None:
    assert side_question(text) is topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "je pars au Portugal le 14, jour de ma portabilité. Problème ?",
            PortingTopic.ABROAD,
        ),
        ("le 14 mes contacts seront gardés ?", PortingTopic.CONTACTS),
        ("je pars au Portugal le 14", None),
        ("le 14 c'est combien de temps ?", None),
    ],
)
def test_a_precise_question_is_found_only_when_precise(
    text: str, topic: PortingTopic | None
) -> None:
    assert precise_question(text) is topic
