"""Fetching an article by URL, with the limits a bot that reads the web needs.

A URL comes from a chat, so it must not reach what only the bot's machine can: every
connection (the first request and each redirect) resolves its host once, refuses it unless
every address is public, and connects to the address it checked, so a second, different DNS
answer cannot slip in between the check and the connection. The body is decoded here, not by
httpx, so that the cap counts decoded bytes as they come for any stack of content encodings: a
small compressed body that would inflate to gigabytes is refused after `max_bytes`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass

import httpcore
import httpx

from index.articles import MAX_BYTES, binary_kind, decode
from index.errors import ArticleError, PrivateAddress
from index.textclean import clean

TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = "saidwho/0.1 (news question-answering bot)"
# Only the encodings decoded here (below, with a cap) are asked for.
ACCEPT_ENCODING = "gzip, deflate"
_PIECE = 64 * 1024  # decoded bytes handed on at a time by each decoding layer

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    text: str


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 15.0  # the whole request, body included
    max_bytes: int = MAX_BYTES  # decoded (and raw) bytes of the body
    max_redirects: int = 5
    allow_private: bool = False  # fetch loopback, private, link-local... addresses (intranets)


class RefusedAddress(Exception):
    """A connection refused before it was made: the host's address is not public."""

    def __init__(self, host: str, address: IPAddress, kind: str) -> None:
        named = host.strip("[]") if host.strip("[]") == str(address) else f"{host} ({address})"
        super().__init__(f"{named} is {kind}")
        self.host, self.address, self.kind = host, address, kind


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), which is where a
    packet to it ends up."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def not_public(address: IPAddress) -> str | None:
    """What kind of non-public address this is ("a loopback address"), or None if it is a
    public unicast one. The stdlib's `ipaddress` tables (IANA's special-purpose registries)
    decide; an IPv6 address carrying an IPv4 one is judged by that too."""
    if isinstance(address, ipaddress.IPv6Address) and (inner := _embedded_ipv4(address)):
        return not_public(inner)
    for kind, test in (
        ("an unspecified address", address.is_unspecified),
        ("a loopback address", address.is_loopback),
        ("a link-local address", address.is_link_local),
        ("a multicast address", address.is_multicast),
        ("a reserved address", address.is_reserved),
        ("a private address", address.is_private),
    ):
        if test:
            return kind
    return None if address.is_global else "not a public address"


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the address check: resolve once, check every address,
    connect to the checked one (TLS still verifies the certificate against the host name)."""

    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise httpcore.ConnectError(f"cannot resolve {host} ({error.strerror})") from error
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
        if not self._allow_private:
            for address in addresses:
                if kind := not_public(address):
                    raise RefusedAddress(host, address, kind)
        return await self._backend.connect_tcp(
            str(addresses[0]),
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool that connects through `_GuardedBackend`.
    httpx takes no network backend, so the pool it made is swapped for one that does (httpx
    and httpcore pinned to the versions this was written against, see pyproject.toml)."""

    def __init__(self, allow_private: bool) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_GuardedBackend(allow_private),
        )


# -- decoding the body, capped --------------------------------------------------------------


class _Inflate:
    """One content-encoding layer (gzip or deflate), undone a bounded piece at a time."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        # gzip: a gzip header; deflate: a zlib header, or (as some servers send it) none.
        self._wbits = zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                piece = self._inflater.decompress(data, _PIECE)
            except zlib.error:
                if self._started or self._gzip or self._wbits < 0:
                    raise
                self._wbits = -zlib.MAX_WBITS  # raw deflate, without the zlib header
                self._inflater = zlib.decompressobj(self._wbits)
                continue
            self._started = True
            if piece:
                yield piece
            data = self._inflater.unconsumed_tail
            if self._inflater.eof and self._inflater.unused_data:
                # Another gzip member follows (concatenated gzip is one valid body).
                data = self._inflater.unused_data
                self._inflater = zlib.decompressobj(self._wbits)

    def finish(self) -> Iterator[bytes]:
        if tail := self._inflater.flush(_PIECE):
            yield tail


def _layers(header: str, url: str) -> list[_Inflate]:
    """The decoders for a Content-Encoding header, in the order they undo it (last applied
    first); an encoding not asked for is refused."""
    layers = []
    for name in reversed([part.strip().lower() for part in header.split(",") if part.strip()]):
        if name == "identity":
            continue
        if name not in ("gzip", "x-gzip", "deflate"):
            raise ArticleError(f"{url}: unsupported content encoding ({name})")
        layers.append(_Inflate(name))
    return layers


def _through(layers: list[_Inflate], data: bytes, final: bool = False) -> Iterator[bytes]:
    """`data` decoded through every layer, lazily, so no layer holds more than a piece."""
    if not layers:
        if data:
            yield data
        return
    first, rest = layers[0], layers[1:]
    for piece in first.feed(data):
        yield from _through(rest, piece)
    if final:
        for piece in first.finish():
            yield from _through(rest, piece)
        yield from _through(rest, b"", final=True)


async def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """The decoded body; an `ArticleError` as soon as it (or the raw body) passes `max_bytes`."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ArticleError(f"{url}: too large ({int(declared):,} bytes; limit {max_bytes:,})")
    layers = _layers(response.headers.get("content-encoding", ""), url)
    body, raw_size = bytearray(), 0

    def take(pieces: Iterator[bytes]) -> None:
        for piece in pieces:
            body.extend(piece)
            if len(body) > max_bytes:
                raise ArticleError(f"{url}: too large (over {max_bytes:,} bytes decoded)")

    try:
        raw: AsyncIterator[bytes] = response.aiter_raw()
        async for chunk in raw:
            raw_size += len(chunk)
            if raw_size > max_bytes:
                raise ArticleError(f"{url}: too large (over {max_bytes:,} bytes)")
            take(_through(layers, chunk))
        take(_through(layers, b"", final=True))
    except zlib.error as error:
        raise ArticleError(f"{url}: the compressed body is damaged ({error})") from error
    return bytes(body)


def _decode(body: bytes, declared: str | None, url: str) -> str:
    """The declared charset when it decodes the body, else what a file would get: empty and
    binary bodies refused, UTF-8 or the detected encoding; cleaned either way. Detection takes
    about a second on a 5 MB page: called in a worker thread."""
    if declared and body.strip() and not binary_kind(body):
        try:
            return clean(body.decode(declared))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong header is common; fall back to detection
    return decode(body, url)


async def _get(url: str, limits: FetchLimits) -> Fetched:
    async with (
        httpx.AsyncClient(
            transport=_GuardedTransport(limits.allow_private),
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            timeout=limits.timeout,
            trust_env=False,  # no proxy from the environment: the check is on the real host
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
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
        text = await asyncio.to_thread(_decode, body, response.charset_encoding, url)
        return Fetched(str(response.url), content_type or "text/html", text)


async def fetch(url: str, limits: FetchLimits | None = None) -> Fetched:
    """The page at `url`; every failure is an `ArticleError` that names the URL."""
    limits = limits or FetchLimits()
    try:
        async with asyncio.timeout(limits.timeout):
            return await _get(url, limits)
    except RefusedAddress as exc:
        raise PrivateAddress(f"{url}: refused, {exc}; only public addresses are fetched") from exc
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
