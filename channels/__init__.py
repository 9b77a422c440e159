"""Rasa connectors for messaging channels, each off until its secrets are set.

- `channels.twilio_signed.TwilioSignedInput` (SMS and WhatsApp through Twilio),
- `channels.telegram_secret.TelegramSecretInput` (Telegram Bot API),
- `channels.messenger_signed.MessengerSignedInput` (Facebook Messenger),
- `channels.chatwoot.ChatwootInput` (the assistant as a Chatwoot agent bot).

They check each request's signature or secret, then hand the text to the assistant;
the rules live in `bot.channels`. `python -m channels` writes the credentials file.
"""
