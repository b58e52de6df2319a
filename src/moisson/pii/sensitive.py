"""Special categories of data about a person: GDPR art. 9 and art. 10 (PII-02, SCR-10).

A hit needs two things in one sentence: a term that states a special-category fact
("diabétique", "syndiqué à la CGT", "converted to Islam", "convicted of") and an anchor that
makes it about a person (a pronoun or possessive, a title, a detected PERSON span). A sentence
about "the health sector" or "a church building" is no hit: sectors and buildings are not terms,
and generic nouns right after a term ("gay pride", "politique de santé") cancel it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping

from moisson.pii._text import lowered as lowered_text
from moisson.pii._types import SensitiveHit, Span

__all__ = ("STEMS", "SensitiveDetector", "merge_windows")

_TERMS: dict[str, tuple[str, ...]] = {
    "HEALTH": (
        r"diab[ée]tiques?",
        r"atteint(?:e|s|es)? d(?:e|u|['’])",
        r"souffr(?:e|ait|ant) d(?:e|u|['’])",
        r"diagnostiqu[ée](?:e|s|es)?",
        r"s[ée]ropositi(?:f|ve)",
        r"vih",
        r"sida",
        r"cancer",
        r"chimioth[ée]rapie",
        r"d[ée]pression",
        r"schizophr[èe]n\w*",
        r"bipolaire",
        r"enceinte",
        r"hospitalis[ée](?:e|s|es)?",
        r"handicap[ée]e?",
        r"autiste",
        r"scl[ée]rose en plaques",
        r"alzheimer",
        r"[ée]pilep\w+",
        r"anorexi\w*",
        r"insuline",
        r"antid[ée]presseurs?",
        r"diabetic",
        r"diagnosed with",
        r"suffer(?:s|ed|ing)? from",
        r"hiv[- ]positive",
        r"hiv",
        r"aids",
        r"pregnant",
        r"chemotherapy",
        r"depression",
        r"bipolar",
        r"schizophreni\w*",
        r"hospitali[sz]ed",
        r"disabled",
        r"autistic",
        r"multiple sclerosis",
        r"epilep\w+",
        r"anorexi\w*",
        r"insulin",
        r"antidepressants?",
        r"in rehab",
        r"cure de d[ée]sintoxication",
        r"dementia",
        r"démence",
    ),
    "RELIGION": (
        r"musulman(?:e|s|es)?",
        r"catholique pratiquant(?:e)?",
        r"catholiques?",
        r"juif",
        r"juive",
        r"protestant(?:e)?",
        r"bouddhiste",
        r"ath[ée]e",
        r"hindou(?:e)?",
        r"[ée]vang[ée]lique",
        r"converti(?:e)? (?:à|au|a) l['’]?\w+",
        r"va à la (?:mosquée|messe)",
        r"fait le ramadan",
        r"porte le voile",
        r"muslim",
        r"catholic",
        r"jewish",
        r"protestant",
        r"buddhist",
        r"atheist",
        r"hindu",
        r"sikh",
        r"evangelical",
        r"converted to (?:islam|christianity|judaism|buddhism|catholicism)",
        r"goes to (?:mass|church|the mosque|synagogue)",
        r"practi[cs]ing (?:muslim|catholic|jew)",
    ),
    "POLITICS": (
        r"militant(?:e)? (?:au|à la|du|de la|de l['’]|d['’]|écologiste|socialiste|communiste|lfi|rn)",
        r"adh[ée]rent(?:e)? (?:au|du|de la|d['’]) ?(?:parti|ps\b|lr\b|rn\b|lfi\b|renaissance|eelv)",
        r"encart[ée](?:e)? (?:au|à)",
        r"vot(?:e|é|ait|era|erai|es) (?:pour|rn|lfi|ps)\b",
        r"membre du (?:parti|bureau politique)",
        r"sympathisant(?:e)? (?:du|de la|de l['’])",
        r"(?:est|suis|était) de (?:gauche|droite)",
        r"d['’]extr[êe]me (?:gauche|droite)",
        r"member of the (?:\w+ )?party",
        r"voted (?:for|labour|tory|conservative|republican|democrat)",
        r"votes? (?:labour|tory|republican|democrat)",
        r"(?:labour|tory|republican|democratic) party (?:member|supporter|activist)",
        r"party activist",
        r"supporter of the \w+ party",
    ),
    "SEXUAL_ORIENTATION": (
        r"homosexuel(?:le)?s?",
        r"gay",
        r"lesbiennes?",
        r"bisexuel(?:le)?s?",
        r"h[ée]t[ée]rosexuel(?:le)?s?",
        r"pansexuel(?:le)?",
        r"asexuel(?:le)?",
        r"coming[- ]out",
        r"lesbian",
        r"bisexual",
        r"homosexual",
        r"heterosexual",
        r"pansexual",
        r"queer",
        r"came out",
    ),
    "ETHNIC_ORIGIN": (
        r"d['’]origine (?:maghr[ée]bine|africaine|asiatique|arabe|alg[ée]rienne|marocaine|tunisienne"
        r"|s[ée]n[ée]galaise|malienne|turque|roumaine|rom|juive|antillaise|chinoise|vietnamienne"
        r"|kabyle|berb[èe]re|ivoirienne|camerounaise|ha[ïi]tienne|pakistanaise|indienne)",
        r"origines? ethniques?",
        r"noire? de peau",
        r"of (?:african|asian|arab|hispanic|pakistani|indian|caribbean|romani|nigerian|chinese"
        r"|jamaican|somali|bangladeshi) (?:descent|origin|heritage|ancestry)",
        r"ethnicity",
        r"black british",
        r"african[- ]american",
    ),
    "TRADE_UNION": (
        r"syndiqu[ée](?:e|s|es)?",
        r"d[ée]l[ée]gu[ée](?:e)? syndical(?:e)?",
        r"(?:adh[ée]rent|militant|membre)(?:e)? (?:de la |à la |du |de )?(?:cgt|cfdt|fo|sud|unsa|cfe-cgc|cftc|fsu|syndicat)\b",
        r"union member",
        r"shop steward",
        r"union rep(?:resentative)?",
        r"member of (?:the )?(?:unite|unison|gmb|teamsters|uaw|nea|union)\b",
    ),
    "BIOMETRIC_GENETIC": (
        r"adn",
        r"tests? g[ée]n[ée]tiques?",
        r"analyse g[ée]n[ée]tique",
        r"empreintes? digitales?",
        r"reconnaissance faciale",
        r"empreinte r[ée]tinienne",
        r"g[ée]nome",
        r"mutation brca\w*",
        r"porteu(?:r|se) (?:du|de la|d['’]une?) (?:g[èe]ne|mutation)",
        r"dna",
        r"genetic tests?",
        r"genetic testing",
        r"fingerprints?",
        r"facial recognition",
        r"iris scan",
        r"retina scan",
        r"genome",
        r"brca\d?",
        r"carrier of the \w+ gene",
    ),
    "CRIMINAL": (
        r"condamn[ée](?:e)? (?:à|a|pour)",
        r"casier judiciaire",
        r"incarc[ée]r[ée](?:e)?",
        r"en prison",
        r"mis(?:e)? en examen",
        r"garde à vue",
        r"d[ée]tenu(?:e)?",
        r"interpell[ée](?:e)?",
        r"inculp[ée](?:e)?",
        r"purge une peine",
        r"convicted (?:of|for)",
        r"criminal record",
        r"sentenced to",
        r"jailed",
        r"in prison",
        r"arrested for",
        r"charged with",
        r"on parole",
        r"sous contr[ôo]le judiciaire",
    ),
}
# Terms that rarely mean "about a person" unless a specific noun follows.
_GENERIC_AFTER = re.compile(
    r"[ \t]*(?:secteur|sector|industry|industrie|bâtiment|building|édifice|monument|policy"
    r"|policies|politique|statistiques?|statistics|study|étude|campagne|campaign|pride|rights"
    r"|droits|mariage|marriage|bars?|community|communauté|research|recherche|church|église"
    r"|school|école|cathedral|cathédrale|centre|center|ward|service|unit|units|screening"
    r"|dépistage|awareness|charity|association|foundation|fondation)\b",
    re.IGNORECASE,
)
_ANCHOR = re.compile(
    r"(?<![\w])(?:je|j['’]|moi|mon|ma|mes|il|elle|lui|son|sa|ses|i|my|me|he|she|his|her|him"
    r"|who|homme|femme|man|woman|patient|patiente|salarié|salariée|employee|enfant|child|fils"
    r"|fille|daughter|frère|sœur|brother|sister|mari|épouse|husband|wife"
    r"|M\.|Mme|Mr|Mrs|Ms|Dr)(?![\w])",
    re.IGNORECASE,
)
# Two capitalised words not opening the sentence: a name the rule tier may not know.
_NAME_LIKE = re.compile(
    r"[A-ZÀ-ÖØ-Þ](?<=[^.!?\s][ \t][A-ZÀ-ÖØ-Þ])[a-zà-öø-ÿ]+[ \t][A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+"
)
# A sentence ends at . ! ? followed by a space, unless the dot closes a title ("M. Dupont").
# Literal stems per category: without one of them in the lower-cased text no term of the
# category can match. The analyzer finds them all in one Aho-Corasick pass and runs only the
# category's pattern, in a window around each stem (PII-04).
STEMS: dict[str, tuple[str, ...]] = {
    "HEALTH": (
        "diab", "atteint", "souff", "diagnos", "séropos", "seropos", "vih", "sida", "cancer",
        "chimio", "pression", "schizo", "bipol", "enceinte", "hospital", "handicap", "autis",
        "sclérose", "sclerose", "scleros", "alzheimer", "pilep", "anorex", "insulin", "dépress",
        "depress", "suffer", "hiv", "aids", "pregnan", "chemo", "disabled", "rehab", "désintox",
        "desintox", "dementia", "démence",
    ),
    "RELIGION": (
        "musulm", "catholi", "juif", "juive", "protestant", "bouddh", "athé", "athee", "hindou",
        "vangél", "vangel", "converti", "mosquée", "messe", "ramadan", "voile", "muslim",
        "jewish", "buddhist", "atheist", "hindu", "sikh", "converted", "goes to", "practi",
    ),
    "POLITICS": (
        "militant", "adhérent", "adherent", "encart", "vote", "voté", "vota", "membre du",
        "sympathisant", "gauche", "droite", "party",
    ),
    "SEXUAL_ORIENTATION": (
        "homosex", "gay", "lesbi", "bisex", "sexuel", "sexual", "coming", "queer", "came out",
    ),
    "ETHNIC_ORIGIN": (
        "origin", "noir", "descent", "heritage", "ancestry", "ethnic", "black british",
        "american",
    ),
    "TRADE_UNION": (
        "syndi", "union", "shop steward", "member of", "adhérent", "adherent", "militant",
        "membre",
    ),
    "BIOMETRIC_GENETIC": (
        "adn", "génét", "genet", "gène", "empreinte", "faciale", "génome", "genome", "brca",
        "porteu", "dna", "fingerprint", "facial", "iris", "retina", "carrier",
    ),
    "CRIMINAL": (
        "condamn", "casier", "incarc", "prison", "examen", "garde à vue", "détenu", "detenu",
        "interpell", "inculp", "peine", "convicted", "criminal", "sentenced", "jailed",
        "arrested", "charged", "parole", "judiciaire",
    ),
}  # fmt: skip
_CATEGORY_RE = {
    category: re.compile(rf"(?<![\w])(?:{'|'.join(terms)})(?![\w])")
    for category, terms in _TERMS.items()
}
_STEM_RES = {
    category: re.compile("|".join(re.escape(stem) for stem in stems))
    for category, stems in STEMS.items()
}
# The class comes first so that the regex engine skips to candidates instead of trying the
# look-behinds at every character (PII-04); the look-behinds then include the end mark.
_SENTENCE_END = re.compile(
    r"[.!?\n](?:(?<=\n)|(?<!\bM[.!?])(?<!\bMr[.!?])(?<!\bMrs[.!?])(?<!\bMs[.!?])"
    r"(?<!\bDr[.!?])(?<!\bPr[.!?])(?<!\bSt[.!?])(?=\s))"
)
_WINDOW = 400


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(0, start - _WINDOW)
    for boundary in _SENTENCE_END.finditer(text, left, start):
        left = boundary.end()
    after = _SENTENCE_END.search(text, end, end + _WINDOW)
    return left, after.start() if after is not None else min(len(text), end + _WINDOW)


def merge_windows(
    hits: Iterable[tuple[int, int]], before: int, after: int, length: int, *, gap: int = 0
) -> list[tuple[int, int]]:
    """Padded, merged ``(start, end)`` windows around keyword hits; windows closer than
    ``gap`` characters are joined too."""
    windows: list[tuple[int, int]] = []
    for start, end in sorted(hits):
        # Comparisons, not min()/max() calls: this runs for every cue and digit run (PII-04).
        low = start - before if start > before else 0
        high = end + after if end + after < length else length
        if windows and low <= windows[-1][1] + gap:
            if high > windows[-1][1]:
                windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    return windows


class SensitiveDetector:
    """Flags special-category statements about a person, with the evidence span."""

    name = "sensitive_terms_v1"
    WINDOW = (70, 80)

    def detect(
        self,
        text: str,
        persons: Iterable[Span] = (),
        windows: Mapping[str, Iterable[tuple[int, int]]] | None = None,
    ) -> Iterator[SensitiveHit]:
        """Hits in ``text``; ``windows`` per category (from the analyzer's keyword pass)
        limit the search, else the stems are looked for here."""
        lowered = lowered_text(text)
        if len(lowered) != len(text):  # rare characters change length when lowered
            lowered = text
        if windows is None:
            windows = {
                category: merge_windows(
                    [m.span() for m in stem_re.finditer(lowered)], *self.WINDOW, len(text)
                )
                for category, stem_re in _STEM_RES.items()
            }
        person_starts = sorted(s.start for s in persons)
        found: list[SensitiveHit] = []
        seen: set[tuple[str, int]] = set()
        for category, category_windows in windows.items():
            pattern = _CATEGORY_RE[category]
            for low, high in category_windows:
                for match in pattern.finditer(lowered, low, high):
                    start, end = match.span()
                    if _GENERIC_AFTER.match(lowered, end):
                        continue
                    left, right = _sentence(text, start, end)
                    if (category, left) in seen:
                        continue
                    # Cheapest test first; the two regex searches scan the whole sentence.
                    # A person starts in [left, right): bisect, not a scan of every person
                    # (a text naming thousands of people must stay linear, PII-04).
                    first = bisect_left(person_starts, left)
                    anchored = (
                        (first < len(person_starts) and person_starts[first] < right)
                        or _ANCHOR.search(text, left, right) is not None
                        or _NAME_LIKE.search(text, left, right) is not None
                    )
                    if not anchored:
                        continue
                    seen.add((category, left))
                    found.append(SensitiveHit(category, start, end, self.name))
        yield from sorted(found, key=lambda h: (h.start, h.category))
