"""The embedded demo web: a dozen made-up ``*.example`` sites, served on loopback or as a WARC.

Everything is generated from a seed, without network, so that tests of every pillar can assert
exact outcomes against :attr:`DemoWeb.truth`: which made-up persons and identifiers appear on each
page (PII-01), which special-category statements it holds (SCR-10), and which opt-out signal or
access barrier must refuse it (SCR-04, SCR-05/06/13, SCR-07). The signal syntax follows
``optout-signals.md`` (robots.txt RFC 9309 with AI control tokens, X-Robots-Tag ``noai``/``noml``
incl. bot-scoped and repeated lines, meta robots, TDMRep file/header/meta, IETF aipref
``Content-Usage`` header and robots.txt rule, Cloudflare ``Content-Signal``, Spawning ``ai.txt``).

All names, numbers and addresses are invented; checksums (IBAN mod-97, Luhn, NIR key) are valid
so that validating detectors find them.
"""

from __future__ import annotations

import contextlib
import html
import io
import random
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

__all__ = (
    "DEMO_SEED",
    "REFUSAL_FAMILIES",
    "DemoSiteServer",
    "DemoWeb",
    "Page",
    "PageTruth",
    "Person",
    "PiiMention",
    "Site",
    "packaged_seeds_path",
    "packaged_warc_path",
    "synthetic_site",
    "write_demo_warc",
)

DEMO_SEED = 20261126
# Fixed capture time of the WARC, so the packaged file is byte-for-byte reproducible.
WARC_DATE = "2026-11-02T10:00:00Z"
AGENT_TOKEN = "moisson-bot"

RefusalReason = Literal[
    "robots",  # robots.txt Disallow for our token or an AI training token (RFC 9309)
    "robots-unreachable",  # robots.txt 5xx: complete disallow (RFC 9309 §2.3.1.4)
    "x-robots-tag",  # X-Robots-Tag noai / noml on the response or a redirect hop
    "meta-robots",  # <meta name="robots" content="noai|noml">
    "tdmrep",  # TDMRep tdmrep.json / tdm-reservation header / meta
    "content-usage",  # IETF aipref Content-Usage header or robots.txt rule
    "content-signal",  # Cloudflare Content-Signal ai-train=no in robots.txt
    "ai-txt",  # Spawning ai.txt
    "login",  # SCR-04: page behind a login form
    "captcha",  # SCR-04: CAPTCHA challenge
    "category",  # SCR-07: sensitive site category
    "type",  # content type outside the policy
]


# Ground-truth refusal -> opt-out families of ``moisson.optout`` that must refuse the page
# (any one of them). An empty set: not an opt-out signal but an access barrier (SCR-04), a
# site category (SCR-07) or a type limit, which only the crawler decides.
REFUSAL_FAMILIES: dict[str, frozenset[str]] = {
    "robots": frozenset({"robots-txt"}),
    "robots-unreachable": frozenset({"robots-txt"}),
    "x-robots-tag": frozenset({"x-robots-tag"}),
    "meta-robots": frozenset({"meta-robots"}),
    "tdmrep": frozenset({"tdmrep"}),
    "content-usage": frozenset({"content-usage", "robots-content-usage"}),
    "content-signal": frozenset({"content-signal"}),
    "ai-txt": frozenset({"ai-txt"}),
    "login": frozenset(),
    "captcha": frozenset(),
    "category": frozenset(),
    "type": frozenset(),
}


# --------------------------------------------------------------------------- model


@dataclass(frozen=True, slots=True)
class Person:
    """A made-up person; the identifiers are the forms that appear in pages."""

    name: str
    email: str
    phone: str


@dataclass(frozen=True, slots=True)
class PiiMention:
    """One identifier written in a page: a PII-01 label and the exact text."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class PageTruth:
    """What a correct pipeline must conclude about one URL (ground truth, not in the WARC)."""

    url: str
    host: str
    path: str
    lang: str
    status: int
    persons: tuple[Person, ...] = ()
    pii: tuple[PiiMention, ...] = ()
    special: tuple[str, ...] = ()  # GDPR art. 9 categories stated about a person
    refusal: str | None = None  # a RefusalReason, None when the page must be kept
    redirect_to: str | None = None
    is_document: bool = True  # False for redirects, site files and error pages


@dataclass(slots=True)
class Page:
    """One HTTP resource: status, ordered headers (repeats kept) and body bytes."""

    path: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return "application/octet-stream"


@dataclass(slots=True)
class Site:
    """One origin ``http://host``: its pages and site files keyed by path."""

    host: str
    lang: str
    genre: str
    category: str | None = None
    pages: dict[str, Page] = field(default_factory=dict)

    def add(self, page: Page) -> None:
        self.pages[page.path] = page


@dataclass(slots=True)
class DemoWeb:
    """The whole demo web: sites by host, and the ground truth by URL (``http://host/path``)."""

    sites: dict[str, Site]
    truth: dict[str, PageTruth]
    persons: tuple[Person, ...] = ()

    @property
    def hosts(self) -> list[str]:
        return sorted(self.sites)

    @classmethod
    def generate(cls, seed: int = DEMO_SEED) -> DemoWeb:
        """Build the demo web deterministically from ``seed``."""
        return _DemoBuilder(random.Random(seed)).build()

    def page(self, host: str, path: str) -> Page | None:
        site = self.sites.get(host.lower())
        return site.pages.get(path) if site else None

    def seeds(self) -> list[str]:
        """Home page of every site, in host order (port 80 URLs)."""
        return [f"http://{host}/" for host in self.hosts]

    def truth_for(self, url: str) -> PageTruth:
        """Ground truth of ``url``; the port is ignored so loopback URLs resolve too."""
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return self.truth[f"http://{(parts.hostname or '').lower()}{path}"]

    def documents(self) -> list[PageTruth]:
        """Truth of every HTML page that is a document candidate."""
        return [t for t in self.truth.values() if t.is_document]

    def iter_resources(self) -> Iterator[tuple[str, Page]]:
        """``(url, page)`` for every resource, site files first per host (WARC order)."""
        for host in self.hosts:
            site = self.sites[host]
            files = [p for p in site.pages if p in _SITE_FILE_PATHS]
            others = sorted(p for p in site.pages if p not in _SITE_FILE_PATHS)
            for path in files + others:
                yield f"http://{host}{path}", site.pages[path]


_SITE_FILE_PATHS = ("/robots.txt", "/.well-known/tdmrep.json", "/ai.txt")


# --------------------------------------------------------------------------- identifiers


def _luhn_check_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # positions that get doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def _luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def make_card(rng: random.Random) -> str:
    """A 16-digit Visa-like number with a valid Luhn digit, grouped by four."""
    body = "4" + "".join(str(rng.randrange(10)) for _ in range(14))
    number = body + _luhn_check_digit(body)
    return " ".join(number[i : i + 4] for i in range(0, 16, 4))


def make_iban_fr(rng: random.Random) -> str:
    """A French IBAN with a valid RIB key and valid ISO 13616 mod-97 check digits."""
    bank = rng.randrange(10000, 99999)
    branch = rng.randrange(10000, 99999)
    account = rng.randrange(10**9, 10**11)
    rib_key = 97 - ((89 * bank + 15 * branch + 3 * account) % 97)
    bban = f"{bank:05d}{branch:05d}{account:011d}{rib_key:02d}"
    numeric = int(bban + "1527" + "00")  # F=15, R=27
    check = 98 - numeric % 97
    iban = f"FR{check:02d}{bban}"
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def make_nir(rng: random.Random, *, female: bool) -> str:
    """A French NIR (numéro de sécurité sociale) with its valid 2-digit key."""
    sex = "2" if female else "1"
    yy = f"{rng.randrange(50, 100):02d}"
    mm = f"{rng.randrange(1, 13):02d}"
    dept = f"{rng.choice([13, 31, 33, 44, 59, 69, 75, 92, 93]):02d}"
    commune = f"{rng.randrange(1, 400):03d}"
    order = f"{rng.randrange(1, 999):03d}"
    digits = sex + yy + mm + dept + commune + order
    key = 97 - int(digits) % 97
    return f"{sex} {yy} {mm} {dept} {commune} {order} {key:02d}"


def make_siren(rng: random.Random) -> str:
    body = "".join(str(rng.randrange(10)) for _ in range(8))
    if body[0] == "0":
        body = "3" + body[1:]
    return body + _luhn_check_digit(body)


def make_siret(rng: random.Random, siren: str) -> str:
    """SIREN + 4-digit establishment number, the whole 14 digits Luhn-valid."""
    for nic in range(10, 100000):
        candidate = f"{siren}{nic:05d}"[:14]
        if _luhn_valid(candidate):
            return f"{siren[:3]} {siren[3:6]} {siren[6:9]} {candidate[9:]}"
    msg = "no Luhn-valid SIRET found"  # unreachable: one NIC in ten is valid
    raise AssertionError(msg)


def make_public_ip(rng: random.Random) -> str:
    first = rng.choice([37, 78, 82, 86, 90, 109, 176, 193, 212])
    return f"{first}.{rng.randrange(1, 255)}.{rng.randrange(0, 255)}.{rng.randrange(1, 255)}"


# --------------------------------------------------------------------------- people

_FR_FIRST_F = ("Marie", "Camille", "Léa", "Chloé", "Inès", "Juliette", "Manon", "Sophie", "Aurélie")
_FR_FIRST_M = ("Jean", "Lucas", "Hugo", "Thomas", "Mathieu", "Nicolas", "Antoine", "Karim", "Yann")
_FR_LAST = (
    "Martin",
    "Bernard",
    "Dubois",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Benali",
    "Nguyen",
    "Chevalier",
)
_EN_FIRST_F = ("Emily", "Olivia", "Grace", "Hannah", "Chloe", "Amelia", "Sarah")
_EN_FIRST_M = ("James", "Oliver", "Henry", "Daniel", "Samuel", "George", "Michael")
_EN_LAST = ("Smith", "Taylor", "Brown", "Wilson", "Davies", "Evans", "Clarke", "Hughes", "Walker")
_FR_STREETS = ("rue des Lilas", "avenue Jean-Jaurès", "rue de la République", "place du Marché")
_FR_CITIES = (("69003", "Lyon"), ("75011", "Paris"), ("33000", "Bordeaux"), ("44000", "Nantes"))
_UK_ADDR = (
    "14 Elm Grove, Bristol BS6 5AA",
    "221 Camden Road, London NW1 9AA",
    "7 Mill Lane, Leeds LS1 4AP",
)
_US_ADDR = ("1842 Maple Avenue, Springfield, IL 62704", "77 Harbor Street, Portland, ME 04101")
_MAIL_DOMAINS_FR = ("exemple.fr", "courriel.example", "mail.example")
_MAIL_DOMAINS_EN = ("example.com", "mail.example", "post.example")


def _ascii_slug(text: str) -> str:
    table = str.maketrans("éèêëàâîïôöùûüç", "eeeeaaiioouuuc")
    return "".join(c for c in text.lower().translate(table) if c.isalnum() or c in ".-")


@dataclass(slots=True)
class _Identity:
    person: Person
    lang: str
    female: bool


# --------------------------------------------------------------------------- text

_FR_FILLER = (
    "Nous avons eu beaucoup de retours après la dernière édition, et l'équipe a décidé de "
    "prolonger l'expérience jusqu'à la fin de la saison.",
    "Les horaires restent inchangés pendant les vacances scolaires, sauf le dimanche où nous "
    "fermons à midi pour permettre à chacun de se reposer.",
    "Merci à toutes celles et ceux qui ont participé : sans vous, rien de tout cela ne serait "
    "possible, et nous comptons sur vous pour la suite.",
    "Le compte rendu complet sera publié la semaine prochaine, avec les photos et la liste des "
    "prochaines dates retenues par le bureau.",
    "La météo n'a pas toujours été de notre côté, mais l'ambiance était excellente et les "
    "enfants sont repartis avec le sourire.",
    "Pour rappel, la participation est libre et ouverte à tous les habitants du quartier, quel "
    "que soit leur âge ou leur expérience.",
    "Nous cherchons encore des bénévoles pour l'accueil et la logistique ; n'hésitez pas à en "
    "parler autour de vous.",
    "Le budget a été voté à l'unanimité et les travaux devraient commencer au printemps, si les "
    "autorisations arrivent à temps.",
)
_EN_FILLER = (
    "We received a lot of feedback after the last edition, so the team decided to extend the "
    "programme until the end of the season.",
    "Opening hours stay the same during the school holidays, except on Sundays when we close at "
    "noon so that everyone can get some rest.",
    "Thanks to everyone who took part: none of this would be possible without you, and we are "
    "counting on you for what comes next.",
    "The full write-up will be published next week, together with the photos and the list of "
    "dates chosen by the committee.",
    "The weather was not always on our side, but the atmosphere was great and the children went "
    "home smiling.",
    "As a reminder, attendance is free and open to every resident of the area, whatever their "
    "age or experience.",
    "We are still looking for volunteers to help with the welcome desk and logistics, so please "
    "spread the word.",
    "The budget was approved unanimously and work should start in the spring, if the permits "
    "arrive in time.",
)
_GENRE_TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "shop": {
        "fr": ("Nouvelle fournée", "Galette des rois", "Pain de campagne", "Commandes de fêtes"),
        "en": ("New arrivals", "Signed editions", "Book club picks", "Holiday orders"),
    },
    "news": {
        "fr": ("Conseil municipal", "Transports", "Économie locale", "Culture"),
        "en": ("City council", "Startups", "Open source", "Transport", "Courts"),
    },
    "health": {"fr": ("Consultations", "Prévention", "Témoignages", "Équipe soignante")},
    "religion": {"fr": ("Messe dominicale", "Catéchisme", "Pèlerinage", "Vie de la paroisse")},
    "municipal": {"fr": ("Délibérations", "État civil", "Travaux", "Associations")},
    "forum": {"fr": ("Tomates", "Compost", "Potager", "Arrosage", "Rosiers")},
    "association": {"fr": ("Sortie du dimanche", "Atelier réparation", "Adhésions", "Assemblée")},
    "homepage": {"en": ("About me", "Writing", "Talks", "Projects")},
    "blog": {
        "fr": ("Émaillage", "Cuisson raku", "Tournage", "Marchés de potiers"),
        "en": ("Road trip", "Hiking", "Train travel", "City guide"),
    },
}


class _DemoBuilder:
    """Builds the dozen sites; every random draw goes through ``self.rng`` (determinism)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sites: dict[str, Site] = {}
        self.truth: dict[str, PageTruth] = {}
        self.people: list[_Identity] = [self._make_identity("fr") for _ in range(24)] + [
            self._make_identity("en") for _ in range(16)
        ]

    # -- people and identifiers

    def _make_identity(self, lang: str) -> _Identity:
        rng = self.rng
        female = rng.random() < 0.5
        if lang == "fr":
            first = rng.choice(_FR_FIRST_F if female else _FR_FIRST_M)
            last = rng.choice(_FR_LAST)
            email = f"{_ascii_slug(first)}.{_ascii_slug(last)}@{rng.choice(_MAIL_DOMAINS_FR)}"
            d = [rng.randrange(10, 99) for _ in range(4)]
            phone = f"0{rng.choice([6, 7, 1, 4])} {d[0]} {d[1]} {d[2]} {d[3]}"
        else:
            first = rng.choice(_EN_FIRST_F if female else _EN_FIRST_M)
            last = rng.choice(_EN_LAST)
            email = f"{_ascii_slug(first)}{rng.randrange(1, 99)}@{rng.choice(_MAIL_DOMAINS_EN)}"
            if rng.random() < 0.5:
                phone = f"+44 20 7946 0{rng.randrange(100, 999)}"
            else:
                phone = f"+1 212 555 0{rng.randrange(100, 199)}"
        return _Identity(Person(f"{first} {last}", email, phone), lang, female)

    def _pick(self, lang: str, k: int) -> list[_Identity]:
        pool = [p for p in self.people if p.lang == lang]
        return self.rng.sample(pool, k)

    def _obfuscate(self, email: str, lang: str) -> str:
        local, domain = email.split("@")
        dot = " [dot] " if self.rng.random() < 0.6 else (" (point) " if lang == "fr" else " (dot) ")
        return f"{local} [at] {domain.replace('.', dot)}"

    def _person_paragraph(
        self, who: _Identity, lang: str, pii: list[PiiMention], special: list[str]
    ) -> str:
        """A paragraph about one person carrying 2-4 identifiers (and maybe an art. 9 fact)."""
        rng, p = self.rng, who.person
        parts: list[str] = []
        pii.append(PiiMention("PERSON", p.name))
        if rng.random() < 0.35:
            shown = self._obfuscate(p.email, lang)
        else:
            shown = p.email
        pii.append(PiiMention("EMAIL", shown))
        if lang == "fr":
            parts.append(f"Pour toute question, contactez {p.name} à l'adresse {shown}")
            if rng.random() < 0.7:
                pii.append(PiiMention("PHONE", p.phone))
                parts[-1] += f" ou au {p.phone}"
            parts[-1] += "."
            extra = rng.randrange(6)
            if extra == 0:
                street, (cp, city) = rng.choice(_FR_STREETS), rng.choice(_FR_CITIES)
                addr = f"{rng.randrange(1, 120)} {street}, {cp} {city}"
                pii.append(PiiMention("ADDRESS", addr))
                parts.append(f"{p.name.split()[0]} habite au {addr} depuis plusieurs années.")
            elif extra == 1:
                iban = make_iban_fr(rng)
                pii.append(PiiMention("IBAN", iban))
                parts.append(f"Les virements sont à faire sur le compte {iban} au nom de {p.name}.")
            elif extra == 2:
                nir = make_nir(rng, female=who.female)
                pii.append(PiiMention("FR_NIR", nir))
                parts.append(f"Numéro de sécurité sociale transmis par erreur : {nir}.")
            elif extra == 3:
                bd = f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(1950, 2004)}"
                pii.append(PiiMention("DATE_OF_BIRTH", bd))
                parts.append(f"{p.name.split()[0]} est {'née' if who.female else 'né'} le {bd}.")
            elif extra == 4:
                ip = make_public_ip(rng)
                pii.append(PiiMention("IP_ADDRESS", ip))
                parts.append(f"Le message a été posté depuis l'adresse IP {ip}.")
            else:
                card = make_card(rng)
                pii.append(PiiMention("CREDIT_CARD", card))
                parts.append(f"Carte utilisée pour l'acompte : {card}.")
        else:
            parts.append(f"You can reach {p.name} at {shown}")
            if rng.random() < 0.7:
                pii.append(PiiMention("PHONE", p.phone))
                parts[-1] += f" or on {p.phone}"
            parts[-1] += "."
            extra = rng.randrange(4)
            if extra == 0:
                addr = rng.choice(_UK_ADDR + _US_ADDR)
                pii.append(PiiMention("ADDRESS", addr))
                parts.append(f"Post can be sent to {addr}.")
            elif extra == 1:
                card = make_card(rng)
                pii.append(PiiMention("CREDIT_CARD", card))
                parts.append(f"The order was paid with card {card}.")
            elif extra == 2:
                month = rng.choice(("March", "June", "October", "December"))
                bd = f"{rng.randrange(1, 29)} {month} {rng.randrange(1950, 2004)}"
                pii.append(PiiMention("DATE_OF_BIRTH", bd))
                parts.append(f"{p.name.split()[0]} was born on {bd}.")
            else:
                ip = make_public_ip(rng)
                pii.append(PiiMention("IP_ADDRESS", ip))
                parts.append(f"The comment came from IP address {ip}.")
        return " ".join(parts)

    def _special_paragraph(self, who: _Identity, lang: str, category: str) -> str:
        name = who.person.name
        fr = {
            "HEALTH": f"{name} est suivi{'e' if who.female else ''} pour un diabète de type 2 "
            "et a commencé un traitement à l'insuline en septembre.",
            "RELIGION": f"{name} est catholique pratiquant{'e' if who.female else ''} et "
            "prépare sa confirmation à la paroisse.",
            "POLITICS": f"{name} milite au Parti écologiste depuis 2019 et sera candidat"
            f"{'e' if who.female else ''} aux municipales.",
            "TRADE_UNION": f"{name} est syndiqué{'e' if who.female else ''} à la CGT et "
            "représente le personnel de l'atelier.",
            "SEXUAL_ORIENTATION": f"{name} vit avec son compagnon et parle ouvertement de son "
            "homosexualité dans l'association.",
        }
        en = {
            "HEALTH": f"{name} has been treated for depression since last winter and is "
            "slowly returning to work.",
            "RELIGION": f"{name} converted to Islam two years ago and prays at the local mosque.",
            "POLITICS": f"{name} is a paid-up member of the Labour Party and canvasses on weekends.",
            "TRADE_UNION": f"{name} is a shop steward for the Unite union.",
            "SEXUAL_ORIENTATION": f"{name} came out as gay to the whole team last year.",
        }
        return (fr if lang == "fr" else en)[category]

    # -- pages

    def _html(
        self,
        *,
        lang: str,
        title: str,
        paragraphs: list[str],
        metas: list[tuple[str, str]] | None = None,
        links: list[tuple[str, str]] | None = None,
        extra_body: str = "",
        head_extra: str = "",
    ) -> bytes:
        meta_html = "".join(
            f'<meta name="{html.escape(n)}" content="{html.escape(c)}">\n' for n, c in metas or []
        )
        nav = "".join(
            f'<li><a href="{html.escape(h)}">{html.escape(t)}</a></li>' for h, t in links or []
        )
        body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
        doc = (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n{meta_html}{head_extra}</head>\n<body>\n"
            f"<header><nav><ul>{nav}</ul></nav></header>\n<main><article>\n"
            f"<h1>{html.escape(title)}</h1>\n{body}{extra_body}</article></main>\n"
            "<footer><p>© 2026 — site de démonstration moisson</p></footer>\n</body>\n</html>\n"
        )
        return doc.encode("utf-8")

    def _article(
        self,
        site: Site,
        path: str,
        title: str,
        *,
        n_persons: int | None = None,
        special: str | None = None,
        headers: list[tuple[str, str]] | None = None,
        metas: list[tuple[str, str]] | None = None,
        refusal: str | None = None,
        linked: bool = True,
    ) -> str:
        """Add one article page with people in it and record its truth; returns its path."""
        rng, lang = self.rng, site.lang
        k = rng.choice((0, 1, 1, 2, 2, 3)) if n_persons is None else n_persons
        people = self._pick(lang, k)
        pii: list[PiiMention] = []
        specials: list[str] = []
        filler = _FR_FILLER if lang == "fr" else _EN_FILLER
        day, month = rng.randrange(1, 29), rng.randrange(1, 13)
        if lang == "fr":
            intro = f"Publié le {day:02d}/{month:02d}/2026 dans la rubrique « {title} »."
        else:
            intro = f"Posted on 2026-{month:02d}-{day:02d} under “{title}”."
        paragraphs = [intro, *rng.sample(filler, 2)]
        for who in people:
            paragraphs.append(self._person_paragraph(who, lang, pii, specials))
        if special and people:
            paragraphs.append(self._special_paragraph(people[0], lang, special))
            specials.append(special)
        paragraphs += rng.sample(filler, 2)
        body = self._html(lang=lang, title=title, paragraphs=paragraphs, metas=metas or [])
        hdrs = [("Content-Type", "text/html; charset=utf-8"), *(headers or [])]
        site.add(Page(path, 200, hdrs, body))
        self._truth(
            site,
            path,
            200,
            persons=tuple(p.person for p in people),
            pii=tuple(pii),
            special=tuple(specials),
            refusal=refusal,
        )
        if linked:
            self._links.setdefault(site.host, []).append((path, title))
        return path

    def _truth(self, site: Site, path: str, status: int, **kw: Any) -> None:
        refusal = kw.pop("refusal", None)
        if refusal is None and site.category is not None:
            refusal = "category"
        url = f"http://{site.host}{path}"
        self.truth[url] = PageTruth(
            url=url, host=site.host, path=path, lang=site.lang, status=status, refusal=refusal, **kw
        )

    def _site_file(self, site: Site, path: str, status: int, ctype: str, text: str) -> None:
        site.add(Page(path, status, [("Content-Type", ctype)], text.encode("utf-8")))
        self._truth(site, path, status, is_document=False, refusal=None)

    def _home(self, site: Site, title: str, intro: str) -> None:
        links = self._links.get(site.host, [])
        body = self._html(lang=site.lang, title=title, paragraphs=[intro], links=links)
        site.add(Page("/", 200, [("Content-Type", "text/html; charset=utf-8")], body))
        self._truth(site, "/", 200)

    def _topics(self, site: Site) -> tuple[str, ...]:
        return _GENRE_TOPICS[site.genre][site.lang]

    def _articles(self, site: Site, prefix: str, count: int, **kw: Any) -> list[str]:
        topics = self._topics(site)
        special = kw.pop("special", None)
        out = []
        for i in range(count):
            title = f"{topics[i % len(topics)]} ({i + 1})"
            # art. 9 statements on every page of a sensitive site, one page in four elsewhere
            page_special = special if (site.category or i % 4 == 1) else None
            path = f"{prefix}{i + 1:02d}.html"
            out.append(self._article(site, path, title, special=page_special, **kw))
        return out

    # -- the dozen sites

    def build(self) -> DemoWeb:
        self._links: dict[str, list[tuple[str, str]]] = {}
        for make in (
            self._boulangerie,
            self._tech_news,
            self._clinique,
            self._paroisse,
            self._mairie,
            self._forum,
            self._asso_velo,
            self._homepage,
            self._bookshop,
            self._poterie,
            self._chronicle,
            self._voyage,
        ):
            make()
        persons = tuple(p.person for p in self.people)
        return DemoWeb(sites=dict(sorted(self.sites.items())), truth=self.truth, persons=persons)

    def _new_site(self, host: str, lang: str, genre: str, category: str | None = None) -> Site:
        site = Site(host=host, lang=lang, genre=genre, category=category)
        self.sites[host] = site
        return site

    def _boulangerie(self) -> None:
        # robots.txt: GPTBot (an AI training token) disallowed on /recettes/ only (RFC 9309,
        # multi-token policy §2.6); a login-walled customer area (SCR-04).
        s = self._new_site("boulangerie-martin.example", "fr", "shop")
        self._site_file(
            s,
            "/robots.txt",
            200,
            "text/plain",
            "User-agent: *\nDisallow: /panier/\n\nUser-agent: GPTBot\nDisallow: /recettes/\n"
            "Disallow: /panier/\n\nSitemap: http://boulangerie-martin.example/sitemap.xml\n",
        )
        self._articles(s, "/produits/", 14)
        self._articles(s, "/recettes/", 5, refusal="robots")
        login = self._html(
            lang="fr",
            title="Espace client — connexion",
            paragraphs=["Connectez-vous pour suivre vos commandes et vos cartes de fidélité."],
            extra_body=(
                '<form method="post" action="/espace-client/login">'
                '<label>Courriel <input type="email" name="login"></label>'
                '<label>Mot de passe <input type="password" name="password"></label>'
                '<button type="submit">Se connecter</button></form>\n'
            ),
        )
        s.add(Page("/espace-client/", 200, [("Content-Type", "text/html; charset=utf-8")], login))
        self._truth(s, "/espace-client/", 200, refusal="login")
        self._links["boulangerie-martin.example"].append(("/espace-client/", "Espace client"))
        pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        s.add(Page("/tarifs.pdf", 200, [("Content-Type", "application/pdf")], pdf))
        self._truth(s, "/tarifs.pdf", 200, refusal="type")
        self._links["boulangerie-martin.example"].append(("/tarifs.pdf", "Tarifs (PDF)"))
        self._home(s, "Boulangerie Martin", "Pain au levain, viennoiseries et pâtisseries maison.")

    def _tech_news(self) -> None:
        # Google-Extended (a control token we never send) disallowed on /archive/; X-Robots-Tag
        # variants of optout-signals.md §3.3: plain, bot-scoped for us, scoped to another bot
        # (NOT an opt-out for us), two header lines, mixed with a colon-valued directive.
        s = self._new_site("tech-news.example", "en", "news")
        self._site_file(
            s,
            "/robots.txt",
            200,
            "text/plain",
            "User-agent: *\nAllow: /\n\nUser-agent: Google-Extended\nDisallow: /archive/\n",
        )
        self._articles(s, "/stories/", 20)
        self._articles(s, "/archive/", 4, refusal="robots")
        noai = [
            [("X-Robots-Tag", "noai")],
            [("X-Robots-Tag", f"{AGENT_TOKEN}: noai, noimageai")],
            [("X-Robots-Tag", "noindex"), ("X-Robots-Tag", "noai")],
            [("X-Robots-Tag", "max-image-preview:large, noai")],
            [("X-Robots-Tag", "NoML")],
        ]
        for i, hdrs in enumerate(noai):
            self._article(
                s,
                f"/opinion/{i + 1:02d}.html",
                f"Opinion {i + 1}",
                headers=hdrs,
                refusal="x-robots-tag",
            )
        self._article(
            s,
            "/opinion/other-bot.html",
            "Opinion: other bot",
            headers=[("X-Robots-Tag", "otherbot: noai, noimageai")],
        )
        self._article(
            s,
            "/opinion/noindex.html",
            "Opinion: noindex only",
            headers=[("X-Robots-Tag", "noindex")],
        )
        self._home(s, "Tech News", "Technology news from the made-up valley.")

    def _clinique(self) -> None:
        s = self._new_site("clinique-sante.example", "fr", "health", category="health")
        self._site_file(s, "/robots.txt", 200, "text/plain", "User-agent: *\nAllow: /\n")
        self._articles(s, "/patients/", 12, special="HEALTH", n_persons=1)
        self._home(s, "Clinique Santé", "Consultations, prévention et témoignages de patients.")

    def _paroisse(self) -> None:
        s = self._new_site("paroisse-saint-michel.example", "fr", "religion", category="religion")
        self._articles(s, "/annonces/", 10, special="RELIGION", n_persons=1)
        self._home(s, "Paroisse Saint-Michel", "Horaires des messes et vie de la communauté.")

    def _mairie(self) -> None:
        # TDMRep: tdmrep.json reserves /deliberations/ (first rule in sequence wins, T-01); a
        # header and a meta reservation; a page meta 0 under the file's 1 un-reserves it (T-09,
        # C-03).
        s = self._new_site("mairie-villeneuve.example", "fr", "municipal")
        self._site_file(s, "/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /admin/\n")
        self._site_file(
            s,
            "/.well-known/tdmrep.json",
            200,
            "application/json",
            '[{"location": "/deliberations/", "tdm-reservation": 1, '
            '"tdm-policy": "http://mairie-villeneuve.example/tdm-policy.json"},\n'
            ' {"location": "/actualites/", "tdm-reservation": 0}]\n',
        )
        self._articles(s, "/actualites/", 16, special="POLITICS")
        self._articles(s, "/deliberations/", 4, refusal="tdmrep")
        self._article(
            s,
            "/deliberations/ouverte.html",
            "Délibération ouverte",
            metas=[("tdm-reservation", "0")],
        )
        self._article(
            s,
            "/services/etat-civil.html",
            "État civil",
            headers=[("tdm-reservation", "1")],
            refusal="tdmrep",
        )
        self._article(
            s,
            "/services/travaux.html",
            "Travaux",
            metas=[
                ("tdm-reservation", "1"),
                ("tdm-policy", "http://mairie-villeneuve.example/p.json"),
            ],
            refusal="tdmrep",
        )
        self._home(s, "Mairie de Villeneuve", "Le site officiel de la commune.")

    def _forum(self) -> None:
        # meta robots noai / noml / uppercase / bot-scoped meta; a CAPTCHA challenge (SCR-04).
        s = self._new_site("forum-jardinage.example", "fr", "forum")
        self._site_file(
            s, "/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /recherche\n"
        )
        self._articles(s, "/sujets/", 20, special="TRADE_UNION")
        for i, metas in enumerate(
            [
                [("robots", "noai, noimageai")],
                [("robots", "noml")],
                [("ROBOTS", "NOAI")],
                [(AGENT_TOKEN, "noai")],
            ]
        ):
            self._article(
                s,
                f"/prives/{i + 1:02d}.html",
                f"Sujet réservé {i + 1}",
                metas=metas,
                refusal="meta-robots",
            )
        self._article(
            s, "/prives/autre-robot.html", "Sujet : autre robot", metas=[("otherbot", "noai")]
        )
        captcha = self._html(
            lang="fr",
            title="Vérification",
            paragraphs=["Merci de confirmer que vous n'êtes pas un robot pour accéder au forum."],
            head_extra='<script src="https://www.google.com/recaptcha/api.js" async defer></script>\n',
            extra_body=(
                '<form action="/membres/" method="post">'
                '<div class="g-recaptcha" data-sitekey="6LeDEMO-not-a-real-key"></div>'
                '<button type="submit">Continuer</button></form>\n'
            ),
        )
        s.add(Page("/membres/", 403, [("Content-Type", "text/html; charset=utf-8")], captcha))
        self._truth(s, "/membres/", 403, refusal="captcha")
        self._links["forum-jardinage.example"].append(("/membres/", "Annuaire des membres"))
        self._home(s, "Forum Jardinage", "Le forum des jardiniers amateurs.")

    def _asso_velo(self) -> None:
        # aipref: robots.txt Content-Usage rule with a path (attach-05 §5.2), and the header.
        s = self._new_site("asso-velo-lyon.example", "fr", "association")
        self._site_file(
            s,
            "/robots.txt",
            200,
            "text/plain",
            "User-agent: *\nAllow: /\nContent-Usage: /adherents/ train-ai=n\n"
            "Content-Usage: search=y\n",
        )
        self._articles(s, "/sorties/", 16, special="POLITICS")
        self._articles(s, "/adherents/", 4, refusal="content-usage")
        self._article(
            s,
            "/ateliers/compte-rendu.html",
            "Compte rendu d'atelier",
            headers=[("Content-Usage", "train-ai=n, search=y")],
            refusal="content-usage",
        )
        self._article(
            s, "/ateliers/ouvert.html", "Atelier ouvert", headers=[("Content-Usage", "train-ai=y")]
        )
        self._home(s, "Vélo Lyon", "Association de cyclistes urbains.")

    def _homepage(self) -> None:
        # Spawning ai.txt (robots grammar on globs): disallow /writing/ and images.
        s = self._new_site("jsmith-home.example", "en", "homepage")
        self._site_file(s, "/robots.txt", 200, "text/plain", "User-agent: *\nAllow: /\n")
        self._site_file(
            s,
            "/ai.txt",
            200,
            "text/plain",
            "# Spawning AI\nUser-Agent: *\nDisallow: /writing/\nDisallow: *.jpg\nDisallow: *.png\n",
        )
        self._articles(s, "/projects/", 12, special="SEXUAL_ORIENTATION")
        self._articles(s, "/writing/", 4, refusal="ai-txt")
        self._home(s, "J. Smith's homepage", "Notes, projects and talks.")

    def _bookshop(self) -> None:
        # Cloudflare-style managed robots.txt: Content-Signal ai-train=no for the whole origin.
        s = self._new_site("london-bookshop.example", "en", "shop")
        self._site_file(
            s,
            "/robots.txt",
            200,
            "text/plain",
            "# As a condition of accessing this website, you agree to abide by the following\n"
            "# content signals (express reservation of rights, Art. 4 Directive (EU) 2019/790)\n"
            "User-agent: *\nContent-Signal: search=yes, ai-train=no\nAllow: /\n",
        )
        self._articles(s, "/books/", 10, refusal="content-signal")
        self._home(s, "London Bookshop", "Independent bookshop in Camden.")
        self.truth["http://london-bookshop.example/"] = _with_refusal(
            self.truth["http://london-bookshop.example/"], "content-signal"
        )

    def _poterie(self) -> None:
        # robots.txt answers 503: complete disallow (RFC 9309 §2.3.1.4, R-02).
        s = self._new_site("atelier-poterie.example", "fr", "blog")
        s.add(
            Page(
                "/robots.txt",
                503,
                [("Content-Type", "text/html"), ("Retry-After", "3600")],
                b"<h1>503</h1>",
            )
        )
        self._truth(s, "/robots.txt", 503, is_document=False)
        self._articles(s, "/blog/", 8, refusal="robots-unreachable")
        self._home(s, "Atelier Poterie", "Le carnet d'une potière.")
        self.truth["http://atelier-poterie.example/"] = _with_refusal(
            self.truth["http://atelier-poterie.example/"], "robots-unreachable"
        )

    def _chronicle(self) -> None:
        # Redirects: a 301 hop carrying X-Robots-Tag noai makes its target refused; a
        # clean 301 does not. Our own token is disallowed on /members-only/.
        s = self._new_site("daily-chronicle.example", "en", "news")
        self._site_file(
            s,
            "/robots.txt",
            200,
            "text/plain",
            f"User-agent: {AGENT_TOKEN}\nDisallow: /members-only/\n\nUser-agent: *\nAllow: /\n",
        )
        self._articles(s, "/news/", 20, special="RELIGION")
        self._articles(s, "/members-only/", 3, refusal="robots")
        self._article(
            s,
            "/moved/flagged-target.html",
            "Moved story (flagged)",
            refusal="x-robots-tag",
            linked=False,
        )
        self._article(s, "/moved/clean-target.html", "Moved story", linked=False)
        for src, dst, hdrs in (
            ("/old/flagged.html", "/moved/flagged-target.html", [("X-Robots-Tag", "noai")]),
            ("/old/clean.html", "/moved/clean-target.html", []),
        ):
            s.add(Page(src, 301, [("Location", dst), ("Content-Type", "text/html"), *hdrs], b""))
            self._truth(s, src, 301, is_document=False, redirect_to=f"http://{s.host}{dst}")
            self._links[s.host].append((src, f"Old link {src}"))
        self._home(s, "The Daily Chronicle", "News you can trust, since 1887 (not really).")

    def _voyage(self) -> None:
        # A clean site: robots.txt allows all; an explicit Content-Usage: train-ai=y preference.
        s = self._new_site("carnet-voyage.example", "en", "blog")
        self._site_file(s, "/robots.txt", 200, "text/plain", "User-agent: *\nDisallow:\n")
        self._articles(s, "/trips/", 24, special="HEALTH")
        self._home(s, "Travel notebook", "Slow travel across Europe by train.")


def _with_refusal(truth: PageTruth, refusal: str) -> PageTruth:
    return PageTruth(
        url=truth.url,
        host=truth.host,
        path=truth.path,
        lang=truth.lang,
        status=truth.status,
        persons=truth.persons,
        pii=truth.pii,
        special=truth.special,
        refusal=refusal,
        redirect_to=truth.redirect_to,
        is_document=truth.is_document,
    )


# --------------------------------------------------------------------------- synthetic site


def synthetic_site(host: str, n_pages: int, *, seed: int = 1, fanout: int = 100) -> DemoWeb:
    """A one-host web of ``n_pages`` article pages under index pages (for benchmarks).

    The home links to index pages of ``fanout`` articles each. A fixed share of pages carry
    opt-out signals (X-Robots-Tag, meta noai), so the gate has real work to do.
    """
    rng = random.Random(seed)
    site = Site(host=host, lang="en", genre="blog")
    site.add(
        Page(
            "/robots.txt",
            200,
            [("Content-Type", "text/plain")],
            b"User-agent: *\nDisallow: /private/\n\nUser-agent: GPTBot\nDisallow: /nogpt/\n",
        )
    )
    truth: dict[str, PageTruth] = {}
    builder = _DemoBuilder(rng)
    n_index = (n_pages + fanout - 1) // fanout
    for idx in range(n_index):
        links = []
        for j in range(idx * fanout, min(n_pages, (idx + 1) * fanout)):
            path = f"/a/{j:06d}.html"
            hdrs = [("Content-Type", "text/html; charset=utf-8")]
            metas: list[tuple[str, str]] = []
            if j % 50 == 7:
                hdrs.append(("X-Robots-Tag", "noai"))
            if j % 50 == 13:
                metas.append(("robots", "noai"))
            paras = rng.sample(_EN_FILLER, 4)
            body = builder._html(lang="en", title=f"Article {j}", paragraphs=paras, metas=metas)
            site.add(Page(path, 200, hdrs, body))
            links.append((path, f"Article {j}"))
        ipath = f"/index/{idx:04d}.html"
        site.add(
            Page(
                ipath,
                200,
                [("Content-Type", "text/html; charset=utf-8")],
                builder._html(lang="en", title=f"Index {idx}", paragraphs=["Index."], links=links),
            )
        )
    home_links = [(f"/index/{i:04d}.html", f"Index {i}") for i in range(n_index)]
    site.add(
        Page(
            "/",
            200,
            [("Content-Type", "text/html; charset=utf-8")],
            builder._html(lang="en", title="Home", paragraphs=["Home."], links=home_links),
        )
    )
    return DemoWeb(sites={host: site}, truth=truth)


# --------------------------------------------------------------------------- server


class _Handler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    protocol_version = "HTTP/1.1"
    # One buffered write per response (flushed by the base class), sent at once: unbuffered
    # header and body writes meet Nagle + delayed ACK and add tens of ms per keep-alive request.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the demo pages contain made-up personal data; never log requests."""

    def _serve(self, *, send_body: bool) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = self.path
        if "://" in path:  # absolute-form request target (proxies)
            parts = urlsplit(path)
            host = (parts.hostname or host).lower()
            path = parts.path + (f"?{parts.query}" if parts.query else "")
        with self.server.lock:
            self.server.hits[(host, path)] += 1
        page = self.server.web.page(host, path)
        if page is None:
            page = Page(path, 404, [("Content-Type", "text/plain")], b"not found\n")
        self.send_response(page.status)
        for name, value in page.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(page.body)

    def handle_one_request(self) -> None:
        # Twisted clients write a request in more than one segment; with the kernel's delayed
        # ACK the second one waits ~40 ms. TCP_QUICKACK (Linux) acknowledges at once.
        quickack = getattr(socket, "TCP_QUICKACK", None)
        if quickack is not None:
            with contextlib.suppress(OSError):
                self.connection.setsockopt(socket.IPPROTO_TCP, quickack, 1)
        super().handle_one_request()

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    web: DemoWeb
    hits: Counter[tuple[str, str]]
    lock: threading.Lock

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that stops reading (a crawler refusing on headers) is not an error."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class DemoSiteServer:
    """Serves every demo site on ``127.0.0.1:<free port>``, choosing the site by Host header.

    >>> with DemoSiteServer(DemoWeb.generate()) as server:  # doctest: +SKIP
    ...     server.url_for("tech-news.example", "/")
    """

    def __init__(self, web: DemoWeb | None = None, *, host: str = "127.0.0.1") -> None:
        self.web = web if web is not None else DemoWeb.generate()
        self._httpd = _DemoHTTPServer((host, 0), _Handler)
        self._httpd.web = self.web
        self._httpd.hits = Counter()
        self._httpd.lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def hits(self) -> Counter[tuple[str, str]]:
        """Requests served so far, by ``(host, path)`` (to check "fetched once per origin")."""
        return self._httpd.hits

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url_for(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def seeds(self) -> list[str]:
        """Home page URL of every site, with this server's port."""
        return [self.url_for(host, "/") for host in self.web.hosts]

    def resolve_map(self) -> dict[str, str]:
        """``{host: "127.0.0.1"}`` for a resolver that sends the made-up names to loopback."""
        return {host: "127.0.0.1" for host in self.web.hosts}

    def start(self) -> DemoSiteServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> DemoSiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------- WARC

_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    403: "Forbidden",
    404: "Not Found",
    503: "Service Unavailable",
}


def _record_id(n: int) -> str:
    return f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>"


def write_demo_warc(path: Path | str, web: DemoWeb | None = None) -> Path:
    """Write every resource (site files included) as gzip WARC/1.1 request+response records.

    Record ids and dates are fixed so the output is byte-for-byte reproducible; the packaged
    ``demo-corpus.warc.gz`` is checked against it by a test.
    """
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    web = web if web is not None else DemoWeb.generate()
    out = Path(path)
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="WARC/1.1")
    n = 0
    info = writer.create_warcinfo_record(
        "demo-corpus.warc.gz",
        {"software": "moisson demo generator", "description": "made-up demo web, not real data"},
    )
    info.rec_headers.replace_header("WARC-Record-ID", _record_id(n))
    info.rec_headers.replace_header("WARC-Date", WARC_DATE)
    writer.write_record(info)
    for url, page in web.iter_resources():
        host = urlsplit(url).hostname or ""
        n += 1
        req_headers = StatusAndHeaders(
            f"GET {page.path} HTTP/1.1",
            [("Host", host), ("User-Agent", f"{AGENT_TOKEN}/1.0"), ("Accept", "*/*")],
            is_http_request=True,
        )
        req = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=req_headers,
            warc_headers_dict={"WARC-Record-ID": _record_id(n), "WARC-Date": WARC_DATE},
        )
        n += 1
        resp_headers = StatusAndHeaders(
            f"{page.status} {_REASONS.get(page.status, 'Unknown')}",
            [*page.headers, ("Content-Length", str(len(page.body)))],
            protocol="HTTP/1.1",
        )
        resp = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(page.body),
            http_headers=resp_headers,
            warc_headers_dict={
                "WARC-Record-ID": _record_id(n),
                "WARC-Date": WARC_DATE,
                "WARC-Concurrent-To": _record_id(n - 1),
            },
        )
        writer.write_record(req)
        writer.write_record(resp)
    out.write_bytes(buffer.getvalue())
    return out


def packaged_warc_path() -> Path:
    """The WARC shipped in the package (``moisson/demo/data/demo-corpus.warc.gz``)."""
    return Path(__file__).with_name("data") / "demo-corpus.warc.gz"


def packaged_seeds_path() -> Path:
    return Path(__file__).with_name("data") / "seeds.txt"


def _regenerate() -> None:  # pragma: no cover - maintenance entry point
    web = DemoWeb.generate()
    write_demo_warc(packaged_warc_path(), web)
    packaged_seeds_path().write_text("\n".join(web.seeds()) + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    _regenerate()
