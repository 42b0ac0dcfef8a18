"""Reading one dump file: bytes -> text -> blocks -> title/abstract pairs and rejects.

A dump is the text of a Hugging Face Papers listing page, saved by a user. Blocks are separated by
blank lines: page chrome ("new", "Subscribe", ...), a date header with month and day but no year
("Mar 11"), then title / abstract pairs. Real dumps are messy, so the parser classifies every block
and accounts for all of them: each block ends up in a paper (title, abstract, or a continuation of
an abstract split by a blank line) or in the rejects list with its line and a reason (page chrome
and date headers are listed there too, with severity "info").

>>> text = "Subscribe\\n\\nMar 11\\n\\nA Title\\n\\nAn abstract. It ends.\\n"
>>> parsed = parse_text("x.txt", text)
>>> [(p.title, p.abstract) for p in parsed.papers]
[('A Title', 'An abstract. It ends.')]
>>> [(r.line, r.reason) for r in parsed.rejects]
[(1, 'page chrome'), (3, 'date header')]
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from helpers.errors import DumpFormatError

CHROME = frozenset(
    s.casefold()
    for s in (
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
        "Trending Papers",
    )
)
DAILY_MARKER = "daily papers"
_LONGEST_CHROME = max(map(len, CHROME))  # casefold maps a character to one or more

_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_abbr[number], calendar.month_name[number])
}
_MONTHS["sept"] = 9
_DATE_RE = re.compile(
    r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+(?P<day>\d{1,2})",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*$""")
_ENDS_WITH_URL = re.compile(r"""(?:https?://|www\.)\S+$|\b[\w.-]+\.[a-z]{2,}/\S*$""", re.I)
# a run of lines that each hold something other than whitespace
_BLOCK_RE = re.compile(r"^[^\n]*?\S[^\n]*(?:\n[^\n]*?\S[^\n]*)*", re.MULTILINE)
# control characters other than tab, newline, carriage return, form feed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# an ISO date in a file name: 2024-02-29 or 20240229 (same separator twice, no digit around)
_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(-?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
_HEX_RUN = re.compile(r"[0-9a-fA-F]+")

MAX_TITLE_CHARS = 300  # a single line longer than this is read as text, not as a title
MAX_REJECT_TEXT = 2000  # characters of a rejected block kept in the rejects table
BINARY_CONTROL_SHARE = 0.01  # more control characters than this share of the text: binary


@dataclass(frozen=True)
class Block:
    line: int  # 1-based line of the block's first line
    text: str
    n_lines: int


@dataclass
class Paper:
    title: str
    abstract: str
    line: int  # line of the title
    month: int
    day: int
    date_label: str
    date_line: int
    n_blocks: int = 2
    last_block: int = 0  # index of the paper's last block in the file


@dataclass(frozen=True)
class Reject:
    line: int
    n_blocks: int
    reason: str
    severity: str  # "info" (expected, like page chrome) or "warning" (possible data loss)
    text: str


@dataclass
class ParsedDump:
    path: str
    encoding: str
    n_blocks: int
    page_kind: str
    papers: list[Paper] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    name_date: dt.date | None = None  # the date in the file name, when it holds one
    header_line: int = 0  # line of the page's first date header


def name_date(path: str | Path) -> dt.date | None:
    """The ISO date a file name holds anywhere (``2024-02-29`` or ``20240229``), else None.

    Eight digits inside a hexadecimal hash (``000_bf20240229c1d2e3.txt``) are not a date.

    >>> name_date("papers-2024-02-29.txt"), name_date("017_20231201_hf.txt")
    (datetime.date(2024, 2, 29), datetime.date(2023, 12, 1))
    >>> name_date("000_bf51bc8f353d52b5.txt") is None
    True
    """
    name = Path(path).name
    for match in _NAME_DATE.finditer(name):
        if not match[2] and _inside_hash(name, match.start(), match.end()):
            continue
        try:
            return dt.date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:  # 2023-02-29: not a date, so not a dated name
            continue
    return None


def _inside_hash(name: str, start: int, end: int) -> bool:
    """True when [start, end) lies in a run of 12+ hex characters that holds a letter."""
    for run in _HEX_RUN.finditer(name):
        if run.start() <= start and end <= run.end():
            return len(run[0]) >= 12 and not run[0].isdigit()
    return False


def decode(raw: bytes, path: str | Path) -> tuple[str, str]:
    """Bytes to text with newline normalised to ``\\n``; returns (text, encoding).

    UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without BOM, UTF-8 with a few
    invalid bytes (replaced by U+FFFD, e.g. a scrape cut inside a character), else Windows-1252
    and finally Latin-1, which accepts any byte. Empty or binary input raises DumpFormatError.
    """
    text, encoding, _ = _decode_checked(raw, path)
    return text, encoding


def _decode_checked(raw: bytes, path: str | Path) -> tuple[str, str, tuple[int, int] | None]:
    """Like ``decode``, plus (number of bytes replaced, line of the first) when UTF-8 had
    invalid bytes."""
    if not raw.strip():
        raise DumpFormatError(path, 1, "file is empty (no text at all)")
    text, encoding = _decode_bytes(raw)
    if "\r" in text:  # the test is 15x cheaper than two replacements that find nothing
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls > max(2, BINARY_CONTROL_SHARE * len(sample)):
        line = sample[: _CONTROL.search(sample).start()].count("\n") + 1
        raise DumpFormatError(
            path, line, f"looks binary, not text ({controls} control bytes in the first 64 KiB)"
        )
    replaced = None
    if encoding == UTF8_REPLACED:
        n_bad = text.count("\ufffd") - raw.count("\ufffd".encode())
        first = text.index("\ufffd")
        replaced = (n_bad, text.count("\n", 0, first) + 1)
    return text, encoding, replaced


UTF8_REPLACED = "utf-8 (invalid bytes replaced)"


def _mostly_utf8(raw: bytes) -> str | None:
    """UTF-8 text with a few invalid bytes (at least 3 valid non-ASCII characters for each bad
    byte): decoded with U+FFFD in their place. None when the bytes are another encoding."""
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - raw.count("\ufffd".encode())
    non_ascii = sum(1 for ch in text if ord(ch) > 127) - bad
    if bad and non_ascii >= 3 * bad:
        return text
    return None


def _decode_bytes(raw: bytes) -> tuple[str, str]:
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError:
                break
    head = raw[:4096]
    if len(head) >= 4 and head.count(0) > len(head) // 4:
        # UTF-16 without a BOM: one byte of each ASCII character is zero
        name = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        try:
            return raw.decode(name), name
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(raw)
    if mostly is not None:
        return mostly, UTF8_REPLACED
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def split_blocks(text: str) -> list[Block]:
    """Blank-line separated blocks with the line each starts on.

    >>> split_blocks("a\\n\\n\\nb\\nc\\n")
    [Block(line=1, text='a', n_lines=1), Block(line=4, text='b\\nc', n_lines=2)]
    """
    # one regex pass over runs of non-blank lines: no list of every line (a 200 MB dump has
    # millions), and line numbers counted only between blocks
    blocks: list[Block] = []
    line, pos = 1, 0  # the line where text[pos] is
    for match in _BLOCK_RE.finditer(text):
        line += text.count("\n", pos, match.start())
        raw = match.group()
        n_lines = raw.count("\n") + 1
        blocks.append(Block(line, raw.strip(), n_lines))
        line, pos = line + n_lines - 1, match.end()
    return blocks


def parse_date_label(text: str) -> tuple[int, int] | None:
    """``"Mar 11"`` -> (3, 11); None when the block is not a date header at all.

    Raises ValueError for a header that names an impossible day ("Feb 30")."""
    match = _DATE_RE.fullmatch(text.strip())
    if not match:
        return None
    month = _MONTHS[match["month"].casefold()]
    day = int(match["day"])
    if not 1 <= day <= calendar.monthrange(2024, month)[1]:  # 2024 is a leap year: Feb 29 ok
        raise ValueError(f"{text.strip()!r} is not a real date")
    return month, day


def looks_cut_off(abstract: str) -> bool:
    """True when an abstract seems to stop mid-sentence.

    An abstract that ends with sentence punctuation, a URL or a closing bracket is complete.

    >>> looks_cut_off("We propose a method for"), looks_cut_off("Code: https://github.com/a/b")
    (True, False)
    """
    tail = abstract.rstrip()
    if not tail:
        return True
    if _SENTENCE_END.search(tail) or tail.endswith((")", "]", "}")):
        return False
    return not _ENDS_WITH_URL.search(tail)


def _kind(block: Block | None) -> str | None:
    """date, chrome, title (one short line, no final full stop, no URL) or text."""
    if block is None:
        return None
    text = block.text
    if len(text) <= _LONGEST_CHROME and text.casefold() in CHROME:
        return "chrome"
    if _DATE_RE.fullmatch(text):
        return "date"
    if (
        block.n_lines == 1
        and len(text) <= MAX_TITLE_CHARS
        and not text.endswith(".")
        and "://" not in text
    ):
        return "title"
    return "text"


def parse_text(path: str | Path, text: str, encoding: str = "utf-8") -> ParsedDump:
    """Parse decoded dump text. Raises DumpFormatError when there is no valid date header, or
    when the file name holds a date whose month and day differ from the page header's."""
    blocks = split_blocks(text)
    n_read = len(blocks)
    nul_rejects: list[Reject] = []
    if "\x00" in text:
        blocks, nul_rejects = _without_nul(blocks)
    kinds = [_kind(b) for b in blocks]
    result = ParsedDump(
        path=str(path),
        encoding=encoding,
        n_blocks=n_read,
        page_kind="daily"
        if any(b.text.casefold() == DAILY_MARKER for b in blocks[:20])
        else "listing",
        name_date=name_date(path),
    )

    def reject(item: Reject) -> None:
        if len(item.text) > MAX_REJECT_TEXT:  # a runaway block (a whole page on one line)
            cut = len(item.text) - MAX_REJECT_TEXT
            item = replace(item, text=f"{item.text[:MAX_REJECT_TEXT]} [... {cut} more characters]")
        result.rejects.append(item)

    # the page head: chrome, then the first date header
    i = 0
    while i < len(blocks) and kinds[i] != "date":
        if kinds[i] == "chrome":
            reject(Reject(blocks[i].line, 1, "page chrome", "info", blocks[i].text))
        else:
            reject(
                Reject(
                    blocks[i].line,
                    1,
                    "unrecognised block before the date header",
                    "warning",
                    blocks[i].text,
                )
            )
        i += 1
    if i == len(blocks):
        first = blocks[0].line if blocks else 1
        raise DumpFormatError(
            path,
            first,
            "no date header such as 'Mar 11' found: this does not look like a Hugging Face "
            "Papers dump",
        )

    section: tuple[int, int, str, int] | None = None
    papers = result.papers
    n = len(blocks)
    while i < n:
        block, kind = blocks[i], kinds[i]
        if kind == "date":
            try:
                month, day = parse_date_label(block.text)
            except ValueError as exc:
                raise DumpFormatError(path, block.line, str(exc)) from None
            if section is None:
                result.header_line = block.line
                _check_name_date(path, result.name_date, month, day, block)
            section = (month, day, block.text, block.line)
            reject(Reject(block.line, 1, "date header", "info", block.text))
            i += 1
            continue
        if kind == "chrome":
            reject(Reject(block.line, 1, "page chrome inside the listing", "info", block.text))
            i += 1
            continue
        next_kind = kinds[i + 1] if i + 1 < n else None
        after_kind = kinds[i + 2] if i + 2 < n else None
        follows_paper = bool(papers) and papers[-1].last_block == i - 1
        if kind == "title":
            if next_kind == "text" or (next_kind == "title" and after_kind != "text"):
                # a title and its abstract (a short one-line abstract when two short lines meet
                # and no abstract follows them)
                papers.append(_paper(block, blocks[i + 1], section, i + 1))
                i += 2
            else:
                where = " at the end of the file" if next_kind is None else ""
                reject(
                    Reject(block.line, 1, f"title with no abstract{where}", "warning", block.text)
                )
                i += 1
        elif next_kind == "text" and not (follows_paper and _reads_as_prose(block)):
            # two text blocks in a row: the first is an over-long title (unless it reads as
            # another paragraph of the abstract just before it)
            papers.append(_paper(block, blocks[i + 1], section, i + 1))
            i += 2
        elif follows_paper:
            # an abstract that a blank line split in two: join the parts
            last = papers[-1]
            last.abstract = f"{last.abstract}\n\n{block.text}"
            last.n_blocks += 1
            last.last_block = i
            i += 1
        else:
            reject(Reject(block.line, 1, "text with no title", "warning", block.text))
            i += 1
    if nul_rejects:
        for item in nul_rejects:
            reject(item)
        result.rejects.sort(key=lambda r: r.line)  # stable: the order of the file
    return result


def _without_nul(blocks: list[Block]) -> tuple[list[Block], list[Reject]]:
    """Blocks with their NUL bytes removed, and one warning per block that held some (naming
    the line of the first; it counts no block, the block itself is read as usual). A block of
    nothing but NUL bytes and spaces is rejected whole."""
    kept: list[Block] = []
    notes: list[Reject] = []
    for block in blocks:
        if "\x00" not in block.text:
            kept.append(block)
            continue
        n_nul = block.text.count("\x00")
        line = block.line + block.text.count("\n", 0, block.text.index("\x00"))
        cleaned = block.text.replace("\x00", "").strip()
        if not cleaned:
            notes.append(Reject(line, 1, f"block of {n_nul} NUL byte(s) only", "warning", ""))
            continue
        kept.append(replace(block, text=cleaned))
        reason = f"{n_nul} NUL byte(s) removed (first on this line)"
        notes.append(Reject(line, 0, reason, "warning", cleaned))
    return kept, notes


def _check_name_date(path, named: dt.date | None, month: int, day: int, header: Block) -> None:
    if named is not None and (named.month, named.day) != (month, day):
        raise DumpFormatError(
            path,
            header.line,
            f"the file name says {named.isoformat()} but the page header says "
            f"{header.text!r}; rename the file or check that it holds the page of that day",
        )


def _reads_as_prose(block: Block) -> bool:
    """Several lines, or one ending like a sentence: a paragraph, not a title."""
    return block.n_lines > 1 or bool(_SENTENCE_END.search(block.text))


def _paper(title: Block, abstract: Block, section, last_index: int) -> Paper:
    month, day, label, date_line = section
    return Paper(
        title=title.text,
        abstract=abstract.text,
        line=title.line,
        month=month,
        day=day,
        date_label=label,
        date_line=date_line,
        last_block=last_index,
    )


def parse_file(path: str | Path) -> ParsedDump:
    """Read and parse one dump file (never writes to it)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise DumpFormatError(path, 0, "is a folder, not a dump file") from None
    text, encoding, replaced = _decode_checked(raw, path)
    parsed = parse_text(path, text, encoding)
    if replaced:
        n_bad, line = replaced
        parsed.rejects.append(
            Reject(
                line,
                0,
                f"{n_bad} byte(s) not valid UTF-8, replaced by U+FFFD (first on this line)",
                "warning",
                "",
            )
        )
    return parsed
