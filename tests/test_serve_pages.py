"""serve previews a site as GitHub Pages serves it: under its base URL's path, a folder named
without its slash redirected, a name without `.html` served as that file, and every unknown URL
answered with the site's own 404 page. A real `litdigest serve` on a free loopback port, asked
over raw HTTP (the browser's view of the 404 page is in judges/test_serve_in_browser.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.serving import Served, serving

NOTES = "https://user.github.io/notes/"


@pytest.fixture
def project(tmp_path: Path, content_copy: Path) -> Path:
    """The example content in a folder of its own (the theme is the package's)."""
    return tmp_path


def a_paper(project: Path) -> str:
    return sorted((project / "content" / "papers").glob("*.md"))[0].stem


def location(answer: bytes) -> str:
    """The Location header of a raw HTTP answer."""
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"location":
            return value.strip().decode()
    raise AssertionError(f"no Location in {answer[:300]!r}")


def body(answer: bytes) -> bytes:
    return answer.split(b"\r\n\r\n", 1)[1]


def not_found_page(project: Path) -> bytes:
    """The built 404 page after its head (where the preview adds the reload's script)."""
    return (project / "site" / "404.html").read_bytes().split(b"</head>")[1]


def test_a_site_with_a_path_is_previewed_under_it(project: Path) -> None:
    paper = a_paper(project)
    with serving(project, "--base-url", NOTES) as served:
        assert served.url == f"http://127.0.0.1:{served.port}/notes/"
        home, page = served.get(b"/notes/"), served.get(f"/notes/papers/{paper}/".encode())
        same_file = served.get(f"/notes/papers/{paper}/index.html".encode())
        feed = served.get(b"/notes/feed.xml")
    assert home[0] == page[0] == same_file[0] == feed[0] == 200
    assert body(page[1]) == body(same_file[1])
    assert (project / "site" / "papers" / paper / "index.html").read_bytes().split(b"</head>")[1] \
        in body(page[1])
    # built for the preview: the feed's links lead back to it, not to the published site
    assert f"http://127.0.0.1:{served.port}/notes/papers/{paper}/".encode() in body(feed[1])
    assert b"user.github.io" not in body(feed[1])


def test_folders_without_their_slash_are_redirected_as_pages_does(project: Path) -> None:
    paper = a_paper(project)
    with serving(project, "--base-url", NOTES) as served:
        answers = {target: served.get(target.encode())
                   for target in ("/notes", "/notes/papers", f"/notes/papers/{paper}", "/")}
        html_named = served.get(b"/notes/404")  # Pages serves x.html for x
    for target in ("/notes", "/notes/papers", f"/notes/papers/{paper}"):
        status, answer = answers[target]
        assert status == 301, (target, answer[:200])
        assert location(answer).endswith(target + "/")
    status, answer = answers["/"]
    assert status == 302 and location(answer).endswith("/notes/")  # never kept by a browser
    assert html_named[0] == 200


UNKNOWN = ["/notes/nothing", "/notes/a/b/c/nothing", "/elsewhere", "/elsewhere/a/b/",
           "/notes/papers/no-such-paper/", "/notes/static/nothing.css", "/note", "/notesx/",
           "/notes/feed.xml/", "/notes/index.html/"]  # a file is no folder, as on Pages


def test_unknown_urls_at_any_depth_get_the_sites_404_page(project: Path) -> None:
    with serving(project, "--base-url", NOTES) as served:
        answers = {target: (served.get(target.encode()), served.get(target.encode(), b"HEAD"))
                   for target in UNKNOWN}
    page = not_found_page(project)
    for target, ((status, answer), (head_status, head_answer)) in answers.items():
        assert status == 404 and head_status == 404, target
        assert page in body(answer), target
        assert b'href="/notes/static/style.css"' in body(answer)  # its links work at any depth
        assert body(head_answer) == b""


def test_refused_urls_keep_their_plain_answers_under_the_path(project: Path) -> None:
    (project / "secret.txt").write_text("SECRET beside site/\n")
    with serving(project, "--base-url", NOTES) as served:
        answers = {target: served.get(target) for target in (
            b"/notes/%00", b"/notes/a\x00b", b"/notes/../secret.txt",
            b"/notes/%2e%2e/secret.txt", b"/notes/..%2fsecret.txt", b"/notes//etc/passwd",
            b"/%2e%2e/secret.txt", b"//etc/passwd", b"/elsewhere/../../secret.txt",
            b"/notes/./papers/")}
    page = not_found_page(project)
    for target, (status, answer) in answers.items():
        assert status in (400, 404), (target, answer[:300])
        assert b"SECRET" not in answer and b"root:" not in answer, target
        assert page not in answer, target  # the server's plain answer: the URL names no file
    assert "Traceback" not in served.stderr()


def test_a_site_at_the_root_is_served_at_the_root(project: Path) -> None:
    paper = a_paper(project)
    with serving(project, "--base-url", "https://example.org/") as served:
        assert served.url == f"http://127.0.0.1:{served.port}/"
        answers = {target: served.get(target.encode()) for target in (
            "/", f"/papers/{paper}/", f"/papers/{paper}", "/a/b/c/nothing", "/livereload.js")}
    assert answers["/"][0] == answers[f"/papers/{paper}/"][0] == answers["/livereload.js"][0] == 200
    assert answers[f"/papers/{paper}"][0] == 301
    assert location(answers[f"/papers/{paper}"][1]).endswith(f"/papers/{paper}/")
    status, answer = answers["/a/b/c/nothing"]
    assert status == 404 and b'href="/static/style.css"' in body(answer)


def test_site_yamls_base_url_gives_the_path_and_the_command_line_overrides_it(
        project: Path) -> None:
    site_yaml = project / "content" / "site.yaml"
    site_yaml.write_text('base_url: "https://someone.github.io/reading/"\n')
    with serving(project) as served:
        assert served.url.endswith(f":{served.port}/reading/")
        assert served.get(b"/reading/")[0] == 200
    with serving(project, "--base-url", NOTES) as served:
        assert served.get(b"/notes/")[0] == 200
        assert served.get(b"/reading/")[0] == 404


def test_a_base_url_that_is_not_a_web_address_is_refused(project: Path) -> None:
    served = Served(project, 1, "--base-url", "user.github.io/notes")
    assert served.process.wait(timeout=30) == 2
    assert "--base-url" in served.stderr() and "Traceback" not in served.stderr()
    assert not (project / "site").exists()


def test_the_preview_keeps_the_path_and_takes_the_local_address(tmp_path: Path) -> None:
    from litdigest.serve.preview_url import PreviewUrl, preview_url

    assert preview_url(tmp_path, NOTES, "127.0.0.1", 8000) == \
        PreviewUrl("http://127.0.0.1:8000/notes/", "/notes/")
    assert preview_url(tmp_path, "https://example.org/a/b", "::1", 8001) == \
        PreviewUrl("http://[::1]:8001/a/b/", "/a/b/")
    assert preview_url(tmp_path, "https://example.org", "localhost", 80).path == "/"
    assert preview_url(tmp_path, None, "127.0.0.1", 8000).path == "/"  # no site.yaml: the default
