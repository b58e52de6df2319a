"""XMP packets of a PDF are found in linear time, as the regex they replace found them (T-14).

A hostile site can serve a "PDF" full of opening tags that never close; the regex
``<x:xmpmeta.*?</x:xmpmeta>|<rdf:RDF.*?</rdf:RDF>`` then read to the end of the file from each
of them (80 kB took 2.3 s, 2 MB would take hours). ``xmp_packets`` must give exactly the same
packets, and its time must grow with the size of the file, not with its square.
"""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from moisson.optout._tdmrep import TDM_NS_PDF, tdm_from_pdf, xmp_packets

_REGEX = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>|<rdf:RDF.*?</rdf:RDF>", re.S)
_PIECES = [b"<x:xmpmeta", b"</x:xmpmeta>", b"<rdf:RDF", b"</rdf:RDF>", b"<x:xmp", b"</rdf:",
           b"x", b"\n", b">", b"<", b"%PDF-1.7 ", b"<rdf:RDF</x:xmpmeta>"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(data=st.lists(st.sampled_from(_PIECES), max_size=40).map(b"".join))
def test_same_packets_as_the_regex(data: bytes) -> None:
    assert list(xmp_packets(data)) == _REGEX.findall(data)


def test_unclosed_tags_cost_linear_time() -> None:
    def cost(size: int) -> float:
        data = b"%PDF-1.7\n" + b"<x:xmpmeta<rdf:RDF" * size
        start = time.process_time()
        assert tdm_from_pdf(data) is None
        return time.process_time() - start

    cost(1_000)
    small, large = cost(20_000), cost(80_000)  # 360 kB and 1.4 MB
    assert large < 0.5 and large / max(small, 1e-3) < 9, (small, large)


def test_a_reservation_after_unclosed_tags_is_still_read() -> None:
    packet = (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:tdm="' + TDM_NS_PDF.encode() + b'" tdm:reservation="1"/>'
        b"</rdf:RDF>"
    )
    layer = tdm_from_pdf(b"%PDF-1.7\n" + b"<x:xmpmeta " * 1000 + packet)
    assert layer is not None and layer.reservation == 1
