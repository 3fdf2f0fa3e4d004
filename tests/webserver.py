"""A real HTTP server on 127.0.0.1 serving article pages written for the tests, redirects,
slow responses and error codes; it runs in a thread so both async code and subprocesses can
fetch from it."""

from __future__ import annotations

import functools
import gzip
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Bridge closure angers commuters | Valley Courier</title>
<meta property="og:site_name" content="Valley Courier">
<meta name="author" content="Ines Moreau">
<meta property="article:published_time" content="2023-05-09T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Bridge closure angers commuters</h1>
<p>The river bridge at Holloway will close for eighteen months from June, the county said on
Monday, forcing thousands of commuters onto a ferry and a long detour through the hills.</p>
<p>"Nobody asked the people who cross it twice a day," said Agnes Whitlow, who chairs the
Holloway residents' association.</p>
<p>Whitlow said the county had ignored a petition signed by four thousand people.</p>
<p>County engineers say the bridge's steel has corroded faster than expected.</p>
</article><footer>© Valley Courier. All rights reserved.</footer></body></html>"""

NAVIGATION_ONLY = """<!DOCTYPE html><html><head><title>Index</title></head><body>
<nav><a href="/a">Home</a> <a href="/b">World</a> <a href="/c">Sport</a></nav>
<footer>Contact us</footer></body></html>"""

LATIN1_HTML = """<!DOCTYPE html><html><head><title>Café terraces return</title></head><body>
<article><h1>Café terraces return</h1>
<p>The cafés of the old town may put their tables on the pavement again from Friday, the
council decided after a long debate about noise, rubbish and the rights of residents.</p>
<p>"Les terrasses sont l'âme du quartier," said Hélène Dubois, who runs a café on the square.</p>
</article></body></html>"""

TEXT_ARTICLE = """Library opens on Sundays

The city library will open on Sundays from next month, its director said on Tuesday.

"Reading does not stop at the weekend," said Omar Haddad, the library's director.
"""

BROKEN_HTML = (
    "<html><head><title>Flood warning lifted</title><body><article><h1>Flood warning lifted"
    "<p>The flood warning for the lower valley was lifted on Sunday after the river fell below "
    "the danger mark for the first time in a week, the water authority <b>said in a statement"
    '<p>"The worst is over for now," said Pavel Novak, the authority\'s spokesman, adding that'
    " crews would inspect the dikes</div></span"
)


# A page near the 5 MB cap in a code page that needs detecting (Windows-1251): about a second
# of charset-normalizer's work.
RUSSIAN_PAGE = (
    "Совет одобрил бюджет\n\n"
    + "«Мы не можем ждать ещё год», — сказала Анна Петрова, глава комиссии по дорогам. " * 60_000
).encode("cp1251")[: 5 * 1024 * 1024 - 1024]

BOMB_BYTES = 200 * 1024 * 1024  # what /bomb.html inflates to


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


@functools.cache
def bomb() -> bytes:
    """200 MB of spaces, gzipped twice: about 1 KB on the wire. Made in 1 MB steps, so making
    it does not take the memory it inflates to."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b" " * (1024 * 1024)
    inner = b"".join(packer.compress(block) for _ in range(BOMB_BYTES // len(block)))
    return gzipped(inner + packer.flush())


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        routes = {
            "/article.html": lambda: self._send(
                200, ARTICLE_HTML.encode(), "text/html; charset=utf-8"
            ),
            "/broken.html": lambda: self._send(200, BROKEN_HTML.encode(), "text/html"),
            "/nav.html": lambda: self._send(200, NAVIGATION_ONLY.encode(), "text/html"),
            "/latin1.html": lambda: self._send(
                200, LATIN1_HTML.encode("latin-1"), "text/html; charset=iso-8859-1"
            ),
            "/latin1-undeclared.html": lambda: self._send(
                200, LATIN1_HTML.encode("latin-1"), "text/html"
            ),
            "/article.txt": lambda: self._send(200, TEXT_ARTICLE.encode(), "text/plain"),
            "/russian.txt": lambda: self._send(200, RUSSIAN_PAGE, "text/plain"),
            "/report.pdf": lambda: self._send(200, b"%PDF-1.4 binary", "application/pdf"),
            "/redirect": lambda: self._send(302, b"", "text/plain", Location="/article.html"),
            "/loop": lambda: self._send(302, b"", "text/plain", Location="/loop"),
            "/big.html": lambda: self._send(200, b"<p>" + b"x" * 300_000, "text/html"),
            "/empty.html": lambda: self._send(200, b"", "text/html"),
            "/error": lambda: self._send(500, b"oops", "text/plain"),
            "/gzip.html": lambda: self._send(
                200, gzipped(ARTICLE_HTML.encode()), "text/html", Content_Encoding="gzip"
            ),
            "/gzip-gzip.html": lambda: self._send(
                200,
                gzipped(gzipped(ARTICLE_HTML.encode())),
                "text/html",
                Content_Encoding="gzip, gzip",
            ),
            "/bomb.html": lambda: self._send(
                200, bomb(), "text/html", Content_Encoding="gzip, gzip"
            ),
            # Another loopback address: a hop that a check on the first host alone lets by.
            "/to-other-loopback": lambda: self._send(
                302, b"", "text/plain", Location=f"http://127.0.0.2:{port}/article.html"
            ),
        }
        if self.path == "/slow":
            time.sleep(3)
            self._send(200, ARTICLE_HTML.encode(), "text/html")
            return
        routes.get(self.path, lambda: self._send(404, b"not found", "text/plain"))()


@contextmanager
def serve() -> Iterator[str]:
    """A running server; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
