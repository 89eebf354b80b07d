"""The resolved races of the library (first from ../shared/data/races, most since researched
for it): they load, are sourced, and their ballots and counts add up."""

from __future__ import annotations

from collections import defaultdict

import pytest

from kingmaker.backtest.checks import check_backtestable
from kingmaker.races import bundled_race_dirs, load_bundled
from kingmaker.records import (
    AppointmentEvidence,
    BallotEvidence,
    CandidacyEvidence,
    CountEvidence,
    Race,
)

# race id -> the seats of each body (the total weight the race file must give it)
SEATS: dict[str, dict[str, float]] = {
    "uk-commons-speaker-2019": {"commons": 650},
    "uk-commons-speaker-2009": {"commons": 644},
    "us-house-speaker-2015": {"house": 435},
    "us-house-speaker-2019": {"house": 434},
    "us-house-speaker-2025": {"house": 434},
    "us-senate-gop-leader-2024": {"conference": 53},
    "australia-liberal-leader-2018": {"partyroom": 85},
    "australia-liberal-leader-2009": {"partyroom": 85},
    "australia-labor-leader-2013": {"caucus": 102},
    "dnc-chair-2017": {"dnc": 447},
    "rnc-chair-2023": {"rnc": 168},
    "dnc-chair-2025": {"dnc": 448},
    "conservative-leader-2024": {"mps": 121, "members": 131_680},
    "conservative-leader-2022": {"mps": 358, "members": 172_437},
    "conservative-leader-2019": {"mps": 313, "members": 159_320},
    "conservative-leader-2005": {"mps": 198, "members": 253_689},
    "coe-sg-2024": {"pace": 306},
    "world-rugby-chair-2020": {"council": 51},
    "world-rugby-chair-2024": {"council": 52},
    "coe-sg-2019": {"cm": 47, "pace": 324},
    "coe-sg-2009": {"cm": 47, "pace": 318},
    "coe-commissioner-hr-2024": {"cm": 46, "pace": 306},
    "ldp-president-2024": {"ldp": 367 + 368},
    "ldp-president-2018": {"ldp": 405 + 405},
    "ldp-president-2021": {"ldp": 382 + 382},
    "ldp-president-2020": {"ldp": 394 + 141},
    "ldp-president-2012": {"ldp": 199 + 300},
    "cdu-leader-2018": {"congress": 1001},
    "ioc-president-2025": {"session": 109},
    "ioc-president-2013": {"session": 103},
    "ioc-president-2001": {"session": 128},
    "eu-high-rep-2024": {"euco": 448.6, "ep": 720},
    "ilo-dg-2022": {"gb": 56},
    "ilo-dg-2012": {"gb": 56},
    "fao-dg-2019": {"conference": 193},
    "fao-dg-2011": {"conference": 191},
    "oas-sg-2020": {"assembly": 34},
    "oas-sg-2005": {"assembly": 34},
    "commonwealth-sg-2022": {"chogm": 54},
    "commonwealth-sg-2015": {"chogm": 53},
    "wipo-dg-2020": {"coco": 83},
    "wipo-dg-2008": {"coco": 83},
    "itu-sg-2022": {"pp": 193},
    "itu-sg-2006": {"pp": 192},
    "eurogroup-president-2020": {"eurogroup": 19},
    "eurogroup-president-2015": {"eurogroup": 19},
    "eurogroup-president-2013": {"eurogroup": 17},
    "iaea-dg-2019": {"board": 35},
    "iaea-dg-2009": {"board": 35},
    "au-commission-chair-2017": {"assembly": 54},
    "au-commission-chair-2025": {"assembly": 49},
    "au-commission-chair-2012": {"assembly": 53},
    "interpol-president-2018": {"ga": 194},
    "iom-dg-2023": {"council": 175},
    "iom-dg-2018": {"council": 172},
    "wmo-sg-2023": {"congress": 193},
    "upu-dg-2021": {"congress": 192},
    "unido-dg-2013": {"idb": 53},
    "imo-sg-2023": {"council": 40},
    "imo-sg-2015": {"council": 40},
    "imo-sg-2011": {"council": 40},
    "fifa-president-1998": {"congress": 202},
    "fifa-president-2002": {"congress": 203},
    "fifa-president-2016": {"congress": 207},
    "fifa-president-2015": {"congress": 209},
    "fifa-president-2011": {"congress": 206},
    "unwto-sg-2017": {"council": 33},
    "unwto-sg-2021": {"council": 35, "assembly": 159},
    "ifad-president-2017": {"gc": 100},
    "ec-president-2014": {"euco": 352, "ep": 751},
    "eu-high-rep-2014": {"euco": 352, "ep": 751},
    "ec-president-2004": {"euco": 124, "ep": 732},
    "ec-president-1994": {"euco": 12, "ep": 567},
    "ec-president-1999": {"euco": 15, "ep": 626},
    "who-dg-2006": {"wha": 193},
    "unesco-dg-2009": {"unesco": 193},
    "unesco-dg-1999": {"board": 58, "others": 22},
    "unesco-dg-2025": {"unesco": 194},
    "icc-prosecutor-2020": {"asp": 123},
    "ep-president-2017": {"ep": 751},
    "ep-president-2022": {"ep": 705},
    "ep-president-2012": {"ep": 736},
    "eu-ombudsman-2024": {"ep": 720},
    "uefa-president-2016": {"congress": 55},
    "uefa-president-2007": {"congress": 52},
    "afdb-president-2015": {"governors": 100},
    "idb-president-2020": {"governors": 100},
    "idb-president-2022": {"governors": 100},
    "iaaf-president-2015": {"congress": 214},
    "labour-leader-2020": {"selectorate": 784_151},
    "labour-leader-2015": {"selectorate": 610_753},
    "fia-president-2009": {"ga": 196},
    "fia-president-2021": {"ga": 100},
    "uci-president-2017": {"congress": 45},
    "uci-president-2013": {"congress": 42},
    "fide-president-2018": {"ga": 182},
    "icc-cricket-chair-2020": {"board": 16},
    "ipcc-chair-2015": {"panel": 195},
    "ipcc-chair-2023": {"panel": 195},
    "un-ga-president-2021": {"assembly": 193},
    "un-ga-president-2025": {"assembly": 193},
    "cdu-leader-2021": {"congress": 1001},
    "fis-president-2021": {"congress": 119},
    "labour-leader-2010": {"college": 300},
    "snp-leader-2023": {"members": 50_494},
    "canada-conservative-leader-2020": {"ridings": 33_800},
    "canada-liberal-leader-2025": {"ridings": 34_300},
    "spd-leader-2019": {"members": 216_069},
    "libdem-leader-2019": {"members": 76_018},
    "icj-judge-2017": {"council": 15, "assembly": 193},
}

# race id -> the decisive ballot's tallies, as the fact files give them
DECISIVE: dict[str, dict[str, float]] = {
    "uk-commons-speaker-2019": {"hoyle": 325, "bryant": 213},
    "uk-commons-speaker-2009": {"bercow": 322, "young": 271},
    "us-house-speaker-2015": {"ryan": 236, "pelosi": 184, "webster": 9},
    "us-house-speaker-2019": {"pelosi": 220, "mccarthy": 192},
    "us-house-speaker-2025": {"johnson": 218, "jeffries": 215, "emmer": 1},
    "us-senate-gop-leader-2024": {"thune": 29, "cornyn": 24},
    "australia-liberal-leader-2018": {"morrison": 45, "dutton": 40},
    "australia-liberal-leader-2009": {"abbott": 42, "turnbull": 41},
    "australia-labor-leader-2013": {"rudd": 57, "gillard": 45},
    "dnc-chair-2017": {"perez": 235, "ellison": 200},
    "rnc-chair-2023": {"mcdaniel": 111, "dhillon": 51, "lindell": 4},
    "dnc-chair-2025": {
        "martin": 246.5,
        "wikler": 134.5,
        "omalley": 44,
        "shakir": 2,
        "paul": 1,
        "hathaway": 0,
    },
    "conservative-leader-2024": {"badenoch": 53_806, "jenrick": 41_318},
    "conservative-leader-2022": {"truss": 81_326, "sunak": 60_399},
    "conservative-leader-2019": {"johnson": 92_153, "hunt": 46_656},
    "conservative-leader-2005": {"cameron": 134_446, "davis": 64_398},
    "coe-sg-2024": {"berset": 114, "saar": 85, "reynders": 46},
    "world-rugby-chair-2020": {"beaumont": 28, "pichot": 23},
    "world-rugby-chair-2024": {"robinson": 27, "benazzi": 25},
    "coe-sg-2019": {"pejcinovic-buric": 159, "reynders": 105},
    "coe-sg-2009": {"jagland": 165, "cimoszewicz": 80},
    "coe-commissioner-hr-2024": {"o-flaherty": 104, "kuneva": 70, "nowak": 37},
    "ldp-president-2024": {"ishiba": 215, "takaichi": 194},
    "ldp-president-2018": {"abe": 553, "ishiba": 254},
    "ldp-president-2021": {"kishida": 257, "kono": 170},
    "ldp-president-2020": {"suga": 377, "kishida": 89, "ishiba": 68},
    "ldp-president-2012": {"abe": 108, "ishiba": 89},
    "cdu-leader-2018": {"kramp-karrenbauer": 517, "merz": 482},
    "ioc-president-2025": {
        "coventry": 49,
        "samaranch": 28,
        "coe": 8,
        "lappartient": 4,
        "watanabe": 4,
        "al-hussein": 2,
        "eliasch": 2,
    },
    "ioc-president-2013": {"bach": 49, "carrion": 29, "ng": 6, "oswald": 5, "bubka": 4},
    "ioc-president-2001": {"rogge": 59, "kim": 23, "pound": 22, "schmitt": 6},
    "eu-high-rep-2024": {"kallas": 370},
    "ilo-dg-2022": {"houngbo": 30, "penicaud": 23, "kang": 2, "mdwaba": 1},
    "ilo-dg-2012": {"ryder": 30, "de-robien": 26},
    "fao-dg-2019": {"qu": 108, "geslain-laneelle": 71, "kirvalidze": 12},
    "fao-dg-2011": {"graziano-da-silva": 92, "moratinos": 88},
    "oas-sg-2020": {"almagro": 23, "espinosa": 10},
    "oas-sg-2005": {"insulza": 31},
    "commonwealth-sg-2022": {"scotland": 27, "johnson-smith": 24},
    "commonwealth-sg-2015": {"scotland": 26, "masire-mwamba": 24},
    "wipo-dg-2020": {"tang": 55, "wang": 28},
    "wipo-dg-2008": {"gurry": 42, "gracaaranha": 41},
    "itu-sg-2022": {"bogdan-martin": 139, "ismailov": 25},
    "itu-sg-2006": {"toure": 95, "kurth": 60},
    "iaea-dg-2019": {"grossi": 24, "feruta": 10},
    "iaea-dg-2009": {"amano": 23, "minty": 11},
    "eurogroup-president-2020": {"donohoe": 10, "calvino": 9},
    "eurogroup-president-2015": {"dijsselbloem": 10, "de-guindos": 9},
    "eurogroup-president-2013": {"dijsselbloem": 16},
    "au-commission-chair-2017": {"faki": 39},
    "au-commission-chair-2025": {"youssouf": 33},
    "au-commission-chair-2012": {"dlamini-zuma": 37},
    "interpol-president-2018": {"kim": 101, "prokopchuk": 61},
    "iom-dg-2023": {"pope": 98, "vitorino": 67},
    "iom-dg-2018": {"vitorino": 77, "thompson": 66},
    "wmo-sg-2023": {"saulo": 108, "zhang": 37},
    "upu-dg-2021": {"metoki": 102, "clivaz": 40, "hamande": 14},
    "unido-dg-2013": {"li-yong": 37},
    "imo-sg-2023": {"dominguez": 21},
    "imo-sg-2015": {"lim": 26, "nordseth": 14},
    "imo-sg-2011": {"sekimizu": 23},
    "fifa-president-1998": {"blatter": 111, "johansson": 80},
    "fifa-president-2002": {"blatter": 139, "hayatou": 56},
    "fifa-president-2016": {"infantino": 115, "salman": 88, "ali": 4, "champagne": 0},
    "fifa-president-2015": {"blatter": 133, "ali": 73},
    "fifa-president-2011": {"blatter": 186},
    "unwto-sg-2017": {"pololikashvili": 18, "mzembi": 15},
    "unwto-sg-2021": {"pololikashvili": 85},
    "ifad-president-2017": {"houngbo": 54.432, "de-castro": 20.341, "brodjonegoro": 17.654},
    "ec-president-2014": {"juncker": 422},
    "eu-high-rep-2014": {"mogherini": 423},
    "ec-president-2004": {"barroso": 413},
    "ec-president-1994": {"santer": 260},
    "ec-president-1999": {"prodi": 392},
    "who-dg-2006": {"chan": 24, "frenk": 10},
    "unesco-dg-2009": {"bokova": 31, "hosny": 27},
    "unesco-dg-1999": {"matsuura": 34, "algosaibi": 13, "carrington": 8, "serageldin": 3},
    "unesco-dg-2025": {"el-enany": 55, "matoko": 2},
    "icc-prosecutor-2020": {"khan": 72, "gaynor": 42, "castresana": 5, "lo-voi": 3},
    "ep-president-2017": {"tajani": 351, "pittella": 282},
    "ep-president-2022": {"metsola": 458, "bah-kuhnke": 101, "rego": 57},
    "ep-president-2012": {"schulz": 387, "deva": 142, "wallis": 141},
    "eu-ombudsman-2024": {
        "anjinho": 344,
        "van-zutphen": 177,
        "laffranque": 47,
        "mahler": 15,
        "fardelli": 14,
        "de-capitani": 6,
    },
    "uefa-president-2016": {"ceferin": 42, "vanpraag": 13},
    "uefa-president-2007": {"platini": 27, "johansson": 23},
    "afdb-president-2015": {"adesina": 58.1, "bedoumra": 31.6, "duarte": 10.27},
    "idb-president-2020": {"claver-carone": 66.8},
    "idb-president-2022": {"goldfajn": 80.08, "eyzaguirre": 9.93, "esquivel": 8.21, "johnson": 1.6},
    "iaaf-president-2015": {"coe": 115, "bubka": 92},
    "labour-leader-2020": {"starmer": 275_780, "long-bailey": 135_218, "nandy": 79_597},
    "labour-leader-2015": {
        "corbyn": 251_417,
        "burnham": 80_462,
        "cooper": 71_928,
        "kendall": 18_857,
    },
    "fia-president-2009": {"todt": 135, "vatanen": 49},
    "fia-president-2021": {"ben-sulayem": 61.62, "stoker": 36.62},
    "uci-president-2017": {"lappartient": 37, "cookson": 8},
    "uci-president-2013": {"cookson": 24, "mcquaid": 18},
    "fide-president-2018": {"dvorkovich": 103, "makropoulos": 78},
    "icc-cricket-chair-2020": {"barclay": 11, "khwaja": 5},
    "ipcc-chair-2015": {"lee": 78, "van-ypersele": 56},
    "ipcc-chair-2023": {"skea": 90, "krug": 69},
    "un-ga-president-2021": {"shahid": 143, "rassoul": 48},
    "un-ga-president-2025": {"baerbock": 167},
    "cdu-leader-2021": {"laschet": 521, "merz": 466},
    "fis-president-2021": {"eliasch": 65, "lehmann": 26, "lewis": 15, "arjes": 13},
    "labour-leader-2010": {"ed-miliband": 151.95, "david-miliband": 148.05},
    "snp-leader-2023": {"yousaf": 26_032, "forbes": 23_890},
    "canada-conservative-leader-2020": {"otoole": 19_271, "mackay": 14_528},
    "canada-liberal-leader-2025": {
        "carney": 29_457,
        "freeland": 2_728,
        "gould": 1_091,
        "baylis": 1_023,
    },
    "spd-leader-2019": {"esken-walter-borjans": 114_995, "geywitz-scholz": 98_246},
    "libdem-leader-2019": {"swinson": 47_997, "davey": 28_021},
    "icj-judge-2017": {"bhandari": 183},
}


@pytest.fixture(scope="module", params=sorted(SEATS))
def race(request: pytest.FixtureRequest) -> Race:
    return load_bundled(request.param)


def ballots(race: Race) -> list[BallotEvidence]:
    return sorted(
        (e for e in race.evidence if isinstance(e, BallotEvidence)), key=lambda b: (b.date, b.round)
    )


def test_every_added_race_is_bundled() -> None:
    assert set(SEATS) <= set(bundled_race_dirs())


def test_the_race_is_resolved_with_a_sourced_appointment(race: Race) -> None:
    res = race.resolution
    assert res is not None and res.winner and res.source.startswith("https://")
    assert res.winner in {c.id for c in race.candidates}
    appointed = [e for e in race.evidence if isinstance(e, AppointmentEvidence)]
    assert [(a.candidate, a.date) for a in appointed] == [(res.winner, res.date)]
    assert appointed[0].confidence >= 0.8


def test_every_row_has_a_web_source_and_a_note(race: Race) -> None:
    for item in race.evidence:
        assert item.source.url and item.source.url.startswith(("http://", "https://")), item.id
        assert item.note, item.id
        assert item.producer == "curated:kingmaker-team", item.id


def test_no_row_is_dated_after_the_decision(race: Race) -> None:
    assert race.resolution is not None
    late = [e.id for e in race.evidence if e.date > race.resolution.date]
    assert late == []


def test_bodies_weigh_what_the_sources_say(race: Race) -> None:
    weights = {b.id: sum(m.weight for m in b.members) for b in race.bodies}
    assert weights == pytest.approx(SEATS[race.id])


def test_ballot_votes_never_exceed_the_body(race: Race) -> None:
    total = {b.id: sum(m.weight for m in b.members) for b in race.bodies}
    first = race.bodies[0].id
    for b in ballots(race):
        cast = sum(b.tallies.values()) + b.other + b.abstain + b.absent
        assert cast <= total[b.body or first] + 1e-9, b.id
        assert all(n >= 0 for n in b.tallies.values()), b.id


def test_ballots_run_in_order_and_the_last_is_decisive_for_the_winner(race: Race) -> None:
    rounds = ballots(race)
    assert rounds, "every added race has at least its deciding ballot"
    numbers = [b.round for b in rounds]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert [b.decisive for b in rounds] == [False] * (len(rounds) - 1) + [True]
    last = rounds[-1]
    assert race.resolution is not None and last.date == race.resolution.date
    assert dict(last.tallies) == DECISIVE[race.id]
    assert max(last.tallies, key=lambda c: last.tallies[c]) == race.resolution.winner


def test_a_withdrawn_or_eliminated_candidate_gets_no_later_votes(race: Race) -> None:
    # the Conservative race is in the rounds mode on purpose (members vote once): that warning stays
    assert [w for w in check_backtestable(race) if "rounds mode" not in w] == []
    out: dict[str, str] = {}
    for e in sorted(race.evidence, key=lambda e: (e.date, e.id)):
        if isinstance(e, CandidacyEvidence):
            if e.status == "withdrawn":
                out[e.candidate] = e.id
            else:
                out.pop(e.candidate, None)
        if isinstance(e, BallotEvidence):
            assert not [c for c, n in e.tallies.items() if n and c in out], e.id
    assert race.resolution is not None and race.resolution.winner not in out


def test_counts_fit_their_group_and_their_fraction(race: Race) -> None:
    weight_of: dict[str | None, float] = defaultdict(float)
    for body in race.bodies:
        for m in body.members:
            weight_of[None] += m.weight
            for g in m.groups:
                weight_of[g] += m.weight
    for e in race.evidence:
        if not isinstance(e, CountEvidence):
            continue
        assert e.count is not None or e.fraction is not None, e.id
        if e.count is not None:
            assert e.count <= weight_of[e.group], e.id
            if e.of is not None:
                assert e.count <= e.of <= weight_of[e.group] + 1e-9, e.id
                if e.fraction is not None:
                    assert e.count / e.of == pytest.approx(e.fraction, abs=0.01), e.id


def test_every_candidate_is_named_by_some_evidence(race: Race) -> None:
    named = {getattr(e, "candidate", None) for e in race.evidence}
    named |= {c for b in ballots(race) for c in b.tallies}
    assert sorted(c.id for c in race.candidates if c.id not in named) == []
