"""Dependency rules (model mode): a stance trigger's holders and target from the parse.

Verbs: holders are the subject and its conjuncts (climbing through "vowed to back",
relative "which", coordinated verbs), or the agent of a passive; the target is the
object, "for"/"behind" X, or the passive subject. Nouns: holders are the possessor
("Hungary's veto"), a member modifier ("Turkish resistance"), "of"/"from" X, or the
subject of "give/throw/signal support"; the target is "for/to X" or the subject of
"win/have/secure the support of". Returns None when the parse does not say, so the
positional rules decide.
"""

from __future__ import annotations

from spacy.tokens import Token

from kingmaker.extract.args import holder_ok, members_before
from kingmaker.extract.context import FEMALE, MALE, MEMBER_PRONOUNS, SentenceView
from kingmaker.extract.lexicon import words
from kingmaker.extract.mentions import Mention
from kingmaker.extract.triggers import Trigger

_GIVE = words(
    "give throw lend announce signal express voice offer pledge confirm declare reiterate"
    " withdraw state indicate register"
)
_HAVE = {"win", "secure", "get", "have", "receive", "gain", "enjoy", "command", "earn", "garner"}
_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_BID = {"bid", "candidacy", "candidature", "nomination", "campaign", "appointment", "ambition"}
_TARGET_PREPS = {"for", "behind", "to", "toward", "towards", "on", "about", "of"}
Args = tuple[list[Mention], str | None, str]


def stance_args(v: SentenceView, t: Trigger) -> Args | None:
    """Holders, target and how they were found, or None to use the positional rules."""
    tok = _head_token(v, t)
    if tok is None:
        return None
    if tok.pos_ in ("NOUN", "PROPN") or t.noun:
        holders, target = _noun_holders(v, tok), _noun_target(v, tok)
    else:
        holders, target = _verb_holders(v, tok), _verb_target(v, tok)
    holders = [h for h in holders if not h.player]
    if not holders or target is None:
        return None
    return holders, target, "dep"


def _head_token(v: SentenceView, t: Trigger) -> Token | None:
    doc = v.sent.doc
    if t.polarity == "lifted":
        for i in range(t.start, t.end):
            if doc[i].pos_ in ("VERB", "AUX"):
                return doc[i]
        return None
    if t.rule in ("stance.compound", "stance.behind", "stance.own-candidate"):
        return None
    if t.polarity == "neutral" and t.end - t.start > 1:
        return None
    return doc[t.start]


def _mentions_in(v: SentenceView, tok: Token) -> list[Mention]:
    """Mentions an argument token stands for: itself, its conjuncts, or its member modifiers."""
    out: list[Mention] = []
    for head in [tok, *tok.conjuncts]:
        m = v.at(head.i)
        if m is not None:
            if m not in out:
                out.append(m)
            continue
        if head.lower_ in MEMBER_PRONOUNS or head.lower_ in ("which", "who", "that"):
            out += [x for x in _pronoun(v, head) if x not in out]
            continue
        for child in head.children:
            if child.dep_ in ("compound", "amod", "poss", "nmod"):
                cm = v.at(child.i)
                if cm is not None and cm.members and cm not in out:
                    out.append(cm)
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("including", "from", "in"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        out += [x for x in _mentions_in(v, obj) if x not in out]
    return out


def _pronoun(v: SentenceView, tok: Token) -> list[Mention]:
    if tok.lower_ in ("which", "who", "that") and tok.head.dep_ == "relcl":
        return _mentions_in(v, tok.head.head)
    return members_before(v, tok.i, v.sent.start, far=True) if tok.i > v.sent.start else []


def _subject(tok: Token) -> Token | None:
    cur: Token | None = tok
    for _ in range(4):
        if cur is None:
            return None
        for child in cur.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child
        if cur.dep_ in ("xcomp", "conj", "advcl", "acomp") and cur.head is not cur:
            cur = cur.head
        elif cur.dep_ == "relcl":
            return cur.head
        else:
            return None
    return None


def _verb_holders(v: SentenceView, tok: Token) -> list[Mention]:
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
    if passive:
        for c in tok.children:
            if c.dep_ == "agent":
                return [
                    m
                    for o in c.children
                    if o.dep_ == "pobj"
                    for m in _mentions_in(v, o)
                    if holder_ok(v, m)
                ]
        return []
    subj = _subject(tok)
    if subj is None:
        return []
    return [
        m for m in _mentions_in(v, subj) if m.members and (m.kind != "member" or holder_ok(v, m))
    ]


def _verb_target(v: SentenceView, tok: Token) -> str | None:
    for c in tok.children:
        if c.dep_ == "nsubjpass":
            return _candidate(v, c)
    for c in tok.children:
        if c.dep_ in ("dobj", "attr"):
            return _candidate(v, c)
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in _TARGET_PREPS:
            for o in c.children:
                if o.dep_ == "pobj":
                    return _candidate(v, o)
    return None


def _noun_holders(v: SentenceView, tok: Token) -> list[Mention]:
    out: list[Mention] = []
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod"):
            out += [m for m in _mentions_in(v, c) if m.members]
        if c.dep_ == "prep" and c.lower_ in ("of", "from", "by"):
            out += [
                m for o in c.children if o.dep_ == "pobj" for m in _mentions_in(v, o) if m.members
            ]
    if out:
        return out
    head = tok.head
    if tok.dep_ in ("dobj", "pobj") and head.lemma_ in _GIVE:
        subj = _subject(head)
        if subj is not None:
            return [m for m in _mentions_in(v, subj) if m.members]
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX"):
        return []
    return []


def _noun_target(v: SentenceView, tok: Token) -> str | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS - {"of"}:
            for o in c.children:
                if o.dep_ == "pobj":
                    return _candidate(v, o)
    head = tok.head
    if tok.dep_ == "dobj" and head.lemma_ in _HAVE:
        subj = _subject(head)
        if subj is not None:
            return _candidate(v, subj)
    return None


def _candidate(v: SentenceView, tok: Token) -> str | None:
    """The candidate an argument names: itself, a possessor ('Rutte's bid'), a pronoun."""
    m = v.at(tok.i)
    if m is not None:
        return m.candidate
    if tok.lower_ in MALE or tok.lower_ in FEMALE:
        return v.pronoun_candidate(tok)
    if tok.lower_ in _BID or tok.pos_ == "NOUN":
        for c in tok.children:
            if c.dep_ in ("poss", "compound"):
                found = _candidate(v, c)
                if found:
                    return found
            if c.dep_ == "prep" and c.lower_ == "of":
                for o in c.children:
                    if o.dep_ == "pobj":
                        return _candidate(v, o)
    for c in tok.children:
        if c.dep_ in ("appos", "compound"):
            cm = v.at(c.i)
            if cm is not None and cm.candidate:
                return cm.candidate
    return None
