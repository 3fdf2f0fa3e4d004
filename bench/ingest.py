"""Ingest throughput, with attribution: article files, and the same articles as HTML pages
served on 127.0.0.1.

    .venv/bin/python bench/ingest.py [FOLDER]

FOLDER defaults to ../shared/eval/polnear-dev/articles when present, else the bundled sample
(copied 20 times under different titles). Prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from index.library import Library

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear-dev" / "articles"
SAMPLE = ROOT / "index" / "sample" / "russian-soldiers-idlib-2019-07-18.txt"


def as_html(text: str) -> bytes:
    title, _, body = text.strip().partition("\n")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in body.split("\n") if p.strip())
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(title)}</h1>"
        f"{paragraphs}</article><footer>Footer</footer></body></html>"
    )
    return page.encode("utf-8")


def serve(pages: dict[str, bytes]) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


async def timed_ingest(specs: list[str], db: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    async with await Library.open(db) as library:
        for spec in specs:
            await library.add_input(spec, allow_private=True)  # the pages are on 127.0.0.1
        counts = await library.store.counts()
    return time.perf_counter() - start, counts["passages"], counts["attributions"]


def sources(folder: Path | None) -> dict[str, str]:
    if folder is None and POLNEAR.is_dir():
        folder = POLNEAR
    if folder is not None:
        return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
    text = SAMPLE.read_text(encoding="utf-8")
    return {f"copy-{i}.txt": f"Copy {i}: {text}" for i in range(20)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    args = parser.parse_args()
    texts = sources(args.folder)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for name, text in texts.items():
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        pages = {f"/{name}.html": as_html(text) for name, text in texts.items()}
        server, base = serve(pages)
        rows = []
        for label, specs, db in (
            (".txt files", files, Path(tmp) / "txt.db"),
            ("HTML over HTTP", [base + page for page in pages], Path(tmp) / "html.db"),
        ):
            seconds, passages, attributions = asyncio.run(timed_ingest(specs, db))
            rows.append((label, len(specs), passages, attributions, seconds))
        server.shutdown()
    print(
        f"{'input':<16} {'articles':>8} {'passages':>9} {'quotes':>7} {'seconds':>8} {'art/s':>7}"
    )
    for label, n, passages, attributions, seconds in rows:
        print(
            f"{label:<16} {n:>8} {passages:>9} {attributions:>7} {seconds:>8.2f} "
            f"{n / seconds:>7.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
