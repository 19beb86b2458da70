"""import: raw digests in, merged paper, tag and digest pages in content/ out."""
