"""build: content/ and templates/ in, site/ out: library, the site's pages, Markdown, templates, render, output."""
