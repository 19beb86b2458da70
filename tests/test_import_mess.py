"""The mess of real files: line endings, BOMs, odd spaces and invisible characters, several dates
in one digest, commentary in one language or uneven, Korean and hyphenated tags, awkward and very
long titles, emoji, and text that is not UTF-8."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from tests.helpers.raw_digests import import_text, loaded, sample, SAMPLE_NUMBERS, write_raw
from tests.helpers.trees import snapshot
from litdigest.importer import clean
from litdigest.importer import formats
from litdigest.importer.formats import bilingual_daily
from litdigest.importer import identity as ids
from litdigest.errors import LitdigestError
from litdigest.importer.run import run_import

# ---- lines: endings, BOM, spaces, invisible characters ----------------------------------------------


def test_split_lines_keeps_line_numbers_for_every_line_ending() -> None:
    assert clean.split_lines("\ufeffa\r\nb\rc\n\nd\u2028e") == ["a", "b", "c", "", "d e"]


def test_split_lines_normalizes_space() -> None:
    assert clean.split_lines("\u00a0Ding,\tNing \u200b ") == ["Ding, Ning"]


ODD_SPACES = "\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
             "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


@pytest.mark.parametrize("space", list(ODD_SPACES), ids=lambda c: f"U+{ord(c):04X}")
def test_every_odd_space_is_a_plain_space(space: str) -> None:
    assert clean.split_lines(f"{space}one{space}two{space}") == ["one two"]
    assert clean.clean_markdown(f"one{space}{space}two") == "one two"


@pytest.mark.parametrize("invisible", ["\u200b", "\u00ad", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202a",
                                       "\u202e", "\u2066", "\u2069", "\x00", "\x07", "\x1b", "\x7f", "\x80",
                                       "\x9f", "\ufffe", "\uffff"], ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_and_control_characters_are_removed(invisible: str) -> None:
    assert clean.split_lines(f"in{invisible}visible") == ["invisible"]


def test_emoji_sequences_keep_their_joiners() -> None:
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert clean.split_lines(f"{family} \U0001F525\ufe0f") == [f"{family} \U0001F525\ufe0f"]


def test_decomposed_korean_is_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "강화학습 논문")
    assert decomposed != "강화학습 논문"
    assert clean.split_lines(decomposed) == ["강화학습 논문"]


def _messy(text: str, mess: str) -> str:
    return {
        "crlf": text.replace("\n", "\r\n"),
        "cr": text.replace("\n", "\r"),
        "bom": "\ufeff" + text,
        "tabs-nbsp-trailing": "\n".join(f"\t{line}\u00a0  \t" if line else "  " for line in text.split("\n")),
        "odd-spaces": text.replace(" a ", "\u2009a\u3000").replace(" the ", "\u00a0the\u202f"),
        "zero-width": text.replace("tion", "ti\u200bon").replace("Language", "Lan\u00adguage"),
        "decomposed": unicodedata.normalize("NFD", text),
        "bom-crlf-trailing": "\ufeff" + "\r\n".join(line + " \t" for line in text.split("\n")),
    }[mess]


MESSES = ["crlf", "cr", "bom", "tabs-nbsp-trailing", "odd-spaces", "zero-width", "decomposed", "bom-crlf-trailing"]


def _parsed(text: str) -> formats.ParsedFile:
    lines = clean.split_lines(text)
    name = formats.detect_format(lines)
    assert name is not None
    return formats.parse(lines, name)


@pytest.mark.parametrize("number", SAMPLE_NUMBERS)
@pytest.mark.parametrize("mess", MESSES)
def test_messy_copies_of_the_samples_parse_the_same(number: str, mess: str) -> None:
    text = sample(number).read_text("utf-8")
    assert _parsed(_messy(text, mess)) == _parsed(text)


@pytest.mark.parametrize("number", ["001", "004"])
@pytest.mark.parametrize("mess", ["crlf", "tabs-nbsp-trailing", "decomposed", "bom-crlf-trailing"])
def test_messy_copies_of_the_samples_write_the_same_bytes(tmp_path: Path, number: str, mess: str) -> None:
    text = sample(number).read_text("utf-8")
    clean_copy = write_raw(tmp_path / "a", sample(number).name, text)
    messy_copy = write_raw(tmp_path / "b", sample(number).name, _messy(text, mess))
    run_import([clean_copy], tmp_path / "content-a")
    run_import([messy_copy], tmp_path / "content-b")
    assert snapshot(tmp_path / "content-a") == snapshot(tmp_path / "content-b")


# ---- bilingual digests: dates, languages, paragraphs ----------------------------------------------

DAY_ONE = ["Paper One", "(A. Author, B. Author)", "Abstract one is here. It has two sentences.",
           "한국어 코멘트입니다.", "English comment.", "#deep-learning #강화학습"]
DAY_TWO = ["Paper Two", "(C. Author)", "Abstract two. Short.", "한국어로만 쓴 코멘트.", "#rl"]


@pytest.mark.parametrize("first, second", [
    ("2024년 12월 19일", "2024년 12월 20일"), ("2024년 12월 19일 (목)", "2024년 12월 20일 금요일"),
    ("2024-12-19", "2024-12-20"), ("## 2024-12-19", "## 2024-12-20"), ("2024. 12. 19.", "2024. 12. 20."),
    ("2024/12/19", "2024/12/20"), ("Dec 19, 2024", "December 20, 2024"), ("[2024년 12월 19일]", "Fri, Dec 20, 2024"),
])
def test_several_date_headers_make_several_digests(tmp_path: Path, first: str, second: str) -> None:
    found = _parsed("\n".join([first, *DAY_ONE, second, *DAY_TWO]))
    assert [(d.date, len(d.papers)) for d in found.digests] == [(dt.date(2024, 12, 19), 1), (dt.date(2024, 12, 20), 1)]
    assert found.unplaced == ()
    import_text(tmp_path, "days.txt", "\n".join([first, *DAY_ONE, second, *DAY_TWO]))
    digests = {d.id: d for d in loaded(tmp_path / "content").digests}
    assert sorted(digests) == ["days-2024-12-19", "days-2024-12-20"]
    assert not digests["days-2024-12-19"].title.startswith(("#", "["))
    assert (digests["days-2024-12-19"].date, digests["days-2024-12-20"].date) == (
        dt.date(2024, 12, 19), dt.date(2024, 12, 20))
    one, two = sorted(loaded(tmp_path / "content").papers, key=lambda p: p.title)
    assert (one.digests, two.digests) == (("days-2024-12-19",), ("days-2024-12-20",))


def test_not_a_date_is_not_a_date() -> None:
    for text in ["2024년 13월 40일", "2024-02-30", "Mixtral 8, 2024", "2410.14940", "Smarch 3, 2024"]:
        assert bilingual_daily.date_of(text) is None, text


def test_lines_before_the_first_date_form_an_undated_digest(tmp_path: Path) -> None:
    import_text(tmp_path, "notes.txt", "\n".join([*DAY_TWO, "2024년 12월 19일", *DAY_ONE]))
    assert sorted((d.id, d.date) for d in loaded(tmp_path / "content").digests) == [
        ("notes", None), ("notes-2024-12-19", dt.date(2024, 12, 19))]


@pytest.mark.parametrize("commentary, languages", [
    (["한국어로만 쓴 코멘트."], {"ko": ["한국어로만 쓴 코멘트."]}),
    (["Only English, thank you."], {"en": ["Only English, thank you."]}),
    (["하나.", "둘.", "셋.", "One."], {"ko": ["하나.", "둘.", "셋."], "en": ["One."]}),
    (["하나.", "One.", "Two.", "Three."], {"ko": ["하나."], "en": ["One.", "Two.", "Three."]}),
    (["First in English.", "그 다음 한국어.", "Then English again, with 한국어 words."],
     {"en": ["First in English.", "Then English again, with 한국어 words."], "ko": ["그 다음 한국어."]}),
])
def test_commentary_in_one_language_or_uneven_keeps_every_paragraph(tmp_path: Path, commentary: list[str],
                                                                      languages: dict[str, list[str]]) -> None:
    text = "\n".join(["2025년 1월 6일", "A Title", "(Ann Lee)", "An abstract. Of two sentences.", *commentary, "#x"])
    report = import_text(tmp_path, "notes.txt", text)
    assert report.files[0].unplaced == ()
    (paper,) = loaded(tmp_path / "content").papers
    assert {c.lang: c.text.split("\n\n") for c in paper.commentary} == languages


def test_korean_hyphenated_and_comma_separated_tags(tmp_path: Path) -> None:
    text = "2025년 1월 2일\nA Title\n(Ann Lee)\nAn abstract. Of two sentences.\n코멘트.\n" \
           "#강화학습, #in-context-learning,#Large_Language_Models #RL\n"
    import_text(tmp_path, "notes.txt", text)
    content = loaded(tmp_path / "content")
    (paper,) = content.papers
    assert paper.tags == ("강화학습", "in-context-learning", "large-language-models", "rl")
    assert (content.tags["강화학습"].ko, content.tags["rl"].en) == ("강화학습", "RL")


# ---- titles ---------------------------------------------------------------------------------------

AWKWARD_TITLES = [
    "Is Cosine-Similarity of Embeddings Really About Similarity?",
    "Input/Output: Scaling Laws for I/O-Bound Models",
    "Less is More.. Or is It? A Study of Ellipses",
    "../../etc/passwd: A Path Traversal Benchmark",
    "What Matters: Colons: Everywhere: In Titles",
    "\U0001F680 Rocket-Powered Retrieval \U0001F525",
    '"Quoted" Titles, [Brackets], {Braces} & #Hashes: key: value',
]


@pytest.mark.parametrize("title", AWKWARD_TITLES)
def test_awkward_titles_are_kept_exactly_and_slugged_safely(tmp_path: Path, title: str) -> None:
    import_text(tmp_path, "notes.txt", f"2025년 1월 2일\n{title}\n(Ann Lee)\nAn abstract. Of two sentences.\n#x\n")
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.title == title
    assert ids.is_safe_name(paper.slug)
    assert [p.name for p in (tmp_path / "content" / "papers").iterdir()] == [f"{paper.slug}.md"]


def test_a_very_long_title_is_kept_and_its_slug_capped(tmp_path: Path) -> None:
    title = ("A Very Long Title About Scaling Laws for Mixture-of-Experts Language Models Trained on "
             "Multilingual Web Corpora With Curriculum Sampling, Data Deduplication, Synthetic Augmentation "
             "and Reinforcement Learning From Human and Machine Feedback Across Many Benchmarks")
    import_text(tmp_path, "notes.txt", f"2025년 1월 2일\n{title}\n(Ann Lee)\nAn abstract. Of two sentences.\n#x\n")
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.title == title and len(title) > 200
    assert len(paper.slug) <= ids.SLUG_LENGTH
    assert paper.slug == "a-very-long-title-about-scaling-laws-for-mixture-of-experts"


def test_emoji_in_titles_commentary_and_tags(tmp_path: Path) -> None:
    text = "2025년 1월 2일\n\U0001F525 Hot Paper\n(Ann Lee)\nAn abstract. Of two sentences.\n" \
           "재미있네요 \U0001F602\nFun \U0001F468\u200d\U0001F469\u200d\U0001F467\n#\U0001F525 #llm\n"
    report = import_text(tmp_path, "notes.txt", text)
    (paper,) = loaded(tmp_path / "content").papers
    assert (paper.title, paper.slug, paper.tags) == ("\U0001F525 Hot Paper", "hot-paper", ("llm",))
    assert paper.commentary[1].text == "Fun \U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert report.files[0].unplaced == ((7, "#\U0001F525"),)


# ---- encodings --------------------------------------------------------------------------------------


def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    files = {"empty": b"", "blank": b" \r\n\t\n", "unknown": b"Just a note.\nAnother one.\n",
             "cp949": "2024년 12월 19일\nTitle\n".encode("cp949")}
    return {name: write_raw(tmp_path, f"{name}.txt", data) for name, data in files.items()}


def test_bad_inputs_are_all_reported_and_nothing_is_written(raw_dir: Path, content_dir: Path,
                                                             tmp_path: Path) -> None:
    run_import(sorted(raw_dir.glob("002_*.txt")), content_dir)
    before = snapshot(content_dir)
    bad = bad_inputs(tmp_path)
    with pytest.raises(LitdigestError) as caught:
        run_import([*sorted(raw_dir.glob("*.txt")), *bad.values()], content_dir)
    lines = str(caught.value).splitlines()
    assert lines == sorted(lines, key=lambda line: line.split(":")[0])
    skip = "; or pass --skip-unreadable to import the other files"
    assert f"{bad['empty']}: empty file — put a digest in it or leave it out{skip}" in lines
    assert f"{bad['blank']}: empty file — put a digest in it or leave it out{skip}" in lines
    assert any(line.startswith(f"{bad['unknown']}: no shape fits") for line in lines)
    assert f"{bad['cp949']}:1: not UTF-8 — save as UTF-8 or pass --encoding cp949{skip}" in lines
    assert len(caught.value.problems) == 4
    assert snapshot(content_dir) == before


def test_the_line_of_a_decoding_error(tmp_path: Path) -> None:
    raw = write_raw(tmp_path, "x.txt", b"Abstract: fine\r\nAbstract: fine\r\nAbstract: \xff\xfe bad\r\n")
    with pytest.raises(LitdigestError) as caught:
        run_import([raw], tmp_path / "content")
    assert (caught.value.problems[0].path, caught.value.problems[0].line) == (str(raw), 3)


@pytest.mark.parametrize("codec", ["cp949", "euc-kr", "utf-16", "utf-8-sig"])
def test_a_named_encoding_is_used(tmp_path: Path, codec: str) -> None:
    data = "2024년 12월 19일\nA Title\n(Ann Lee)\nAn abstract. Two sentences.\n코멘트.\n#태그\n".encode(codec)
    report = import_text(tmp_path, "daily.txt", data, encoding=codec)
    assert report.files[0].papers == 1
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.tags == ("태그",) and paper.commentary[0].text == "코멘트."


def test_latin1_is_read_when_named_and_refused_when_not(tmp_path: Path) -> None:
    data = "Abstract: Café au lait. We propose Zéro, a method.\n".encode("latin-1")
    with pytest.raises(LitdigestError, match=r"x.txt:1: not UTF-8"):
        import_text(tmp_path, "x.txt", data)
    import_text(tmp_path, "x.txt", data, encoding="latin-1")
    (paper,) = loaded(tmp_path / "content").papers
    assert paper.abstract == "Café au lait. We propose Zéro, a method."


def test_a_wrong_named_encoding_names_the_file_and_line(tmp_path: Path) -> None:
    data = "Abstract: fine.\nAbstract: 한국어.\n".encode("utf-8")
    with pytest.raises(LitdigestError) as caught:
        import_text(tmp_path, "x.txt", data, encoding="ascii")
    assert str(caught.value).endswith("x.txt:2: not ascii text — pass the encoding the file was saved in, "
                                      "or save it as UTF-8")


def test_utf16_with_a_bom_is_read(tmp_path: Path) -> None:
    import_text(tmp_path, "notes.txt", "Abstract: We propose Zebra, a thing. It works.\r\n".encode("utf-16"))
    assert [p.title for p in loaded(tmp_path / "content").papers] == ["Zebra"]


@pytest.mark.parametrize("options, message", [
    ({"fmt": "csv"}, "--format: unknown format 'csv' — use one of: arxiv-markers, author-profile, "
                     "category-listing, abstract-lines, bilingual-daily"),
    ({"encoding": "klingon"}, "--encoding: unknown encoding 'klingon'"),
])
def test_a_bad_option_is_refused_before_anything_is_written(raw_dir: Path, content_dir: Path,
                                                           options: dict[str, str], message: str) -> None:
    with pytest.raises(LitdigestError) as caught:
        run_import(sorted(raw_dir.glob("*.txt")), content_dir, **options)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)
    assert snapshot(content_dir) == {}


def test_a_broken_page_in_content_stops_the_import(raw_dir: Path, content_dir: Path) -> None:
    (content_dir / "papers").mkdir()
    broken = content_dir / "papers" / "broken.md"
    broken.write_text("---\nid: [unclosed\n---\n", encoding="utf-8")
    with pytest.raises(LitdigestError) as caught:
        run_import(sorted(raw_dir.glob("*.txt")), content_dir)
    assert str(broken) in str(caught.value)
    assert snapshot(content_dir) == {"papers/broken.md": b"---\nid: [unclosed\n---\n"}


def test_two_raw_files_may_not_make_one_digest(raw_dir: Path, content_dir: Path) -> None:
    copy = raw_dir / "003_0123456789abcdef.txt"
    copy.write_bytes(next(raw_dir.glob("003_3*.txt")).read_bytes())
    with pytest.raises(LitdigestError, match="digest '003' is also made by"):
        run_import(sorted(raw_dir.glob("*.txt")), content_dir)
    assert snapshot(content_dir) == {}


def test_the_same_file_twice_in_one_run_counts_once(raw_dir: Path, content_dir: Path) -> None:
    path = next(raw_dir.glob("003_*.txt"))
    report = run_import([path, path], content_dir)
    assert len(report.files) == 1
