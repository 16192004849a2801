"""Errors that carry a message a facilitator or trainer can act on."""
from __future__ import annotations

from os import PathLike

__all__ = [
    "VertaisetError",
    "VertaisetTemplateError",
    "VertaisetUnknownSessionError",
    "VertaisetSessionClosedError",
    "VertaisetActivityClosedError",
    "VertaisetInputError",
    "VertaisetTooManyAttemptsError",
    "unavailable_message",
]


class VertaisetError(Exception):
    """Base class of every error this package raises on purpose."""


class VertaisetTemplateError(VertaisetError):
    """A template file is broken: names the file, the activity and the field.

    Parameters
    ----------
    path : path-like
        The template file.
    activity : str or None
        The activity id (or its position) inside the file, when known.
    field : str or None
        The field inside the activity, e.g. ``items[2].label``, or a YAML position.
    problem : str
        What is wrong, in words a trainer understands.
    """

    def __init__(self, path: str | PathLike[str], activity: str | None, field: str | None, problem: str):
        self.path = str(path)
        self.activity = activity
        self.field = field
        self.problem = problem
        parts = [self.path]
        if activity:
            parts.append(f"activity {activity!r}")
        if field:
            parts.append(f"field {field!r}")
        super().__init__(f"{', '.join(parts)}: {problem}")


class VertaisetUnknownSessionError(VertaisetError):
    """No session has this join code."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(f"no session with the code {code!r}")


class VertaisetSessionClosedError(VertaisetError):
    """The session has been closed by its facilitator."""


class VertaisetActivityClosedError(VertaisetError):
    """Answers are not accepted because the activity is not open."""


class VertaisetInputError(VertaisetError):
    """An answer was refused (out of the scale, unknown item, too long ...).

    ``code`` names the reason for the page to say in the participant's language
    (``empty``, ``too_long``, ``too_many``, ``not_yours``, ``own``, ``unknown``).
    """

    def __init__(self, message: str, *, code: str = "invalid"):
        self.code = code
        super().__init__(message)


class VertaisetTooManyAttemptsError(VertaisetError):
    """Too many wrong join codes or facilitator keys from this client: wait ``seconds``."""

    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(f"too many wrong attempts: wait {seconds} s")


# Used when the templates themselves cannot be read, so they cannot come from ui.yaml.
_FALLBACK = {
    "template": {
        "fi": "Työpajan sisältötiedostossa on virhe, joten sivua ei voi näyttää. Ohjaajalle: {error}",
        "sv": "Det finns ett fel i workshoppens innehållsfil, så sidan kan inte visas. Till handledaren: {error}",
        "en": "A content file of the workshop has an error, so this page cannot be shown. For the facilitator: {error}",
    },
    "other": {
        "fi": "Sivua ei juuri nyt voi näyttää. Lataa sivu hetken päästä uudelleen.",
        "sv": "Sidan kan inte visas just nu. Ladda om sidan om en stund.",
        "en": "This page cannot be shown right now. Please reload it in a moment.",
    },
}


def unavailable_message(error: Exception, lang: str) -> str:
    """Words for a page that could not open: a template error is named, anything else is not."""
    if isinstance(error, VertaisetTooManyAttemptsError):
        try:
            from .content_kept import load_plain_content

            strings = load_plain_content().strings["too_many_attempts"]
            return strings.get(lang, strings["fi"]).format(seconds=error.seconds)
        except Exception:  # noqa: BLE001 - fall back to the general words below
            pass
    kind = "template" if isinstance(error, VertaisetTemplateError) else "other"
    texts = _FALLBACK[kind]
    return texts.get(lang, texts["fi"]).format(error=error)
