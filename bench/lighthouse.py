"""Lighthouse on the example site: performance, accessibility, best practices and SEO of the home
page, a digest, a paper and the tag index, on a phone and on a laptop, with the font bytes a
first view downloads and the largest contentful paint.

    npm i -E lighthouse@12.2.3        # once, here (node_modules/ is not the project's)
    python bench/lighthouse.py        # or --lighthouse PATH/TO/lighthouse

It builds the example site into a temporary folder, serves it on loopback, runs Lighthouse in
Debian's Chromium (12.2.3 is the last Lighthouse that runs on the Node 20 here) and prints a
Markdown table. Scores are Lighthouse's 0-100; the performance score depends on the machine's
load, the other three do not.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from litdigest.build.pipeline import Options, build_site  # noqa: E402

PAGES = {"home": "", "digest": "digests/004-2024-12-19/",
         "paper": "papers/alignment-faking-in-large-language-models/", "tag index": "tags/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def audit(lighthouse: str, url: str, desktop: bool) -> dict[str, float]:
    """One Lighthouse run: the four scores, LCP in ms and font bytes transferred."""
    command = [lighthouse, url, "--chrome-path=/usr/bin/chromium", f"--chrome-flags={CHROME_FLAGS}",
               "--output=json", "--output-path=stdout", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}"]
    if desktop:
        command.append("--preset=desktop")
    report = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    found = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    found["lcp"] = report["audits"]["largest-contentful-paint"]["numericValue"]
    requests = report["audits"]["network-requests"]["details"]["items"]
    found["fonts"] = sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") == "Font")
    found["requests"] = len(requests)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", default=str(REPO / "node_modules" / ".bin" / "lighthouse"))
    args = parser.parse_args()
    lighthouse = args.lighthouse if Path(args.lighthouse).exists() else shutil.which("lighthouse")
    if lighthouse is None:
        print("lighthouse not found: run `npm i -E lighthouse@12.2.3` here, or pass --lighthouse")
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        build_site(REPO / "content", REPO / "templates", site, Options(use_cache=False))
        server, base = serve(site)
        try:
            print("| page | device | performance | accessibility | best practices | SEO "
                  "| LCP ms | font bytes | requests |")
            print("|---|---|---|---|---|---|---|---|---|")
            for name, path in PAGES.items():
                for device in ("phone", "laptop"):
                    found = audit(lighthouse, base + path, desktop=device == "laptop")
                    scores = " | ".join(str(found[c]) for c in CATEGORIES)
                    print(f"| {name} | {device} | {scores} | {found['lcp']:.0f} | "
                          f"{found['fonts']:,.0f} | {found['requests']:.0f} |", flush=True)
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
