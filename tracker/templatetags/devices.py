"""A signed-in session's browser and device in words, for the sessions list."""

from django import template

from tracker.utils.user_agent import device_words as user_agent_words

register = template.Library()


@register.filter
def device_words(user_agent: str) -> str:
    """A session's User-Agent in words: "Chrome on Android phone"."""
    return user_agent_words(user_agent)
