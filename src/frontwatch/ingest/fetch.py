"""Safe fetching of web pages and feeds.

Every request: a clear User-Agent, connect/read timeouts and an overall deadline, a body size limit
enforced while streaming (a 50 MB page is cut off at `fetch_max_bytes`, not read into memory), a
content-type check, retries with exponential backoff for transient failures (timeouts, 5xx, 429),
and no requests to loopback, private, link-local or otherwise non-public addresses unless
`allow_private_addresses` is set. Redirects are followed by us, one hop at a time, so every hop's
address is checked too.

Why httpx and not urllib: httpx (pinned) streams bodies with separate connect/read timeouts, decodes
gzip while we count the decoded bytes (so a compression bomb hits the size limit too), and its
`sni_hostname` extension lets us connect to the exact IP address we vetted while TLS still checks
the certificate for the host name, which closes the DNS-rebinding gap between check and connect.
urllib would need a hand-written connection class for the same guarantees.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit, urlunsplit

from frontwatch.errors import FetchError
from frontwatch.pipeline import Failure
from frontwatch.records import Document
from frontwatch.settings import Settings

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/x-rss+xml"}  # fmt: skip
TEXT_TYPES = {"text/plain"}
ACCEPTED_TYPES = HTML_TYPES | FEED_TYPES | TEXT_TYPES
ACCEPT_HEADER = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8"  # noqa: E501


class _Transient(Exception):
    """A failure worth retrying (timeout, connection reset, 5xx, 429)."""


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    content: bytes = b""

    @property
    def content_type(self) -> str:
        return _parse_content_type(self.headers.get("content-type", ""))[0]

    @property
    def charset(self) -> str | None:
        return _parse_content_type(self.headers.get("content-type", ""))[1]


def _parse_content_type(value: str) -> tuple[str, str | None]:
    msg = Message()
    msg["content-type"] = value or "application/octet-stream"
    return msg.get_content_type(), msg.get_param("charset")


def check_host(host: str, port: int, settings: Settings) -> list[str]:
    """Resolve `host` and return its addresses; FetchError when any of them is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(f"cannot resolve host {host!r} ({e})") from e
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise FetchError(f"host {host!r} has no address")
    if not settings.allow_private_addresses:
        for addr in addresses:
            ip = ipaddress.ip_address(addr.split("%")[0])
            if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
                ip = ip.ipv4_mapped
            if not ip.is_global:
                kind = ("loopback" if ip.is_loopback else "link-local" if ip.is_link_local
                        else "unspecified" if ip.is_unspecified else "private" if ip.is_private
                        else "non-public")  # fmt: skip
                raise FetchError(
                    f"refused: {host} resolves to {kind} address {addr}; pass --allow-private "
                    "(setting allow_private_addresses) to fetch from your own network"
                )
    return addresses


def _client(settings: Settings):
    import httpx

    timeout = httpx.Timeout(settings.fetch_timeout, connect=min(10.0, settings.fetch_timeout))
    # trust_env=False: no proxies from the environment, the address we vetted is the one we reach
    return httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, http2=False)


def _fetch_once(url: str, settings: Settings, headers: dict[str, str]) -> Response:
    import httpx

    deadline = time.monotonic() + 3 * settings.fetch_timeout
    with _client(settings) as client:
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(f"not an http(s) URL: {url}")
            try:
                port = parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError as e:
                raise FetchError(f"invalid URL {url} ({e})") from e
            address = check_host(parts.hostname, port, settings)[0]
            netloc = f"[{address}]" if ":" in address else address
            target = urlunsplit((parts.scheme, f"{netloc}:{port}", parts.path or "/", parts.query, ""))
            host_header = parts.hostname + (f":{parts.port}" if parts.port else "")
            request_headers = {"User-Agent": settings.user_agent, "Accept": ACCEPT_HEADER, "Host": host_header,
                               "Accept-Encoding": "gzip, deflate", **headers}  # fmt: skip
            try:
                with client.stream("GET", target, headers=request_headers,
                                   extensions={"sni_hostname": parts.hostname}) as r:  # fmt: skip
                    if r.status_code in (301, 302, 303, 307, 308) and "location" in r.headers:
                        url = urljoin(url, r.headers["location"])
                        continue
                    return _read_body(url, r, settings, deadline)
            except httpx.InvalidURL as e:
                raise FetchError(f"invalid URL {url} ({e})") from e
            except httpx.TimeoutException as e:
                raise _Transient(f"timed out after {settings.fetch_timeout:.0f} s ({type(e).__name__})") from e
            except httpx.TransportError as e:
                raise _Transient(f"connection failed ({type(e).__name__}: {e})") from e
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")


def _read_body(url: str, r, settings: Settings, deadline: float) -> Response:
    headers = {k.lower(): v for k, v in r.headers.items()}
    if r.status_code == 304:
        return Response(url, 304, headers)
    if r.status_code == 429 or r.status_code >= 500:
        raise _Transient(f"HTTP {r.status_code} {r.reason_phrase}")
    if r.status_code >= 400:
        raise FetchError(f"HTTP {r.status_code} {r.reason_phrase}")
    ctype = _parse_content_type(headers.get("content-type", ""))[0]
    if ctype not in ACCEPTED_TYPES:
        raise FetchError(f"unsupported content type {ctype!r} (expected an HTML page, a feed or plain text)")
    limit = settings.fetch_max_bytes
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"response is {int(declared) / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB limit "
                         "(setting fetch_max_bytes)")  # fmt: skip
    chunks, size = [], 0
    for chunk in r.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(f"response is larger than the {limit / 1e6:.0f} MB limit (setting fetch_max_bytes); "
                             f"stopped reading after {size / 1e6:.1f} MB")  # fmt: skip
        if time.monotonic() > deadline:
            raise _Transient(f"body still arriving after {3 * settings.fetch_timeout:.0f} s")
        chunks.append(chunk)
    return Response(url, r.status_code, headers, b"".join(chunks))


def fetch(url: str, settings: Settings, *, headers: dict[str, str] | None = None) -> Response:
    """GET `url` safely (see the module docstring). Raises FetchError with a reason a user can act on."""
    attempts = max(1, settings.fetch_retries)
    last = ""
    for attempt in range(attempts):
        try:
            return _fetch_once(url, settings, dict(headers or {}))
        except _Transient as e:
            last = str(e)
            if attempt + 1 < attempts:
                wait = settings.fetch_backoff * 2**attempt
                log.info("%s: %s; retrying in %.1f s", url, last, wait)
                time.sleep(wait)
    raise FetchError(f"{last} (gave up after {attempts} attempts)")


def is_feed(response: Response) -> bool:
    """A feed by its content type, or by its first element when a server labels it text/html or text/plain."""
    if response.content_type in FEED_TYPES:
        return True
    head = response.content[:1024].lstrip().lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2 :].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf"))


def read_url(url: str, opts, settings: Settings) -> Iterator[Document | Failure]:
    """Documents from a URL: an HTML page is one document; a feed gives one per item, each item's page
    fetched in turn (an item whose page fails is reported; the others go on)."""
    from frontwatch.errors import InputError
    from frontwatch.ingest.formats import feed_documents, html_document, parse_feed
    from frontwatch.ingest.read import decode_text, make_document

    try:
        response = fetch(url, settings)
        if is_feed(response):
            feed = parse_feed(response.content, where=url)
            yield from feed_documents(feed, opts, settings, where=url, fetch_pages=True)
        elif response.content_type in TEXT_TYPES:
            charset = (response.charset or "utf-8").lower()
            content = response.content
            if charset not in ("utf-8", "utf8", "us-ascii"):
                try:
                    content = content.decode(charset).encode("utf-8")
                except (LookupError, UnicodeDecodeError) as e:
                    raise InputError(f"declared charset {charset} does not match the text ({e})", path=url) from e
            text = decode_text(content, url)
            yield make_document(doc_id=url_id(response.url), raw=text, fmt="text", path=url, opts=opts,
                                url=response.url, identity=response.url)  # fmt: skip
        else:
            yield html_document(response.content, where=url, url=response.url, charset=response.charset,
                                opts=opts, doc_id=url_id(response.url))  # fmt: skip
    except (FetchError, InputError) as e:
        yield Failure(url, getattr(e, "reason", None) or str(e))


def url_id(url: str) -> str:
    """A readable document id from a URL: host and last path segments."""
    parts = urlsplit(url)
    path = "/".join(p for p in parts.path.split("/") if p)[-80:]
    return f"{parts.hostname}/{path}" if path else (parts.hostname or url)
