"""The judges: the built site as real clients see it (HTML validator, crawler, axe-core, Chromium)."""
