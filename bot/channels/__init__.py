"""Messaging channels without Rasa: signatures, buttons, text splitting, replay memory.

The Rasa connectors in the top-level `channels` package only parse requests with
these functions and hand the customer's text to the assistant.
"""
