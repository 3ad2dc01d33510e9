"""Each pass of the matching engine on its own, on plain objects (no database)."""

import pytest

from osm_sync.matching.assignment import assign_one_to_one
from osm_sync.matching.by_reference import match_by_reference
from osm_sync.matching.by_score import score_candidates
from osm_sync.matching.config import MatchConfig
from osm_sync.matching.decisions import Decision, apply_decisions, effective_decisions
from osm_sync.matching.duplicates import find_duplicates
from osm_sync.matching.engine import run_engine
from osm_sync.matching.leftovers import fill_leftovers
from osm_sync.matching.places import DatasetPlace, OsmCandidate
from osm_sync.matching.state import MatchState

CONFIG = MatchConfig(
    max_distance_m=200,
    ref_field="uai",
    ref_tag="ref:UAI",
    tag_map={"nom": "name", "tel": "phone"},
    name_field="nom",
    field_types={"tel": "phone"},
)
LON, LAT = 5.3698, 43.2965  # Marseille
EAST_PER_METRE = 1 / (111_320 * 0.7278)
NORTH_PER_METRE = 1 / 111_132


def place(key, name, east=0.0, north=0.0, **props):
    return DatasetPlace(
        key,
        name,
        LON + east * EAST_PER_METRE,
        LAT + north * NORTH_PER_METRE,
        {"nom": name, **props},
    )


def candidate(ref, name, east=0.0, north=0.0, **tags):
    lon, lat = LON + east * EAST_PER_METRE, LAT + north * NORTH_PER_METRE
    if name:
        tags["name"] = name
    return OsmCandidate(
        ref,
        {"amenity": "school", **tags},
        {"type": "Point", "coordinates": [lon, lat]},
        lon,
        lat,
        (lon, lat, lon, lat),
    )


def state(places, candidates):
    return MatchState(places=places, candidates=candidates, config=CONFIG)


# Pass 1 -------------------------------------------------------------------------------------
def test_duplicates_share_a_reference_or_a_name_a_few_metres_apart():
    groups = find_duplicates(
        [
            place("a", "Lycée Thiers", uai="0130040Y"),
            place("b", "Lycée Thiers (section pro)", 300, uai="0130040y"),
            place("c", "Lycée Saint-Charles", 1000),
            place("d", "LYCEE ST CHARLES", 1010),
            place("e", "Lycée Saint-Charles", 5000),  # same name, elsewhere: not a duplicate
        ],
        ref_field="uai",
    )
    assert {"keys": ["a", "b"], "reason": "ref", "value": "0130040Y"} in groups
    assert {"keys": ["c", "d"], "reason": "name", "value": "saint charles"} in groups
    assert len(groups) == 2


# Pass 2 -------------------------------------------------------------------------------------
def test_a_shared_reference_matches_whatever_the_distance_and_name():
    s = state(
        [place("a", "Lycée Thiers", uai="0130040Y")],
        [
            candidate("way/1", "Lycée Adolphe Thiers", 900, **{"ref:UAI": "0130040Y"}),
            candidate("node/2", "Lycée Thiers", 10),
        ],
    )
    match_by_reference(s)
    outcome = s.outcomes["a"]
    assert (outcome.status, outcome.osm) == ("matched", "way/1")
    assert outcome.score >= 0.95
    assert "même référence ref:UAI = 0130040Y" in outcome.reasons
    assert "position éloignée : à vérifier" in outcome.reasons


def test_two_osm_objects_with_the_same_reference_are_ambiguous():
    s = state(
        [place("a", "Lycée Thiers", uai="0130040Y")],
        [
            candidate("node/1", "Lycée Thiers", 20, **{"ref:UAI": "0130040Y"}),
            candidate("way/2", "Lycée Thiers", 0, **{"ref:UAI": "0130040Y;0131234Z"}),
        ],
    )
    match_by_reference(s)
    assert s.outcomes["a"].status == "ambiguous"
    assert set(s.outcomes["a"].candidates) == {"node/1", "way/2"}


# Pass 3 -------------------------------------------------------------------------------------
def test_only_objects_within_the_distance_are_scored_best_first():
    s = state(
        [place("a", "Lycée Saint-Charles")],
        [
            candidate("node/1", "Lycée Saint-Charles", 150),
            candidate("node/2", "Collège Pagnol", 20),
            candidate("node/3", "Lycée Saint-Charles", 250),
        ],
    )
    scored = score_candidates(s)["a"]
    assert [pair.candidate.ref for pair in scored] == ["node/1", "node/2"]
    assert scored[0].acceptable and not scored[1].acceptable  # names veto the closer one
    assert scored[0].distance_m == pytest.approx(150, abs=1)


def test_french_spellings_of_a_name_score_as_the_same_name():
    s = state([place("a", "LYCEE ST CHARLES")], [candidate("node/1", "Lycée Saint-Charles", 60)])
    assert score_candidates(s)["a"][0].name_similarity == 1.0


def test_agreeing_tags_raise_the_score_and_disagreeing_ones_lower_it():
    s = state(
        [place("a", "Lycée Thiers", tel="04 91 00 00 00")],
        [candidate("node/1", "Lycée Thiers", 50, phone="+33 4 91 00 00 00")],
    )
    agreeing = score_candidates(s)["a"][0]
    s = state(
        [place("a", "Lycée Thiers", tel="04 91 00 00 00")],
        [candidate("node/1", "Lycée Thiers", 50, phone="+33 4 91 99 99 99")],
    )
    disagreeing = score_candidates(s)["a"][0]
    assert (agreeing.tags_agreeing, disagreeing.tags_agreeing) == (1, 0)
    assert agreeing.score > disagreeing.score


def test_without_a_name_only_a_very_close_object_is_acceptable():
    s = state(
        [place("a", "Lycée Thiers")], [candidate("node/1", "", 10), candidate("node/2", "", 120)]
    )
    by_ref = {pair.candidate.ref: pair for pair in score_candidates(s)["a"]}
    assert by_ref["node/1"].acceptable and not by_ref["node/2"].acceptable


# Pass 4 -------------------------------------------------------------------------------------
def test_an_osm_object_is_matched_once_and_the_best_feature_gets_it():
    s = state(
        [place("a", "École Jean Jaurès", 80), place("b", "École Jean Jaurès annexe", 5)],
        [candidate("node/1", "École Jean Jaurès")],
    )
    assign_one_to_one(s, score_candidates(s))
    assert s.outcomes["a"].osm == "node/1"
    assert "b" not in s.outcomes
    assert s.used == {"node/1"}


def test_two_candidates_too_close_to_call_make_the_feature_ambiguous():
    s = state(
        [place("a", "École Jean Jaurès")],
        [
            candidate("node/1", "École Jean Jaurès", 30),
            candidate("way/2", "École Jean Jaurès", -35),
        ],
    )
    assign_one_to_one(s, score_candidates(s))
    outcome = s.outcomes["a"]
    assert outcome.status == "ambiguous" and outcome.osm is None
    assert set(outcome.candidates) == {"node/1", "way/2"}
    assert outcome.reasons[0].startswith("candidats trop proches pour trancher")


def test_a_clearly_better_candidate_is_not_ambiguous():
    s = state(
        [place("a", "École Jean Jaurès")],
        [
            candidate("node/1", "École Jean Jaurès", 30),
            candidate("node/2", "École Jules Ferry", 10),
        ],
    )
    assign_one_to_one(s, score_candidates(s))
    assert (s.outcomes["a"].status, s.outcomes["a"].osm) == ("matched", "node/1")


# Pass 5 -------------------------------------------------------------------------------------
def test_leftovers_on_both_sides_say_why():
    s = state(
        [place("a", "École Jean Jaurès"), place("b", "École Imaginaire", 100)],
        [
            candidate("node/1", "École Jean Jaurès", 10),
            candidate("node/2", "Collège Mistral", 5000),
        ],
    )
    scored = score_candidates(s)
    assign_one_to_one(s, scored)
    osm_only = fill_leftovers(s, scored)
    missing = s.outcomes["b"]
    assert missing.status == "missing_in_osm" and missing.candidates == ["node/1"]
    assert missing.reasons == ["node/1 (à 90 m) est déjà rapproché de a"]
    assert [(o.key, o.status, o.osm) for o in osm_only] == [(None, "missing_in_dataset", "node/2")]


# Decisions ----------------------------------------------------------------------------------
def test_the_latest_decision_on_a_pair_is_in_force():
    forced, rejected = effective_decisions(
        [
            Decision("a", "node/1", "confirm"),
            Decision("a", "node/1", "reject"),
            Decision("b", "node/2", "confirm"),
            Decision("b", "node/3", "choose"),  # replaces b's earlier choice
            Decision("c", "node/3", "confirm"),  # takes node/3 from b
        ]
    )
    assert forced == {"c": "node/3"}
    assert rejected == {("a", "node/1")}


def test_decisions_override_the_engine():
    places = [place("a", "École Jean Jaurès"), place("b", "École Victor Hugo", 500)]
    candidates = [candidate("node/1", "École Jean Jaurès", 10), candidate("node/2", "Collège", 520)]
    s = state(places, candidates)
    apply_decisions(s, [Decision("a", "node/1", "reject"), Decision("b", "node/2", "choose")])
    assert s.outcomes["b"].osm == "node/2"
    assert s.outcomes["b"].reasons[0] == "rapprochement confirmé par une personne"
    result = run_engine(places, candidates, CONFIG, [Decision("a", "node/1", "reject")])
    assert result.outcomes[0].status == "missing_in_osm"
    assert "rapprochement avec node/1 rejeté par une personne" in result.outcomes[0].reasons


def test_a_decision_on_an_object_gone_from_osm_is_said_and_the_engine_takes_over():
    result = run_engine(
        [place("a", "École Jean Jaurès")],
        [candidate("node/1", "École Jean Jaurès", 10)],
        CONFIG,
        [Decision("a", "node/9", "confirm")],
    )
    outcome = result.outcomes[0]
    assert (outcome.status, outcome.osm) == ("matched", "node/1")
    assert "n’est plus dans l’instantané" in outcome.reasons[0]
