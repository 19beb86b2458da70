#!/usr/bin/env python3
"""`python build.py [COMMAND]`: the litdigest command line; with no command, builds the site."""

from litdigest.cli import run

if __name__ == "__main__":
    run()
