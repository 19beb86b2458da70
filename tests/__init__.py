"""litdigest's tests, one file per feature; the browser and validator judges in judges/, what the
tests share in helpers/ (imported as `tests.helpers.<module>`), pytest fixtures in conftest.py."""
