"""One table of positives and negatives per detector (style.md rule 11; PII-01).

Each case is ``(text, expected values)``: the detector must report exactly these substrings.
"""

from __future__ import annotations

import pytest

from moisson.pii.detectors import (
    AddressDetector,
    CreditCardDetector,
    DateOfBirthDetector,
    Detector,
    EmailDetector,
    FrNirDetector,
    FrSirenDetector,
    FrSiretDetector,
    IbanDetector,
    IpAddressDetector,
    Ipv6AddressDetector,
    ObfuscatedEmailDetector,
    PersonCueDetector,
    PersonDetector,
    PhoneDetector,
)


def found(detector: Detector, text: str, lang: str = "fr") -> list[str]:
    if not detector.applies(text):
        return []
    spans = sorted(detector.detect(text, lang), key=lambda s: s.start)
    return [text[s.start : s.end] for s in spans]


CASES: list[tuple[Detector, str, list[str], str]] = [
    # EMAIL: plain addresses
    (
        EmailDetector(),
        "Écrire à jean.dupont@exemple.fr pour tout.",
        ["jean.dupont@exemple.fr"],
        "fr",
    ),
    (EmailDetector(), "Mail: a+b@sub.example.co.uk.", ["a+b@sub.example.co.uk"], "en"),
    # EMAIL: obfuscated forms
    (ObfuscatedEmailDetector(), "jean [at] exemple [dot] fr", ["jean [at] exemple [dot] fr"], "fr"),
    (ObfuscatedEmailDetector(), "contact(at)asso(dot)org merci", ["contact(at)asso(dot)org"], "fr"),
    (
        ObfuscatedEmailDetector(),
        "marie arobase orange point fr",
        ["marie arobase orange point fr"],
        "fr",
    ),
    # EMAIL: negatives (file names, bare "at")
    (EmailDetector(), "logo@2x.png et banner@3x.jpg", [], "fr"),
    (ObfuscatedEmailDetector(), "Look at this.page and the dot plan", [], "en"),
    # PHONE: French, UK, US, national and international
    (
        PhoneDetector(),
        "Tél. 06 12 34 56 78 ou 01.42.68.53.00",
        ["06 12 34 56 78", "01.42.68.53.00"],
        "fr",
    ),
    (PhoneDetector(), "Appelez le +33 6 12 34 56 78.", ["+33 6 12 34 56 78"], "fr"),
    (
        PhoneDetector(),
        "Call 020 7946 0958 or +44 20 7946 0958",
        ["020 7946 0958", "+44 20 7946 0958"],
        "en",
    ),
    (PhoneDetector(), "Call (212) 736-5000 today", ["(212) 736-5000"], "en"),
    # PHONE: negatives (prices, dates, versions, too short)
    (PhoneDetector(), "Prix 1 299,99 €, le 12/03/2024, version 1.2.3", [], "fr"),
    (PhoneDetector(), "Ref 00 00 00 00 00", [], "fr"),
    # IBAN
    (
        IbanDetector(),
        "IBAN FR76 3000 6000 0112 3456 7890 189 BIC AGRIFRPP",
        ["FR76 3000 6000 0112 3456 7890 189"],
        "fr",
    ),
    (IbanDetector(), "pay GB82WEST12345698765432 now", ["GB82WEST12345698765432"], "en"),
    (IbanDetector(), "wrong GB82 WEST 1234 5698 7654 33", [], "en"),
    # CREDIT_CARD: any separator, Luhn
    (CreditCardDetector(), "carte 4012 8888 8888 1881", ["4012 8888 8888 1881"], "fr"),
    (
        CreditCardDetector(),
        "card 5555-5555-5555-4444 or 4111111111111111",
        ["5555-5555-5555-4444", "4111111111111111"],
        "en",
    ),
    (CreditCardDetector(), "amex 3782 822463 10005", ["3782 822463 10005"], "en"),
    (CreditCardDetector(), "lot 4111 1111 1111 1112 et 1234 5678 9012 3456", [], "fr"),
    # FR_NIR: with key, Corsica included
    (FrNirDetector(), "NIR 1 85 03 75 116 238 81.", ["1 85 03 75 116 238 81"], "fr"),
    (FrNirDetector(), "sécu 182072A05123472", ["182072A05123472"], "fr"),
    (FrNirDetector(), "faux 1 85 03 75 116 238 82", [], "fr"),
    # FR_SIRET / FR_SIREN
    (FrSiretDetector(), "SIRET : 443 061 841 00047", ["443 061 841 00047"], "fr"),
    (FrSiretDetector(), "SIRET 44306184100047", ["44306184100047"], "fr"),
    (FrSiretDetector(), "colis 44306184100047", [], "fr"),  # unbroken, no context word
    (FrSiretDetector(), "SIRET 443 061 841 00048", [], "fr"),
    (FrSirenDetector(), "RCS Paris 552 100 554.", ["552 100 554"], "fr"),
    (FrSirenDetector(), "commande 552 100 554", [], "fr"),  # no context word
    (FrSirenDetector(), "SIREN 552 100 555", [], "fr"),
    # IP_ADDRESS: public only
    (IpAddressDetector(), "depuis 82.64.17.203 et 8.8.8.8", ["82.64.17.203", "8.8.8.8"], "fr"),
    (Ipv6AddressDetector(), "IPv6 2001:4860:4860::8888 ok", ["2001:4860:4860::8888"], "en"),
    (IpAddressDetector(), "192.168.1.1, 10.0.0.1, 127.0.0.1, 203.0.113.7", [], "en"),
    (Ipv6AddressDetector(), "fe80::1, ::1, 2001:db8::1 and 12:30:45", [], "en"),
    (IpAddressDetector(), "version 1.2.3.4 and v 2.4.10.1", [], "en"),
    (IpAddressDetector(), "Release notes for 7.17.11.7: fixes", [], "en"),
    # DATE_OF_BIRTH: only dates presented as birth dates
    (DateOfBirthDetector(), "née le 3 mars 1979 à Lyon", ["3 mars 1979"], "fr"),
    (DateOfBirthDetector(), "Date de naissance : 12/09/2016", ["12/09/2016"], "fr"),
    (DateOfBirthDetector(), "born on March 3, 1979", ["March 3, 1979"], "en"),
    (DateOfBirthDetector(), "DOB: 1985-03-12", ["1985-03-12"], "en"),
    (DateOfBirthDetector(), "publié le 12/03/2021, je ne le 12/03/2020", [], "fr"),
    (DateOfBirthDetector(), "Né le 27 février 1802 à Besançon", [], "fr"),  # historic
    # CREDIT_CARD: a Luhn-valid 14-digit SIRET is no Amex (15 digits)
    (CreditCardDetector(), "SIRET 34550783460052", [], "fr"),
    # ADDRESS: French and English
    (
        AddressDetector(),
        "au 12 bis rue des Lilas, 75011 Paris.",
        ["12 bis rue des Lilas, 75011 Paris"],
        "fr",
    ),
    (AddressDetector(), "au 7 avenue de la République. Il", ["7 avenue de la République"], "fr"),
    (
        AddressDetector(),
        "at 221 Baker Street, London NW1 6XE.",
        ["221 Baker Street, London NW1 6XE"],
        "en",
    ),
    (
        AddressDetector(),
        "at 42 Maple Avenue, Portland, OR 97205",
        ["42 Maple Avenue, Portland, OR 97205"],
        "en",
    ),
    (AddressDetector(), "We sold 12 apples and 3 pears.", [], "en"),
    # PERSON: lexicon, title, capitals, cue
    (PersonDetector(), "Bonjour, je suis Jean Dupont.", ["Jean Dupont"], "fr"),
    (PersonDetector(), "Contacter M. Lefebvre demain", ["Lefebvre"], "fr"),
    (PersonDetector(), "Signé : DUPONT Marie", ["DUPONT Marie"], "fr"),
    (PersonCueDetector(), "Written by Siobhan Kaur", ["Siobhan Kaur"], "en"),
    (PersonCueDetector(), "Cordialement,\nGwendal Le Bihan", ["Gwendal Le Bihan"], "fr"),
    (PersonDetector(), "Written by Siobhan Kaur", [], "en"),  # not in the lexicon: cue needed
    # PERSON: negatives (historic figures, brands, streets and schools named after people)
    (PersonDetector(), "Victor Hugo et Charles de Gaulle", [], "fr"),
    (PersonDetector(), "un sac Louis Vuitton, le lycée Jean Moulin, rue Victor Hugo", [], "fr"),
]


@pytest.mark.parametrize(
    ("detector", "text", "expected", "lang"),
    CASES,
    ids=[f"{type(c[0]).__name__}-{i}" for i, c in enumerate(CASES)],
)
def test_detector_table(detector: Detector, text: str, expected: list[str], lang: str) -> None:
    assert found(detector, text, lang) == expected


def test_detector_names_are_versioned() -> None:
    for detector, *_ in CASES:
        assert detector.name.rsplit("_", 1)[-1].startswith("v")
