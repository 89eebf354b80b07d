"""Positional argument finding for stance triggers (the fallback, and the model's backup).

Holders: the nearest list of member mentions before the trigger, within a few words
and not across a clause opener ("that", ", and") or a numeric subject ("29 back"), or
a pronoun ("it", "they", "which") standing for the nearest such list; after "by",
"from" or "of", or in apposition, for nouns and passives; inside a compound ("lifted
Budapest's veto", "US-backed"). Targets: the object after the trigger (a candidate,
a pronoun, or someone else), or for passives the candidate before it.
"""

from __future__ import annotations

from kingmaker.extract.context import MEMBER_PRONOUNS, SentenceView
from kingmaker.extract.lexicon import (
    DEMONYM_ENDS,
    HEDGE_STRONG,
    OPPOSE_NOUNS,
    RELIED_NOUNS,
    SUPPORT_NOUNS,
    words,
)
from kingmaker.extract.mentions import Mention
from kingmaker.extract.triggers import Trigger

_GLUE = words(", and or the as well both also all including plus & 's ’s")
_LOCATIVE = words(
    "in at to into toward towards visited visiting visit over about against across for from on"
    " than like with"
)
_SPEAKERS = words("sources officials official diplomats government governments source")
GOVERNMENT = (
    _SPEAKERS
    | words(
        "spokesman spokeswoman spokesperson president presidency minister ministry ambassador"
        " ambassadors diplomat leader leaders administration authorities council cabinet"
        " chancellor premier parliament delegation envoy foreign prime state capital side"
        " team"
        # plurals: 'the prime ministers of A and B oppose X'
        " presidents ministers premiers chancellors envoys delegations"
    )
    | SUPPORT_NOUNS
    | OPPOSE_NOUNS
)
NON_GOVERNMENT = words(
    "election elections economy media troops forces weapons spending defence defense law laws"
    " politics public voters press companies company market markets airspace borders border"
    " soil territory army military society people citizens language history nationals reporters"
    " journalists outlets radio television tv newspaper broadcaster nuclear jets systems aid"
    " coalition campaign vote democracy candidate candidates nominee nominees contender"
    " contenders hopeful national diplomat"
)
_STOP = words(
    "that because while whether if although though since when after before unless until where"
    " whom whose than ; :"
)
_RELATIVE = {"which", "who", "that"}
_AGENT = {"by", "from", "of"}
_SKIP_TO_MEMBERS = words(
    "the a all most more than some several many other key major main its their both members"
    " allies countries states nations governments capitals powers leaders member , including"
    " such as notably like big biggest largest heavyweight heavyweights neighbours neighbors"
    " partners four three two five of -"
    " his her native home government majority a"
    # a counted group the members are examples of: 'backed by a group of countries
    # including A and B', 'the backing of a dozen states, among them A and B'
    " group dozen handful number among them"
    # the members' governments named by office: 'endorsements from the prime ministers of A'
    " prime foreign minister ministers president presidents premier premiers chancellor chancellors"
)
_PREP_TARGET = {"for", "behind", "to", "of", "on", "toward", "towards", "about"}
_CALENDAR = words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may"
    " june july august september october november december"
)
_TARGET_STOP = words(
    "against than ; while but whereas although because that"
    # the object of a verb of removal is not what the trigger backs or opposes:
    # 'back the candidate with the best chance of removing X'
    " remove removing oust ousting unseat unseating defeat defeating replace replacing"
)
_TITLE_WORDS = words(
    "prime minister president foreign chancellor premier pm outgoing caretaker acting interim"
    " former incumbent the its their his her candidate current next sitting diplomat"
    " ambassador economist politician official veteran envoy governor commissioner director"
    " secretary secretary-general director-general chief head general mayor national"
    " dr dr. doctor prof prof. professor mr mr. mrs mrs. ms ms. sir dame madam judge he h.e."
)
_LEADER_WORDS = words("pm fm head leader chancellor premier king queen")
_COMPOUND_STANCE = words("backed supported endorsed led sponsored proposed nominated")
_BID_NOUNS = words("candidacy candidature bid nomination appointment")
_HOLDER_TITLES = _TITLE_WORDS | _LEADER_WORDS | words("minister envoy government delegation")
# 'Borea and other Caribbean states such as Calvia and Dravia back X': examples go on a list
_EXAMPLES = words("such as including like other countries states nations members governments")
_GROUP_NOUNS = words("countries states nations members allies governments capitals powers")
_ORDINALS = words("first second third fourth fifth last")
_MAX_GAP = 9
_APPOSED = 10  # words of a person's description in apposition before the name


def holder_ok(v: SentenceView, m: Mention) -> bool:
    """Whether a mention can hold a stance (speaks for members; not a name's modifier)."""
    if not m.members:
        return False
    doc = v.sent.doc
    prev = doc[m.start - 1].lower_ if m.start > v.sent.start else ""
    if prev in ("and", "or", ",", "both", "either") and _list_governor(v, m.start - 1) in (
        "against",
        "for",
        "on",
    ):
        return False  # 'voted against both Costa and Kallas': objects, however listed
    if m.kind != "member":
        return True
    prev2 = doc[m.start - 2].lower_ if m.start - 1 > v.sent.start else ""
    prev3 = doc[m.start - 3].lower_ if m.start - 2 > v.sent.start else ""
    if _nationality(v, m):
        return False  # 'the Bulgarian won': a person called by their nationality
    if _inside_name(v, m):
        return False  # 'Northern Ireland', 'the Latin American group': part of a longer name
    if (
        prev == ","
        and doc[m.start - 2].is_title
        and v.at(m.start - 2) is None
        and prev3 in _LOCATIVE
    ):
        return False  # 'in Strasbourg, France': a place
    if (prev in _LOCATIVE or prev == "of") and not (
        prev == "with"
        or (prev in ("in", "from") and prev2 in _SPEAKERS)
        or (prev == "of" and prev2 in GOVERNMENT)
    ):
        return False
    i = m.end
    if i < v.sent.end and doc[i].lower_ in ("'s", "’s", "'"):
        i += 1
    if i < v.sent.end and doc[i].is_alpha and doc[i].is_lower and v.at(i) is None:
        nxt = doc[i]
        if nxt.lower_ in GOVERNMENT:
            return True
        if v.model:
            return not (nxt.pos_ in ("NOUN", "PROPN") and nxt.i == doc[m.end - 1].head.i)
        return nxt.lower_ not in NON_GOVERNMENT
    for j in range(i, min(i + 5, v.sent.end)):
        other = v.at(j)
        if other is not None and other.kind in ("person", "role"):
            return False
        if not doc[j].is_title:
            break
    return True


def _nationality(v: SentenceView, m: Mention) -> bool:
    """'the Bulgarian won': a demonym after 'the' standing for a person, not a government."""
    doc = v.sent.doc
    prev = doc[m.start - 1].lower_ if m.start > v.sent.start else ""
    if prev == "the" and m.end - m.start == 1 and doc[m.start].lower_.endswith(DEMONYM_ENDS):
        word = doc[m.end].lower_ if m.end < v.sent.end else ""
        return word not in GOVERNMENT and word not in ("'s", "’s")
    return False


def _inside_name(v: SentenceView, m: Mention) -> bool:
    """A member's name right after a capitalised word that is no name, title or sentence
    opening ('Northern Ireland', 'Latin American'), or before '-based' ('Brussels-based')."""
    doc = v.sent.doc
    if m.end + 1 < v.sent.end and doc[m.end].text == "-" and not doc[m.end - 1].whitespace_:
        return doc[m.end + 1].is_lower and doc[m.end + 1].lower_ not in _COMPOUND_STANCE
    i = m.start - 1
    if i <= v.sent.start or v.at(i) is not None:
        return False
    tok = doc[i]
    return (
        tok.is_title
        and tok.is_alpha
        and tok.lower_ not in _TITLE_WORDS | _LEADER_WORDS | _CALENDAR
        and doc[i - 1].text not in ("\n", ":", '"', "“", "'", "‘", "(", "-", "–", "—")
        and not doc[i - 1].is_space
        and not doc[i].is_sent_start
    )


def _list_governor(v: SentenceView, i: int) -> str:
    """The word before a coordinated list ending at token ``i`` ('against' in 'against
    both A and B')."""
    doc = v.sent.doc
    listed = False  # a list needs an item before it, or 'both'/'either' ('against and Y' is none)
    for _ in range(12):
        if i < v.sent.start:
            return ""
        m = v.at(i)
        if m is not None:
            i, listed = m.start - 1, True
        elif doc[i].lower_ in ("and", "or", ",", "both", "either", "'s", "’s"):
            listed = listed or doc[i].lower_ in ("both", "either")
            i -= 1
        else:
            return doc[i].lower_ if listed else ""
    return ""


def members_before(v: SentenceView, idx: int, lo: int, *, far: bool = False) -> list[Mention]:
    """The nearest list of holders before token ``idx`` (not before ``lo``)."""
    doc = v.sent.doc
    found: list[Mention] = []
    gap = 0
    i = idx - 1
    while i >= lo:
        m = v.at(i)
        if m is not None:
            if holder_ok(v, m):
                found.append(m)
            elif found:
                break
            i = m.start - 1
            continue
        w = doc[i].lower_
        if not found:
            if w in ("he", "she") and not far:
                return _person_before(v, i)
            if w in MEMBER_PRONOUNS or (w in _RELATIVE and i > lo and doc[i - 1].text == ","):
                return members_before(v, i, v.sent.start, far=True) if i > v.sent.start else []
            if not far and (
                w in _STOP
                or gap >= _MAX_GAP
                or (
                    doc[i].like_num and w not in _ORDINALS and gap < 3
                )  # '29 back', not 'the first to'
                or _comma_and(v, i)
            ):
                return []
            if doc[i].text in ("-", "–", "—") and doc[i].whitespace_:
                start = _aside_start(v, i, lo)
                named = _named_in_aside(v, start, i)
                if named:  # '10 countries - Argentina among them - backed X'
                    return named
                i = start
            elif doc[i].text == ",":
                i = _relative_start(v, i, lo)
            gap += 1
        elif (
            w not in _GLUE
            and w not in _EXAMPLES
            and not (doc[i].text[:1].isupper() and doc[i + 1].lower_ in _EXAMPLES)
            and not _unknown_item(v, i, lo)
            and not (w in _HOLDER_TITLES and doc[i - 1].lower_ in ("'s", "’s"))
        ):  # "Borea's envoy and Calvia's premier back X": a title after a possessive goes on
            break
        i -= 1
    return found


def _unknown_item(v: SentenceView, i: int, lo: int) -> bool:
    """A capitalised name the race does not know, inside a list of members ('The EPP,
    the Liberals and the Greens'): skipped, so the list goes on."""
    doc = v.sent.doc
    if not (doc[i].is_title and doc[i].is_alpha) or i - 1 < lo:
        return False
    j = i - 1
    while j >= lo and doc[j].is_title and doc[j].is_alpha and v.at(j) is None and j > i - 3:
        j -= 1
    if j >= lo and doc[j].lower_ == "the":
        j -= 1
    return j >= lo and doc[j].text in (",", "and") and v.at(j) is None


def _person_before(v: SentenceView, i: int) -> list[Mention]:
    """'Szijjártó said he cannot back...': the nearest person before who speaks for members."""
    for m in reversed(v.mentions):
        if m.end <= i and m.kind in ("person", "role"):
            return [m] if m.members and not m.player else []
    return []


def _relative_start(v: SentenceView, i: int, lo: int) -> int:
    """Skip back over a relative clause ('Ferreira, who had opposed Raman, now backs her')."""
    doc = v.sent.doc
    for j in range(i - 1, max(lo, i - 14), -1):
        if doc[j].lower_ in ("who", "which", "whose") and doc[j - 1].text == ",":
            return j - 1
        if doc[j].text in (",", ";"):
            break
    return i


def _aside_start(v: SentenceView, i: int, lo: int) -> int:
    """Skip back over an aside between two dashes ('X - NATO's four biggest powers - have')."""
    doc = v.sent.doc
    for j in range(i - 1, max(lo, i - 12) - 1, -1):
        if doc[j].text in ("-", "–", "—") and doc[j].whitespace_:
            return j
    return i


def _named_in_aside(v: SentenceView, start: int, end: int) -> list[Mention]:
    """The members an aside names as examples of the subject ('- Argentina among them -',
    '- including A and B -')."""
    doc = v.sent.doc
    if start >= end or not any(doc[j].lower_ in ("among", "including") for j in range(start, end)):
        return []
    found: list[Mention] = []
    for j in range(start + 1, end):
        m = v.at(j)
        if m is not None and m.start == j and m.members and holder_ok(v, m):
            found.append(m)
    return found


def _comma_and(v: SentenceView, i: int) -> bool:
    doc = v.sent.doc
    return doc[i].lower_ == "and" and i > v.sent.start and doc[i - 1].text == ","


def members_after(v: SentenceView, idx: int, hi: int) -> list[Mention]:
    """Holders after a noun or passive trigger: 'backing of X', 'backed by X', apposition."""
    doc = v.sent.doc
    appos = v.at(idx) if idx < hi else None
    if appos is not None and appos.members:
        return list_from(v, idx, hi)
    i = idx
    while i < min(hi, idx + 2) and doc[i].lower_ not in _AGENT:
        i += 1
    if i >= hi or doc[i].lower_ not in _AGENT:
        return []
    i += 1
    described = _described_list(v, i, hi)
    if described:
        return described
    skipped = 0
    while i < hi and v.at(i) is None and skipped < 8:
        tok = doc[i]
        if i + 2 < hi and doc[i + 1].text == "-" and not tok.whitespace_ and tok.is_alpha:
            i, skipped = i + 3, skipped + 3  # a compound modifier: 'leftist-led', 'oil-rich'
            continue
        named = (tok.is_alpha and tok.text[:1].isupper()) or tok.text in ("(", ")")
        if tok.lower_ not in _SKIP_TO_MEMBERS and not tok.like_num and not named:
            return []  # a name the race does not know may describe them ('IAEA heavyweights')
        i += 1
        skipped += 1
    return list_from(v, i, hi)


def _described_list(v: SentenceView, i: int, hi: int) -> list[Mention]:
    """'the support of two key countries of the region, Borea and Calvia': members after a
    comma that close the clause, in apposition to a description with a group noun and
    no name in it (not '..., Borea said')."""
    doc = v.sent.doc
    comma = next((j for j in range(i, min(hi, i + 10)) if doc[j].text == ","), None)
    if comma is None or comma == i or any(v.at(j) is not None for j in range(i, comma)):
        return []
    if not any(doc[j].lower_ in _GROUP_NOUNS for j in range(i, comma)):
        return []
    found = list_from(v, comma + 1, hi)
    if not found:
        return []
    end = max(m.end for m in found)
    closes = end >= hi or (doc[end].is_punct and doc[end].text not in ("-", "–", "("))
    return found if closes else []


def list_from(v: SentenceView, i: int, hi: int) -> list[Mention]:
    """The members listed from token ``i``: names, leaders by title and name ("Poland's
    PM Donald Tusk and Greece's Kyriakos Mitsotakis"), a parenthesised aside skipped."""
    doc = v.sent.doc
    found: list[Mention] = []
    while i < hi:
        start = i
        m = v.at(i)
        if m is not None and m.members and not m.candidate:
            if _nationality(v, m):
                break
            found.append(m)
            i = m.end
        elif doc[i].lower_ in _GLUE or (found and doc[i].lower_ in ("-", "–")):
            i += 1
        elif found and doc[i].text == "(":
            i = _closing(v, i, hi)
        elif found and doc[i].is_alpha and doc[i].lower_.endswith("ly") and v.at(i) is None:
            i += 1  # 'Borea, Calvia and, most recently, Dravia'
        elif found and doc[i].lower_ in ("later", "also", "then", "too"):
            i += 1
        elif found and doc[i].lower_ in _AGENT and doc[i - 1].lower_ in ("and", "or", ","):
            i += 1  # 'backed by Borea and by Calvia': the agent repeated after the glue
        elif found and doc[i].lower_ in _TITLE_WORDS | _LEADER_WORDS:
            while i < hi and v.at(i) is None and doc[i].lower_ in _TITLE_WORDS | _LEADER_WORDS:
                i += 1
        elif found and doc[i].lower_ in _SKIP_TO_MEMBERS:
            j = i
            while (
                j < min(hi, i + 6)
                and v.at(j) is None
                and (doc[j].lower_ in _SKIP_TO_MEMBERS or doc[j].lower_.endswith("ly"))
            ):
                j += 1
            nxt = v.at(j) if j < hi else None
            if nxt is None or not nxt.members or nxt.candidate:
                break
            i = j
        else:
            break
        if i <= start:
            break  # a title word that starts a candidate's mention: the list has ended
    return found


def _closing(v: SentenceView, i: int, hi: int) -> int:
    """The token after the parenthesis opened at ``i`` (``hi`` if it does not close soon)."""
    doc = v.sent.doc
    for j in range(i + 1, min(hi, i + 16)):
        if doc[j].text == ")":
            return j + 1
    return hi


def semicolon_items(v: SentenceView, edge: int, step: int) -> list[Mention]:
    """A list of members cut by semicolons ('backed by A; B; and C'): from the clause edge
    ``edge`` (the ';' token), every following (step 1) or preceding (step -1) segment that
    holds nothing but members and glue."""
    doc = v.sent.doc
    out: list[Mention] = []
    while v.sent.start <= edge < v.sent.end and doc[edge].text == ";":
        seg: list[Mention] = []
        i = edge + step
        while v.sent.start <= i < v.sent.end and doc[i].text != ";":
            m = v.at(i)
            if m is not None and m.members and not m.candidate:
                seg.append(m)
                i = m.end if step > 0 else m.start - 1
            elif doc[i].lower_ in _GLUE or doc[i].is_punct:
                i += step
            else:
                return out
        if not seg:
            return out
        out += seg
        edge = i
    return out


def relied_on(v: SentenceView, idx: int, hi: int) -> list[Mention]:
    """'relies on the votes of the coalition (A, B, C)', 'relied on the majority coalition of
    A, the Socialists (B) and the centrists of C': every member named after the noun's
    'of', up to a hedge ('and possibly those of D') or the end of the clause."""
    doc = v.sent.doc
    start = next(
        (i + 1 for i in range(idx, min(hi, idx + 6))
         if doc[i].lower_ in ("of", "from") and doc[i - 1].lower_ in RELIED_NOUNS),
        None,
    )  # fmt: skip
    if start is None:
        return []
    out: list[Mention] = []
    for i in range(start, hi):
        if doc[i].lower_ in HEDGE_STRONG or doc[i].lower_ in _TARGET_STOP:
            break
        m = v.at(i)
        if m is not None and m.start == i and m.members and not m.candidate and m not in out:
            out.append(m)
    return out


def members_inside(v: SentenceView, start: int, end: int) -> list[Mention]:
    """Holders named inside a trigger ('lifted Budapest's veto', 'US-backed')."""
    out = []
    for i in range(start, end):
        m = v.at(i)
        if m is not None and m.members and m not in out:
            out.append(m)
    return out


def target_after(
    v: SentenceView, t: Trigger, hi: int, reach: int = 9, *, commas: bool = False
) -> str | None:
    """The candidate a trigger is about, after it; '' when its object is someone else."""
    doc = v.sent.doc
    start = t.end
    if t.cue == "behind":
        for i in range(start, min(hi, start + 2)):
            m = v.at(i)
            if m is not None and m.candidate:
                return m.candidate
            if m is None and doc[i].lower_ in ("him", "her", "his"):
                return v.pronoun_candidate(doc[i])
        return ""
    if t.noun:
        if (
            start < hi
            and doc[start].lower_ not in _PREP_TARGET
            and start + 1 < hi
            and doc[start].is_alpha
        ):
            start += 1
        if start >= hi or doc[start].lower_ not in _PREP_TARGET:
            return None
        start += 1
        reach = min(reach, 7)
    elif _described_person(v, start, hi):
        reach = max(reach, 20)  # 'backed the former foreign minister of X and ..., Jane Roe'
    i = start
    while i < min(hi, start + reach):
        m = v.at(i)
        tok = doc[i]
        if m is not None and m.candidate:
            return m.candidate
        if tok.lower_ in ("him", "her", "his") and m is None:
            return v.pronoun_candidate(tok)
        if i - start <= 2 and _someone_else(v, i, m, hi) and not _cut(v, start, i):
            return ""
        if (
            m is not None
            and m.kind in ("member", "group")
            and i - start <= 2
            and t.polarity in ("support", "oppose")
        ):
            k = m.end + (1 if m.end < hi and doc[m.end].lower_ in ("'s", "’s", "'") else 0)
            # a party or a region before the title: "Belgium's Flemish Liberal Prime Minister"
            mod = k
            while (
                mod < min(hi, k + 3)
                and doc[mod].is_title
                and doc[mod].is_alpha
                and v.at(mod) is None
            ):
                mod += 1
            if mod > k and mod < hi and doc[mod].lower_ in _TITLE_WORDS - {"the", "its", "their"}:
                k = mod
            nxt = v.at(k) if k < hi else None
            if not (nxt is not None and nxt.candidate) and (
                k >= hi or doc[k].lower_ not in _TITLE_WORDS
            ):
                return ""
        if (
            m is None
            and tok.is_title
            and tok.is_alpha
            and i == start
            and tok.lower_ not in _TITLE_WORDS | _CALENDAR
        ):
            return ""
        if tok.lower_ in _TARGET_STOP:
            break
        if tok.text == "," and not commas:
            if not _apposition(v, i, hi):
                break
            reach = max(reach, i - start + _APPOSED)  # 'its own national, the ... Jane Roe'
        i = m.end if m is not None else i + 1
    return None


def _described_person(v: SentenceView, i: int, hi: int) -> bool:
    """An object that opens with a description of a person ('the former Ecuadorian foreign
    minister'): an article, then titles or a member's demonym, before any name."""
    doc = v.sent.doc
    if i + 1 >= hi or doc[i].lower_ not in ("the", "a", "an"):
        return False
    m = v.at(i + 1)
    return doc[i + 1].lower_ in _TITLE_WORDS or (m is not None and m.kind == "member")


def _cut(v: SentenceView, start: int, i: int) -> bool:
    """A new clause begins between ``start`` and ``i`` ('voting against and Meloni ...')."""
    return any(v.sent.doc[j].lower_ in ("and", "or", ",", "while", "but") for j in range(start, i))


def _someone_else(v: SentenceView, i: int, m: Mention | None, hi: int) -> bool:
    """A person who is not a candidate of the race as the object ('abstained on Kaja
    Kallas' where she runs for another post), or a name's bid ('about Costa's candidacy')."""
    doc = v.sent.doc
    if m is not None:
        return m.kind == "person" and not m.candidate and i == m.start
    k = i + 1
    while k < hi and doc[k].is_title and v.at(k) is None:
        k += 1
    return (
        doc[i].is_title
        and doc[i].is_alpha
        and doc[i].lower_ not in _TITLE_WORDS | _CALENDAR
        and k + 1 < hi
        and doc[k].lower_ in ("'s", "’s", "'")
        and doc[k + 1].lower_ in _BID_NOUNS
    )


def _apposition(v: SentenceView, i: int, hi: int) -> bool:
    """A comma followed by a candidate or a title ('its president, Klaus Iohannis'), or by
    a description of a person that opens with an article and runs to the name ('has
    nominated its own national, the international trade diplomat Jane Roe')."""
    doc = v.sent.doc
    described = i + 1 < hi and doc[i + 1].lower_ in ("the", "a", "an")
    for j in range(i + 1, min(hi, i + (_APPOSED if described else 4))):
        m = v.at(j)
        if m is not None and m.candidate:
            return True
        tok = doc[j]
        if not (
            tok.is_title
            or tok.lower_ in _TITLE_WORDS
            or (described and tok.is_alpha and tok.is_lower and tok.lower_ not in _TARGET_STOP)
        ):
            return False
    return False


def target_before(v: SentenceView, idx: int, lo: int) -> str | None:
    """The candidate before token ``idx`` in the clause (a passive subject), or a pronoun."""
    doc = v.sent.doc
    for i in range(idx - 1, max(lo, idx - 25) - 1, -1):
        m = v.at(i)
        if m is not None and m.candidate:
            return m.candidate
        if doc[i].lower_ in ("he", "she", "him", "her", "his") and m is None:
            return v.pronoun_candidate(doc[i])
    return None
