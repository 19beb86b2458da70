"""litdigest: turn raw literature digests into a bilingual static site."""

__version__ = "0.1.0"
