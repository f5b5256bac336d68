"""How problems in scenario files are worded: key paths, values described, did-you-mean hints.

Every message names the place (a dotted key path with list positions,
``interventions[1].coverage``) and what was found and what is allowed; these helpers keep
that wording the same in every check.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

# letters that are not a Latin letter plus an accent, so that NFKD leaves them whole (and a
# file name would lose them): their usual spelling in plain Latin letters
LATIN_SPELLINGS = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
    "ħ": "h", "Ħ": "H", "ı": "i", "ŧ": "t", "Ŧ": "T", "ĸ": "k", "ŋ": "ng", "Ŋ": "NG"})


def without_accents(text: str) -> str:
    """Letters without their accents ("Ynys Môn" -> "Ynys Mon", "Café" -> "Cafe"), and the
    Latin letters that carry none spelled out ("Straße" -> "Strasse", "Łódź" -> "Lodz",
    "Færøy" -> "Faeroy"): for names made into file and folder names, where such a letter was
    dropped whole."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.translate(LATIN_SPELLINGS))
                   if not unicodedata.combining(c))


def join(prefix: str, key: str) -> str:
    """The key path of ``key`` inside ``prefix`` (a key that is not bare is quoted)."""
    bare = re.fullmatch(r"[A-Za-z0-9_-]+", key) is not None
    part = key if bare else '"' + key.replace('"', '\\"') + '"'
    return f"{prefix}.{part}" if prefix else part


def parent_key(key: str) -> str:
    """The key path one level up ("" at the top)."""
    if key.endswith("]"):
        return key[: key.rindex("[")]
    if key.endswith('"'):
        start = key.rindex('"', 0, len(key) - 1)
        return key[: max(start - 1, 0)]
    return key[: key.rindex(".")] if "." in key else ""


def did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, [str(o) for o in options], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def hint(word: str, allowed) -> str:
    """A did-you-mean (when one is close) and the list of what is allowed."""
    listing = ", ".join(dict.fromkeys(str(a) for a in allowed))
    close = did_you_mean(word, allowed)
    return f"{close} (allowed: {listing})" if close else f"; allowed: {listing}"


def describe(value) -> str:
    """A value as a message shows what was found: 'text', 3, true, a list, a table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return repr(value)  # as written: 730.0, not 730 (which reads as a whole number)
    if isinstance(value, (int, float)):
        return num(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"  # dates and times


LONGEST_NUMBER_SHOWN = 20  # digits of a whole number a message repeats as written


def num(x) -> str:
    """A number as a message shows it; a whole number longer than LONGEST_NUMBER_SHOWN
    digits by its length (a file may hold one of 4,300 digits)."""
    if isinstance(x, float):
        return f"{x:.10g}"
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) >= 10 ** LONGEST_NUMBER_SHOWN:
        return f"a {'negative ' if x < 0 else ''}{len(str(abs(x))):,}-digit number"
    return str(x)


def share_sum(total: float) -> str:
    """A sum of shares that should be 1, to two places unless that would read as 1.00."""
    text = f"{total:.2f}"
    return text if text != "1.00" else f"{total:.10g}"


def bad_char(text: str, allowed: str = "", *, formatting: bool = False) -> str | None:
    """The first control character in ``text`` not in ``allowed`` (with ``formatting``,
    invisible formatting characters such as a right-to-left override too), or None."""
    refused = ("Cc", "Cf") if formatting else ("Cc",)
    for c in text:
        if c not in allowed and unicodedata.category(c) in refused:
            return c
    return None


def has_control(text: str) -> bool:
    return bad_char(text, formatting=True) is not None
