"""Generic English cue words: support, opposition, candidacy, office, negation, hedges.

Only words any news story about any selection race would use. Verbs are listed by base
form and expanded to their inflections, so the lists work without a lemmatizer (the
fallback pipeline has none). No names of people, places or posts belong here.
"""

from __future__ import annotations

_IRREGULAR = {
    "throw": ("threw", "thrown"),
    "give": ("gave", "given"),
    "win": ("won",),
    "get": ("got", "gotten"),
    "put": (),
    "run": ("ran",),
    "choose": ("chose", "chosen"),
    "take": ("took", "taken"),
    "become": ("became",),
    "withdraw": ("withdrew", "withdrawn"),
    "overcome": ("overcame",),
    "quit": (),
    "lead": ("led",),
    "rule": (),
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "bow": (),
    "step": ("stepped", "stepping"),
    "drop": ("dropped", "dropping"),
    "stop": ("stopped", "stopping"),
    "veto": ("vetoed", "vetoes", "vetoing"),
    "leave": ("left",),
    "set": (),
    "seek": ("sought",),
    "hold": ("held",),
    "withhold": ("withheld",),
    "fall": ("fell", "fallen"),
    "signal": ("signalled", "signalling"),
    "snub": ("snubbed", "snubbing"),
    "submit": ("submitted", "submitting"),
    "torpedo": ("torpedoed", "torpedoes", "torpedoing"),
    # a final consonant doubled before -ed/-ing
    "prefer": ("preferred", "preferring"),
    "scrap": ("scrapped", "scrapping"),
    "cut": ("cutting",),
    "hit": ("hitting",),
}


def words(text: str) -> frozenset[str]:
    """A word set from a space-separated string (compact lists of cue words)."""
    return frozenset(text.split())


def forms(*bases: str) -> frozenset[str]:
    """Every inflection of the base verbs: ``back`` -> back, backs, backed, backing."""
    out: set[str] = set()
    for b in bases:
        out.add(b)
        out.update(_IRREGULAR.get(b, ()))
        if b.endswith("e"):
            out.update((b + "s", b + "d", b[:-1] + "ing"))
        elif b.endswith("y") and b[-2] not in "aeiou":
            out.update((b[:-1] + "ies", b[:-1] + "ied", b + "ing"))
        elif b.endswith(("s", "sh", "ch", "x", "z", "o")):
            out.update((b + "es", b + "ed", b + "ing"))
        else:
            out.update((b + "s", b + "ed", b + "ing"))
        if b in ("put", "quit", "set", "win", "run", "get"):
            out.add(b + b[-1] + "ing")
    return frozenset(out)


SUPPORT_VERBS = forms(
    "back",
    "support",
    "endorse",
    "favour",
    "favor",
    "champion",
    "prefer",
    "welcome",
    "praise",
    "congratulate",
    "reappoint",
    "re-appoint",
    "renew",
    "re-elect",
    "reelect",
    "approve",
    "promote",
)
SUPPORT_NOUNS = frozenset(
    {
        "support",
        "backing",
        "endorsement",
        "endorsements",
        "approval",
        "blessing",
        "congratulations",
        "nod",
    }
)
OPPOSE_VERBS = forms(
    "oppose",
    "block",
    "veto",
    "object",
    "reject",
    "resist",
    "obstruct",
    "thwart",
    "torpedo",
    "scupper",
    "boycott",
    "snub",
)
OPPOSE_NOUNS = frozenset(
    {"opposition", "objection", "objections", "veto", "vetoes", "blockade", "blockades",
     "resistance", "reservations", "reservation", "obstructionists", "lockdowns", "block"}
)  # fmt: skip
NEUTRAL_WORDS = frozenset(
    {"undecided", "non-committal", "noncommittal", "unconvinced", "uncommitted", "unhappy",
     "abstained", "abstains", "abstaining", "abstention"}
)  # fmt: skip
VOTE_VERBS = forms("vote")
AGREE_VERBS = forms("agree", "settle")  # 'agreed on X', 'settled on X', 'agreed that X should'
BACKER_NOUNS = {
    **dict.fromkeys(("supporters", "backers", "champions", "proponents"), "support"),
    # the agent nouns of the nominate class: 'Young's nominators include A, B and C'
    **dict.fromkeys(("nominators", "proposers", "seconders", "sponsors", "endorsers"), "support"),
    **dict.fromkeys(("opponents", "opposers", "detractors"), "oppose"),
}
RELY_VERBS = forms("rely", "count", "depend", "bank")  # 'she relies on the votes of A and B'
RELIED_NOUNS = frozenset(
    {"votes", "vote", "support", "backing", "coalition", "majority", "groups", "help"}
)  # fmt: skip
PEOPLE_NOUNS = frozenset(
    {"leaders", "negotiators", "governments", "ministers", "heads", "members", "countries",
     "states", "capitals", "allies", "premiers", "chiefs", "delegations"}
)  # fmt: skip
CANDIDATE_SET_NOUNS = frozenset(
    {"trio", "duo", "pair", "nominees", "candidates", "package", "names", "slate", "line-up",
     "lineup"}
)  # fmt: skip
NEUTRAL_PHRASES = (
    ("not", "decided"),
    ("still", "discussing", "whether"),
    ("still", "considering", "whether"),
    ("on", "the", "fence"),
    ("will", "decide"),
    ("remains", "open"),
)
LIFT_VERBS = forms(
    "lift", "drop", "end", "abandon", "withdraw", "overcome", "ease", "waive", "remove"
)
CHANGE_PHRASES = (
    ("changed", "its", "stance"),
    ("changed", "its", "position"),
    ("falling", "into", "line"),
    ("fell", "into", "line"),
    ("rallying", "to"),
    ("rallied", "to"),
    ("rallied", "behind"),
)
SEEKING = forms(
    "seek", "need", "ask", "urge", "court", "lobby", "require", "woo", "want", "hope", "try"
)
WIN_OVER = (
    ("win", "over"),
    ("won", "over"),
    ("winning", "over"),
    ("to", "convince"),
    ("must", "convince"),
    *(("to", w) for w in ("win", "gain", "garner", "earn", "attract")),
)

REPORTING = forms(
    "say", "tell", "announce", "confirm", "state", "write", "add", "indicate", "signal",
    "inform", "notify", "declare", "report", "explain", "stress", "insist", "vow", "pledge",
)  # fmt: skip
# offices that speak for a member: 'Borea's foreign minister', 'the Borean ambassador'
OFFICE_HEADS = frozenset({"minister", "president", "premier", "chancellor", "ambassador", "envoy"})
NEG_WORDS = frozenset({"not", "n't", "never", "cannot", "no"})
# how a demonym ends: 'Portuguese', 'Kenyan', 'British', 'Dutch', 'Israeli'
DEMONYM_ENDS = ("an", "ese", "ish", "ch", "i")
MODALS_STRONG = frozenset({"can", "could", "will", "wo", "would", "shall", "ca", "cannot"})
REFUSE = forms("refuse", "decline", "withhold") | frozenset({"withheld", "unable", "refusal"})
# taking back what was given: 'withdrew its support', 'rescinded his endorsement'
RETRACT = forms("withdraw", "rescind", "revoke", "retract", "pull", "drop", "abandon")
ASPECT_NEG = frozenset(
    {"has", "have", "had", "did", "yet", "hasn't", "haven't", "hadn't", "didn't"}
)

HEDGE_STRONG = frozenset(
    {"may", "might", "could", "likely", "possibly", "perhaps", "probably", "expected", "expect",
     "expects", "expecting", "hope", "hopes", "hoped", "hoping", "if", "whether", "unclear",
     "speculation", "speculated", "rumoured", "rumored", "potentially", "would", "should",
     "considering", "consider", "considers", "aims", "aim", "aiming", "wants", "want",
     "optimistic", "can't", "predictions", "unlikely"}
)  # fmt: skip
HEDGE_MILD = frozenset(
    {"reportedly", "according", "sources", "source", "anonymous", "anonymously", "allegedly",
     "apparently", "believed", "understood"}
)  # fmt: skip

WITHDRAW_CUES: tuple[tuple[str, ...], ...] = (
    *((w,) for w in forms("withdraw") | {"withdrawal"}),
    *((w, "out") for w in forms("pull", "drop", "bow")),
    *((w, "the", "race") for w in forms("quit", "exit", "leave")),
    ("out", "of", "the", "race"), ("exit", "of"), ("departure", "of"),
    *((w, "himself", "out") for w in forms("rule")),
    *((w, "herself", "out") for w in forms("rule")),
    *((w, "up") for w in forms("give")),
    *((w, "in", "the", "towel") for w in forms("throw")),
    *((w, "down") for w in forms("turn")),
    *((w, "aside") for w in forms("step")),
    ("decline", "the"), ("refuse", "the"), ("not", "apply"), ("does", "not", "apply"),
    # a decision not to stand: 'has decided not to run', 'opted not to seek the post'
    *((w, "not", "to", r) for w in forms("decide", "choose", "opt", "elect")
      for r in ("run", "stand", "seek", "compete", "apply")),
)  # fmt: skip
DECLARE_CUES: tuple[tuple[str, ...], ...] = (
    *((w,) for w in ("campaigning", "frontrunner", "front-runner", "favourite", "favorite",
                     "shoo-in", "hopeful", "running")),
    *((w, p, "bid") for w in forms("announce", "launch") for p in ("his", "her", "a", "the")),
    *((w, p, n) for w in forms("announce", "launch", "declare", "submit", "lodge", "register",
                                "formalise", "formalize", "file", "confirm")
      for p in ("his", "her", "a", "the", "its", "their") for n in ("bid", "candidacy",
                                                                   "candidature")),
    *((w,) for w in forms("propose", "recommend")),
    *((w, r, "forward") for w in forms("put") for r in ("himself", "herself", "themselves")),
    *((w, "for") for w in forms("run")), ("also", "running"), ("will", "run"),
    *((w, "the", "race") for w in forms("enter", "join")),
    *((w, "the", "competition") for w in forms("enter", "join")),
    *((w,) for w in forms("nominate", "challenge")), ("put", "forward"), ("putting", "forward"),
    ("leading", "contender"), ("only", "candidate"), ("sole", "candidate"), ("only", "name"),
    ("only", "official", "candidate"), ("rival", "candidate"), ("own", "candidate"),
    ("set", "to", "become"), ("set", "to", "be"), ("most", "likely", "successor"),
    ("emerging", "as"), ("only", "rival"), ("expected", "to", "become"), ("far", "and", "away"),
    *((w, "for") for w in forms("compete")), ("decided", "to", "compete"),
    ("remaining", "candidates"), ("candidates", "remain"), ("both", "candidates"), ("rival",),
    ("formally", "entering"), ("formally", "entered"), ("seeking",), ("seeks",), ("sought",),
    ("bid",), ("candidacy",), ("candidature",), ("applied",), ("has", "applied"),
    ("have", "applied"), *((w, "for") for w in forms("apply")),
    ("second", "term"), ("second", "mandate"), ("another", "term"), ("re-election",),
    ("reelection",), ("re-election", "bid"), ("fresh", "term"), ("reappointment",),
    ("re-appointment",), ("renewal",),
)  # fmt: skip
INTEREST_CUES: tuple[tuple[str, ...], ...] = (
    ("interest",), ("interested",), ("readiness",), ("ready", "to", "compete"),
    ("wants", "to"), ("want", "to"), ("would", "like"), ("rule", "out"), ("exclude",),
    ("open", "to"), ("considering",), ("eyes",), ("eyeing",), ("aiming",),
    ("tested", "the", "waters"),
    ("hat", "in", "the", "ring"), ("suitable", "candidate"), ("among", "the", "contenders"),
    ("yes",), ("interesting",),
)  # fmt: skip
MENTION_CUES: tuple[tuple[str, ...], ...] = (
    ("include",), ("including",), ("includes",), ("included",), ("among",), ("touted",),
    ("tipped",), ("floated",), ("linked",), ("possible", "candidate"), ("potential", "successor"),
    ("potential", "candidate"), ("names",), ("discussed",), ("mentioned",),
    ("competition", "from"), ("ahead", "of"), ("logically",), ("named", "as"),
    ("named", "among"),
)  # fmt: skip

SELECT_VERBS = (
    forms(
        "appoint",
        "choose",
        "select",
        "elect",
        "confirm",
        "formalise",
        "formalize",
        "approve",
        "seal",
        "re-elect",
        "reelect",
    )
    | frozenset({"named", "appointment"})
) - frozenset(
    {"electing", "choosing", "selecting", "confirming", "approving", "sealing", "re-electing"}
)
TAKEOVER_CUES: tuple[tuple[str, ...], ...] = (
    *((w, "over") for w in forms("take")), *((w, "office") for w in forms("take")),
    ("became",), ("becomes",), ("will", "become"), ("take", "up"), ("takes", "up"), ("took", "up"),
    *((w, "over") for w in forms("hand")), ("handover",), *((w, "charge") for w in forms("take")),
)  # fmt: skip
LEAVE_CUES: tuple[tuple[str, ...], ...] = (
    *((w, "down") for w in forms("step")), *((w,) for w in forms("leave")), ("departure",),
    *((n, v) for n in ("term", "mandate", "tenure") for v in forms("end", "expire", "run")),
    *((n, "is", "due") for n in ("term", "mandate", "tenure")),
    *((w, "on") for w in forms("stay")), ("stay", "until"), ("end", "of", "his"),
    ("end", "of", "her"), ("end", "of", "a", "mandate"), ("one", "more", "year"),
    *((w, "over") for w in forms("hand")), ("extended",), ("extension",),
    *((w,) for w in forms("replace", "succeed")), ("successor", "to"), ("nearing",),
    ("ends",), ("expires",), ("expire",),
    *((w, "over", "from") for w in forms("take")), *((w, "office") for w in forms("take")),
    # the incumbent going: retiring, resigning, standing down, dying, a term running out
    *((w,) for w in forms("retire", "resign")), *((w, "down") for w in forms("stand")),
    ("died",), ("death",), ("running", "out"), ("runs", "out"), ("ran", "out"),
)  # fmt: skip
DATED_LEAVE_CUES = frozenset(
    {"extended", "extension", "successor to", *forms("replace", "succeed"),
     *(f"{w} over from" for w in forms("take")), *(f"{w} office" for w in forms("take"))}
)  # fmt: skip
BACKERS = frozenset({"allies", "members", "countries", "states", "nations", "governments",
                     "capitals", "member", "ally"})  # fmt: skip
