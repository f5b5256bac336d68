"""How problems in scenario files are worded: key paths, values described, did-you-mean hints.

Every message names the place (a dotted key path with list positions,
``interventions[1].coverage``) and what was found and what is allowed; these helpers keep
that wording the same in every check.
"""

from __future__ import annotations

import difflib
import math
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


# the longest file or folder name made from a typed name (file systems allow 255 bytes; a
# letter of a name with no Latin letters takes up to 4)
MAX_STEM_CHARS = 60


def _in_latin(text: str) -> bool:
    """Whether a name is made into a file name in plain Latin letters (it has some) or keeps
    its own letters (it has none: "Αθήνα")."""
    return re.search(r"[a-z]", without_accents(text.lower())) is not None


def file_stem(text: str) -> str:
    """A file or folder name from a typed name, the one rule for both (the live page's saved
    scenario, ``run.py new-area``'s area folder): lower case, letters without their accents
    ("Ynys Môn: Zoë" -> "ynys_mon_zoe"; see :func:`without_accents`), digits, '-' and '_',
    anything else as "_", at most ``MAX_STEM_CHARS`` characters. A name with no Latin letters
    keeps its own ("Αθήνα" -> "αθήνα"). "" when nothing is left ("???");
    :func:`left_out` says what was dropped."""
    low = text.strip().lower()
    if _in_latin(low):
        stem = re.sub(r"[^a-z0-9_-]+", "_", without_accents(low))
    else:
        stem = re.sub(r"[^\w-]+", "_", low)
    return stem.strip("_-")[:MAX_STEM_CHARS].strip("_-")


def left_out(text: str) -> tuple[str, ...]:
    """The letters, digits and symbols of ``text`` that :func:`file_stem` drops, as written,
    each run of them once: "ü☃" -> ("☃",), "Αθήνα ward" -> ("Αθήνα",). Spaces,
    punctuation, "+" and accents are not counted (they are expected to go), nor what the
    length limit cuts."""
    latin = _in_latin(text)
    runs, run = [], ""
    for c in text + " ":
        kind = unicodedata.category(c)
        if kind[0] in "LNS" and kind not in ("Sm", "Sk"):  # not a separator
            low = c.lower()
            kept = re.sub(r"[^a-z0-9]", "", without_accents(low)) if latin else \
                re.sub(r"\W", "", low)
            if not kept:
                run += c
                continue
        if run and run not in runs:
            runs.append(run)
        run = ""
    return tuple(runs)


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
    if isinstance(value, float) and math.isinf(value):
        # TOML reads a number beyond a float's range (1e400) as infinity: "got inf" read as
        # a typo of some word (a user check)
        sign = "-" if value < 0 else ""
        return (f"{sign}inf, a number too large to use ({sign}1e400 and beyond are read as "
                "infinity)")
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


def bound(x) -> str:
    """A limit of a range as a message shows it: a whole number with separators (5,000,000:
    a user check read "between 10 and 5000000"), otherwise as :func:`num`."""
    if isinstance(x, int) and not isinstance(x, bool):
        return f"{x:,}"
    return num(x)


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
