"""The service assistant's screens 智能客服: the chat (everyone, signed in or not) and the staff
inbox (the lessor's admins; a shop's staff and owner for the needs sent to their shop)."""

from app_mobile.views.assistant.chat import CHAT_ROUTE, assistant_button, chat_view
from app_mobile.views.assistant.inbox import INBOX_ROUTE, inbox_button, screens_for

__all__ = [
    "CHAT_ROUTE",
    "INBOX_ROUTE",
    "assistant_button",
    "chat_view",
    "inbox_button",
    "screens_for",
]
