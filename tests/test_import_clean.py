"""Text cleaning, derived titles and the names import gives to things (ids, slugs, tags, digests)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litdigest.importer import clean
from litdigest.importer import identity as ids

# ---- LaTeX-isms -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, markdown", [
    (r"a new topic, \textit{data proportion detection}, which", "a new topic, *data proportion detection*, which"),
    (r"\emph{x} and \textbf{y}", "*x* and **y**"),
    (r"\textbf{\textit{both}}", "***both***"),
    ("the ``multiple circuits hypothesis'' might", "the \u201cmultiple circuits hypothesis\u201d might"),
    ("large language models~(LLMs) for", "large language models (LLMs) for"),
    ("see Figure~2 and Table~1", "see Figure 2 and Table 1"),
    ("up to ~1.7x speedups", "up to ~1.7x speedups"),
    ("10~20 steps", "10~20 steps"),
    (r"relies on stronger LLMs (\eg GPT-4) to", "relies on stronger LLMs (e.g. GPT-4) to"),
    (r"a smaller LLM (\ie, the student)", "a smaller LLM (i.e., the student)"),
    (r"repository: \url{https://github.com/x/PET_Scaling}.", "repository: <https://github.com/x/PET_Scaling>."),
    (r"by 10\% and 1.3\%, R\&D, a\_b, \#1", "by 10% and 1.3%, R&D, a_b, #1"),
    ("spaces   collapse  \t here  ", "spaces collapse here"),
])
def test_latex_commands_and_escapes_become_markdown(raw: str, markdown: str) -> None:
    assert clean.clean_markdown(raw) == markdown


def test_math_is_left_untouched() -> None:
    text = r"best-of-$n$ with $\mathcal{O}(n~\log n)$ and $10\%$, not 10\% outside"
    assert clean.clean_markdown(text) == r"best-of-$n$ with $\mathcal{O}(n~\log n)$ and $10\%$, not 10% outside"


def test_clean_plain_drops_emphasis() -> None:
    assert clean.clean_plain(r"\textit{Foo}: a \textbf{Bar}") == "Foo: a Bar"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_cleaning_is_stable(text: str) -> None:
    once = clean.clean_markdown(text)
    assert once == once.strip()
    assert "  " not in once


# ---- sentences and shortening ---------------------------------------------------------------------------


def test_sentences_do_not_break_after_abbreviations() -> None:
    text = "Models (e.g. GPT-4) work. They use i.e. Things. Smith et al. Found it. Last one"
    assert clean.sentences(text) == ["Models (e.g. GPT-4) work.", "They use i.e. Things.",
                                     "Smith et al. Found it.", "Last one"]


def test_shorten_cuts_at_a_word_boundary() -> None:
    long = "Large language models (LLMs) have demonstrated exceptional performance across a wide range"
    short = clean.shorten(long)
    assert short == "Large language models (LLMs) have demonstrated exceptional performance across\u2026"
    assert len(short) <= 80
    assert clean.shorten("Short enough") == "Short enough"


# ---- derived titles --------------------------------------------------------------------------------


@pytest.mark.parametrize("abstract, title", [
    ("Background here. We introduce Baichuan Alignment, a detailed analysis.", "Baichuan Alignment"),
    ("Stuff. This paper presents Malleus, a framework.", "Malleus"),
    ("Stuff. To facilitate this, we introduce an approach, BUTTON, which generates data.", "BUTTON"),
    ("Stuff. In this paper, we propose the \u201cAdaptive Message-wise RLHF\u201d method, which works.",
     "Adaptive Message-wise RLHF"),
    ("Stuff. In this paper, we introduce a new LLM distillation framework called DDK, which adjusts.", "DDK"),
    ("Stuff. This paper introduces a communication-driven solution, namely the C4. The key.", "C4"),
    ("Stuff. We propose to investigate the Scaling Law of the Domain-specific Continual Pre-Training "
     "(D-CPT Law) to decide.", "D-CPT Law"),
    ("Stuff. SOTA models introduce DNN modules to improve. We propose a novel framework named PICASSO to "
     "accelerate training.", "PICASSO"),
    ("Stuff. We then present a Gaussian-decayed gradient-assisted Contrastive Sentence Embedding (GCSE) model.",
     "GCSE"),
    ("Stuff. To address it, we have developed a universal paradigm (UniMed) that supports tasks.", "UniMed"),
    ("Stuff. We propose a method for large language models (LLMs) that works (MeTh).", "MeTh"),
])
def test_the_method_name_becomes_the_title(abstract: str, title: str) -> None:
    assert clean.derive_title(abstract) == title


@pytest.mark.parametrize("abstract, title", [
    ("Mixture-of-Experts (MoE) models can achieve results. Furthermore, we take a step forward to propose a "
     "simple method called expert prototyping that splits experts.",
     "Mixture-of-Experts (MoE) models can achieve results"),
    ("Short first sentence. In this paper, we introduce a new topic, data proportion detection, which helps.",
     "Short first sentence"),
    ("Other models introduce DNN modules to improve accuracy. Nothing is proposed here.",
     "Other models introduce DNN modules to improve accuracy"),
])
def test_without_a_name_the_first_sentence_becomes_the_title(abstract: str, title: str) -> None:
    assert clean.derive_title(abstract) == title


# ---- ids, slugs, tags, digests ------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["arXiv:2410.14940", "arXiv:2410.14940v2", "https://arxiv.org/abs/2410.14940",
                                    "http://arxiv.org/abs/2410.14940v3", "arxiv.org/pdf/2410.14940v1.pdf"])
def test_arxiv_markers_give_the_bare_number(marker: str) -> None:
    assert ids.arxiv_id(marker) == "2410.14940"
    assert ids.paper_id(arxiv=ids.arxiv_id(marker)) == "arxiv:2410.14940"


def test_paper_ids_prefer_arxiv_then_doi_then_title_then_abstract() -> None:
    assert ids.paper_id(arxiv="2410.14940", doi="10.1/x", title="T") == "arxiv:2410.14940"
    assert ids.paper_id(doi=ids.doi_id("https://doi.org/10.1145/ABC.1"), title="T") == "doi:10.1145/abc.1"
    by_title = ids.paper_id(title="Alignment faking in large language models")
    assert by_title == ids.paper_id(title="  Alignment Faking in Large Language Models! ")
    assert by_title.startswith("title:") and len(by_title) == 18
    derived = ids.paper_id(title="DDK", title_derived=True, abstract="Some abstract.")
    assert derived == ids.paper_id(title="Other", title_derived=True, abstract="some  abstract")
    assert derived.startswith("abstract:")


def test_slugs_are_ascii_short_and_unique() -> None:
    slug = ids.paper_slug("Unveiling the Secret Recipe: A Guide For Supervised Fine-Tuning Small LLMs",
                          "title:x", set())
    assert slug == "unveiling-the-secret-recipe-a-guide-for-supervised-fine"
    assert len(slug) <= 60
    assert ids.paper_slug("Malleus", "a", {"malleus"}) == "malleus-2"
    assert ids.paper_slug("Malleus", "a", {"malleus", "malleus-2"}) == "malleus-3"
    assert ids.paper_slug("강화학습", "title:abc", set()).isascii()
    assert ids.paper_slug("???", "title:abc123", set()) == "paper-abc123"


@pytest.mark.parametrize("written, name", [
    ("#video-generation", "video-generation"), ("Large Language Model", "large-language-model"),
    ("#강화학습", "강화학습"), ("Vision_Language", "vision-language"), ("nul", "nul-tag"),
    ("../../etc", "etc"),
])
def test_written_tags_become_safe_tag_names(written: str, name: str) -> None:
    assert ids.tag_name(written) == name


@pytest.mark.parametrize("raw, date, digest", [
    ("000_beb79d89408d957d.txt", None, "000"), ("004_3611374432c9d306.txt", "2024-12-19", "004-2024-12-19"),
    ("my notes.md", None, "my-notes"), ("../../evil.txt", None, "evil"), ("con.txt", None, "con-digest"),
    ("\x00.txt", None, "digest"),
    ("2024-12-19.txt", "2024-12-19", "2024-12-19"), ("notes-2024-12-19.md", "2024-12-19", "notes-2024-12-19"),
    ("2024-12-19.txt", "2024-12-20", "2024-12-19-2024-12-20"),
])
def test_digest_ids_come_from_the_file_name_and_the_date(raw: str, date: str | None, digest: str) -> None:
    assert ids.digest_id(raw, date) == digest


@given(st.text(max_size=120))
def test_names_never_escape_content(text: str) -> None:
    for name in (ids.tag_name(text), ids.digest_id(text), ids.paper_slug(text, "title:abc", set())):
        assert "/" not in name and "\\" not in name and "\x00" not in name and ".." not in name
        assert name == "" or ids.is_safe_name(name)
