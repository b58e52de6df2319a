"""Random but valid (or deliberately invalid) values for the PII evaluation set.

Checksums are computed here independently of moisson's validators; phone numbers are kept only
when libphonenumber says they exist, which is the definition of PHONE the issue uses.
"""

from __future__ import annotations

import random
import unicodedata

import phonenumbers

__all__ = ("Values",)

FR_FIRST = (
    "Jean", "Marie", "Sophie", "Nicolas", "Camille", "Julien", "Claire", "Thomas", "Isabelle",
    "Pierre", "Nathalie", "Antoine", "Élodie", "François", "Hélène", "Mathieu", "Céline",
    "Jean-Pierre", "Anne-Sophie", "Léa", "Hugo", "Manon", "Olivier", "Sandrine",
    # not in moisson's lexicon: the rule tier must find these from context or not at all
    "Gwendal", "Maëlys", "Soizic", "Ysaline", "Anouk", "Kylian", "Ninon", "Timéo", "Lilou",
    "Maïwenn", "Noam", "Yanis",
)  # fmt: skip
FR_LAST = (
    "Martin", "Bernard", "Dubois", "Durand", "Leroy", "Moreau", "Lefebvre", "Garcia", "Roux",
    "Fournier", "Morel", "Girard", "Mercier", "Dupont", "Lambert", "Bonnet", "Le Gall",
    "Nguyen", "Benali", "Diallo", "Kowalski", "Chevalier", "Perrin", "Masson", "Da Silva",
)  # fmt: skip
EN_FIRST = (
    "James", "Sarah", "Michael", "Emily", "David", "Laura", "Daniel", "Rachel", "Thomas",
    "Hannah", "Matthew", "Jessica", "Andrew", "Rebecca", "Peter", "Olivia", "George", "Lucy",
    "Siobhan", "Declan", "Priya", "Aaliyah", "Rhys", "Niamh", "Tobias", "Imogen", "Kwame",
)  # fmt: skip
EN_LAST = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke", "Patel", "O'Brien", "McAllister", "Okafor", "Kaur",
)  # fmt: skip
DOMAINS = ("exemple.fr", "orange.fr", "gmail.com", "free.fr", "laposte.net", "example.com",
           "outlook.com", "yahoo.co.uk", "mairie-exemple.fr", "univ-exemple.fr")  # fmt: skip
FR_STREETS = (
    ("rue", "des Lilas"), ("avenue", "de la République"), ("boulevard", "Saint-Michel"),
    ("rue", "du Général Leclerc"), ("allée", "des Chênes"), ("impasse", "des Vignes"),
    ("place", "de la Mairie"), ("chemin", "des Écoliers"), ("rue", "Victor Hugo"),
    ("quai", "de la Loire"), ("rue", "Pasteur"), ("avenue", "Jean Jaurès"),
)  # fmt: skip
FR_TOWNS = (("75011", "Paris"), ("69003", "Lyon"), ("13006", "Marseille"), ("31000", "Toulouse"),
            ("44000", "Nantes"), ("35000", "Rennes"), ("59800", "Lille"), ("20000", "Ajaccio"),
            ("67000", "Strasbourg"), ("33800", "Bordeaux"))  # fmt: skip
EN_STREETS = (("Baker", "Street"), ("Oak", "Lane"), ("Station", "Road"), ("High", "Street"),
              ("Maple", "Avenue"), ("Church", "Road"), ("Victoria", "Road"), ("Park", "Drive"),
              ("Elm", "Street"), ("Queens", "Road"))  # fmt: skip
UK_TOWNS = (("London", "NW1 6XE"), ("Manchester", "M1 4BT"), ("Leeds", "LS1 3AB"),
            ("Bristol", "BS1 5TR"), ("Oxford", "OX1 2JD"))  # fmt: skip
US_TOWNS = (("Springfield", "IL", "62704"), ("Austin", "TX", "78701"), ("Boston", "MA", "02116"),
            ("Portland", "OR", "97205"), ("Denver", "CO", "80202"))  # fmt: skip
FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")  # fmt: skip
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip
HISTORIC = ("Victor Hugo", "Charles de Gaulle", "Marie Curie", "Louis Pasteur", "Jean Moulin",
            "Winston Churchill", "Abraham Lincoln", "Isaac Newton", "Jane Austen",
            "Napoléon Bonaparte", "Émile Zola", "Charles Darwin")  # fmt: skip
COMPANIES = ("Louis Vuitton", "Christian Dior", "Hugo Boss", "Yves Rocher", "Ralph Lauren",
             "Calvin Klein", "Marie Claire", "John Deere")  # fmt: skip


def _ascii(text: str) -> str:
    """Mailbox names are ASCII in practice: ``Hélène`` -> ``helene``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _luhn_digit(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        v = int(c)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return str((10 - total % 10) % 10)


def _iban_check(country: str, bban: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


class Values:
    """Value factory bound to one random generator (deterministic with a seed)."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def digits(self, n: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(n))

    # --- people --------------------------------------------------------------------------
    def name(self, lang: str) -> str:
        first = self.r.choice(FR_FIRST if lang == "fr" else EN_FIRST)
        last = self.r.choice(FR_LAST if lang == "fr" else EN_LAST)
        if lang == "fr" and self.r.random() < 0.25:
            last = last.upper()
        return f"{first} {last}"

    def surname(self, lang: str) -> str:
        return self.r.choice(FR_LAST if lang == "fr" else EN_LAST)

    def email(self, lang: str) -> str:
        first = self.r.choice(FR_FIRST if lang == "fr" else EN_FIRST).lower()
        last = self.r.choice(FR_LAST if lang == "fr" else EN_LAST).lower()
        first = _ascii(first).replace("-", "")
        last = _ascii(last).replace(" ", "").replace("'", "")
        local = self.r.choice(
            (f"{first}.{last}", f"{first[0]}{last}", f"{first}{self.r.randint(1, 99)}")
        )
        return f"{local}@{self.r.choice(DOMAINS)}"

    def email_obfuscated(self, lang: str) -> str:
        local, domain = self.email(lang).split("@")
        host, _, tld = domain.rpartition(".")
        form = self.r.choice(("[at]", "(at)", " arobase ", " [at] "))
        dot = self.r.choice((" [dot] ", "[dot]", " point ", "(dot)"))
        if form == " arobase ":
            dot = " point "
        return f"{local}{form}{host.replace('.', dot)}{dot}{tld}"

    # --- numbers ---------------------------------------------------------------------------
    def _valid_phone(self, make: object, region: str) -> str:
        for _ in range(200):
            candidate = make()  # type: ignore[operator]
            if phonenumbers.is_valid_number(phonenumbers.parse(candidate, region)):
                return str(candidate)
        raise RuntimeError("no valid phone generated")

    def phone(self, lang: str) -> str:
        r = self.r
        if lang == "fr":

            def make() -> str:
                d = r.choice("1234567") + self.digits(8)
                pairs = [d[i : i + 2] for i in range(1, 9, 2)]
                style = r.random()
                if style < 0.5:
                    return f"0{d[0]} " + " ".join(pairs)
                if style < 0.65:
                    return f"0{d[0]}." + ".".join(pairs)
                if style < 0.8:
                    return f"0{d[0]}" + "".join(pairs)
                return f"+33 {d[0]} " + " ".join(pairs)

            return self._valid_phone(make, "FR")
        if r.random() < 0.5:

            def make_uk() -> str:
                if r.random() < 0.5:
                    return f"020 7{self.digits(3)} {self.digits(4)}"
                return f"07{r.choice('4589')}{self.digits(2)} {self.digits(6)}"

            value = self._valid_phone(make_uk, "GB")
            return value if r.random() < 0.7 else "+44 " + value[1:]

        def make_us() -> str:
            area = r.choice(("212", "415", "312", "617", "202", "303"))
            body = f"{r.randint(2, 9)}{self.digits(2)}"
            return (
                f"({area}) {body}-{self.digits(4)}"
                if r.random() < 0.5
                else f"{area}-{body}-{self.digits(4)}"
            )

        return self._valid_phone(make_us, "US")

    def iban(self) -> str:
        country, length = self.r.choice(
            (("FR", 27), ("DE", 22), ("ES", 24), ("BE", 16), ("GB", 22))
        )
        if country == "GB":
            bban = self.r.choice(("WEST", "NWBK", "BARC")) + self.digits(14)
        else:
            bban = self.digits(length - 4)
        bban = bban[: length - 4]
        compact = country + _iban_check(country, bban) + bban
        if self.r.random() < 0.7:
            return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
        return compact

    def bad_iban(self) -> str:
        value = self.iban()
        last = value[-1]
        return value[:-1] + str((int(last) + 1) % 10) if last.isdigit() else value[:-1] + "7"

    def card(self) -> str:
        prefix = self.r.choice(("4", "51", "55", "4970"))
        body = prefix + self.digits(15 - len(prefix))
        number = body + _luhn_digit(body)
        sep = self.r.choice((" ", "-", "", " "))
        if not sep:
            return number
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))

    def bad_card(self) -> str:
        value = self.card()
        return value[:-1] + str((int(value[-1]) + 3) % 10)

    def nir(self, *, corsica: bool | None = None) -> str:
        r = self.r
        corsica = r.random() < 0.2 if corsica is None else corsica
        dept = r.choice(("2A", "2B")) if corsica else f"{r.randint(1, 95):02d}"
        body = f"{r.choice('12')}{r.randint(40, 99):02d}{r.randint(1, 12):02d}{dept}{self.digits(3)}{self.digits(3)}"
        numeric = body.replace("2A", "19").replace("2B", "18")
        key = f"{97 - int(numeric) % 97:02d}"
        if r.random() < 0.6:
            return f"{body[0]} {body[1:3]} {body[3:5]} {body[5:7]} {body[7:10]} {body[10:13]} {key}"
        return body + key

    def bad_nir(self) -> str:
        value = self.nir(corsica=False)
        key = int(value[-2:])
        return value[:-2] + f"{(key + 11) % 97:02d}"

    def siren(self) -> str:
        body = str(self.r.randint(1, 9)) + self.digits(7)
        return body + _luhn_digit(body)

    def siret(self) -> str:
        for _ in range(100):
            siren = self.siren()
            body = siren + self.digits(4)
            siret = body + _luhn_digit(body)
            if not siret.startswith("356000000"):
                return (
                    f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
                    if self.r.random() < 0.6
                    else siret
                )
        raise RuntimeError("no SIRET")

    def spaced_siren(self) -> str:
        s = self.siren()
        return f"{s[:3]} {s[3:6]} {s[6:]}" if self.r.random() < 0.6 else s

    def ip(self) -> str:
        r = self.r
        if r.random() < 0.15:
            return f"2a01:cb00:{r.randint(4096, 65535):x}:{r.randint(1, 65535):x}::{r.randint(1, 255):x}"
        first = r.choice((5, 31, 37, 46, 62, 78, 80, 82, 86, 90, 91, 109, 151, 176, 185, 212, 217))
        return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def private_ip(self) -> str:
        r = self.r
        return r.choice((f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}",
                         f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                         "127.0.0.1", f"172.16.{r.randint(0, 31)}.{r.randint(1, 254)}"))  # fmt: skip

    def date(self, lang: str) -> str:
        r = self.r
        d, m, y = r.randint(1, 28), r.randint(1, 12), r.randint(1940, 2005)
        style = r.random()
        if style < 0.4:
            return f"{d:02d}/{m:02d}/{y}"
        if lang == "fr":
            return f"{'1er' if d == 1 else d} {FR_MONTHS[m - 1]} {y}"
        return f"{d} {EN_MONTHS[m - 1]} {y}" if style < 0.7 else f"{EN_MONTHS[m - 1]} {d}, {y}"

    def address(self, lang: str) -> str:
        r = self.r
        if lang == "fr":
            kind, street = r.choice(FR_STREETS)
            num = f"{r.randint(1, 180)}{r.choice(('', '', '', ' bis', ' ter'))}"
            code, town = r.choice(FR_TOWNS)
            return (
                f"{num} {kind} {street}, {code} {town}"
                if r.random() < 0.8
                else f"{num} {kind} {street}"
            )
        name, kind = r.choice(EN_STREETS)
        house = r.randint(1, 250)
        if r.random() < 0.5:
            town, pc = r.choice(UK_TOWNS)
            return f"{house} {name} {kind}, {town} {pc}"
        town, st, zip_code = r.choice(US_TOWNS)
        return f"{house} {name} {kind}, {town}, {st} {zip_code}"

    def isbn(self) -> str:
        body = "978" + self.r.choice("12") + self.digits(8)
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
        check = (10 - total % 10) % 10
        return f"{body[:3]}-{body[3]}-{body[4:7]}-{body[7:12]}-{check}"

    def version(self) -> str:
        r = self.r
        return f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 30)}.{r.randint(0, 200)}"

    def price(self, lang: str) -> str:
        r = self.r
        if lang == "fr":
            return f"{r.randint(1, 2)} {r.randint(100, 999)},{r.randint(0, 99):02d} €"
        return f"${r.randint(1, 9)},{r.randint(100, 999)}.{r.randint(0, 99):02d}"

    def order(self) -> str:
        return f"{self.r.randint(10, 99)}-{self.digits(6)}-{self.digits(4)}"

    def historic(self) -> str:
        return self.r.choice(HISTORIC)

    def company(self) -> str:
        return self.r.choice(COMPANIES)
