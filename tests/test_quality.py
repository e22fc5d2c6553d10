"""Answer quality on every evaluation set, beside the two plain BM25 baselines in the same run (bot.evaluate).

Sets: the bundled report's (eval, holdout, blind…blind6: development; final: written blind, kept for the final
score), real news reports from other outlets (tests/data/reports/, development or final as listed in final.txt),
and samples of two public reading-comprehension sets (tests/data/public/: CMRC 2018, simplified; DRCD,
traditional), each split into a development and a final part.  ``pytest -s`` prints the table; each set's misses
are listed so a regression names its cause.  ``python -m bot eval --part all`` prints the same table.

What is enforced, and why not more.  The issue's targets (hit@1 at least 0.02 above the better baseline on
every set, at most 5% of answerable questions wrongly declined, at least 80% of near-topic unanswerable questions
declined) are printed for every set as met or not.  The bars that fail the build are what the engine holds on
the development parts today, so that no change makes it worse without the build saying so:

* on every source, mean hit@1 over its sets at least MEAN_GAIN above the mean of the better baseline, or
  half-way from it to 1 where that is less (CMRC 2018's baseline is 0.98: +0.02 would leave no miss at all);
* on every set, hit@1 no more than SET_SLACK below the better baseline (small report sets are 26–30 questions,
  where one question is 0.035; today no set is below it);
* on every set, at most MAX_WRONGLY_DECLINED of the answerable questions wrongly declined;
* on the public sets (questions about articles not in the library) at least PUBLIC_DECLINED declined, on the
  bundled report's near-topic sets at least BUNDLED_DECLINED;
* the bundled report's evaluation set at hit@1 BUNDLED_EVAL_HIT1 or more.

Every set is held to these bars.  The one that was not (an education bureau's notice, sheqi-…, whose questions
paraphrase one long paragraph: 原谅 for 谅解, 期限 for 限期; first figures hit@1 0.545, 22.7% wrongly declined)
now meets them with words of the same meaning from the thesaurus Cilin (index/related.py).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from bot.evaluate import SetScore, evaluation_sets, score_set, table

MEAN_GAIN = 0.02
SET_SLACK = 0.04
MAX_WRONGLY_DECLINED = 0.15
PUBLIC_DECLINED = 0.10
BUNDLED_DECLINED = 0.05
BUNDLED_EVAL_HIT1 = 0.86
# Sets that came in more than SET_SLACK below their better baseline at their first score (each new report is scored
# once as it arrives, before any change made for it): held to that first hit@1, which they may not fall below, and
# listed in the README, until they meet the ordinary bar (then the test below says so, and they leave this list).
KNOWN_BELOW = {"chengpou-macau-shore-odour-2016": 23 / 30,    # 6 paragraphs, 30 paraphrased questions
               "shfzb-minhang-fraud-2025": 20 / 30,          # 7 paragraphs, one scam after another
               "redstar-chongqing-marathon-runner-death-2026": 19 / 30,   # 6 paragraphs, runners' accounts
               "oriental-richland-gardens-password-2019": 19 / 28,   # 5 paragraphs and 3 subheadings
               "takeaway-help-order-2020": 20 / 30,     # 5 paragraphs, 13 sentences, one call to the police
               # one paragraph each: a baseline that never declines is right on every question, so only declining
               # none can be level with it (in at 15/24 and 17/22 before the decision's bigram evidence was smoothed)
               "solidot-podcast-apps-removed-2020": 15 / 24,
               "thecover-old-man-no-phone-2020": 17 / 22,
               # 58 questions on rumours and their denials, the bigram baseline at 55/58: in at 53/58, 52/58 since two
               # adjacent sentences count together (index.retrieve.PAIR_SHARE: +8 answered right over the news reports)
               "xinjingbao-wuhan-vegetable-rumor-2020": 52 / 58}
# (jingshi-voice-collection-task-2025, in at 21/30, left when a sentence came to hold the name of who says it: 24/30;
# citizennews-bus-cctv-2019, in at 20/30, left when two adjacent sentences came to count together: 22/30;
# pts-tamsui-water-outage-2025, in at 21/30, left when the count a question asks became a decision feature;
# jimu-hengshui-school-donation-2023, in at 18/28, left at the fourth session's last refit;
# dafeng-taojiang-teacher-chat-ptu-2025, in at 19/29, and taiwancn-apple-budget-iphone-2013, in at 24/29, left when
# synonyms joined the search queries: 20/29 and 25/29.)
# Likewise a set whose first score declined more than MAX_WRONGLY_DECLINED of its answerable questions: held to it.
# (pts-tamsui-water-outage-2025 and redstar-chongqing-marathon-runner-death-2026 came in at 5/30 and were held here
# until the decision's refit on all development reports brought both under the bar.)
KNOWN_DECLINING: dict[str, float] = {}
# The targets, reported for every set.
TARGET_GAIN, TARGET_WRONGLY_DECLINED, TARGET_DECLINED, TARGET_BUNDLED_EVAL = 0.02, 0.05, 0.80, 0.93


@pytest.fixture(scope="module")
def scores() -> list[SetScore]:
    dev = [spec for spec in evaluation_sets() if spec.part == "dev"]
    found = [score_set(spec) for spec in dev]
    print("\n" + table(found))
    for score in found:
        met = [score.hit1_share >= score.best_baseline + TARGET_GAIN,
               score.wrongly_declined_share <= TARGET_WRONGLY_DECLINED,
               score.declined_share is None or score.declined_share >= TARGET_DECLINED]
        print(f"{score.name}: issue targets (gain, wrongly declined, declined) "
              f"{' '.join('met' if m else 'NOT met' for m in met)}")
        for failure in score.failures[:30]:
            print(f"   - {failure}")
    return found


def test_every_source_has_development_sets(scores: list[SetScore]) -> None:
    assert {s.source for s in scores} == {"bundled", "report", "cmrc2018", "drcd"}
    assert sum(s.source == "report" for s in scores) >= 6
    assert all(s.answerable >= 20 for s in scores)


def test_each_source_beats_the_better_baseline_on_average(scores: list[SetScore]) -> None:
    by_source: dict[str, list[SetScore]] = defaultdict(list)
    for score in scores:
        by_source[score.source].append(score)
    for source, sets in by_source.items():
        ours = sum(s.hit1_share for s in sets) / len(sets)
        baseline = sum(s.best_baseline for s in sets) / len(sets)
        print(f"\n{source}: mean hit@1 {ours:.3f}, better baseline {baseline:.3f}")
        assert ours >= baseline + min(MEAN_GAIN, (1 - baseline) / 2), source


def test_no_set_falls_far_below_the_better_baseline(scores: list[SetScore]) -> None:
    below = [(s.name, round(s.hit1_share, 3), round(s.best_baseline, 3)) for s in scores
             if s.hit1_share < s.best_baseline - SET_SLACK and s.name not in KNOWN_BELOW]
    assert below == []


def test_sets_known_to_be_below_their_baseline_get_no_worse_and_leave_the_list_when_they_meet_the_bar(
        scores: list[SetScore]) -> None:
    known = {s.name: s for s in scores if s.name in KNOWN_BELOW}
    assert set(known) == set(KNOWN_BELOW)
    for name, score in known.items():
        assert score.hit1_share >= KNOWN_BELOW[name] - 1e-9, name
        assert score.hit1_share < score.best_baseline - SET_SLACK, f"{name} meets the bar now: take it off KNOWN_BELOW"


def test_answerable_questions_are_rarely_declined(scores: list[SetScore]) -> None:
    declined = [(s.name, round(s.wrongly_declined_share, 3)) for s in scores
                if s.wrongly_declined_share > KNOWN_DECLINING.get(s.name, MAX_WRONGLY_DECLINED) + 1e-9]
    assert declined == []
    recovered = [s.name for s in scores
                 if s.name in KNOWN_DECLINING and s.wrongly_declined_share <= MAX_WRONGLY_DECLINED]
    assert recovered == [], "these meet the bar now: take them off KNOWN_DECLINING"


def test_questions_the_library_does_not_answer_are_declined(scores: list[SetScore]) -> None:
    for score in scores:
        if score.declined_share is None:
            continue
        floor = PUBLIC_DECLINED if score.source in ("cmrc2018", "drcd") else \
            BUNDLED_DECLINED if score.source == "bundled" else 0.0
        assert score.declined_share >= floor, score.name


def test_the_bundled_evaluation_set(scores: list[SetScore]) -> None:
    [evaluation] = [s for s in scores if s.name == "eval"]
    print(f"\neval hit@1 {evaluation.hit1_share:.3f} (issue target {TARGET_BUNDLED_EVAL})")
    assert evaluation.hit1_share >= BUNDLED_EVAL_HIT1


FOLLOW_UPS = 0.8


def test_follow_up_conversations() -> None:
    """The last turn of each conversation (那售价呢？, 他怎么说的) answered from a gold paragraph."""
    import json

    from bot.evaluate import DATA, ROOT
    from bot.service import build_engine
    answerer = build_engine(ROOT / "seeds").answerer
    right, misses = 0, []
    lines = (DATA / "eval_followups.jsonl").read_text(encoding="utf-8").splitlines()
    conversations = [json.loads(line) for line in lines if line.strip()]
    for conversation in conversations:
        state: dict = {}
        for turn in conversation["turns"]:
            answer, state = answerer.respond(state, turn)
            json.dumps(state)                  # the Telegram layer stores it
        if answer.answered and answer.items[0].paragraph in conversation["paragraphs"]:
            right += 1
        else:
            misses.append(conversation["turns"])
    print(f"\nfollow-ups {right}/{len(conversations)}; missed {misses}")
    assert right / len(conversations) >= FOLLOW_UPS


def test_unrelated_reports_in_the_library_cost_the_bundled_report_nothing(tmp_path) -> None:
    """Thresholds and weights are not computed over the library: adding two reports about other things leaves
    the bundled report's figures where they were (within one question)."""
    import shutil

    from bot.evaluate import DATA, ROOT, EvalSet
    library = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", library)
    for name in ("taiwan-university-enrollment-2023", "emc-china-president-rumor-2006"):
        shutil.copy(DATA / "reports" / name / "report.md", library / f"zz-{name}.md")
    def scored(seeds):  # type: ignore[no-untyped-def]
        return score_set(EvalSet("eval", "bundled", "dev", seeds, DATA / "eval_questions.jsonl",
                                 DATA / "eval_unanswerable.jsonl"), baselines=False)
    alone, together = scored(ROOT / "seeds"), scored(library)
    assert together.hit1 >= alone.hit1 - 1 and together.declined >= alone.declined - 1
