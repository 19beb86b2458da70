"""The promise of bounded cost, at the Markdown: rendering is linear in the text however it is
made, so no abstract or commentary can stall a build.

The linkifier and the math were quadratic (a 90 KB run of `http://a.` took 18 s): markdown-it
looked for a scheme in all the text since the last token and handed linkify-it the rest of the
source at every `://`; linkify-it looked for a bracket's closer to the end of the text at every
candidate link; latex2mathml is quadratic in a formula of nested `\\text{`. Now a link is at
most LONGEST_LINK characters, a run without a space longer than that holds none, and a formula
longer than LONGEST_MATH shows as its TeX. These shapes each took seconds to minutes before
(see the note of the change); they must simply complete here, and ordinary links still link.
"""

from __future__ import annotations

import pytest

from litdigest.build.markdown import LONGEST_LINK, make_markdown, render_body
from litdigest.build.mathml import LONGEST_MATH
from litdigest.content.model import Paper

SIZE = 90_000


def rendered(markdown: str) -> str:
    paper = Paper(id="", slug="", title="", abstract=markdown)
    return render_body(make_markdown(), paper).abstract_html


def repeated(unit: str, size: int = SIZE) -> str:
    return unit * (size // len(unit))


def in_words(unit: str, size: int = SIZE) -> str:
    """The unit repeated in runs just short of LONGEST_LINK, parted by spaces."""
    word = repeated(unit, LONGEST_LINK - 8)
    return " ".join([word] * (size // len(word)))


@pytest.mark.parametrize("text", [
    pytest.param(repeated("http://a."), id="http://a. run"),
    pytest.param(repeated("://"), id=":// run"),
    pytest.param(repeated("http://a/["), id="http://a/[ run"),
    pytest.param(repeated("http://a/("), id="http://a/( run"),
    pytest.param(repeated("a.com/["), id="a.com/[ run"),
    pytest.param(repeated("a.com/("), id="a.com/( run"),
    pytest.param(in_words("http://a/["), id="http://a/[ words"),
    pytest.param(in_words("a.com/["), id="a.com/[ words"),
    pytest.param(in_words("http://a."), id="http://a. words"),
    pytest.param("$" + repeated("\\text{") + "$", id="one formula of \\text{"),
    pytest.param(repeated("$"), id="$ run"),
    pytest.param(repeated("$a"), id="$a run"),
    pytest.param(repeated("["), id="[ run"),
    pytest.param(repeated("*a"), id="*a run"),
    pytest.param(repeated("|a|\n"), id="table lines"),
])
def test_hostile_text_renders(text: str) -> None:
    assert len(rendered(text)) >= len(text)  # it completes, and every character shows


def test_ordinary_links_still_link_beside_a_hostile_run() -> None:
    html = rendered(repeated("http://a.", 20_000) + " see https://example.org/a_(b)?q=1, "
                    "www.example.com and mail@example.org.")
    assert '<a href="https://example.org/a_(b)?q=1">example.org/a_(b)?q=1</a>,' in html
    assert '<a href="http://www.example.com">example.com</a>' in html  # bare links read short
    assert '<a href="mailto:mail@example.org">mail@example.org</a>.' in html


def test_a_link_longer_than_the_longest_stays_text() -> None:
    path = "x" * LONGEST_LINK
    assert "<a " not in rendered(f"see https://example.org/{path} here")
    assert "<a " not in rendered(f"see www.example.org/{path} here")
    fits = "x" * (LONGEST_LINK - 100)
    assert f'<a href="https://example.org/{fits}">' in rendered(f"https://example.org/{fits} x")
    assert f'<a href="http://www.example.org/{fits}">' in rendered(f"www.example.org/{fits} x")


def test_a_formula_longer_than_the_longest_shows_as_its_tex() -> None:
    tex = "x+" * (LONGEST_MATH // 2) + "y"
    source = f'<code class="math-source">{tex}</code>'
    assert rendered(f"${tex}$").strip() == f'<p><span class="math inline">{source}</span></p>'
    assert "<math" in rendered(f"${tex[-LONGEST_MATH:]}$")


def test_a_bracketed_part_of_a_link_is_bounded() -> None:
    assert '<a href="https://en.wikipedia.org/wiki/A_(b)">' in rendered(
        "https://en.wikipedia.org/wiki/A_(b) is a link")
    long_part = "(" + "b" * 300 + ")"
    assert '<a href="https://example.org/a">' in rendered(f"https://example.org/a{long_part} x")
