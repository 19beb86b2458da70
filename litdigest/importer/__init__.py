"""import: raw digests in, merged paper, tag and digest pages in content/ out.

`run.py` runs the stage (`run_import`): `raw.py` reads and parses the raw files with `formats/`
(one module per raw format); `listings.py` and `titles.py` turn a raw paper into a page;
`store.py` holds content/ during the import, finding pages with `matching.py` and merging into
them with `merge.py`; `state.py` is what the importer last wrote; `report.py` what it tells.
`clean.py` cleans text, `identity.py` makes ids, slugs and names.
"""
