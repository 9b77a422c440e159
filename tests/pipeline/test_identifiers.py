"""The Rasa extractor adds the normalised identifiers to a message's entities."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.identifiers import IdentifierExtractor


def test_the_extractor_adds_normalised_values_with_its_name() -> None:
    message = Message(data={TEXT: "le +33 7 45 67 89 01, code 120 455"})
    IdentifierExtractor().process([message])
    entities = message.get(ENTITIES)
    assert [(e["entity"], e["value"]) for e in entities] == [
        ("phone_number", "0745678901"),
        ("otp_code", "120455"),
    ]
    assert all(e["extractor"] == "IdentifierExtractor" for e in entities)


def test_the_extractor_keeps_entities_found_by_other_components() -> None:
    earlier = {"entity": "date", "value": "2026-12-15", "start": 0, "end": 3}
    message = Message(data={TEXT: "mail A@B.fr", ENTITIES: [earlier]})
    IdentifierExtractor().process([message])
    assert message.get(ENTITIES)[0] == earlier
    assert message.get(ENTITIES)[1]["value"] == "a@b.fr"
