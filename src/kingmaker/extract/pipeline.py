"""Build the spaCy pipelines: the verified model or a blank fallback, plus the race's names.

Model mode: ``en_core_web_sm`` (tagger, parser, lemmatizer; its NER is not needed)
then an EntityRuler of the race gazetteer and a small component that adds misspelt
candidate names. Fallback mode: ``spacy.blank("en")`` + sentencizer + the same two.
Pipelines are built once per (race names, mode) and cached for the process.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex

from kingmaker.extract.events import Mode
from kingmaker.extract.gazetteer import Gazetteer, fold
from kingmaker.extract.modelcheck import check_model

log = logging.getLogger(__name__)
_CACHE: dict[tuple[str, Mode], Language] = {}
_LOCK = threading.Lock()
FUZZY = "kingmaker_fuzzy_names"


@Language.factory(FUZZY, default_config={"names": {}, "label": "PERSON_KM"})
def _make_fuzzy(nlp: Language, name: str, names: dict[str, str], label: str) -> FuzzyNames:
    return FuzzyNames(names, label)


class FuzzyNames:
    """Mark capitalised tokens within a small edit distance of a candidate's name."""

    def __init__(self, names: dict[str, str], label: str) -> None:
        self.names = names
        self.label = label
        self._gaz = Gazetteer(race_id="", fuzzy_names=dict(names))

    def __call__(self, doc: Doc) -> Doc:
        taken = {t.i for e in doc.ents for t in e}
        new: list[Span] = []
        for tok in doc:
            if tok.i in taken or not tok.is_title or len(tok) < 5:
                continue
            key = self._gaz.fuzzy(tok.text)
            if key is not None:
                new.append(Span(doc, tok.i, tok.i + 1, label=self.label, span_id=key))
        if new:
            doc.ents = list(doc.ents) + new
        return doc


def patterns(gaz: Gazetteer) -> list[dict[str, Any]]:
    """EntityRuler patterns: label = the reference kind, id = its key."""
    out: list[dict[str, Any]] = []
    for surface, ref in gaz.surfaces.items():
        label = f"{ref.kind.upper()}_KM"
        if ref.kind == "post" or surface == surface.lower():
            out.append({"label": label, "id": ref.key, "pattern": _lower_pattern(surface)})
        else:
            out.append({"label": label, "id": ref.key, "pattern": surface})
    return out


def _lower_pattern(surface: str) -> list[dict[str, Any]]:
    return [{"LOWER": w} for w in _words(surface.lower())]


def _words(text: str) -> list[str]:
    blank = _blank()
    return [t.text for t in blank.tokenizer(text)]


_BLANK: list[Language] = []


def _blank() -> Language:
    if not _BLANK:
        _BLANK.append(spacy.blank("en"))
    return _BLANK[0]


def load_base(mode: Mode) -> Language:
    """A fresh base pipeline for ``mode`` (raises OSError/ValueError if the model fails)."""
    if mode == "fallback":
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    else:
        check = check_model()
        if check.path is None:
            raise OSError(check.reason)
        nlp = spacy.load(check.path, exclude=["ner", "senter"])
    _split_dotted_compounds(nlp)
    return nlp


def _split_dotted_compounds(nlp: Language) -> None:
    """Split a hyphen after an abbreviation's dot ('U.S.-backed' -> 'U.S.', '-', 'backed'),
    as the tokenizer already does after a plain word ('US-backed'), so the name before it
    is found."""
    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Z]\.)-(?=[a-z])"]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def get_pipeline(gaz: Gazetteer, mode: Mode) -> Language:
    """The cached pipeline of this gazetteer and mode, built on first use."""
    key = (gaz.fingerprint(), mode)
    with _LOCK:
        nlp = _CACHE.get(key)
        if nlp is None:
            nlp = load_base(mode)
            ruler = nlp.add_pipe(
                "entity_ruler", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True}
            )
            assert isinstance(ruler, EntityRuler)
            ruler.add_patterns(patterns(gaz))
            names = {fold(k): v for k, v in gaz.fuzzy_names.items()}
            nlp.add_pipe(FUZZY, config={"names": names})
            _CACHE[key] = nlp
            log.info("built %s pipeline for race %s", mode, gaz.race_id)
        return nlp


def model_available() -> tuple[bool, str]:
    """Whether model mode can run here, and why not."""
    check = check_model()
    return check.ok, check.reason
