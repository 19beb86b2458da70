"""check: validate content/ and the links of the built site."""
