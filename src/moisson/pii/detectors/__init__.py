"""One detector a label, each in its own file with its patterns, context words and validator."""

from __future__ import annotations

from moisson.pii.detectors.address import AddressDetector
from moisson.pii.detectors.base import Detector, RegexDetector
from moisson.pii.detectors.credit_card import CreditCardDetector
from moisson.pii.detectors.date_of_birth import DateOfBirthDetector
from moisson.pii.detectors.email import EmailDetector, ObfuscatedEmailDetector
from moisson.pii.detectors.fr_nir import FrNirDetector
from moisson.pii.detectors.fr_siren import FrSirenDetector
from moisson.pii.detectors.fr_siret import FrSiretDetector
from moisson.pii.detectors.iban import IbanDetector
from moisson.pii.detectors.ip_address import IpAddressDetector, Ipv6AddressDetector
from moisson.pii.detectors.person import PersonCueDetector, PersonDetector
from moisson.pii.detectors.phone import PhoneDetector

__all__ = (
    "AddressDetector",
    "CreditCardDetector",
    "DateOfBirthDetector",
    "Detector",
    "EmailDetector",
    "FrNirDetector",
    "FrSirenDetector",
    "FrSiretDetector",
    "IbanDetector",
    "IpAddressDetector",
    "Ipv6AddressDetector",
    "ObfuscatedEmailDetector",
    "PersonCueDetector",
    "PersonDetector",
    "PhoneDetector",
    "RegexDetector",
    "rule_detectors",
)


def rule_detectors() -> list[Detector]:
    """The fast tier: every rule detector."""
    return [
        EmailDetector(),
        ObfuscatedEmailDetector(),
        IbanDetector(),
        FrNirDetector(),
        CreditCardDetector(),
        FrSiretDetector(),
        FrSirenDetector(),
        IpAddressDetector(),
        Ipv6AddressDetector(),
        PhoneDetector(),
        DateOfBirthDetector(),
        AddressDetector(),
        PersonDetector(),
        PersonCueDetector(),
    ]
