"""build: content/ and templates/ in, site/ out: library, site map, Markdown, templates, render, output."""
