"""Reading a TOML file that a user named, within limits, with a plain reason when it cannot be.

Scenario files (and the calibration's targets file) come from users, so the reader guards
against what a careless or hostile path can be: a folder, a named pipe that would block for
ever, a device such as /dev/zero that never ends, a symbolic link that points back at itself,
a file far too large to be a scenario, text saved as UTF-16, or brackets nested so deep that
the parser (or the merging of ``extends``) would run out of stack. Each becomes
:class:`InputRefused` with one sentence saying what the file is and what is expected.

A UTF-8 byte-order mark (some Windows editors add one) is accepted and ignored.
"""

from __future__ import annotations

import ast
import codecs
import errno
import os
import re
import stat
import sys
import tomllib
from pathlib import Path
from typing import NoReturn

MAX_FILE_BYTES = 1_000_000  # a full scenario with every key written out is about 12 kB
MAX_NESTING = 16  # tables and lists inside each other; the deepest real key needs about 5
UTF16_32_BOMS = {codecs.BOM_UTF32_LE: "UTF-32", codecs.BOM_UTF32_BE: "UTF-32",
                 codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16"}


class InputRefused(ValueError):
    """A file that cannot be used as it is. ``where`` is a place in the file ("line 3,
    column 8", "end of file") or "" for the file as a whole; ``str()`` is the reason."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.where = where


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"


def too_large(size: int | None, limit: int = MAX_FILE_BYTES) -> str:
    """Why a file of ``size`` bytes (None: more than ``limit``, it grew while read) is
    refused: for files read here and files uploaded on the compare page alike, so the limit
    and its words have one home."""
    shown = _size(size) if size is not None else f"more than {_size(limit)}"
    return (f"is too large to be a scenario file ({shown}; the limit is {_size(limit)}, "
            "and a scenario needs a few kB): is this the right file?")


def _kind_refused(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file: give the path of a .toml file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file: give the path of a .toml file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file: give the path of a .toml file"
    if not stat.S_ISREG(mode):
        return "is not a regular file: give the path of a .toml file"
    return None


def _os_reason(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"is a symbolic link to a file that does not exist ({os.readlink(path)})"
        return "file not found"
    if exc.errno == errno.ELOOP:
        return ("is a symbolic link that loops back on itself (or through too many links); "
                "point it at a real file")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied"
    if exc.errno == errno.ENOTDIR:
        return "file not found (a folder in its path is a file)"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return f"cannot be read: {exc.strerror or exc}"


def read_bytes(path: str | Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file no larger than ``limit``; :class:`InputRefused` otherwise.

    The file's kind is checked before it is opened (opening a FIFO would block), and at most
    ``limit + 1`` bytes are read (a file that grows while being read is refused too)."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputRefused(_os_reason(exc, path)) from None
    refused = _kind_refused(st.st_mode)
    if refused:
        raise InputRefused(refused)
    if st.st_size > limit:
        raise InputRefused(too_large(st.st_size, limit))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputRefused(_os_reason(exc, path)) from None
    try:
        refused = _kind_refused(os.fstat(fd).st_mode)  # swapped since the check above?
        if refused:
            raise InputRefused(refused)
        chunks, total = [], 0
        while total <= limit:
            block = os.read(fd, min(1 << 16, limit + 1 - total))
            if not block:
                break
            chunks.append(block)
            total += len(block)
    except OSError as exc:
        raise InputRefused(_os_reason(exc, path)) from None
    finally:
        os.close(fd)
    if total > limit:
        raise InputRefused(too_large(None, limit))
    return b"".join(chunks)


def decode(data: bytes) -> str:
    """UTF-8 text; a UTF-8 byte-order mark is dropped, UTF-16/32 are explained."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for bom in sorted(UTF16_32_BOMS, key=len, reverse=True):
        if data.startswith(bom):
            raise InputRefused(f"saved as {UTF16_32_BOMS[bom]} text (it starts with a "
                               f"{UTF16_32_BOMS[bom]} byte-order mark); save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputRefused(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8") \
            from None


def nesting_depth(value) -> int:
    """How many tables and lists sit inside each other in ``value`` (iteratively: no limit
    of its own on how deep it can look)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            return deepest
        stack.extend((c, depth) for c in children)
    return deepest


# the control characters TOML allows nowhere, not even in quotes or comments (all but tab,
# line feed and carriage return): tomllib names a NUL outside quotes only as "Invalid
# statement", so they are looked for first and named, with their place
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_NAMES = {0x00: "a NUL byte", 0x1b: "an escape", 0x0c: "a form feed",
                 0x7f: "a delete"}


def control_character(text: str) -> InputRefused | None:
    """Why ``text`` cannot be a TOML file because it holds a control character (at the
    first one's line and column), or None. Text with a NUL in every other character is
    UTF-16 saved without a byte-order mark, and said so."""
    found = CONTROL_CHARACTER.search(text)
    if found is None:
        return None
    if text.count("\0") * 3 >= len(text):  # "n\0a\0m\0e\0": two bytes a letter
        return InputRefused("saved as UTF-16 text without a byte-order mark (every other "
                            "byte is a NUL); save it as UTF-8")
    code = ord(found[0])
    what = f" ({CONTROL_NAMES[code]})" if code in CONTROL_NAMES else ""
    more = len(CONTROL_CHARACTER.findall(text)) - 1
    others = f", and {more:,} more after it" if more else ""
    return InputRefused(f"contains the control character U+{code:04X}{what}{others}; a "
                        "scenario file must be plain text (tabs and line breaks are the only "
                        "control characters TOML allows): remove it (many editors do not "
                        "show it: it is at the line and column given)",
                        _place(text, found.start()))


def parse_toml(text: str) -> dict:
    """The TOML document in ``text``; :class:`InputRefused` for a control character or a
    syntax error (with its line and column) or for nesting deeper than
    :data:`MAX_NESTING`."""
    too_deep = (f"tables or lists are nested more than {MAX_NESTING} levels deep; a scenario "
                "needs at most about 5 (is this a scenario file?)")
    refused = control_character(text)
    if refused is not None:
        raise refused
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise InputRefused(too_deep) from None
    except tomllib.TOMLDecodeError as exc:
        _syntax_error(exc, text)
    except ValueError as exc:  # Python refuses to read a whole number that long
        _too_long_number(exc, text)
    if nesting_depth(data) > MAX_NESTING:
        raise InputRefused(too_deep)
    return data


def _place(text: str, index: int) -> str:
    """"line 3, column 8" of the character at ``index`` of ``text`` (both from 1)."""
    line = text.count("\n", 0, index) + 1
    return f"line {line}, column {index - text.rfind(chr(10), 0, index)}"


def _too_long_number(exc: ValueError, text: str) -> NoReturn:
    """A whole number longer than Python reads (sys.get_int_max_str_digits(), 4,300 digits),
    named at its place; any other ValueError of the parser is raised as it is."""
    limit = sys.get_int_max_str_digits()
    if not limit or "digits" not in str(exc):
        raise exc
    for found in re.finditer(r"[0-9][0-9_]*", text):
        if sum(c.isdigit() for c in found[0]) > limit:
            raise InputRefused(f"a whole number of more than {limit:,} digits, too long to "
                               "read; no setting takes a number near that size (is this the "
                               "right file?)", _place(text, found.start())) from None
    raise InputRefused(f"a number of more than {limit:,} digits, too long to read; no "
                       "setting takes a number near that size (is this the right "
                       "file?)") from None


# tomllib's words for something left open, in a reader's (a user check read 'Expected "'"'
# for a text whose closing quote was missing); a list or table "not closed" is as often a
# quote or a comma missing inside it (a second user check: '["library, "cafe"]' was told to
# add a "]" it had)
LEFT_OPEN = {
    "Expected \"'\"": "a text in single quotes is not closed: add the closing '",
    "Expected \"'''\"": "a text in triple quotes ''' is not closed: add the closing '''",
    "Unterminated string": 'a text in triple quotes """ is not closed: add the closing """',
    "Unclosed array": "a list in [ ] is not closed where it should be: check the quotes "
                      "around each text in it, a comma between its items, and its closing ]",
    "Unclosed inline table": "a table in { } is not closed where it should be: check the "
                             "quotes around each text in it, a comma between its keys, and "
                             "its closing } (on the same line)",
}
CURLY_QUOTES = "\u201c\u201d\u2018\u2019"


def _syntax_error(exc: tomllib.TOMLDecodeError, text: str) -> NoReturn:
    """tomllib's syntax error as :class:`InputRefused`, at its line and column."""
    message, where = str(exc), ""
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        where = f"line {found[1]}, column {found[2]}"
        message = _plain_syntax_error(message[: found.start()], text, int(found[1]))
    elif message.endswith("(at end of document)"):
        where = "end of file"
        message = message[: -len("(at end of document)")].strip()
        # a text left open: the line it starts on (a user check read "end of file")
        opened = _opened_at(text, message)
        if opened:
            where = f"line {opened}"
        message = LEFT_OPEN.get(message, message)
    if not message.startswith("TOML syntax error: "):
        message = f"TOML syntax error: {message}"
    raise InputRefused(message, where) from None


def _code(line: str) -> str:
    """``line`` before a comment that is outside any text (a # in a text stays)."""
    quote, i = "", 0
    while i < len(line):
        ch = line[i]
        if quote == '"' and ch == "\\":
            i += 2  # an escape: the next character is the text's
            continue
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return line[:i]
        i += 1
    return line


def _opened_at(text: str, message: str) -> int | None:
    """The line where a text left open at the end of the file starts: the first line that
    opens a text in single quotes and does not close it, or an odd number of triple
    quotes (comments left out)."""
    triple = {"Expected \"'''\"": "'''", "Unterminated string": '"""'}.get(message)
    if triple is None and not message.startswith("Expected \"'"):
        return None
    for n, line in enumerate(text.splitlines(), 1):
        code = line if triple else _code(line)
        if line.lstrip().startswith("#"):
            continue
        if triple and code.count(triple) % 2:
            return n
        if not triple and re.search(r"=\s*'[^']*$", code) and "'''" not in code:
            return n
    return None


OPEN_LINE = ("Illegal character '\\n'", "Found invalid character '\\n'")


def _plain_words(message: str, line: str) -> str | None:
    """A reader's words for what tomllib says of ``line``, or None."""
    code = _code(line)
    # curly quotes where a text would start (not inside one, nor in a comment)
    if message in ("Invalid value", *OPEN_LINE) and re.search(
            r"(?:=|\[|,|\{)\s*[\u201c\u2018]", code):
        return ("curly quotes (\u201c \u201d or \u2018 \u2019, as a word processor makes "
                "them) do not mark a text here: use straight ones, \" or '")
    if message in OPEN_LINE and re.search(r"=\s*'[^']*$", line):
        return ("a text in single quotes is not closed before the end of the line: add the "
                "closing '")
    if message in OPEN_LINE and re.sub(r"\\.", "", code).count('"') % 2:  # not \" escaped
        # a text in quotes left open (a user check read "Illegal character '\n'")
        words = ("a text in double quotes is not closed before the end of the line: add the "
                 "closing \" (a text over several lines goes in \"\"\")")
        if re.search(r'\\"\s*(#.*)?$', line):  # "C:\temp\"
            words += ("; the \\ before its last \" makes that quote part of the text: write "
                      "\\\\ for one backslash, or put the text in single quotes")
        return words
    if message in ("Invalid hex value", "Unescaped '\\' in a string") or message.startswith(
            "Unescaped '\\'"):
        return ("a \\ in double quotes starts an escape such as \\n or \\\": write \\\\ for "
                "one backslash, or put the text in single quotes ('C:\\Users\\me')")
    if message in LEFT_OPEN:
        return LEFT_OPEN[message]
    if message == "Invalid value" and re.fullmatch(r"[^=]*=\s*", code):
        return ("no value after '=': give one (a number, \"a text\", true or false, "
                "or [a list])")
    if message == "Expected '=' after a key in a key/value pair" and re.fullmatch(
            r"\s*[A-Za-z0-9_.-]+\s+\S.*", code):
        return "a key and its value need '=' between them, such as days = 730"
    if message == "Expected newline or end of document after a statement":
        if re.search(r"=\s*'[^']*'\S", line):  # 'Children's centre'
            return ("a text in single quotes ends at its next ' (an apostrophe inside it "
                    "too): write it in double quotes, such as \"Children's centre\"")
        return ("more follows the value on this line: give one key = value a line (items "
                "of a list go in [ ], with commas between them)")
    if message == "Invalid initial character for a key part" and "{" in line:
        return ("a table in { } is written on one line, with a comma between its keys and "
                "none after the last")
    return None


def _key_of(line: str) -> str | None:
    """The key a ``key = value`` line sets, as written (spaces around dots and quotes off)."""
    found = re.match(r"\s*([^=#\[]+?)\s*=", line)
    if not found:
        return None
    parts = [p.strip().strip("\"'") for p in found[1].split(".")]
    return ".".join(parts) if all(parts) else None


def _header_of(line: str) -> str | None:
    found = re.match(r"\s*(\[\[?)\s*([^\]#]+?)\s*\]", line)
    if not found:
        return None
    return found[1] + ".".join(p.strip().strip("\"'") for p in found[2].split(".")) \
        + found[1].replace("[", "]")


def _plain_syntax_error(message: str, text: str, line_no: int) -> str:
    """tomllib's words for a key or table given twice, with the key named (its message
    names neither the key nor the table): read from the line it points at."""
    lines = text.splitlines()
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    words = _plain_words(message, line)
    if words is not None:
        return f"TOML syntax error: {words}"
    if message == "Cannot overwrite a value":
        key = _key_of(line)
        if key is None:
            return f"TOML syntax error: {message}"
        table, first, earlier = "the top of the file", None, key
        for n in range(line_no - 1, 0, -1):  # the table this line is in, and the key before
            header = _header_of(lines[n - 1])
            if header is not None:
                table = header
                break
            other = _key_of(lines[n - 1])
            if other is not None and (other == key or key.startswith(other + ".")):
                first, earlier = n, other
        if earlier != key:  # "n_residents = 30", then "n_residents.x = 3"
            return (f"TOML syntax error: '{earlier}' already has a value (line {first}), so "
                    f"'{key}' cannot be set inside it; remove one of them")
        also = f" (also on line {first})" if first else ""
        return (f"TOML syntax error: '{key}' is set twice in {table}{also}; a key may be set "
                "only once in a table: remove one")
    found = re.fullmatch(r"Cannot (declare|mutate immutable namespace) (\(.*\))( twice)?",
                         message)
    if found:
        try:
            name = ".".join(ast.literal_eval(found[2]))
        except (ValueError, SyntaxError, TypeError):
            return f"TOML syntax error: {message}"
        if found[1] == "declare":
            return (f"TOML syntax error: the table [{name}] is given twice (as a [{name}] "
                    f"line, or as {name}.key = ... before one); give all its keys under one "
                    f"[{name}] line")
        return (f"TOML syntax error: '{name}' already has a value given with '=' ({name} = "
                f"...), so a [{name}] or [[{name}]] table cannot add to it; write it one way "
                "only")
    return f"TOML syntax error: {message}"


# what a file plainly is when it is no TOML: its first bytes, then its name's ending
MAGIC_BYTES = ((b"\x1f\x8b", "a gzip-compressed file"),
               (b"PK\x03\x04", "a zip archive (or an office document)"),
               (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
               (b"%PDF", "a PDF document"), (b"SQLite format 3", "an SQLite database"))
SUFFIXES = {".html": "a web page (HTML)", ".htm": "a web page (HTML)",
            ".csv": "a table of values (CSV)", ".gz": "a gzip-compressed file",
            ".zip": "a zip archive", ".png": "a PNG image", ".pdf": "a PDF document",
            ".json": "a JSON file", ".parquet": "a Parquet table", ".md": "a Markdown text"}
SCENARIO_FORM = ("a scenario file", "a .toml file of the project's form; see "
                 "docs/SCENARIOS.md")


def looks_like(path: str | Path, data: bytes) -> tuple[str, bool] | None:
    """What a file plainly is instead of TOML, and whether that is sure (its first bytes
    say so: no TOML starts that way), or None: by its first bytes (gzip, zip, PNG, ...), by
    its name's ending (.html, .csv, .gz, ...), or text starting with '<' (HTML, XML)."""
    for magic, what in MAGIC_BYTES:
        if data.startswith(magic):
            return f"{what} (its first bytes say so)", True
    name = Path(path).name.lower()
    for suffix, what in SUFFIXES.items():
        if name.endswith(suffix):
            return f"{what} (its name ends in {suffix})", False
    if data.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"<"):
        return "a web page or other markup (HTML, XML: it starts with '<')", False
    return None


def binary(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are no text at all (a NUL, or many control bytes, in
    the first 8 kB), rather than text saved in another encoding (Latin-1's "café")."""
    head = data[:8000]
    controls = sum((b < 32 and b not in b"\t\n\r") or b == 127 for b in head)
    return b"\0" in head or controls * 20 > len(head)


def read_toml(path: str | Path, *, limit: int = MAX_FILE_BYTES,
              form: tuple[str, str] | None = None) -> dict:
    """Read, decode and parse one TOML file within the limits above. ``form``: (what the
    file should be, its form in words), :data:`SCENARIO_FORM` for a scenario: a file that
    plainly is something else (a report's page, a run's daily.csv.gz) is refused as not
    that, saying what it looks like, where it would be "not UTF-8" or a syntax error (a user
    check: "save the file as UTF-8" for a gzip file)."""
    return toml_of(path, read_bytes(path, limit=limit), form=form)


def toml_of(path: str | Path, data: bytes, *, form: tuple[str, str] | None = None) -> dict:
    """Decode and parse the bytes of the file ``path`` (its name only is read), as
    :func:`read_toml` does after reading them: a file uploaded to the pages goes through the
    same checks and words as one given to run.py."""
    looks = looks_like(path, data) if form else None
    if looks and looks[1]:
        raise InputRefused(f"this is not {form[0]} ({form[1]}): it looks like {looks[0]}")
    try:
        text = decode(data)
    except InputRefused:
        if form and not looks and binary(data) and not data.startswith(tuple(UTF16_32_BOMS)):
            looks = "a binary file, not text (it holds bytes no text has)", False
        if looks:
            raise InputRefused(f"this is not {form[0]} ({form[1]}): it looks like "
                               f"{looks[0]}") from None
        raise
    try:
        return parse_toml(text)
    except InputRefused:
        if looks:
            raise InputRefused(f"this is not {form[0]} ({form[1]}): it looks like "
                               f"{looks[0]}") from None
        raise
