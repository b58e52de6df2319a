"""The opt-out conformance catalogue (optout-signals.md §2.9, 3.3, 4.5, 5.4, 6.3, 7, 12).

Each case is a small site served by :class:`fixture_server.FixtureServer` on its own host
(``<id>.test``): robots.txt, tdmrep.json, ai.txt and the page, with any status, redirect chain
or header multiplicity. ``{host}`` and ``{port}`` in header values are filled in when served.
Shared by ``tests/optout/test_conformance.py`` and ``bench/optout_conformance.py``.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field, replace
from typing import Any

from fixture_server import FixtureServer, Resp

__all__ = ("CASES", "Case", "serve_cases")

TOKENS = ("moisson-bot", "GPTBot", "Google-Extended", "CCBot", "ClaudeBot")
HTML = (("Content-Type", "text/html; charset=utf-8"),)


@dataclass(frozen=True)
class Case:
    """One fixture: the site, the URL path to check, and the expected decision."""

    id: str
    title: str
    path: str
    expected: str
    site: dict[str, Resp] = field(default_factory=dict)
    others: dict[str, dict[str, Resp]] = field(default_factory=dict)  # prefix -> routes
    tokens: tuple[str, ...] = TOKENS
    purpose: str = "train-ai"
    families: dict[str, str | None] = field(
        default_factory=dict
    )  # family -> decision (None: absent)
    engine: dict[str, Any] = field(default_factory=dict)
    embedding_page: str | None = None
    host_name: str | None = None
    slow: bool = False
    head_first: bool = False

    @property
    def host(self) -> str:
        return self.host_name or f"{self.id.lower()}.test"

    @property
    def robots_body(self) -> bytes | None:
        resp = self.site.get("/robots.txt")
        return resp.body if resp is not None else None


def robots(text: str | bytes, status: int = 200, **kw: Any) -> dict[str, Resp]:
    body = text.encode() if isinstance(text, str) else text
    return {"/robots.txt": Resp(status, (("Content-Type", "text/plain"),), body, **kw)}


def page(
    path: str = "/page",
    *,
    headers: tuple[tuple[str, str], ...] = (),
    html: str = "<html><head><title>t</title></head><body>hi</body></html>",
) -> dict[str, Resp]:
    return {path: Resp(200, HTML + headers, html.encode())}


def meta_page(path: str, *metas: tuple[str, str], where: str = "head") -> dict[str, Resp]:
    tags = "".join(f'<meta name="{n}" content="{c}">' for n, c in metas)
    html = f"<html><head>{tags if where == 'head' else ''}</head><body>{tags if where == 'body' else ''}x</body></html>"
    return page(path, html=html)


def tdm_file(json_text: str, status: int = 200) -> dict[str, Resp]:
    return {
        "/.well-known/tdmrep.json": Resp(
            status, (("Content-Type", "application/json"),), json_text.encode()
        )
    }


def ai_txt(text: str, path: str = "/ai.txt") -> dict[str, Resp]:
    return {path: Resp(200, (("Content-Type", "text/plain"),), text.encode())}


def redirect(to: str, status: int = 301, extra: tuple[tuple[str, str], ...] = ()) -> Resp:
    return Resp(status, (("Location", to), *extra))


def site(*parts: dict[str, Resp]) -> dict[str, Resp]:
    out: dict[str, Resp] = {}
    for part in parts:
        out.update(part)
    return out


def _epub(opf: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr(
            "META-INF/container.xml",
            '<container><rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>',
        )
        z.writestr("OEBPS/content.opf", opf)
    return buf.getvalue()


EPUB3 = _epub(
    '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" prefix="tdm: http://www.w3.org/ns/tdmrep#"><metadata><meta property="tdm:reservation">1</meta><meta property="tdm:policy">https://p.example/policy.json</meta></metadata></package>'
)
EPUB2 = _epub(
    '<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata><meta name="tdm:reservation" content="1"/></metadata></package>'
)
PDF = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Metadata /Subtype /XML >>\nstream\n"
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:tdm="http://www.w3.org/ns/tdmrep/"><tdm:reservation>1</tdm:reservation>'
    b"<tdm:policy>https://publisher.example/policy.json</tdm:policy></rdf:Description></rdf:RDF></x:xmpmeta>\nendstream\nendobj\n%%EOF\n"
)


def _jpeg_with_xmp(xmp: str) -> bytes:
    packet = b"http://ns.adobe.com/xap/1.0/\x00" + xmp.encode()
    return b"\xff\xd8\xff\xe1" + (len(packet) + 2).to_bytes(2, "big") + packet + b"\xff\xd9"


def iptc_jpeg(value: str, attr: bool = True) -> bytes:
    if attr:
        desc = f'<rdf:Description rdf:about="" xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/" plus:DataMining="{value}"/>'
    else:
        desc = f'<rdf:Description rdf:about="" xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"><plus:DataMining>{value}</plus:DataMining></rdf:Description>'
    return _jpeg_with_xmp(
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">{desc}</rdf:RDF></x:xmpmeta>'
    )


def _cbor(value: Any) -> bytes:
    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        if n < 256:
            return bytes([major << 5 | 24, n])
        return bytes([major << 5 | 25]) + n.to_bytes(2, "big")

    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(_cbor(k) + _cbor(v) for k, v in value.items())
    raise TypeError(value)


def _box(kind: bytes, payload: bytes) -> bytes:
    return (len(payload) + 8).to_bytes(4, "big") + kind + payload


def c2pa_jpeg(label: str, entries: dict[str, str], *, raw: bytes | None = None) -> bytes:
    """A JPEG whose APP11 JUMBF holds one training-mining assertion (unsigned fixture);
    ``raw`` replaces the assertion's CBOR."""
    prefix = label.split(".", 1)[0]
    assertion = {"entries": {f"{prefix}.{k}": {"use": v} for k, v in entries.items()}}
    jumd = _box(b"jumd", b"cbor" + bytes(12) + b"\x03" + label.encode() + b"\x00")
    jumb = _box(b"jumb", jumd + _box(b"cbor", _cbor(assertion) if raw is None else raw))
    segment = b"JP" + b"\x00\x01" + b"\x00\x00\x00\x01" + jumb
    return b"\xff\xd8\xff\xeb" + (len(segment) + 2).to_bytes(2, "big") + segment + b"\xff\xd9"


def image(path: str, data: bytes, headers: tuple[tuple[str, str], ...] = ()) -> dict[str, Resp]:
    return {path: Resp(200, (("Content-Type", "image/jpeg"), *headers), data)}


NOTHING = robots("", status=404)
DIS_ALL = "User-agent: *\nDisallow: /\n"

C: list[Case] = []


def case(*args: Any, **kw: Any) -> None:
    C.append(Case(*args, **kw))


# ---------------------------------------------------------------- robots.txt (§2.9)
case(
    "R-01a",
    "robots.txt 404: no rules",
    "/page",
    "allow",
    site(robots("x", 404), page()),
    families={"robots-txt": "allow"},
)
case("R-01b", "robots.txt 410: no rules", "/page", "allow", site(robots("x", 410), page()))
case(
    "R-02a",
    "robots.txt 500: complete disallow",
    "/page",
    "disallow",
    site(robots(DIS_ALL.replace("Disallow: /", "Allow: /"), 500), page()),
    families={"robots-txt": "disallow"},
)
case("R-02b", "robots.txt 503", "/page", "disallow", site(robots("oops", 503), page()))
case(
    "R-02c",
    "robots.txt connection reset",
    "/page",
    "disallow",
    site({"/robots.txt": Resp(reset=True)}, page()),
)
case(
    "R-02d",
    "robots.txt timeout",
    "/page",
    "disallow",
    site({"/robots.txt": Resp(200, body=b"", delay=0.8)}, page()),
    slow=True,
)
case(
    "R-04a",
    "robots.txt 401: RFC unavailable, allow",
    "/page",
    "allow",
    site(robots("", 401), page()),
)
case(
    "R-04b",
    "robots.txt 403 with the conservative 401/403 policy",
    "/page",
    "disallow",
    site(robots("", 403), page()),
    engine={"auth_errors_disallow": True},
)
case("R-05", "robots.txt 429: unreachable", "/page", "disallow", site(robots("", 429), page()))
case(
    "R-06",
    "5 redirects across hosts, rules apply to the original authority",
    "/page",
    "disallow",
    site({"/robots.txt": redirect("http://hop.{host}:{port}/r1")}, page()),
    others={
        "hop": {
            "/r1": redirect("/r2"),
            "/r2": redirect("/r3"),
            "/r3": redirect("/r4"),
            "/r4": redirect("http://{host}:{port}/final-robots"),
        }
    },
    families={"robots-txt": "disallow"},
)
case(
    "R-07a",
    "6 redirects: unreachable, conservatively disallowed",
    "/page",
    "disallow",
    site(
        {
            "/robots.txt": redirect("/a1"),
            "/a1": redirect("/a2"),
            "/a2": redirect("/a3"),
            "/a3": redirect("/a4"),
            "/a4": redirect("/a5"),
            "/a5": redirect("/a6"),
            "/a6": Resp(200, body=b""),
        },
        page(),
    ),
)
case(
    "R-07b",
    "redirect loop",
    "/page",
    "disallow",
    site({"/robots.txt": redirect("/loop"), "/loop": redirect("/robots.txt")}, page()),
)
case(
    "R-08",
    "robots.txt redirects to an HTML page: no rules",
    "/page",
    "allow",
    site(
        {
            "/robots.txt": redirect("/home"),
            "/home": Resp(200, HTML, b"<html><body>home</body></html>"),
        },
        page(),
    ),
)
case(
    "R-09",
    "robots.txt over 500 KiB: the first 500 KiB are parsed",
    "/private/x",
    "disallow",
    site(
        robots("User-agent: *\nDisallow: /private\n" + "# padding\n" * 60000 + "Disallow: /late\n"),
        page("/private/x"),
    ),
)
case(
    "R-09b",
    "a rule past 500 KiB is still honoured (parsed up to the 2 MiB fetch cap)",
    "/late/x",
    "disallow",
    site(
        robots("User-agent: *\nDisallow: /private\n" + "# padding\n" * 60000 + "Disallow: /late\n"),
        page("/late/x"),
    ),
)
case(
    "R-10",
    "UTF-8 BOM before the first group",
    "/page",
    "disallow",
    site(robots(b"\xef\xbb\xbf" + DIS_ALL.encode()), page()),
)
case(
    "R-11",
    "non-UTF-8 octet in a path is percent-encoded",
    "/caf%E9/x",
    "disallow",
    site(robots(b"User-agent: *\nDisallow: /caf\xe9/\n"), page("/caf%E9/x")),
)
case(
    "R-12",
    "User-agent: Google does not match Google-Extended",
    "/page",
    "allow",
    site(robots("User-agent: Google\nDisallow: /\n"), page()),
    tokens=("Google-Extended",),
)
case(
    "R-13",
    "two groups for GPTBot/gptbot are merged",
    "/b/x",
    "disallow",
    site(
        robots("User-agent: GPTBot\nDisallow: /a\n\nUser-agent: gptbot\nDisallow: /b\n"),
        page("/b/x"),
    ),
    tokens=("GPTBot",),
)
case(
    "R-14",
    "a specific group replaces * (no inheritance)",
    "/private/x",
    "allow",
    site(
        robots("User-agent: *\nDisallow: /private\n\nUser-agent: GPTBot\nAllow: /public\n"),
        page("/private/x"),
    ),
    tokens=("GPTBot",),
)
case(
    "R-15",
    "Content-Signal line does not end the user-agent run",
    "/page",
    "disallow",
    site(robots("User-agent: A\nContent-Signal: search=yes\nUser-agent: B\nDisallow: /\n"), page()),
    tokens=("A",),
)
case(
    "R-15b",
    "Sitemap line does not end the user-agent run",
    "/page",
    "disallow",
    site(robots("User-agent: A\nSitemap: http://x/s.xml\nUser-agent: B\nDisallow: /\n"), page()),
    tokens=("A",),
)
case(
    "R-16",
    "Content-Usage is a rule: it ends the run, A is not disallowed",
    "/page",
    "allow",
    site(robots("User-agent: A\nContent-Usage: train-ai=n\nUser-agent: B\nDisallow: /\n"), page()),
    tokens=("A",),
    purpose="search",
)
case(
    "R-17a",
    "User-agent: CCBot/2.0 applies to CCBot (Google truncation)",
    "/page",
    "disallow",
    site(robots("User-agent: CCBot/2.0\nDisallow: /\n"), page()),
    tokens=("CCBot",),
)
case(
    "R-17b",
    "User-agent: Kangaroo Bot applies to Kangaroo",
    "/page",
    "disallow",
    site(robots("User-agent: Kangaroo Bot\nDisallow: /\n"), page()),
    tokens=("Kangaroo",),
)
case(
    "R-17c",
    "strict mode discards CCBot/2.0",
    "/page",
    "allow",
    site(robots("User-agent: CCBot/2.0\nDisallow: /\n"), page()),
    tokens=("CCBot",),
    engine={"agent_mode": "strict"},
)
case(
    "R-17d",
    "an invalid token group must not leak rules upwards",
    "/page",
    "allow",
    site(robots("User-agent: moisson-bot\nAllow: /\nUser-agent: 5emeRue\nDisallow: /\n"), page()),
    tokens=("moisson-bot",),
)
case(
    "R-17e",
    "strict mode: invalid token group must not leak either",
    "/page",
    "allow",
    site(
        robots("User-agent: moisson-bot\nAllow: /\nUser-agent: panscient.com\nDisallow: /\n"),
        page(),
    ),
    tokens=("moisson-bot",),
    engine={"agent_mode": "strict"},
)
case(
    "R-18",
    "Allow and Disallow of equal length: Allow wins",
    "/page",
    "allow",
    site(robots("User-agent: *\nDisallow: /page\nAllow: /page\n"), page()),
)
case(
    "R-19a",
    "longest match: Allow /public/ beats Disallow /",
    "/public/x",
    "allow",
    site(robots("User-agent: *\nDisallow: /\nAllow: /public/\n"), page("/public/x")),
)
case(
    "R-19b",
    "longest match: Disallow /public beats Allow /p",
    "/public",
    "disallow",
    site(robots("User-agent: *\nAllow: /p\nDisallow: /public\n"), page("/public")),
)
case(
    "R-20a",
    "Disallow /*.pdf$ on /x.pdf",
    "/x.pdf",
    "disallow",
    site(robots("User-agent: *\nDisallow: /*.pdf$\n"), page("/x.pdf")),
)
case(
    "R-20b",
    "Disallow /*.pdf$ on /x.pdf?dl=1",
    "/x.pdf?dl=1",
    "allow",
    site(robots("User-agent: *\nDisallow: /*.pdf$\n"), page("/x.pdf")),
)
case(
    "R-20c",
    "Disallow /*.pdf$ on /x.PDF (case-sensitive)",
    "/x.PDF",
    "allow",
    site(robots("User-agent: *\nDisallow: /*.pdf$\n"), page("/x.PDF")),
)
case(
    "R-21",
    "%2F is reserved: /a%2Fb does not match /a/b",
    "/a/b",
    "allow",
    site(robots("User-agent: *\nDisallow: /a%2Fb\n"), page("/a/b")),
)
case(
    "R-22",
    "%7E is unreserved: /~joe matches /%7Ejoe",
    "/%7Ejoe/x",
    "disallow",
    site(robots("User-agent: *\nDisallow: /~joe\n"), page("/%7Ejoe/x")),
)
case(
    "R-23",
    "UTF-8 pattern /ツ matches /%E3%83%84",
    "/%E3%83%84",
    "disallow",
    site(robots("User-agent: *\nDisallow: /ツ\n"), page("/%E3%83%84")),
)
case(
    "R-24a",
    "%2A matches a literal *",
    "/a*b",
    "disallow",
    site(robots("User-agent: *\nDisallow: /a%2Ab\n"), page("/a*b")),
)
case(
    "R-24b",
    "%2A does not act as a wildcard",
    "/axb",
    "allow",
    site(robots("User-agent: *\nDisallow: /a%2Ab\n"), page("/axb")),
)
case(
    "R-25",
    "/robots.txt is implicitly allowed",
    "/robots.txt",
    "allow",
    site(robots(DIS_ALL)),
    families={"robots-txt": "allow"},
)
case(
    "R-26",
    "empty Disallow in the specific group while * disallows",
    "/page",
    "allow",
    site(robots("User-agent: *\nDisallow: /\n\nUser-agent: GPTBot\nDisallow:\n"), page()),
    tokens=("GPTBot",),
)
case(
    "R-27",
    "rules before the first user-agent are ignored",
    "/page",
    "allow",
    site(robots("Disallow: /\nUser-agent: *\nAllow: /\n"), page()),
)
case(
    "R-28",
    "a subdomain has its own robots.txt",
    "/page",
    "allow",
    site(robots("User-agent: *\nAllow: /\n"), page()),
    others={"sub": robots(DIS_ALL)},
)
case(
    "R-29",
    "multi-token: GPTBot disallowed, CCBot allowed: reserved",
    "/page",
    "disallow",
    site(robots("User-agent: GPTBot\nDisallow: /\n\nUser-agent: CCBot\nAllow: /\n"), page()),
)
case(
    "R-31",
    "pathological wildcard pattern runs in linear time",
    "/" + "a" * 3000,
    "allow",
    site(robots("User-agent: *\nDisallow: /" + "*a" * 40 + "*b\n"), page("/" + "a" * 3000)),
)
case(
    "R-32",
    "Disallow: *.jpg (no leading slash), Google-compatible",
    "/img/a.jpg",
    "disallow",
    site(robots("User-agent: *\nDisallow: *.jpg\n"), image("/img/a.jpg", b"\xff\xd8\xff\xd9")),
)
case(
    "R-32b",
    "Disallow: * (no leading slash)",
    "/page",
    "disallow",
    site(robots("User-agent: *\nDisallow: *\n"), page()),
)
case(
    "R-33",
    "user-agent token match is case-insensitive",
    "/page",
    "disallow",
    site(robots("User-agent: gptbot\nDisallow: /\n"), page()),
    tokens=("GPTBot",),
)
case(
    "C-04",
    "Google-Extended disallowed, own token allowed",
    "/page",
    "disallow",
    site(
        robots("User-agent: moisson-bot\nAllow: /\n\nUser-agent: Google-Extended\nDisallow: /\n"),
        page(),
    ),
)
case(
    "C-05a",
    "only OAI-SearchBot disallowed: not a training opt-out",
    "/page",
    "allow",
    site(robots("User-agent: OAI-SearchBot\nDisallow: /\n"), page()),
    tokens=("moisson-bot", "GPTBot", "OAI-SearchBot"),
)
case(
    "C-05b",
    "only OAI-SearchBot disallowed: a search opt-out",
    "/page",
    "disallow",
    site(robots("User-agent: OAI-SearchBot\nDisallow: /\n"), page()),
    tokens=("moisson-bot", "GPTBot", "OAI-SearchBot"),
    purpose="search",
)


# ---------------------------------------------------------------- X-Robots-Tag, meta (§3.3)
def xrt(*values: str) -> tuple[tuple[str, str], ...]:
    return tuple(("X-Robots-Tag", v) for v in values)


case(
    "X-01",
    "noai next to max-image-preview:large",
    "/page",
    "disallow",
    site(NOTHING, page(headers=xrt("noai, max-image-preview:large"))),
    families={"x-robots-tag": "disallow"},
)
case(
    "X-02",
    "unavailable_after date then noai",
    "/page",
    "disallow",
    site(NOTHING, page(headers=xrt("unavailable_after: 25 Jun 2010 15:00:00 PST, noai"))),
)
case(
    "X-03", "NoAI (case-insensitive)", "/page", "disallow", site(NOTHING, page(headers=xrt("NoAI")))
)
case(
    "X-04",
    "two header lines: noindex then noai",
    "/page",
    "disallow",
    site(NOTHING, page(headers=xrt("noindex", "noai"))),
)
case(
    "X-05",
    "otherbot: noai, noimageai is not for us",
    "/page",
    "allow",
    site(NOTHING, page(headers=xrt("otherbot: noai, noimageai"))),
    families={"x-robots-tag": "unknown"},
)
case(
    "X-06",
    "our token: noimageai, noai",
    "/page",
    "disallow",
    site(NOTHING, page(headers=xrt("moisson-bot: noimageai, noai"))),
)
case(
    "X-07",
    "noai on a redirect hop only",
    "/page",
    "disallow",
    site(NOTHING, {"/page": redirect("/final", 301, xrt("noai"))}, page("/final")),
)
case(
    "X-08",
    "lower-case x-robots-tag field name",
    "/page",
    "disallow",
    site(NOTHING, page(headers=(("x-robots-tag", "noai"),))),
)
case(
    "X-09",
    '<meta name="ROBOTS" content="NOAI">',
    "/page",
    "disallow",
    site(NOTHING, meta_page("/page", ("ROBOTS", "NOAI"))),
    families={"meta-robots": "disallow"},
)
case(
    "X-10a",
    '<meta name="GPTBot" content="noai"> with GPTBot in the token list',
    "/page",
    "disallow",
    site(NOTHING, meta_page("/page", ("GPTBot", "noai"))),
)
case(
    "X-10b",
    '<meta name="otherbot" content="noai">: not for our tokens',
    "/page",
    "allow",
    site(NOTHING, meta_page("/page", ("otherbot", "noai"))),
)
case(
    "X-11",
    "image of a page carrying noimageai",
    "/img/a.jpg",
    "disallow",
    site(
        NOTHING,
        meta_page("/page", ("robots", "noimageai")),
        image("/img/a.jpg", b"\xff\xd8\xff\xd9"),
    ),
    embedding_page="/page",
)
case(
    "X-11b",
    "noimageai on an HTML page does not refuse its text",
    "/page",
    "allow",
    site(NOTHING, meta_page("/page", ("robots", "noimageai"))),
)
case(
    "X-11c",
    "noimageai header on an image response",
    "/img/b.jpg",
    "disallow",
    site(NOTHING, image("/img/b.jpg", b"\xff\xd8\xff\xd9", xrt("noimageai"))),
)
case(
    "X-12",
    "meta robots in <body>: honoured (conservative)",
    "/page",
    "disallow",
    site(NOTHING, meta_page("/page", ("robots", "noai"), where="body")),
)
case(
    "X-12b",
    "meta robots after 300 unclosed <div> (libxml2 stops at depth 256): still honoured",
    "/page",
    "disallow",
    site(
        NOTHING,
        page(
            html="<html><head><title>t</title></head><body>"
            + "<div>" * 300
            + '<meta name="robots" content="noai">x</body></html>'
        ),
    ),
)
case(
    "X-13a",
    'content="noai,noimageai" without spaces',
    "/page",
    "disallow",
    site(NOTHING, meta_page("/page", ("robots", "noai,noimageai"))),
)
case(
    "X-13b",
    'content=" noai ; " with a semicolon',
    "/page",
    "disallow",
    site(NOTHING, meta_page("/page", ("robots", " noai ; "))),
)
case(
    "X-13c",
    "repeated meta tags: index, then noai",
    "/page",
    "disallow",
    site(NOTHING, meta_page("/page", ("robots", "index"), ("robots", "noai"))),
)
case("X-14a", "noml", "/page", "disallow", site(NOTHING, page(headers=xrt("noml"))))
case(
    "X-14b",
    "Bing noarchive: not a training opt-out by default",
    "/page",
    "allow",
    site(NOTHING, page(headers=xrt("noarchive"))),
)
case(
    "X-14c",
    "Bing noarchive in conservative mode",
    "/page",
    "disallow",
    site(NOTHING, page(headers=xrt("noarchive"))),
    engine={"conservative": True},
)
case(
    "X-15",
    "noindex refuses search, not training",
    "/page",
    "disallow",
    site(NOTHING, page(headers=xrt("noindex"))),
    purpose="search",
)


# ---------------------------------------------------------------- TDMRep (§4.5)
def th(value: str, name: str = "tdm-reservation") -> tuple[tuple[str, str], ...]:
    return ((name, value),)


case(
    "T-01",
    "first rule in sequence wins, even if shorter",
    "/open/x",
    "disallow",
    site(
        NOTHING,
        tdm_file(
            '[{"location":"/","tdm-reservation":1},{"location":"/open/","tdm-reservation":0}]'
        ),
        page("/open/x"),
    ),
    families={"tdmrep": "disallow"},
)
case(
    "T-02a",
    "reversed rules: /open/x not reserved",
    "/open/x",
    "allow",
    site(
        NOTHING,
        tdm_file(
            '[{"location":"/open/","tdm-reservation":0},{"location":"/","tdm-reservation":1}]'
        ),
        page("/open/x"),
    ),
    families={"tdmrep": "allow"},
)
case(
    "T-02b",
    "reversed rules: /other reserved",
    "/other",
    "disallow",
    site(
        NOTHING,
        tdm_file(
            '[{"location":"/open/","tdm-reservation":0},{"location":"/","tdm-reservation":1}]'
        ),
        page("/other"),
    ),
)
case(
    "T-03",
    "*.jpg location is a prefix match (no implicit $)",
    "/directory-b/images/a.jpg.html",
    "disallow",
    site(
        NOTHING,
        tdm_file('[{"location":"/directory-b/images/*.jpg","tdm-reservation":1}]'),
        page("/directory-b/images/a.jpg.html"),
    ),
)
case(
    "T-04",
    "$ location does not match a query",
    "/a/b.pdf?x=1",
    "allow",
    site(NOTHING, tdm_file('[{"location":"/a/b.pdf$","tdm-reservation":1}]'), page("/a/b.pdf")),
    families={"tdmrep": "unknown"},
)
case(
    "T-05a",
    'reservation "1" (string): protocol error, unset',
    "/page",
    "allow",
    site(NOTHING, tdm_file('[{"location":"/","tdm-reservation":"1"}]'), page()),
    families={"tdmrep": "unknown"},
)
case(
    "T-05b",
    "reservation true: unset",
    "/page",
    "allow",
    site(NOTHING, tdm_file('[{"location":"/","tdm-reservation":true}]'), page()),
    families={"tdmrep": "unknown"},
)
case(
    "T-05c",
    "reservation 2: unset",
    "/page",
    "allow",
    site(NOTHING, tdm_file('[{"location":"/","tdm-reservation":2}]'), page()),
    families={"tdmrep": "unknown"},
)
case(
    "T-06a",
    "header '1 ' with trailing space",
    "/page",
    "disallow",
    site(NOTHING, page(headers=th("1 "))),
)
case(
    "T-06b",
    "header '01' is a protocol error",
    "/page",
    "allow",
    site(NOTHING, page(headers=th("01"))),
    families={"tdmrep": "unknown"},
)
case(
    "T-06c",
    "TDM-Reservation: 1 (field name case)",
    "/page",
    "disallow",
    site(NOTHING, page(headers=th("1", "TDM-Reservation"))),
)
case(
    "T-07",
    "file 1, header 0: the header supersedes",
    "/page",
    "allow",
    site(NOTHING, tdm_file('[{"location":"/","tdm-reservation":1}]'), page(headers=th("0"))),
    families={"tdmrep": "allow"},
)
case(
    "T-08",
    "header 1, no meta: absence does not reset",
    "/page",
    "disallow",
    site(NOTHING, page(headers=th("1"))),
)
case(
    "T-09",
    "file 1, HTML meta 0: the meta supersedes (C-03)",
    "/page",
    "allow",
    site(
        NOTHING,
        tdm_file('[{"location":"/","tdm-reservation":1}]'),
        meta_page("/page", ("tdm-reservation", "0")),
    ),
    families={"tdmrep": "allow"},
)
case(
    "T-10a",
    "tdmrep.json 500: unset (not robots semantics)",
    "/page",
    "allow",
    site(NOTHING, tdm_file("", 500), page()),
    families={"tdmrep": "unknown"},
)
case(
    "T-10b",
    "tdmrep.json invalid JSON: unset, logged",
    "/page",
    "allow",
    site(NOTHING, tdm_file("[{oops"), page()),
    families={"tdmrep": "unknown"},
)
case(
    "T-10c",
    "tdmrep.json is an object, not an array",
    "/page",
    "allow",
    site(NOTHING, tdm_file('{"location":"/","tdm-reservation":1}'), page()),
    families={"tdmrep": "unknown"},
)
case(
    "T-10d",
    "tdmrep.json nested 100,000 arrays deep: unset, logged (no crash)",
    "/page",
    "allow",
    site(NOTHING, tdm_file("[" * 100_000 + "]" * 100_000), page()),
    families={"tdmrep": "unknown"},
)
case(
    "T-11",
    "tdmrep.json behind a redirect to another host",
    "/page",
    "disallow",
    site(
        NOTHING, {"/.well-known/tdmrep.json": redirect("http://cdn.{host}:{port}/tdm.json")}, page()
    ),
    others={"cdn": {"/tdm.json": Resp(200, body=b'[{"location":"/","tdm-reservation":1}]')}},
)
case(
    "T-12",
    "reservation 1 with a machine-readable policy: still reserved, policy type recorded",
    "/page",
    "disallow",
    site(
        NOTHING,
        page(headers=th("1") + th("http://{host}:{port}/policy.json", "tdm-policy")),
        {
            "/policy.json": Resp(
                200,
                (("Content-Type", "application/ld+json"),),
                b'{"@type": "Offer", "profile": "http://www.w3.org/ns/tdmrep"}',
            )
        },
    ),
)
case(
    "T-13",
    "reservation 0 with a policy: not reserved",
    "/page",
    "allow",
    site(NOTHING, page(headers=th("0") + th("https://p.example/policy.json", "tdm-policy"))),
    families={"tdmrep": "allow"},
)
case(
    "T-14a",
    "EPUB 3 package metadata (tdmrep# namespace)",
    "/book.epub",
    "disallow",
    site(NOTHING, {"/book.epub": Resp(200, (("Content-Type", "application/epub+zip"),), EPUB3)}),
)
case(
    "T-14b",
    "EPUB 2 package metadata",
    "/book2.epub",
    "disallow",
    site(NOTHING, {"/book2.epub": Resp(200, (("Content-Type", "application/epub+zip"),), EPUB2)}),
)
case(
    "T-14c",
    "PDF XMP (tdmrep/ namespace)",
    "/paper.pdf",
    "disallow",
    site(NOTHING, {"/paper.pdf": Resp(200, (("Content-Type", "application/pdf"),), PDF)}),
)
case(
    "T-15",
    "page TDM meta does not cover an embedded image",
    "/img/c.jpg",
    "allow",
    site(
        NOTHING,
        meta_page("/page", ("tdm-reservation", "1")),
        image("/img/c.jpg", b"\xff\xd8\xff\xd9"),
    ),
    embedding_page="/page",
)
case(
    "T-17",
    "HEAD pre-flight answers tdm-reservation: 1: honoured, no GET",
    "/big.jpg",
    "disallow",
    site(
        NOTHING,
        {
            "/big.jpg": Resp(
                200,
                (("Content-Type", "image/jpeg"),),
                b"\xff\xd8\xff\xd9",
                head_headers=(("Content-Type", "image/jpeg"), ("tdm-reservation", "1")),
            )
        },
    ),
    head_first=True,
)
case(
    "T-16",
    "percent-encoded path matches a UTF-8 location",
    "/caf%C3%A9/x",
    "disallow",
    site(NOTHING, tdm_file('[{"location":"/café/","tdm-reservation":1}]'), page("/caf%C3%A9/x")),
)
case(
    "T-18",
    "HTML meta reservation 1 on the page",
    "/page",
    "disallow",
    site(NOTHING, meta_page("/page", ("tdm-reservation", "1"))),
)


# ---------------------------------------------------------------- aipref / Content-Signal (§5.4)
def cu(*values: str) -> tuple[tuple[str, str], ...]:
    return tuple(("Content-Usage", v) for v in values)


case(
    "A-01",
    "Content-Usage: train-ai=n",
    "/page",
    "disallow",
    site(NOTHING, page(headers=cu("train-ai=n"))),
    families={"content-usage": "disallow"},
)
case(
    "A-02",
    "two lines n then y: each a statement, most restrictive wins",
    "/page",
    "disallow",
    site(NOTHING, page(headers=cu("train-ai=n", "train-ai=y"))),
)
case(
    "A-03",
    "Train-AI=n: SF parse failure, unknown",
    "/page",
    "allow",
    site(NOTHING, page(headers=cu("Train-AI=n"))),
    families={"content-usage": "unknown"},
)
case(
    "A-04a",
    "train-ai=?0: unknown",
    "/page",
    "allow",
    site(NOTHING, page(headers=cu("train-ai=?0"))),
    families={"content-usage": "unknown"},
)
case(
    "A-04b",
    'train-ai="n": unknown',
    "/page",
    "allow",
    site(NOTHING, page(headers=cu('train-ai="n"'))),
    families={"content-usage": "unknown"},
)
case(
    "A-04c",
    "train-ai=no: unknown",
    "/page",
    "allow",
    site(NOTHING, page(headers=cu("train-ai=no"))),
    families={"content-usage": "unknown"},
)
case(
    "A-05",
    "parameters are ignored",
    "/page",
    "disallow",
    site(NOTHING, page(headers=cu("train-ai=n;exp=2027"))),
)
case(
    "A-06a",
    "legacy train-genai=n",
    "/page",
    "disallow",
    site(NOTHING, page(headers=cu("train-genai=n"))),
)
case("A-06b", "legacy all=n", "/page", "disallow", site(NOTHING, page(headers=cu("all=n"))))
case("A-06c", "legacy tdm=n", "/page", "disallow", site(NOTHING, page(headers=cu("tdm=n"))))
case(
    "A-06d",
    'draft example: train-ai=y, train-ai, search=n, search="n" is all unknown',
    "/page",
    "allow",
    site(NOTHING, page(headers=cu('train-ai=y, train-ai, search=n, search="n"'))),
    families={"content-usage": "unknown"},
)
case(
    "A-07a",
    "robots.txt Content-Usage /ai-ok/ y: allowed there",
    "/ai-ok/x",
    "allow",
    site(
        robots(
            "User-agent: *\nAllow: /\nContent-Usage: train-ai=n\nContent-Usage: /ai-ok/ train-ai=y\n"
        ),
        page("/ai-ok/x"),
    ),
    families={"robots-content-usage": "allow"},
)
case(
    "A-07b",
    "robots.txt Content-Usage train-ai=n elsewhere",
    "/test",
    "disallow",
    site(
        robots(
            "User-agent: *\nAllow: /\nContent-Usage: train-ai=n\nContent-Usage: /ai-ok/ train-ai=y\n"
        ),
        page("/test"),
    ),
    families={"robots-content-usage": "disallow"},
)
case(
    "A-08",
    "same path with y and n: combined, disallow",
    "/page",
    "disallow",
    site(
        robots("User-agent: *\nContent-Usage: /p train-ai=y\nContent-Usage: /p train-ai=n\n"),
        page(),
    ),
)
case(
    "A-09",
    "specific group without Content-Usage: no inheritance from *",
    "/page",
    "allow",
    site(
        robots("User-agent: *\nContent-Usage: train-ai=n\n\nUser-agent: ExampleBot\nAllow: /\n"),
        page(),
    ),
    tokens=("ExampleBot",),
    families={"robots-content-usage": None},
)
case(
    "A-10",
    "trailing comment is stripped",
    "/page",
    "disallow",
    site(robots("User-agent: *\nContent-Usage: train-ai=n # no training\n"), page()),
)
case(
    "A-11",
    "unencoded space in the path: malformed",
    "/path",
    "allow",
    site(robots("User-agent: *\nContent-Usage: /path with space/ train-ai=n\n"), page("/path")),
    families={"robots-content-usage": "unknown"},
)
case(
    "A-12",
    "Content-Usage on a disallowed path is irrelevant",
    "/never/x",
    "disallow",
    site(robots("User-agent: *\nDisallow: /never/\nContent-Usage: train-ai=y\n"), page("/never/x")),
    families={"robots-txt": "disallow", "robots-content-usage": None},
)
case(
    "A-13",
    "Content-Signal ai-train=no under *",
    "/page",
    "disallow",
    site(robots("User-agent: *\nContent-Signal: search=yes, ai-train=no\nAllow: /\n"), page()),
    families={"content-signal": "disallow"},
)
case(
    "A-14a",
    "Content-Signal only under GPTBot, our tokens exclude it",
    "/page",
    "allow",
    site(
        robots(
            "User-agent: *\nAllow: /\n\nUser-agent: GPTBot\nContent-Signal: ai-train=no\nAllow: /\n"
        ),
        page(),
    ),
    tokens=("moisson-bot",),
)
case(
    "A-14b",
    "Content-Signal under GPTBot, multi-token list includes it",
    "/page",
    "disallow",
    site(
        robots(
            "User-agent: *\nAllow: /\n\nUser-agent: GPTBot\nContent-Signal: ai-train=no\nAllow: /\n"
        ),
        page(),
    ),
)
case(
    "A-15a",
    "ai-train=NO",
    "/page",
    "disallow",
    site(robots("User-agent: *\nContent-signal: ai-train=NO\n"), page()),
)
case(
    "A-15b",
    "ai-train = no (spaces)",
    "/page",
    "disallow",
    site(robots("User-agent: *\nContent-Signal: ai-train = no\n"), page()),
)
case(
    "A-15c",
    "ai_train=no: unknown key, flagged",
    "/page",
    "allow",
    site(robots("User-agent: *\nContent-Signal: ai_train=no\n"), page()),
    families={"content-signal": "unknown"},
)
case(
    "A-16",
    "robots.txt Content-Usage y, header n: disallow",
    "/page",
    "disallow",
    site(robots("User-agent: *\nContent-Usage: train-ai=y\n"), page(headers=cu("train-ai=n"))),
)
case(
    "A-17",
    "Content-Signal search=no refuses search only",
    "/page",
    "disallow",
    site(robots("User-agent: *\nContent-Signal: search=no, ai-train=yes\n"), page()),
    purpose="search",
)
case(
    "A-18",
    "Content-Signal ai-input=no refuses RAG use",
    "/page",
    "disallow",
    site(robots("User-agent: *\nContent-Signal: ai-input=no\n"), page()),
    purpose="ai-input",
)
case(
    "A-19",
    "Cloudflare managed file: ai-train=no under *, GPTBot disallowed",
    "/page",
    "disallow",
    site(
        robots(
            "User-agent: *\nContent-Signal: search=yes,ai-train=no,use=reference\nAllow: /\nUser-agent: GPTBot\nDisallow: /\n"
        ),
        page(),
    ),
    tokens=("moisson-bot",),
    families={"content-signal": "disallow"},
)

# ---------------------------------------------------------------- ai.txt (§6.3)
case(
    "I-01",
    "ai.txt User-Agent: * / Disallow: /",
    "/page",
    "disallow",
    site(NOTHING, ai_txt("User-Agent: *\nDisallow: /\n"), page()),
    families={"ai-txt": "disallow"},
)
case(
    "I-02a",
    "ai.txt Disallow: *.jpg refuses images",
    "/img/a.jpg",
    "disallow",
    site(
        NOTHING,
        ai_txt("User-Agent: *\nDisallow: *.jpg\n"),
        image("/img/a.jpg", b"\xff\xd8\xff\xd9"),
    ),
)
case(
    "I-02b",
    "ai.txt Disallow: *.jpg leaves text",
    "/page",
    "allow",
    site(NOTHING, ai_txt("User-Agent: *\nDisallow: *.jpg\n"), page()),
    families={"ai-txt": "allow"},
)
case(
    "I-03",
    "/ai.txt 404, /.well-known/ai.txt present",
    "/page",
    "disallow",
    site(NOTHING, ai_txt("User-Agent: *\nDisallow: /\n", "/.well-known/ai.txt"), page()),
)
case(
    "I-04",
    "ai.txt in Markdown (aitxt.ing): no rules",
    "/page",
    "allow",
    site(NOTHING, ai_txt("# About us\n\nWe sell shoes.\n"), page()),
    families={"ai-txt": "unknown"},
)
case(
    "I-05",
    "ai.txt allows *.txt, robots.txt disallows GPTBot",
    "/notes.txt",
    "disallow",
    site(
        robots("User-agent: GPTBot\nDisallow: /\n"),
        ai_txt("User-Agent: *\nAllow: *.txt\n"),
        page("/notes.txt"),
    ),
)
case(
    "I-06",
    "llms.txt only: no preference",
    "/page",
    "allow",
    site(NOTHING, {"/llms.txt": Resp(200, body=b"# Site\n> summary\n")}, page()),
    families={"ai-txt": "unknown"},
)

# ---------------------------------------------------------------- media metadata (§7)
case(
    "M-01",
    "IPTC DMI-PROHIBITED-AIMLTRAINING (full URI)",
    "/img/m1.jpg",
    "disallow",
    site(
        NOTHING,
        image(
            "/img/m1.jpg", iptc_jpeg("http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING")
        ),
    ),
    families={"iptc": "disallow"},
)
case(
    "M-02",
    "IPTC bare id DMI-PROHIBITED (element form)",
    "/img/m2.jpg",
    "disallow",
    site(NOTHING, image("/img/m2.jpg", iptc_jpeg("DMI-PROHIBITED", attr=False))),
)
case(
    "M-03",
    "IPTC DMI-ALLOWED",
    "/img/m3.jpg",
    "allow",
    site(NOTHING, image("/img/m3.jpg", iptc_jpeg("http://ns.useplus.org/ldf/vocab/DMI-ALLOWED"))),
    families={"iptc": "allow"},
)
case(
    "M-04",
    "stripped metadata: unknown, never allowed by IPTC",
    "/img/m4.jpg",
    "allow",
    site(NOTHING, image("/img/m4.jpg", b"\xff\xd8\xff\xd9")),
    families={"iptc": None},
)
case(
    "M-05",
    "CAWG cawg.ai_training notAllowed",
    "/img/m5.jpg",
    "disallow",
    site(
        NOTHING,
        image("/img/m5.jpg", c2pa_jpeg("cawg.training-mining", {"ai_training": "notAllowed"})),
    ),
    families={"c2pa": "disallow"},
)
case(
    "M-06",
    "CAWG constrained counts as notAllowed",
    "/img/m6.jpg",
    "disallow",
    site(
        NOTHING,
        image(
            "/img/m6.jpg",
            c2pa_jpeg("cawg.training-mining", {"ai_generative_training": "constrained"}),
        ),
    ),
)
case(
    "M-07",
    "legacy c2pa.training-mining label",
    "/img/m7.jpg",
    "disallow",
    site(
        NOTHING,
        image("/img/m7.jpg", c2pa_jpeg("c2pa.training-mining", {"ai_training": "notAllowed"})),
    ),
)
case(
    "M-08",
    "CAWG allowed",
    "/img/m8.jpg",
    "allow",
    site(
        NOTHING,
        image(
            "/img/m8.jpg",
            c2pa_jpeg("cawg.training-mining", {"ai_training": "allowed", "data_mining": "allowed"}),
        ),
    ),
    families={"c2pa": "allow"},
)
case(
    "M-08b",
    "C2PA assertion nested 5,000 levels deep: unreadable, reported as an error (no crash)",
    "/img/m8b.jpg",
    "allow",
    site(
        NOTHING,
        image("/img/m8b.jpg", c2pa_jpeg("cawg.training-mining", {}, raw=b"\x81" * 5000)),
    ),
    families={"c2pa": "error"},
)

# ---------------------------------------------------------------- cross-family (§12)
case(
    "C-01",
    "robots.txt allows, page meta noai",
    "/page",
    "disallow",
    site(robots("User-agent: *\nAllow: /\n"), meta_page("/page", ("robots", "noai"))),
)
case(
    "C-02",
    "tdmrep.json 1, header Content-Usage train-ai=y",
    "/page",
    "disallow",
    site(
        NOTHING, tdm_file('[{"location":"/","tdm-reservation":1}]'), page(headers=cu("train-ai=y"))
    ),
)
case(
    "C-08",
    "local opt-out list names the domain",
    "/page",
    "disallow",
    site(robots("User-agent: *\nAllow: /\n"), page()),
    engine={"local_domains": ["c-08.test"]},
    families={"local-list": "disallow"},
)
case(
    "C-08b",
    "local opt-out list covers subdomains",
    "/page",
    "disallow",
    site(NOTHING, page()),
    host_name="www.c-08b.test",
    engine={"local_domains": ["c-08b.test"]},
)
case(
    "C-12",
    "IDNA host: Unicode URL reaches the xn-- site",
    "/page",
    "disallow",
    site(robots(DIS_ALL), page()),
    host_name="xn--mnchen-3ya.test",
)
case(
    "C-13",
    "everything allows: allow is a preference, not consent",
    "/page",
    "allow",
    site(
        robots("User-agent: *\nAllow: /\n"),
        tdm_file('[{"location":"/","tdm-reservation":0}]'),
        page(headers=cu("train-ai=y")),
    ),
)

CASES: tuple[Case, ...] = tuple(C)


def case_url(c: Case, server: FixtureServer, path: str | None = None) -> str:
    host = "münchen.test" if c.host == "xn--mnchen-3ya.test" else c.host
    return server.url(host, path or c.path)


def serve_cases(server: FixtureServer, cases: tuple[Case, ...] = CASES) -> None:
    """Register every case's routes on the server (call after the port is known)."""
    for c in cases:
        for hostname, routes in [
            (c.host, c.site),
            *((f"{p}.{c.host}", r) for p, r in c.others.items()),
        ]:
            for path, resp in routes.items():
                headers = tuple(
                    (k, v.replace("{host}", c.host).replace("{port}", str(server.port)))
                    for k, v in resp.headers
                )
                server.add(hostname, path, replace(resp, headers=headers))
    # the chain ends on the original host's /final-robots
    r06 = next((c for c in cases if c.id == "R-06"), None)
    if r06 is not None:
        server.add(
            r06.host,
            "/final-robots",
            Resp(200, (("Content-Type", "text/plain"),), DIS_ALL.encode()),
        )
