"""content/: the data model, and the one reader and writer of the content folder (pages, site.yaml, the journal)."""
