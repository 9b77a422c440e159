"""Understanding a message on a worker thread, off the Rasa server's event loop.

Rasa 3.6 runs the NLU graph inside the event loop: while one message is understood,
no other conversation moves. Most of that time is the sentence embedding
(`nlu/embeddings.py`, about 35 % of the Rasa server's CPU under `make bench`), C code
that releases the GIL; on its own thread, the other conversations' turns (trackers,
policies, action calls) go on meanwhile on the other core.

One worker, so messages are understood one at a time as before: the embedding engine
and the classifiers are not known to be safe to call from two threads at once. The
conversation's lock is held meanwhile, so its tracker does not change. Rasa's
`parse_message`, less its debug log line; installed by `python -m channels.rasa_server`.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

_rasa_parse_message = MessageProcessor.parse_message


@lru_cache(maxsize=1)
def _worker() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu")


async def parse_message(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker | None = None,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    """Interpret `message` as Rasa does, the graph run on the NLU thread."""
    if self.http_interpreter:
        return await _rasa_parse_message(self, message, tracker, only_output_properties)
    if tracker is None:
        tracker = DialogueStateTracker.from_events(message.sender_id, [])
    parse_data = await asyncio.get_running_loop().run_in_executor(
        _worker(),
        self._parse_message_with_graph,
        message,
        tracker,
        only_output_properties,
    )
    self._update_full_retrieval_intent(parse_data)
    self._check_for_unseen_features(parse_data)
    return parse_data


def install() -> None:
    """Make every Rasa processor understand messages on the NLU thread."""
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]
