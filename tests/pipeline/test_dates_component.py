"""The Rasa date extractor adds the requested date, resolved against BOT_TODAY."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.config import get_settings
from nlu.dates import FrenchDateExtractor


def _pin_today(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setenv("BOT_TODAY", day)
    get_settings.cache_clear()


def _dates(text: str) -> list[dict]:
    message = Message(data={TEXT: text})
    FrenchDateExtractor().process([message])
    return [e for e in message.get(ENTITIES) or [] if e["entity"] == "date"]


def test_the_new_date_comes_back_as_one_iso_entity_with_its_position(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _pin_today(monkeypatch, "2026-11-26")
    text = "décaler le 8 décembre au 15 janvier svp"
    [entity] = _dates(text)
    assert entity["value"] == "2027-01-15"
    assert text[entity["start"] : entity["end"]] == "15 janvier"
    assert entity["extractor"] == "FrenchDateExtractor"


def test_today_is_read_at_each_message_not_when_the_extractor_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extractor = FrenchDateExtractor()
    _pin_today(monkeypatch, "2026-11-26")
    first = Message(data={TEXT: "demain"})
    extractor.process([first])
    _pin_today(monkeypatch, "2027-02-10")
    second = Message(data={TEXT: "demain"})
    extractor.process([second])
    assert first.get(ENTITIES)[0]["value"] == "2026-11-27"
    assert second.get(ENTITIES)[0]["value"] == "2027-02-11"


@pytest.mark.parametrize(
    "text", ["le plus tôt possible", "le 31 novembre", "mon 06 12 34 56 78", ""]
)
def test_no_entity_is_added_when_no_precise_date_is_asked_for(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    _pin_today(monkeypatch, "2026-11-26")
    assert _dates(text) == []


def test_entities_found_by_other_components_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _pin_today(monkeypatch, "2026-11-26")
    earlier = {"entity": "phone_number", "value": "0612345678", "start": 0, "end": 14}
    message = Message(data={TEXT: "06 12 34 56 78 le 15/12", ENTITIES: [earlier]})
    FrenchDateExtractor().process([message])
    assert message.get(ENTITIES)[0] == earlier
    assert message.get(ENTITIES)[1]["value"] == "2026-12-15"


def test_training_data_is_left_unchanged() -> None:
    data = TrainingData()
    assert FrenchDateExtractor().process_training_data(data) is data
