"""The shortcuts the build takes give exactly what the slow road gives: front matter without the
YAML parser, plain prose without the Markdown parser, linkify's cheap first look, memoized
MathML, interface labels folded at compile time, `{{ … }}` escaped in one call."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from linkify_it import LinkifyIt

from tests.helpers.corpus import write_corpus
from tests.helpers.paths import CONTENT
from litdigest.build.theme import Templates
from litdigest.content import frontmatter as fm
from litdigest.content.pages import paper_text
from litdigest.build.markdown import _may_hold_link, make_markdown, parse_body, render_body
from litdigest.build.plain_prose import plain_paragraphs
from litdigest.content.pages import parse_paper
from litdigest.content.model import Commentary, Paper
from litdigest.build.jinja_env import escaped_output, interface_label, make_environment, printable
from markupsafe import Markup, escape

# ---- front matter ------------------------------------------------------------------------------

WORD = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
TRICKY = st.sampled_from(["yes", "No", "null", "~", "true", "on", "10", "0x1f", "1_000", "1:20",
                          "2024-01-02", "2024-1-2", "1e3", ".5", "-a", "a: b", "a:", "a #b", "#a",
                          "[a]", "{a}", '"', "'", "a,b", " a", "a ", "\t", "\\", "\\u00e9", "\\x41",
                          "é", "한국어", "\u2028", "\x85", "\ufeff", "a\u3000b", "_a", "<<", "="])
SCALAR = st.one_of(WORD, TRICKY)
PRINTABLE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                    max_size=12)  # what paper_text can write at all


def quoted(text: str) -> str:
    return fm.quoted(text)


VALUE = st.one_of(
    SCALAR,
    SCALAR.map(quoted),
    st.lists(st.one_of(SCALAR, SCALAR.map(quoted)), max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
    st.lists(st.tuples(SCALAR, SCALAR.map(quoted)), max_size=3).map(
        lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
    st.sampled_from(["null", "true", "false", "2024-12-19", "2024-02-30", "[]", "{}", "[a,b]",
                     "[a , b]", "[a, b, ]", '"x" ', '"a"b'])
)
KEY = st.one_of(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), TRICKY)
LINE = st.tuples(KEY, VALUE).map(lambda kv: f"{kv[0]}: {kv[1]}")


def yaml_or_error(source: str) -> object:
    try:
        return yaml.load(source, Loader=fm.Loader)
    except (yaml.YAMLError, ValueError) as err:
        return type(err)


def same(fast: object, slow: object) -> bool:
    """Equal, and of the same types all the way down (1 == True, but not for YAML)."""
    if type(fast) is not type(slow):
        return False
    if isinstance(fast, dict):
        return fast.keys() == slow.keys() and all(same(fast[k], slow[k]) for k in fast)  # type: ignore[union-attr, index]
    if isinstance(fast, list):
        return len(fast) == len(slow) and all(map(same, fast, slow))  # type: ignore[arg-type]
    return fast == slow


@settings(max_examples=1500, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=6))
@example(["id: arxiv:2410.14940", 'title: "A \\"quoted\\" title"', "authors: [Aldo Pareja, 한국]",
          "date: 2024-12-19", "tags: [alignment]", 'links: {arxiv: "https://arxiv.org/abs/1"}',
          "digests: [004-2024-12-19]", "venue: null", "title_derived: false"])
def test_fast_front_matter_reads_as_yaml_does(lines: list[str]) -> None:
    source = "\n".join(lines)
    fast = fm.fast_load(source)
    if fast is not None:
        assert same(fast, yaml_or_error(source)), source


@settings(max_examples=300, deadline=None)
@given(st.builds(
    Paper, id=PRINTABLE.filter(bool), slug=st.just("s"), title=PRINTABLE, title_derived=st.booleans(),
    authors=st.lists(PRINTABLE, max_size=3).map(tuple),
    date=st.one_of(st.none(), st.dates().map(dt.date.isoformat),
                   st.from_regex(r"\A(19|20)\d\d(-(0[1-9]|1[0-2]))?\Z")),
    tags=st.lists(PRINTABLE, max_size=3).map(tuple), venue=st.one_of(st.none(), PRINTABLE),
    links=st.lists(st.tuples(PRINTABLE.filter(bool), PRINTABLE), max_size=2).map(tuple),
    digests=st.lists(PRINTABLE, max_size=2).map(tuple)))
def test_pages_litdigest_writes_read_back_the_same_either_way(paper: Paper) -> None:
    source = paper_text(paper).split("\n---\n")[0].removeprefix("---\n")
    fast = fm.fast_load(source)
    if fast is not None:
        assert same(fast, yaml_or_error(source))


def test_the_fast_path_takes_the_common_pages(tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus = write_corpus(tmp_path / "content")
    pages = sorted((CONTENT / "papers").glob("*.md")) + sorted((corpus / "papers").glob("*.md"))
    for page in pages:
        source = page.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n")
        fast = fm.fast_load(source)
        assert fast is not None, page
        assert same(fast, yaml_or_error(source)), page


# ---- plain prose --------------------------------------------------------------------------------

# Pieces of a body: plain words (Korean, quotes, punctuation) and everything that could make any
# of it Markdown, or make one part reach into the next: fences, math blocks, containers, lists,
# references used across parts, entities, hard breaks, odd spaces and line ends.
PIECE = st.sampled_from([
    "word", "모델을", "학습", "\"quoted\"", "it's", "(a, b)", "e.g.", "1.5", "2024", "a-b", "x: y", "#3",
    "%", "@", "{}", "^", "+", "!", "=", "?", "…", "\n", "\n", "\n\n", "\n\n\n", " ", "  \n", " \n",
    "\t", "\r\n", "\u00a0", "\u3000", "\x00", "*a*", "_a_", "`c`", "~~s~~", "$x^2$", "$$\nx\n$$", "$$", "$", "$a", "b$", "2$",
    "\\$", "<b>", "&amp;", "&", "[a]", "[a]: https://example.org", "![i](https://x.org/i.png)",
    "\n```\n", "\n~~~\n", "\n:::\n", "\n::: note\n", "\n- item", "\n* item", "\n+ item",
    "\n1. one", "\n2) two", "\n> quote", "\n# head", "\n===", "\n---", "\n    code",
    "\n| a | b |\n|---|---|", "www.example.org", "https://example.org", "a.com", "x@y.org",
])
BODY_TEXT = st.lists(PIECE, max_size=14).map(" ".join)
LANG = st.sampled_from(["ko", "en", "ja", "zh-Hant", "x y", ""])


@settings(max_examples=3000, deadline=None)
@given(BODY_TEXT, st.lists(st.tuples(LANG, BODY_TEXT), max_size=3))
@example("Plain words.\n\nA second paragraph.", [("ko", "한국어 코멘트.\n\n둘째 단락."), ("en", "Said \"so\".")])
@example("Abstract with $x^2$ math.", [("en", "Plain.")])
@example("```\nleft open", [("en", "Plain.")])
@example("- a list\n\n- loose", [("ko", "끝.")])
@example("See [a].", [("en", "Plain.\n\n[a]: https://example.org")])
@example("Math $a\n- item b$ across a list item.", [])
def test_plain_prose_renders_as_markdown_it_renders_it(abstract: str, blocks: list[tuple[str, str]]) -> None:
    md = make_markdown()
    paper = Paper(id="x", slug="x", title="x", abstract=abstract,
                  commentary=tuple(Commentary(lang, text) for lang, text in blocks))
    assert render_body(md, paper) == parse_body(md, paper)


def test_every_example_and_corpus_body_renders_the_same_either_way(tmp_path: Path) -> None:
    md = make_markdown()
    corpus = write_corpus(tmp_path / "content")
    pages = sorted((CONTENT / "papers").glob("*.md")) + sorted((corpus / "papers").glob("*.md"))
    plain = 0
    for page in pages:
        paper = parse_paper(page.read_text(encoding="utf-8"), page)
        assert render_body(md, paper) == parse_body(md, paper), page
        plain += sum(plain_paragraphs(block.text) is not None for block in paper.commentary)
    assert plain > len(pages)  # most commentary takes the shortcut


# ---- linkify's first look ----------------------------------------------------------------------

LINKY = st.lists(st.sampled_from(list("ab.:/@wWxX-15 \n_>|ＬLoOcChHsStTpPfFſKıiIm") + ["рф", "www", "com"]),
                 max_size=30).map("".join)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(LINKY, st.text(max_size=40)))
@example("WWW. x")
@example("LOCALHOST")
@example("a.рф b")
@example("x.com_")
@example("MAıLTO:a")
@example("an 1.2.3.4 address")
@example("alpha = 0.5$ and e.g. this")
def test_the_first_look_never_misses_what_linkify_would_consider(text: str) -> None:
    if LinkifyIt().pretest(text):
        assert _may_hold_link(text), text


def test_bare_links_are_still_linked() -> None:
    md = make_markdown()
    paper = Paper(id="x", slug="x", title="x",
                  abstract="Code at https://github.com/a/b, www.example.com and example.org.")
    html = render_body(md, paper).abstract_html
    assert html.count("<a href=") == 3


# ---- math ---------------------------------------------------------------------------------------

def test_memoized_math_is_the_same_math() -> None:
    text = "Both $x^2$ and $x^2$ again, then $$x^2$$ and $\\frac{a}{b}$ and $\\badmacro{$."
    paper = Paper(id="x", slug="x", title="x", abstract=text,
                  commentary=(Commentary("en", "Also $x^2$."),))
    first = render_body(make_markdown(), paper)
    again = render_body(make_markdown(), paper)
    assert first == again
    assert re.search(r'<math display="inline">.*</math>', first.abstract_html)
    assert first.abstract_html.count("<math") >= 3


# ---- interface labels ---------------------------------------------------------------------------

LABELS = """{{ t("피드", "Feed") }}|{{ t(ko, "Page") }}|{% if t("둘 다", "Both") %}yes{% endif %}"""


def test_literal_labels_are_folded_into_the_compiled_template(tmp_path: Path) -> None:
    env = make_environment(Templates(tmp_path))
    code = env.compile(LABELS, raw=True)
    assert '<span class="i18n" lang="en">Feed</span>' in code  # written as text: no call left
    assert "'피드'" not in code and "'Page'" in code  # a label made of a variable is still called
    folded = env.from_string(LABELS).render(ko="쪽")
    assert folded == (f"{interface_label('피드', 'Feed')}|{interface_label('쪽', 'Page')}|yes")


def test_a_template_with_its_own_t_is_left_alone(tmp_path: Path) -> None:
    env = make_environment(Templates(tmp_path))
    source = """{% set t = "mine" %}{{ t }}""" + """{% macro m(t) %}{{ t }}{% endmacro %}{{ m(1) }}"""
    assert env.from_string(source).render() == "mine1"
    shadowed = """{% for t in ["a"] %}{{ t }}{% endfor %}{{ t("피드", "Feed") }}"""
    assert env.from_string(shadowed).render().startswith("a<span")
    (tmp_path / "_own.html").write_text("""{% macro t(a, b) %}[{{ a }}/{{ b }}]{% endmacro %}""")
    imported = """{% from "_own.html" import t %}{{ t("피드", "Feed") }}"""
    assert env.from_string(imported).render() == "[피드/Feed]"
    aliased = """{% from "_own.html" import t as u %}{{ u("a", "b") }}{{ t("피드", "Feed") }}"""
    assert env.from_string(aliased).render() == f"[a/b]{interface_label('피드', 'Feed')}"


# ---- escaping what `{{ … }}` writes ---------------------------------------------------------------

@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="&<>'\"a\x00\x7f\u2028\ufffe한 \n"),
                 st.integers(), st.none(), st.text().map(Markup)))
def test_one_call_escapes_as_markupsafe_after_printable(value: object) -> None:
    assert str(escaped_output(value)) == str(escape(printable(value)))


def test_templates_write_values_through_the_one_call(tmp_path: Path) -> None:
    env = make_environment(Templates(tmp_path))
    code = env.compile("{{ a }}{% autoescape false %}{{ b }}{% endautoescape %}", raw=True)
    assert "environment.output(" in code and "escape(environment.finalize(" not in code
    assert env.from_string("{{ a }}|{{ b }}").render(a="<'&\">", b=Markup("<i>")) == "&lt;&#39;&amp;&#34;&gt;|<i>"
