"""Fetching an article by URL, with the limits a bot that reads the web needs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from index.articles import MAX_BYTES, binary_kind, decode
from index.errors import ArticleError

TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = "saidwho/0.1 (news question-answering bot)"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    text: str


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 15.0  # the whole request, body included
    max_bytes: int = MAX_BYTES
    max_redirects: int = 5


def _decode(body: bytes, declared: str | None, url: str) -> str:
    """The declared charset when it decodes the body, else what a file would get: empty and
    binary bodies refused, UTF-8 or the detected encoding."""
    if declared and body.strip() and not binary_kind(body):
        try:
            return body.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong header is common; fall back to detection
    return decode(body, url)


async def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ArticleError(f"{url}: too large ({int(declared):,} bytes; limit {max_bytes:,})")
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise ArticleError(f"{url}: too large (over {max_bytes:,} bytes)")
    return bytes(body)


async def _get(url: str, limits: FetchLimits) -> Fetched:
    async with (
        httpx.AsyncClient(
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            timeout=limits.timeout,
            headers={"User-Agent": USER_AGENT},
        ) as client,
        client.stream("GET", url) as response,
    ):
        if response.status_code >= 400:
            reason = response.reason_phrase or "error"
            raise ArticleError(f"{url}: HTTP {response.status_code} {reason}")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type and content_type not in TEXT_TYPES:
            raise ArticleError(f"{url}: unsupported type ({content_type}), not a web page")
        body = await _read_capped(response, url, limits.max_bytes)
        text = _decode(body, response.charset_encoding, url)
        return Fetched(str(response.url), content_type or "text/html", text)


async def fetch(url: str, limits: FetchLimits | None = None) -> Fetched:
    """The page at `url`; every failure is an `ArticleError` that names the URL."""
    limits = limits or FetchLimits()
    try:
        async with asyncio.timeout(limits.timeout):
            return await _get(url, limits)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise ArticleError(f"{url}: timed out after {limits.timeout:g} s") from exc
    except httpx.TooManyRedirects as exc:
        raise ArticleError(f"{url}: too many redirects (a redirect loop?)") from exc
    except httpx.ConnectError as exc:
        raise ArticleError(f"{url}: cannot connect ({exc or 'connection refused'})") from exc
    except httpx.InvalidURL as exc:
        raise ArticleError(f"{url}: not a valid URL") from exc
    except httpx.UnsupportedProtocol as exc:
        raise ArticleError(f"{url}: only http and https URLs are supported") from exc
    except httpx.HTTPError as exc:
        raise ArticleError(f"{url}: download failed ({type(exc).__name__})") from exc
