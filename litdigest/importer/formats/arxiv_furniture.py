"""What arXiv pages print around their papers, as a browser copies it: the site's header, the
buttons and boxes of an abstract page, a listing's header and paging. A line that is exactly
such furniture is the page's own text, read and set aside; any other line is the paper's, a
digest author's, or reported as not placed."""

from __future__ import annotations

import re

# above an abstract page's subject line
HEAD = re.compile(
    r"^(?:Skip to main content|Search(?: arXiv)?|Press Enter to search.*|Advanced search|"
    r"Help \| Advanced Search|Cornell University|We gratefully acknowledge support from.*|"
    r"Donate!?|Log ?in|Submit|Help|close this message|arxiv logo.*|"
    r"arXiv is now an independent nonprofit!?.*|\([a-z-]+\)|arXiv:\S+(?: \([a-z-]+\))?)$",
    re.IGNORECASE)

# between an abstract page's subject line and its submission history
BODY = re.compile(
    r"^(?:View (?:a )?PDF(?!.*Abstract\s*:).*|HTML \(experimental\)|Focus to learn more|"
    r"arXiv-issued DOI via DataCite.*|[,;()\[\]|.]|\(or|\([a-z-]+\)|for this version\)|"
    r"\[[a-z-]+(?:\.[A-Z]{2})?\]|Other formats|TeX Source|view license)$", re.IGNORECASE)

_TAIL_WORDS = (
    r"Submission history|Full-text links:|Access Paper:|View (?:a )?PDF.*|HTML \(experimental\)|"
    r"TeX Source|Other Formats|view license|Current browse context:|< prev|next >|new|recent|"
    r"Change to browse by:|References & Citations|NASA ADS|Google Scholar|Semantic Scholar|DBLP|"
    r"- CS Bibliography|listing|bibtex|export BibTeX citation|Loading\.\.\.|BibTeX formatted citation|"
    r"Data provided by:|Bookmark|Bibliographic Tools|Bibliographic and Citation Tools|"
    r"Bibliographic Explorer|Connected Papers|Litmaps|scite(?:\.ai)?|scite Smart Citations|"
    r"Code, Data, Media|Code, Data and Media Associated with this Article|alphaXiv|"
    r"CatalyzeX Code Finder for Papers|DagsHub|Gotit\.pub|Hugging Face(?: Spaces)?|Huggingface|"
    r"ScienceCast|Demos|Replicate|Spaces|TXYZ\.AI|Related Papers|Recommenders and Search Tools|"
    r"Link to Influence Flower|Influence Flower|CORE Recommender|IArxiv Recommender|"
    r"Papers with Code|Links to Code|Author|Venue|Institution|Topic|About arXivLabs|view email|"
    r"Which authors of this paper are endorsers\?|Disable MathJax|"
    r"arXivLabs: experimental projects with community collaborators|"
    r"arXivLabs is a framework that allows collaborators .*|Both individuals and organizations .*|"
    r"Have an idea for a project that will add value for arXiv's community\?.*|"
    r"Learn more about arXivLabs\.?")
# below an abstract page's text: its boxes, toggles and the submission history's lines
TAIL = re.compile(
    rf"^(?:{_TAIL_WORDS}|.+ (?:Toggle|toggle)|\(?What (?:is|are) [^?]*\?\)?|"
    rf"(?:{_TAIL_WORDS}) \(What (?:is|are) [^?]*\?\)|[()|<>.×\]\[]|\d{{4}}-\d{{2}}|"
    r"[a-z-]+(?:\.[A-Za-z-]+)?|From: .*|\[v\d+\].*|"
    r"\w{3}, \d{1,2} \w{3} \d{4} [\d:]+ UTC \([\d,.]+ ?[KMG]?B\))$", re.IGNORECASE)

# a listing page's own lines, wherever they stand
LISTING = re.compile(
    r"^(?:Skip to main content|Search(?: arXiv)?|Submit|Donate|Log ?in|Help|Advanced search|"
    r"Press Enter to search.*|New submissions|Cross-lists|Replacements|See recent articles|"
    r"See today's new changes|Total of \d[\d,]* entries.*|Showing up to .*entries per page.*|"
    r"Showing \d[\d,]*[–-]\d[\d,]* of .*|fewer \| more \| all|Authors and titles for .*|"
    r"(?:\[?\d+-\d+\]?\s*)+|(?:New|Cross|Replacement) submissions \(showing .*\)|"
    r"Showing new listings for .*|Search v0\.\d.*|Searching in archive .*)$", re.IGNORECASE)
