"""Turn the messy text of raw digests into clean text: lines, LaTeX-isms, and derived titles.

Three jobs that all read raw prose: `split_lines` makes every raw file the same shape
(no BOM, CR/CRLF, NBSP or tabs) without moving line numbers; `clean_markdown` and
`clean_plain` undo the LaTeX-isms people paste from arXiv (`$math$` stays untouched);
`derive_title` names a paper that came without a title, from its abstract.
"""

from __future__ import annotations

import re
import unicodedata

# ---- lines ----------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # not str.splitlines: it also splits on \f, \x1c, \u2028…
# Every other kind of space, and the separators str.splitlines would break on, is one space:
# tab, VT, FF, NEL, NBSP, ogham, en/em/thin/hair spaces, LS, PS, narrow NBSP, math space, ideographic.
_SPACE_LIKE = re.compile(r"[\t\x0b\x0c\x1c-\x1f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
# Invisible marks pasted from web pages and PDFs (BOM, zero-width space, word joiner, soft hyphen,
# bidi controls), control characters (which YAML front matter cannot hold) and noncharacters.
# Zero-width (non-)joiners stay: emoji sequences and some scripts need them.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]")


def split_lines(text: str) -> list[str]:
    """The file's lines, 1-based by index + 1, each stripped of invisible and edge whitespace."""
    return [normalize_line(line) for line in _LINE_BREAK.split(text)]


def normalize_line(line: str) -> str:
    """One line in composed form (NFC: Korean pasted on macOS is decomposed), odd spaces made
    plain, invisible characters removed, edges trimmed."""
    line = unicodedata.normalize("NFC", _INVISIBLE.sub("", line))
    return _SPACE_LIKE.sub(" ", line).strip()


def count_lines(text: str) -> int:
    """How many lines `split_lines` would see in `text` (for locating decode errors)."""
    return len(_LINE_BREAK.split(text))


# ---- LaTeX-isms -----------------------------------------------------------------------------

_MATH = re.compile(r"(\$\$.+?\$\$|(?<!\\)\$[^$]+?(?<!\\)\$)")
_QUOTE = re.compile(r"``(.+?)''")
_ITALIC = re.compile(r"\\(?:textit|emph|textsl)\{([^{}]*)\}")
_BOLD = re.compile(r"\\textbf\{([^{}]*)\}")
_URL = re.compile(r"\\url\{([^{}]*)\}")
_HREF = re.compile(r"\\href\{([^{}]*)\}\{([^{}]*)\}")
# `models~(LLMs)`, `Figure~2`: a tie after a letter is a space; ` ~1.7x` and `3~4` are not ties.
_TIE = re.compile(r"(?<=[A-Za-z.,;:)\]])~(?=\S)")
_ABBREVIATIONS = ((re.compile(r"\\eg\b\.?"), "e.g."), (re.compile(r"\\ie\b\.?"), "i.e."),
                  (re.compile(r"\\etal\b\.?"), "et al."), (re.compile(r"\\etc\b\.?"), "etc."))
_ESCAPED = re.compile(r"\\([%&_#{}])")
_FORCED_SPACE = re.compile(r"\\[ ,;]")
_SPACES = re.compile(r" {2,}")


def clean_markdown(text: str) -> str:
    """Abstract or commentary text as Markdown: `\\textit{x}` → `*x*`, `\\textbf{x}` → `**x**`."""
    return _clean(text, italic="*", bold="**")


def clean_plain(text: str) -> str:
    """The same cleaning for plain text such as titles: emphasis is dropped, not marked."""
    return _clean(text, italic="", bold="")


def _clean(text: str, italic: str, bold: str) -> str:
    pieces = _MATH.split(text)  # odd indexes are math spans, which stay exactly as written
    cleaned = [piece if index % 2 else _clean_prose(piece, italic, bold)
               for index, piece in enumerate(pieces)]
    return _SPACES.sub(" ", "".join(cleaned)).strip()


def _clean_prose(text: str, italic: str, bold: str) -> str:
    text = _SPACE_LIKE.sub(" ", _INVISIBLE.sub("", text))
    text = _QUOTE.sub("\u201c\\1\u201d", text)
    text = _unwrap_emphasis(text, italic, bold)
    text = _HREF.sub(lambda m: f"{m.group(2)} <{m.group(1)}>", text)
    text = _URL.sub(lambda m: f"<{m.group(1)}>", text)
    text = _TIE.sub(" ", text)
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    text = _FORCED_SPACE.sub(" ", text)
    return _ESCAPED.sub(r"\1", text)


def _unwrap_emphasis(text: str, italic: str, bold: str) -> str:
    """Innermost braces first, until none are left, so `\\textbf{\\textit{x}}` unwinds too."""
    while True:
        changed = _BOLD.sub(lambda m: f"{bold}{m.group(1)}{bold}", text)
        changed = _ITALIC.sub(lambda m: f"{italic}{m.group(1)}{italic}", changed)
        if changed == text:
            return text
        text = changed


# ---- sentences ------------------------------------------------------------------------------

_NO_BREAK_AFTER = ("e.g.", "i.e.", "et al.", "etc.", "vs.", "cf.", "Fig.", "Eq.", "Sec.", "No.")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"\u201c(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Split prose into sentences, not breaking after common abbreviations such as `e.g.`."""
    found: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()]
        if before.endswith(_NO_BREAK_AFTER) or re.search(r"\b[A-Z]\.$", before):
            continue
        found.append(before.strip())
        start = match.end()
    rest = text[start:].strip()
    return [s for s in [*found, rest] if s]


def shorten(text: str, limit: int = 80) -> str:
    """`text` if it fits in `limit` characters, else cut at a word boundary and ended with `…`."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


# ---- derived titles ---------------------------------------------------------------------------

# "we propose …", "This paper presents …", "we have developed …", "We then present …".
_PROPOSAL = re.compile(
    r"\b(?:we|this (?:paper|work|study|report|article)|the (?:paper|work|study)|our (?:paper|work))"
    r"\s+(?:(?:\w+ly|then|also|first|further|here|hereby|now|thus|therefore|have|has)\s+){0,2}"
    r"(?:propos|introduc|present|develop)\w*\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\u201c\"]([^\u201d\"]{2,80})[\u201d\"]")
_NAMED = re.compile(r"\b(?:called|named|namely|dubbed|termed)\s+(?:the\s+)?"
                    r"([^\s,;:()]+(?:\s+[^\s,;:()]+){0,4})")
_APPOSITIVE = re.compile(r"^[^,()]{1,80},\s*([^,()]{1,60}),")
_ACRONYM = re.compile(r"\(([^()]{2,30})\)")
_ARTICLES = {"a", "an", "the", "this", "these", "our", "its", "their", "two", "three", "new"}
_MAX_NAME_WORDS = 6


def derive_title(abstract: str) -> str:
    """A title for an untitled paper: the method's name where the abstract introduces one
    ("we propose X", "a framework called X", "(X)"), else its first sentence, shortened."""
    for sentence in sentences(abstract):
        name = name_in_sentence(sentence)
        if name:
            return name
    first = next(iter(sentences(abstract)), abstract)
    return shorten(first.rstrip("."))


def name_in_sentence(sentence: str) -> str:
    """The name a proposing sentence gives its method, or "" when it gives none."""
    verb = _PROPOSAL.search(sentence)
    if not verb:
        return ""
    after = sentence[verb.end():]
    for find in (_quoted_name, _labelled_name, _leading_name, _appositive_name):
        name = find(after)
        if name:
            return name
    return _acronym_name(sentence[verb.start():])


def _quoted_name(text: str) -> str:
    match = _QUOTED.search(text)
    return _as_name(match.group(1)) if match else ""


def _labelled_name(text: str) -> str:
    match = _NAMED.search(text)
    return capitalised_run(match.group(1)) if match else ""


def _leading_name(text: str) -> str:
    words = text.split()
    if not words or words[0].lower().strip(",") in _ARTICLES:
        return ""
    return capitalised_run(text)


def _appositive_name(text: str) -> str:
    match = _APPOSITIVE.match(text.strip())
    return _as_name(match.group(1)) if match else ""


def _acronym_name(text: str) -> str:
    for match in _ACRONYM.finditer(text):
        inner = match.group(1).strip()
        # A plural acronym such as (LLMs) names the field, not the paper's method.
        if re.fullmatch(r"[A-Z]{2,}s", inner):
            continue
        name = _as_name(inner)
        if name:
            return name
    return ""


def capitalised_run(text: str) -> str:
    """The leading words of `text` that each carry a capital letter: `Baichuan Alignment, a …`."""
    run: list[str] = []
    for word in text.split():
        bare = word.rstrip(".,;:!?")
        if not _looks_like_name_word(bare):
            break
        run.append(bare)
        if bare != word or len(run) == _MAX_NAME_WORDS:
            break
    return " ".join(run)


def _as_name(text: str) -> str:
    """`text` itself when every word of it could be part of a name, else ""."""
    text = text.strip().strip("*").strip()
    words = text.split()
    if not words or len(words) > _MAX_NAME_WORDS or not _looks_like_name_word(words[0]):
        return ""
    return text


def _looks_like_name_word(word: str) -> bool:
    return bool(word) and any(c.isupper() for c in word) and all(c.isalnum() or c in "-+.'&/" for c in word)
