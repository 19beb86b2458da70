"""What the tests share, imported as `tests.helpers.<module>`; pytest fixtures are in conftest.py."""
