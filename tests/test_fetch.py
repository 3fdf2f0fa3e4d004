"""URLs from a chat reach only the public web, and no page can make the bot read more than the
size limit: a real HTTP server on 127.0.0.1 (tests/webserver.py) plays both the internal
service an attacker aims at and the page that redirects there. No test connects anywhere but
127.0.0.1: every other address is refused before a connection is made."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
import tracemalloc
from typing import Any

import pytest

from index import fetch as fetching
from index.articles import ArticleError
from index.fetch import FetchLimits, fetch
from index.inputs import load
from tests.conftest import CLI


def _port(web: str) -> int:
    return int(web.rsplit(":", 1)[1])


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("localhost", "loopback"),  # refused for what it resolves to, not how it is spelt
        ("0x7f000001", "loopback"),
        ("2130706433", "loopback"),
        ("017700000001", "loopback"),
        ("127.1", "loopback"),
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("[64:ff9b::7f00:1]", "loopback"),  # NAT64 carries 127.0.0.1
        ("0.0.0.0", "unspecified"),
        ("169.254.169.254", "link-local"),  # a cloud's metadata service
        ("[fe80::1]", "link-local"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
    ],
)
async def test_non_public_addresses_are_refused_in_every_spelling(
    web: str, host: str, kind: str
) -> None:
    url = f"http://{host}:{_port(web)}/article.html"
    with pytest.raises(ArticleError) as caught:
        await load(url, allow_private=False)
    message = str(caught.value)
    assert message.startswith(f"{url}: refused")
    assert kind in message


async def test_intranet_setting_allows_private_addresses(web: str) -> None:
    article = await load(f"http://0x7f000001:{_port(web)}/article.html", allow_private=True)
    assert article.title == "Bridge closure angers commuters"


async def test_every_redirect_hop_is_checked(web: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server stands in for a public site (127.0.0.1 counts as public here) that
    redirects to another loopback address: the hop is refused, not only the first host."""
    real = fetching.not_public
    server = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(fetching, "not_public", lambda a: None if a == server else real(a))
    assert (await load(f"{web}/article.html")).title == "Bridge closure angers commuters"
    with pytest.raises(ArticleError) as caught:
        await load(f"{web}/to-other-loopback")
    assert str(caught.value).startswith(
        f"{web}/to-other-loopback: refused, 127.0.0.2 is a loopback"
    )


async def test_the_checked_address_is_the_one_connected_to(
    web: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: a name that answers a checked address first and another one after. The
    connection goes to the address checked, and the name is resolved once."""
    real = fetching.not_public
    server = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(fetching, "not_public", lambda a: None if a == server else real(a))
    loop = asyncio.get_running_loop()
    resolve = loop.getaddrinfo
    answers = iter(["127.0.0.1", "127.0.0.2", "127.0.0.2"])
    asked: list[str] = []

    async def rebinding(host: Any, port: Any, **kwargs: Any) -> Any:
        if host == "news.test":
            asked.append(host)
            host = next(answers)
        return await resolve(host, port, **kwargs)

    monkeypatch.setattr(loop, "getaddrinfo", rebinding)
    article = await load(f"http://news.test:{_port(web)}/article.html")
    assert article.title == "Bridge closure angers commuters"
    assert asked == ["news.test"]


def test_cli_refuses_internal_urls_and_the_setting_allows_them(
    cli: CLI, tmp_path: Any, web: str
) -> None:
    db = str(tmp_path / "c.db")
    refused = cli("ingest", "--db", db, f"http://2130706433:{_port(web)}/article.html")
    assert refused.returncode == 1
    assert f"http://2130706433:{_port(web)}/article.html: refused" in refused.stderr
    assert "Traceback" not in refused.stderr
    cli.env["SAIDWHO_FETCH_ALLOW_PRIVATE"] = "true"
    allowed = cli("ingest", "--db", db, f"{web}/article.html")
    assert allowed.returncode == 0 and "1 added" in allowed.stderr


# -- bounded work ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/gzip.html", "/gzip-gzip.html"])
async def test_compressed_pages_are_decoded(web: str, path: str) -> None:
    article = await load(f"{web}{path}", allow_private=True)
    assert "Agnes Whitlow" in article.text


async def test_a_compression_bomb_is_refused_without_inflating_it(web: str) -> None:
    """About 1 KB on the wire, gzipped twice, inflating to 200 MB: refused once the decoded
    bytes pass the limit, and memory never holds much more than the limit."""
    from tests.webserver import bomb

    bomb()  # made before measuring: the server shares this process
    limit = 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ArticleError) as caught:
            await fetch(f"{web}/bomb.html", FetchLimits(max_bytes=limit, allow_private=True))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value).startswith(f"{web}/bomb.html: too large")
    assert peak < 8 * limit, f"peak {peak:,} bytes"


def test_address_kinds() -> None:
    kinds = {
        "8.8.8.8": None,
        "2606:4700::1111": None,
        "100.64.0.1": "not a public address",  # carrier-grade NAT
        "::ffff:10.0.0.1": "a private address",
        "2002:a00:1::1": "a private address",  # 6to4 of 10.0.0.1
        "ff02::1": "a multicast address",
        "::": "an unspecified address",
    }
    for text, kind in kinds.items():
        assert fetching.not_public(ipaddress.ip_address(text)) == kind, text
    assert socket.AF_INET  # the stdlib resolver is what connects


async def test_a_big_page_in_a_code_page_is_decoded_off_the_event_loop(
    web: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#32 row 14: detecting the encoding of a 5 MB page takes about a second, which on the
    event loop every chat would wait for."""
    threads: list[int] = []
    decode = fetching.decode

    def watched(data: bytes, source: str) -> str:
        threads.append(threading.get_ident())
        return decode(data, source)

    monkeypatch.setattr(fetching, "decode", watched)

    page = await fetch(f"{web}/russian.txt", FetchLimits(allow_private=True))

    assert "одобрил бюджет" in page.text
    assert threads and threading.get_ident() not in threads
