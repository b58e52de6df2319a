"""Canary records, patterns and files (MOD-03)."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moisson.audit.canaries import (
    Canary,
    make_canaries,
    pattern_space_bits,
    pattern_space_size,
    read_canaries,
    sample_secret,
    secret_matches_pattern,
    training_lines,
    write_canaries,
)
from moisson.errors import AuditError, RecordError


@given(st.text(alphabet="DLl -+.:", min_size=1, max_size=20), st.integers(0, 2**32))
def test_sampled_secrets_match_their_pattern(pattern: str, seed: int) -> None:
    secret = sample_secret(pattern, random.Random(seed))
    assert secret_matches_pattern(secret, pattern)
    assert pattern_space_size(pattern) == 10 ** pattern.count("D") * 26 ** (
        pattern.count("L") + pattern.count("l")
    )
    assert pattern_space_bits(pattern) == pytest.approx(math.log2(pattern_space_size(pattern)))


def test_make_canaries_levels_languages_and_determinism() -> None:
    made = make_canaries(3, [0, 1, 16], ["fr"], seed=5)
    assert [c.repetitions for c in made] == [0, 0, 0, 1, 1, 1, 16, 16, 16]
    assert len({c.prefix for c in made}) == len(made)  # distinct prefixes
    assert all(c.id.startswith("canary-fr-") for c in made)
    assert all(secret_matches_pattern(c.secret, c.pattern) for c in made)
    assert made == make_canaries(3, [0, 1, 16], ["fr"], seed=5)
    assert made != make_canaries(3, [0, 1, 16], ["fr"], seed=6)


def test_make_canaries_refuses_bad_arguments() -> None:
    with pytest.raises(AuditError, match="no canary template"):
        make_canaries(1, [1], ["de"])
    with pytest.raises(AuditError, match="non-negative"):
        make_canaries(1, [-1], ["fr"])


def test_training_lines_repeat_each_canary_and_skip_controls() -> None:
    made = make_canaries(2, [0, 1, 4], ["en"], seed=1)
    lines = training_lines(made)
    assert len(lines) == 2 * (0 + 1 + 4)
    texts = [line["text"] for line in lines]
    for canary in made:
        assert texts.count(canary.text) == canary.repetitions


def test_file_round_trip_and_foreign_canaries(tmp_path: Path) -> None:
    made = make_canaries(1, [0, 4], ["fr", "en"])
    path = tmp_path / "c.jsonl"
    write_canaries(made, path)
    foreign = {
        "id": "x1",
        "prefix": "PIN:",
        "secret": " 1234",
        "suffix": "",
        "pattern": " DDDD",
        "repetitions": 2,
    }
    with path.open("a") as fh:
        fh.write(json.dumps(foreign) + "\n")
    back = read_canaries(path)
    assert back[:2] == made
    assert back[2] == Canary(**foreign)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (
            {
                "id": "a",
                "prefix": "p",
                "secret": "12",
                "suffix": "",
                "pattern": "DDD",
                "repetitions": 1,
            },
            "does not match pattern",
        ),
        (
            {
                "id": "a",
                "prefix": "p",
                "secret": "1",
                "suffix": "",
                "pattern": "D",
                "repetitions": "1",
            },
            "field 'repetitions' must be int",
        ),
        (
            {
                "id": "a",
                "prefix": "p",
                "secret": "x",
                "suffix": "",
                "pattern": "x",
                "repetitions": 1,
            },
            "no random part",
        ),
    ],
)
def test_bad_canary_records_name_file_and_line(
    tmp_path: Path, record: dict[str, object], reason: str
) -> None:
    path = tmp_path / "bad.jsonl"
    good = {"id": "g", "prefix": "p", "secret": "1", "suffix": "", "pattern": "D", "repetitions": 0}
    path.write_text(json.dumps(good) + "\n" + json.dumps(record) + "\n")
    with pytest.raises(RecordError, match=reason) as info:
        read_canaries(path)
    assert info.value.location == "line 2"
    assert str(path) in str(info.value)


def test_not_json_is_a_record_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n")
    with pytest.raises(RecordError, match="not valid JSON"):
        read_canaries(path)


def test_json_nested_past_the_parser_limit_is_a_record_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "\n")
    with pytest.raises(RecordError, match="nested too deeply") as info:
        read_canaries(path)
    assert info.value.location == "line 1"


def test_integer_past_the_digit_limit_is_a_record_error(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text('{"id": ' + "1" * 5_000 + "}\n")
    with pytest.raises(RecordError, match="not valid JSON") as info:
        read_canaries(path)
    assert info.value.location == "line 1"
