"""The transformer plug-in of the full tier, with a real token classifier (issue 4, item 2).

A tiny BERT is trained here from scratch (random init, a WordPiece vocabulary trained on the
synthetic sentences, no download) to tag people's names from their context; its names are
made of syllables, so none of them is in the rule tier's first-name lexicons. The model is
then used the way a user would: a folder given to ``load_entity_model``, ``--model`` or the
policy's ``pii.model``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from moisson.cli.app import main
from moisson.errors import ConfigError
from moisson.pii import PiiAnalyzer
from moisson.pii.model import TransformersTokenClassifier, load_entity_model
from moisson.pii.step import PiiMinimiser
from moisson.workspace.config import PiiSettings

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

_SYLLABLES = ("ka", "lo", "mi", "ra", "ne", "tu", "vo", "zi", "pe", "ba", "do", "fu", "gi",
              "ha", "ju", "ly", "wen", "tor", "sam", "bek", "osh", "ant", "ril", "dae")  # fmt: skip
_CUES = (
    "Hier, {} a présenté le projet.",
    "Le rapport de {} est prêt.",
    "Contactez {} demain matin.",
    "{} habite à Rennes depuis dix ans.",
    "Yesterday {} met the board.",
    "Ask {} about the invoice.",
    "Merci à {} pour son aide.",
    "The report by {} is ready.",
)
_FILLERS = (
    "Le Conseil Municipal se réunit à Rennes.",
    "The Board meets in London on Monday.",
    "La Commission Européenne publie un avis.",
    "Paris et Lyon sont de grandes villes.",
    "Air France annonce de nouvelles lignes.",
)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _sentence(rng: random.Random) -> tuple[str, tuple[int, int] | None]:
    if rng.random() < 0.25:
        return rng.choice(_FILLERS), None
    person = f"{_name(rng)} {_name(rng)}"
    template = rng.choice(_CUES)
    start = template.index("{}")
    return template.format(person), (start, start + len(person))


def _train(folder: Path) -> None:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast

    torch.manual_seed(0)
    rng = random.Random(0)
    data = [_sentence(rng) for _ in range(3000)]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(
        [t for t, _ in data], trainers.WordPieceTrainer(vocab_size=600, special_tokens=specials)
    )
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[(s, tok.token_to_id(s)) for s in ("[CLS]", "[SEP]")],
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]",
    )  # fmt: skip
    labels = ["O", "B-PER", "I-PER"]
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=128, max_position_embeddings=64, num_labels=3,
        id2label=dict(enumerate(labels)), label2id={x: i for i, x in enumerate(labels)},
    )  # fmt: skip
    model = BertForTokenClassification(config)
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(300):
        batch = rng.sample(data, 32)
        enc = tokenizer([t for t, _ in batch], return_offsets_mapping=True, padding=True,
                        return_tensors="pt")  # fmt: skip
        offsets = enc.pop("offset_mapping").tolist()
        targets = torch.full(enc["input_ids"].shape, -100)
        for row, (_text, span) in enumerate(batch):
            inside_before = False
            for col, (start, end) in enumerate(offsets[row]):
                if start == end:
                    continue  # [CLS], [SEP], padding
                inside = span is not None and span[0] <= start and end <= span[1]
                targets[row, col] = (2 if inside_before else 1) if inside else 0
                inside_before = inside
        loss = model(**enc, labels=targets).loss
        loss.backward()
        optimiser.step()
        optimiser.zero_grad()
    model.eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


@pytest.fixture(scope="module")
def model_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("token_classifier")
    _train(folder)
    return folder


def _held_out(count: int) -> list[tuple[str, tuple[int, int] | None]]:
    rng = random.Random(12345)  # other names than the training sentences
    return [_sentence(rng) for _ in range(count)]


@pytest.mark.slow
def test_full_tier_finds_names_no_lexicon_knows(model_folder: Path) -> None:
    model = load_entity_model(str(model_folder))
    assert isinstance(model, TransformersTokenClassifier)
    full = PiiAnalyzer(tier="full", model=model)
    fast = PiiAnalyzer(tier="fast")
    found_full = found_fast = people = false_alarms = 0
    for text, span in _held_out(60):
        persons_full = {(s.start, s.end) for s in full.analyze(text).spans if s.label == "PERSON"}
        persons_fast = {(s.start, s.end) for s in fast.analyze(text).spans if s.label == "PERSON"}
        if span is None:
            false_alarms += len(persons_full)
            continue
        people += 1
        found_full += span in persons_full
        found_fast += span in persons_fast
    assert people >= 30
    assert found_full >= 0.9 * people, (found_full, people)
    assert found_fast <= 0.1 * people, (found_fast, people)
    assert false_alarms == 0
    assert any(s.detector.startswith("hf_token_classifier_v1") for s in full.analyze(
        "Hier, Kalomi Tubek a présenté le projet.").spans)  # fmt: skip


@pytest.mark.slow
def test_model_reaches_the_cli_and_the_pipeline_step(model_folder: Path, tmp_path: Path) -> None:
    text = "Le rapport de Wenrilo Zidaeka est prêt."
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit) as exit_info:
        main(["pii", "detect", "--input", str(src), "--output", str(out),
              "--model", str(model_folder)])  # fmt: skip
    assert exit_info.value.code in (0, None)
    spans = json.loads(out.read_text())["spans"]
    assert [text[s["start"] : s["end"]] for s in spans] == ["Wenrilo Zidaeka"]
    step = PiiMinimiser(PiiSettings(tier="full", model=str(model_folder)))
    analyzer = step._analyzer_ready()
    assert [text[s.start : s.end] for s in analyzer.analyze(text).spans] == ["Wenrilo Zidaeka"]


def test_a_model_that_is_not_there_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"pii\.model"):
        load_entity_model(str(tmp_path / "missing"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match=r"no config\.json"):
        load_entity_model(str(tmp_path / "empty"))
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["pii", "detect", "--input", str(src), "--output", str(tmp_path / "o.jsonl"),
              "--model", str(tmp_path / "empty")])  # fmt: skip
    assert exit_info.value.code == 3
