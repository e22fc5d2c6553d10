"""Who says it: the attributor against a gold annotation of the seed report, and on text it has never seen.

Gold: ``tests/data/gold_sources.jsonl`` holds every sentence of the seed report's body, one per line, with the
source a careful reader would credit and its tier, annotated by hand from the tier table of issue 2 (not from
the program's output).  Sentence convention shared by gold and code:

* a sentence ends at 。！？ outside quotation marks; text inside “……” never ends a sentence, so a quote with
  several sentences stays whole;
* a quote that ends a sentence keeps the attribution that follows it: “……。”上述知情人士称。 is one sentence;
  "X表示：“……。”" is one sentence too;
* the label is the speaker as first introduced, without connectives (据, 而此前, 对此), occasion or channel
  (在接受…采访时, 在个人微博上, 向…记者) or adverbs (也, 曾, 仅); later mentions (上述…, a bare name, a
  pseudonym used bare) read the same as the first; a label longer than the configured limit keeps its
  quantifier and head noun (另一位…的零部件供应商 -> 另一位零部件供应商); a rumour is labelled by its cue
  (网络曝光, 谍照, 有消息称, 被传); the reporter's own sentences are labelled 记者.

Run ``.venv/bin/python -m pytest -q -s tests/test_sources.py`` to see the accuracy figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.evaluate_tiers import final_reports, tier_hits
from index import TIERS, Claim, load_corpus
from index.corpus import CorpusError
from index.rules import load_source_rules
from index.sources import Attributor, SourceRules, parse_label_rules, split_sentences

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold_sources.jsonl"
# The report exactly as the user gave it (a copy of ../shared/seeds/000_3cba2885773c93fc.txt).
ORIGINAL = ROOT / "tests" / "data" / "original" / "000_3cba2885773c93fc.txt"
RULES = ROOT / "seeds" / "rules" / "sources.toml"

# Bars at what the attributor reaches on the gold; a drop fails the build.
TIER_ACCURACY_BAR = 1.0
SOURCE_AGREEMENT_BAR = 1.0


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def paragraphs():
    return {p.number: p for p in load_corpus(ROOT / "seeds").paragraphs}


@pytest.fixture(scope="module")
def rules() -> SourceRules:
    return load_source_rules(RULES)


def attribute(rules: SourceRules, *paragraphs: str) -> list[list[Claim]]:
    """Claims of consecutive paragraphs of one synthetic document."""
    attributor = Attributor(rules)
    attributor.read_ahead(list(paragraphs))             # as index.loader.attribute does
    return [attributor.claims(text) for text in paragraphs]


# --- the gold annotation itself ----------------------------------------------------------------------------

def test_gold_is_well_formed_and_covers_every_sentence(gold, paragraphs):
    assert {g["tier"] for g in gold} <= set(TIERS)
    assert all(g["source"].strip() and g["sentence"].strip() for g in gold)
    assert {g["paragraph"] for g in gold} == set(paragraphs) == set(range(1, 29))
    for number, paragraph in paragraphs.items():
        # Concatenated in order, the gold sentences are the paragraph: none missing, none altered.
        assert "".join(g["sentence"] for g in gold if g["paragraph"] == number) == paragraph.text.replace(" ", "")


def test_gold_sentences_are_the_reports_own(gold):
    original = ORIGINAL.read_text(encoding="utf-8")
    altered = [g["sentence"] for g in gold if g["sentence"] not in original]
    assert altered == []


def test_sentence_split_matches_the_gold_convention(gold, paragraphs):
    got = [(p.number, c.text) for p in paragraphs.values() for c in p.claims]
    assert got == [(g["paragraph"], g["sentence"]) for g in gold]


def test_attribution_agrees_with_the_gold(gold, paragraphs):
    claims = {(p.number, c.text): c for p in paragraphs.values() for c in p.claims}
    tier_hits = source_hits = 0
    misses = []
    for g in gold:
        claim = claims.get((g["paragraph"], g["sentence"]))
        tier_ok = claim is not None and claim.tier == g["tier"]
        source_ok = claim is not None and claim.source == g["source"]
        tier_hits += tier_ok
        source_hits += source_ok
        if not (tier_ok and source_ok):
            got = (claim.tier, claim.source) if claim else "no such claim"
            misses.append(f"第{g['paragraph']}段 {g['sentence'][:24]}… gold {g['tier']}/{g['source']}, got {got}")
    tier_accuracy, source_agreement = tier_hits / len(gold), source_hits / len(gold)
    print(f"\nsources: {len(gold)} sentences, tier accuracy {tier_accuracy:.3f}, "
          f"source label agreement {source_agreement:.3f}")
    for miss in misses:
        print("  ", miss)
    assert tier_accuracy >= TIER_ACCURACY_BAR, misses
    assert source_agreement >= SOURCE_AGREEMENT_BAR, misses


def test_every_tier_of_the_table_occurs_in_the_gold(gold):
    assert {g["tier"] for g in gold} == set(TIERS)


# --- patterns on sentences that are not from the report ----------------------------------------------------

@pytest.mark.parametrize(("text", "source", "tier"), [
    # speaker before the quote / statement
    ("汽车分析师王磊表示：“这款车的定价偏高。”", "汽车分析师王磊", "named"),
    ("某车企高管在接受记者采访时表示，订单下滑明显。", "某车企高管", "anonymous"),
    ("星河电子相关负责人告诉记者，新品下月发布。", "星河电子相关负责人", "official"),
    # speaker after the quote
    ("“工厂下月停产检修。”一位接近该公司的人士透露。", "一位接近该公司的人士", "anonymous"),
    ("“我们会按时交付。”星河电子董事长周明在发布会上称。", "星河电子董事长周明", "official"),
    # an unknown named person or outlet is a named third party
    ("王建国认为，电池成本还会下降。", "王建国", "named"),
    ("据彭博社报道，该公司计划裁员。", "彭博社", "named"),
    # rumour cues
    ("有消息称，该车型将于明年停产。", "有消息称", "rumor"),
    ("有分析师认为，油价还会上涨。", "有分析师", "anonymous"),        # an unnamed analyst is not named
    ("有关负责人表示，项目进展顺利。", "有关负责人", "official"),
    ("据传，工厂将迁往南方。", "据传", "rumor"),
    ("一组路试谍照在网络上曝光。", "谍照", "rumor"),
    ("近日，网传星河电子将被收购。", "网传", "rumor"),
    # public records and plans
    ("公开信息显示，该工厂去年通过验收。", "公开信息", "official"),
    # the reporter's own observation
    ("记者在现场看到，停车场已经停满新车。", "记者", "reporter"),
    # speech verbs beyond 表示/称, and an adverb before the verb
    ("李教练当即回怼：“你来踢试试？”", "李教练", "named"),
    ("水务署就表示，会进一步调查。", "水务署", "official"),
    ("有居民怀疑是附近工地改动了排水系统。", "有居民", "anonymous"),
    # a body on record, and its staff by their titles
    ("市防汛指挥部发布第2号通告称，全市学校停课一天。", "市防汛指挥部发布第2号通告", "official"),
    ("水务署高级工程师陈立表示，排水渠已经清理。", "水务署高级工程师陈立", "official"),
    # some of a group, unnamed
    ("部分乘客表示，列车晚点了半小时。", "部分乘客", "anonymous"),
    # an online post, and an item seen online with nobody to answer for it
    ("有网友在网上发布消息称，超市的鸡蛋涨到了每斤20元。", "网友", "rumor"),
    ("还有自媒体称，球队将解散。", "还有自媒体", "rumor"),
    ("一张据称是来自区教育局的截图在家长群内流传。", "据称", "rumor"),
    # one of a body's staff answering for it, and someone showing the reporter something
    ("星河超市的一名工作人员告诉记者，鸡蛋没有涨价。", "星河超市的一名工作人员", "official"),
    ("店主李娜（化名）向记者出示了进货单，鸡蛋每斤6元。", "店主李娜（化名）", "anonymous"),
    # a view, a memory, a finding of someone named ("在X看来", "X清楚地记得", "X还发现")
    ("在公益组织发起人周敏看来，这是一种错误印象。", "公益组织发起人周敏", "named"),
    ("周敏清楚地记得，当年的案件持续了三年。", "周敏", "named"),
    ("做法律援助的陈红告诉本刊，取证非常困难。", "做法律援助的陈红", "named"),
    # staff of a body the report does not name, and a body's people on record
    ("上海某三甲医院血液科主任对本报称，还未接到通知。", "上海某三甲医院血液科主任", "anonymous"),
    ("国家卫健委相关人士回应本报称，正在核实文件。", "国家卫健委相关人士", "official"),
    ("据星河药业官网：公司成立于2000年。", "星河药业官网", "official"),
    # the reporter's own count, an outside doctor, unnamed people by number, figures a body made public
    ("本报记者据公开信息统计，已有21人受伤。", "记者", "reporter"),
    ("市中心医院疼痛科主任陈立呼吁，关注护士的休息。", "市中心医院疼痛科主任陈立", "named"),
    ("两名医护人员也在信中呼吁，请同行来支援。", "两名医护人员", "anonymous"),
    ("根据市防疫指挥部在发布会上披露的数据，全市已有300人治愈。", "市防疫指挥部在发布会上", "official"),
    ("据一位不愿透露姓名的研究生讲述，她们有一个微信群。", "一位不愿透露姓名的研究生", "anonymous"),
    # a body by its side (校方), an article nobody is named for, someone who posted or was interviewed
    ("校方表示，希望大家不传谣。", "校方", "official"),
    ("近日，一篇标题为“两校将合并”的文章称，合并将于明年完成。", "一篇标题为“两校将合并”的文章", "rumor"),
    ("前议员林芳昨天下午在脸书发文，表示接到民众投诉。", "前议员林芳", "named"),
    ("林芳今天带着一名老翁受访，表示老翁就是投诉的人。", "林芳", "named"),      # 一名 is whom she brought
    # a name the report anonymises (冠某), a team's staff answering for it, worry as speech
    ("据投诉人周某等人介绍，公司大门被封。", "投诉人周某等人", "anonymous"),
    ("市劳动监察支队一位工作人员说，这已超出权限。", "市劳动监察支队一位工作人员", "official"),
    ("该公司员工担心，老板会不会跑路。", "公司员工", "anonymous"),
    # a body rebutting or explaining, by name (社会局说明), not a clause that can explain (都能说明)
    ("社会局昨天傍晚发新闻稿驳斥，强调此为谣传。", "社会局", "official"),
    ("此外，社会局说明，报案针对的是散播谣言的行为。", "社会局", "official"),
    ("因此，几乎各个机构都能说明，数据并不完整。", "记者", "reporter"),
    # an open letter: a body's on record, a person's theirs
    ("星河公司发出公开信，向用户致歉。", "星河公司", "official"),
    ("4月23日，学生林芳发出公开信，指学院向其母亲施压。", "学生林芳", "named"),
    # a poll speaks for the body that ran it; a Latin alias is no part of its name
    ("蓋洛普民調（Gallup）稱，美國人對中國好感度大跌。", "蓋洛普民調", "official"),
    # a verb opening a clause: the subject of the clause before it, after a clause that only says when
    ("直至翌日中午（10日），校方才在微博上簡單交代事件，指她兒子已身亡。", "校方", "official"),
    # an officer of a body by the title of their office speaks for it, whatever else they are
    ("教協副會長、律師莊耀洸補充：「死因庭會召開研訊。」", "教協副會長、律師莊耀洸", "official"),
    # a former head of government speaks for nobody now
    ("前行政長官梁振英表示，當年社會只問聲名大小。", "前行政長官梁振英", "named"),
    # a hospital or a court named bare speaks on record; a year's or a month's time word and 回答 are no part of it
    ("星河人民醫院表示，病人情況穩定。", "星河人民醫院", "official"),
    ("星河高院回答称，案件已审结。", "星河高院", "official"),
    ("星河大學校方上月證實稱，該生已退學。", "星河大學校方", "official"),
    ("星河統計處今年調查發現，七成住戶未獲加薪。", "星河統計處", "official"),
    # the one quoted speaks (报道引述X表示); 大学生物系 holds no student (学生)
    ("報道引述星河大學生物系教授林芳表示，實驗已經完成。", "星河大學生物系教授林芳", "named"),
    # 问, 笑言 and 忆述 say
    ("專欄作家林芳問，為何政府不作解釋。", "專欄作家林芳", "named"),
    ("店主周立笑言，不明白信件為何會寄來。", "店主周立", "named"),
    # 对此 between the speaker and the verb, 点出 as speech
    ("警方对此表示，因为特征相同才误认。", "警方", "official"),
    ("警方执法出错，有学者点出，查缉必须更谨慎。", "有学者", "anonymous"),
    # a former official and a research department's director speak as outside voices; a rumour quoted as such
    ("交通部政策研究室原副主任王立表示，该说法不准确。", "交通部政策研究室原副主任王立", "named"),
    ("星河地产市场研究部总监张伟说，政策不会大改。", "星河地产市场研究部总监张伟", "named"),
    ("一则“多地将取消限购”的消息在市场流传。", "一则“多地将取消限购”的消息", "rumor"),
    # an analysis by unnamed professionals, media the report does not name
    ("据专业人士分析，按照现场照片显示，插线板曾经漏电。", "专业人士", "anonymous"),
    ("据媒体报道，现场刚好有位医生经过。", "媒体", "anonymous"),
    ("据新华社报道，现场已经清理完毕。", "新华社", "named"),
    # a netizen's claim is the rumour, a netizen's opinion anonymous
    ("近日，有网友称县里出现了龙卷风。", "有网友", "rumor"),
    ("有网友认为，这只是普通的尘卷风。", "有网友", "anonymous"),
    # 自称 is no one speaking ("一个自称客服的电话"); 发信人称 is
    ("当时，李女士正在接听一个自称“客服”的电话。", "记者", "reporter"),
    # parents' complaint, a department on record, a screenshot online, a school's website
    ("近日，有家长反映，学校让每个学生捐款2万元。", "有家长", "anonymous"),
    ("当地教育部门回应本报称，捐款已经叫停。", "当地教育部门", "official"),
    ("有网络聊天截图显示，老师要求每个孩子交钱。", "有网络聊天截图", "rumor"),
    ("据星河中学官网信息，该校是一所寄宿中学。", "星河中学官网", "official"),
    # a celebrity's studio on record, through whichever outlet it told; a rumour spread online
    ("星河工作室也向新浪娱乐表示，该消息是假新闻。", "星河工作室", "official"),
    ("12月12日晚，网上盛传他已经离职。", "网上盛传", "rumor"),
    # a netizen posting, sarcasm and doubt as speech
    ("有网友近日在社群PO出老鼠在车厢中乱窜的画面。", "网友", "rumor"),
    ("有网友质疑，这个说法听起来像在甩锅。", "有网友", "anonymous"),
    ("律师林立今日也在脸书讽刺：“这个结论很神奇。”", "律师林立", "named"),
    # a surname and an honorific only, a date written 今（10）日, a group leader, a social-media post
    ("姜女士告诉记者，她充值了近1.9万元。", "姜女士", "anonymous"),
    ("食药署今（10）日出面澄清，药品没有缺货。", "食药署", "official"),
    ("药品组副组长林立表示，供货正常。", "药品组副组长林立", "official"),
    ("针对近日有社群媒体贴文指称药品缺货，食药署已经查证。", "针对近日有社群媒体贴文", "rumor"),
    # what an outside source says or counts
    ("根据船讯网等航运信息网站的数据，这艘船长223米。", "船讯网等航运信息网站", "named"),
    # a sentence answering a rumour or calling it false is not the rumour
    # who the outlet learned it from speaks (the helpers' gold of the news reports credits the body, 5 of 6)
    ("针对网传信息，记者从区教育局获悉，此为假消息。", "区教育局", "official"),
    # a school or university as a body the outlet learned it from (not only 局/委/厅 …)
    ("记者从市教育局及有关高校了解到，合并的消息不实。", "市教育局及有关高校", "official"),
    ("星河大学表示，该校没有合并计划。", "星河大学", "official"),
])
def test_one_sentence(rules, text, source, tier):
    [[claim]] = attribute(rules, text)
    assert (claim.source, claim.tier) == (source, tier)


def test_the_one_called_is_who_the_pronoun_answering_is(rules):
    [claims] = attribute(rules, "记者致电星河电子相关负责人，对于网传“收购”的真实性，他连连否认：“没有，没有。”")
    assert (claims[0].source, claims[0].tier) == ("星河电子相关负责人", "official")


def test_a_document_named_bare_speaks_for_whoever_the_sentence_before_was(rules):
    [claims] = attribute(rules, "网上出现一篇名为《挑战书》的文章，文章称要约战。文章表示，输了就登报道歉。")
    assert [c.tier for c in claims] == ["rumor", "rumor"]


def test_what_a_report_tells_of_the_person_it_is_hearing_in_a_paragraph_of_its_own_is_the_outlets(rules):
    # The gold of the news reports (one narration convention): events narrated without a speech verb are the
    # reporter's, though they are about the person heard (tiers +8 of 3781 gold sentences against "their account").
    claims = attribute(rules, "记者联系到网友“蓝色海豚”，她说：", "“我只是写下了朋友的经历。",
                       "没想到转发这么多。”", "她原本跟房东的合同签到明年4月。", "记者随后走访了房东。")
    tiers = [c.tier for p in claims for c in p]
    assert tiers == ["anonymous"] * 3 + ["reporter"] * 2    # a handle in quotes is no name; the quotation runs on


def test_what_a_report_tells_of_the_person_heard_in_the_same_paragraph_goes_on_with_their_account(rules):
    [claims] = attribute(rules, "记者联系到网友“蓝色海豚”，她说自己只是写下了朋友的经历。"
                         "她原本跟房东的合同签到明年4月。")
    assert [c.tier for c in claims] == ["anonymous", "anonymous"]


def test_a_cue_inside_a_quotation_is_the_speakers_word(rules):
    claims = attribute(rules, "一位同系老师告诉记者，他早就听说过此事。“老师们之间议论过，不过都是传闻。”",
                       "据这位老师回忆，当时没人当真。")
    assert [c.tier for p in claims for c in p] == ["anonymous"] * 3


def test_a_pseudonym_declared_at_the_end_is_anonymous_from_the_start(rules):
    attributor = Attributor(rules)
    paragraphs = ["24岁的李强告诉记者，他被房东赶了出来。", "李强忿忿道：“以后当白领。”", "应受访者要求，李强为化名。"]
    attributor.expect_pseudonyms(paragraphs)
    claims = [attributor.claims(p) for p in paragraphs[:2]]
    assert [c.tier for p in claims for c in p] == ["anonymous", "anonymous"]


def test_a_speaker_going_on_with_and_and_the_outlets_we(rules):
    [first] = attribute(rules, "星河中学官方在微博上确认了此事，并指出，涉事教师已停职。")
    assert first[0].source.startswith("星河中学官方") and first[0].tier == "official"
    claims = attribute(rules, "家长张敏（化名）告诉记者，孩子受了伤。",
                       "我们也联系上了那位称“目击了经过”的保安，他说当时很乱。", "并且表示，愿意出庭作证。")
    assert claims[1][0].tier == "reporter"           # 我们, outside quotes, is the outlet
    assert claims[2][0].tier == "anonymous"          # 并且表示: the last one speaking goes on


def test_a_speech_verb_with_no_subject_after_a_connective_goes_on_with_the_speaker(rules):
    [claims] = attribute(rules, "星河眼科協會表示，長者配眼鏡費用高昂。另外又指政府引用的數字忽略實況。")
    assert [c.tier for c in claims] == ["official", "official"]


def test_one_alleged_to_have_done_something_is_no_speaker_and_a_law_cited_does_not_go_on(rules):
    [claims] = attribute(rules, "星河前衛生部長林芳被指於去年8月參加81人的晚宴。最終她主動請辭。")
    assert [c.tier for c in claims] == ["reporter", "reporter"]        # 被指: alleged, not saying
    [claims] = attribute(rules, "星河市長周立上月被揭發出席派對，而當地防疫規定指禁止聚會。其後周立被免職。")
    assert [c.tier for c in claims] == ["official", "reporter"]


def test_the_outlets_conclusion_after_a_speaker_is_its_own(rules):
    [claims] = attribute(rules, "星河巴士公司表示，三千輛巴士已裝鏡頭。換言之，一年之間比率大增至七成。")
    assert [c.tier for c in claims] == ["official", "reporter"]


def test_speech_given_after_a_colon_without_quotes_goes_on_through_the_paragraph(rules):
    [claims] = attribute(rules, "李明在短信中写道：我想说几句。请问，这种定性靠什么？这太可悲了吧！")
    assert [c.tier for c in claims] == ["named"] * 3        # his questions, not the outlet's


def test_a_quotation_nobody_is_credited_with_is_the_last_speakers_not_a_quoted_term(rules):
    claims = attribute(rules, "店主李娜（化名）告诉记者，生意越来越难做。", "“白天到处逛逛，晚上就睡在桥下。”",
                       "“一刀切”的做法让很多人找不到工作。")
    assert [c.tier for p in claims for c in p] == ["anonymous", "anonymous", "reporter"]


def test_a_bare_name_takes_the_title_the_report_introduced_it_with(rules):
    claims = attribute(rules, "负责维护的星河科技董事长周立今年两度中标。", "周立说，设备上月刚检查过。")
    assert claims[1][0].tier == "official" and claims[1][0].source.endswith("董事长周立")


def test_an_experts_account_goes_on_after_同时(rules):
    [claims] = attribute(rules, "气象站首席专家徐立表示，尘卷风从地面向空中发展。同时，龙卷风是从空中向地面伸展。")
    assert [c.tier for c in claims] == ["named", "named"]


def test_the_outlets_status_line_and_a_netizens_message_on_a_platform(rules):
    [claims] = attribute(rules, "在问政平台上已有网友留言称，小区附近一直有刺鼻气味。截至发稿前，暂未有官方回复。")
    assert [c.tier for c in claims] == ["rumor", "reporter"]


def test_a_quoted_question_is_still_the_speakers(rules):
    [claims] = attribute(rules, "星河电子官方账号留言否认，称：“我们从没发过这条消息。”“我们自己怎么不知道？”")
    assert [c.tier for c in claims] == ["official", "official"]


def test_an_interview_set_as_questions_and_answers_is_the_answerers(rules):
    claims = attribute(rules, "记者采访了市儿童医院感染科主任周宁。", "沙子会传播病毒吗？",
                       "周宁：有可能。但这不是沙滩本身的问题。", "提示：少去人多的地方。")
    assert [(c.source, c.tier) for c in claims[2]] == [("市儿童医院感染科主任周宁", "named")] * 2   # as introduced
    assert claims[3][0].tier == "reporter"        # "提示：" names nobody the report introduced


def test_quote_with_several_sentences_stays_whole_with_its_attribution(rules):
    text = "“价格不会再降了。库存已经很少。”一位经销商说。记者随后走访了三家门店。"
    assert split_sentences(text, rules) == ["“价格不会再降了。库存已经很少。”一位经销商说。",
                                            "记者随后走访了三家门店。"]


def test_back_reference_resolves_to_the_label_introduced_earlier(rules):
    first, second = attribute(rules, "一位不愿具名的银行职员告诉记者，网点将在年底关闭。",
                              "“关闭后业务转到总行。”上述银行职员称。")
    assert (second[0].source, second[0].tier) == ("一位不愿具名的银行职员", "anonymous") == \
        (first[0].source, first[0].tier)


def test_back_reference_picks_the_right_one_of_two_speakers(rules):
    claims = attribute(rules, "一位知情人士透露，新车将于三月上市。一位车企高管则认为，三月上市过于乐观。",
                       "据上述知情人士透露，首批订单已经排满。")
    assert claims[1][0].source == "一位知情人士"


def test_a_short_mention_reads_like_the_full_introduction(rules):
    claims = attribute(rules, "中金公司分析师陈晨认为，价格战会持续。", "“降价空间有限。”陈晨认为。")
    assert [(c.source, c.tier) for p in claims for c in p] == [("中金公司分析师陈晨", "named")] * 2


def test_pseudonym_used_bare_later_stays_anonymous(rules):
    claims = attribute(rules, "店主李娜（化名）向记者透露，房租涨了三成。", "“生意越来越难做。”李娜说。",
                       "李娜还表示，周边几家店已经关门。")
    assert [(c.source, c.tier) for p in claims for c in p] == [("店主李娜（化名）", "anonymous")] * 3


def test_denial_is_official_and_the_rumour_it_answers_is_kept(rules):
    [claims] = attribute(rules, "近日，网传星河电子将被收购。对此，星河电子在官网上回应称，公司目前没有任何出售计划。"
                         "“我们从未与该公司接触。”星河电子相关负责人回应称。")
    assert [(c.source, c.tier) for c in claims] == [("网传", "rumor"), ("星河电子", "official"),
                                                   ("星河电子相关负责人", "official")]


def test_sentence_continuing_the_previous_speaker(rules):
    [claims] = attribute(rules, "张伟表示，新工厂明年投产。预计年产能为20万辆。他还指出，新车型将在秋季发布。"
                         "但是，记者看到工地仍在施工。")
    assert [(c.source, c.tier) for c in claims] == [("张伟", "named")] * 3 + [("记者", "reporter")]


def test_quote_followed_by_its_speaker_going_on_is_one_sentence(rules):
    text = "“路面太滑了。”一位司机说，当晚他一共看到三辆车打滑。“我们都不敢开快。”并称路灯也坏了。"
    assert split_sentences(text, rules) == ["“路面太滑了。”一位司机说，当晚他一共看到三辆车打滑。",
                                            "“我们都不敢开快。”并称路灯也坏了。"]
    [claims] = attribute(rules, text)
    assert (claims[0].source, claims[0].tier) == ("一位司机", "anonymous")


def test_pronoun_speaker_is_the_previous_speaker_not_the_words_before_a_later_verb(rules):
    [claims] = attribute(rules, "一名村民告诉记者，桥是昨晚断的。其表示自己也是听说，具体并不清楚。")
    assert [(c.source, c.tier) for c in claims] == [("一名村民", "anonymous")] * 2


def test_staff_answering_for_the_body_named_in_the_clause_before(rules):
    [[claim]] = attribute(rules, "记者随后致电青山区教育局,工作人员表示此事正在核实。")
    assert claim.tier == "official"


def test_verb_opening_a_clause_has_the_sentence_subject_as_speaker(rules):
    [[claim]] = attribute(rules, "青山区政府办值班人员在得知记者来意后,登记了信息,表示将由宣传部统一答复。")
    assert claim.tier == "official"


def test_first_person_after_a_connective_is_still_the_speaker(rules):
    [claims] = attribute(rules, "出租车司机老周告诉记者，最近油价涨得厉害。但如果再涨，我们只能少跑夜班。"
                         "但是，记者看到夜班车并不少。")
    assert [c.tier for c in claims] == ["anonymous", "anonymous", "reporter"]
    [claims] = attribute(rules, "市场部主任刘洁称，目前没有接到通知。但她也不能证实此事。")
    assert [(c.source, c.tier) for c in claims] == [("市场部主任刘洁", "official")] * 2


def test_public_record_is_labelled_by_who_issued_it_not_the_date(rules):
    [[claim]] = attribute(rules, "在2016年3月2日，青山区卫生局公布了《餐饮卫生管理规定》。")
    assert (claim.source, claim.tier) == ("青山区卫生局", "official")


def test_addressee_is_not_part_of_the_speaker(rules):
    claims = attribute(rules, "一位船东对路透社表示，运费还会上涨。", "路透社称，港口已经拥堵。")
    assert claims[0][0].source == "一位船东"
    assert (claims[1][0].source, claims[1][0].tier) == ("路透社", "named")


def test_outlet_comment_after_a_rumour_is_the_reporters(rules):
    [claims] = attribute(rules, "有消息称，该车型将于明年停产。不过，该说法尚未得到证实。")
    assert [c.tier for c in claims] == ["rumor", "reporter"]


def test_unattributed_sentence_opening_a_paragraph_is_the_reporters(rules):
    [[claim]] = attribute(rules, "新能源汽车市场竞争日趋激烈。")
    assert (claim.source, claim.tier) == ("记者", "reporter")


def test_each_document_starts_with_no_known_speakers(rules):
    attribute(rules, "店主李娜（化名）向记者透露，房租涨了三成。")
    [[claim]] = attribute(rules, "李娜表示，生意不错。")   # another document: 李娜 is a real name here
    assert (claim.source, claim.tier) == ("李娜", "named")


# --- the [labels] table of sources.toml --------------------------------------------------------------------

@pytest.mark.parametrize("table", [
    [], {"strip_before": "据"}, {"strip_after": ["("]}, {"pronouns": [""]}, {"max_chars": "24"},
    {"max_chars": 1}, {"unknown_key": []},
])
def test_bad_label_rules_are_rejected(table):
    with pytest.raises(ValueError):
        parse_label_rules(table)


def test_broken_labels_table_names_the_file(tmp_path):
    broken = tmp_path / "sources.toml"
    broken.write_text(RULES.read_text(encoding="utf-8").replace("max_chars = 24", "max_chars = \"many\""),
                      encoding="utf-8")
    with pytest.raises(CorpusError, match=r"sources\.toml.*max_chars"):
        load_source_rules(broken)


def test_traditional_characters_are_attributed_and_quoted_as_written(rules):
    claims = attribute(rules, "一位不願透露姓名的知情人士告訴記者，新車明年上市。",
                       "“工廠下月停產。”上述知情人士稱。天風國際證券分析師郭明錤認為，售價低於30萬元。“出貨量可觀。”郭明錤認為。"
                       "網傳該公司將被收購。")
    assert [(c.source, c.tier) for p in claims for c in p] == [
        ("一位不願透露姓名的知情人士", "anonymous"), ("一位不願透露姓名的知情人士", "anonymous"),
        ("天風國際證券分析師郭明錤", "named"), ("天風國際證券分析師郭明錤", "named"), ("網傳", "rumor")]
    assert claims[1][0].text == "“工廠下月停產。”上述知情人士稱。"


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "<b>粗体</b>", "，。！？", "“”称。", "”。“", "表示，",
                                  "上述称。"])
def test_odd_text_yields_attributed_claims_without_error(rules, text):
    [claims] = attribute(rules, text)
    assert "".join(c.text for c in claims) == "".join(text.split())
    assert all(c.source and c.tier in TIERS for c in claims)


# --- other outlets: the news reports of tests/data/reports -------------------------------------------------

REPORTS = ROOT / "tests" / "data" / "reports"
# What the attributor reaches on the development reports' gold (today 1675/2301 = 0.728 on 102 reports, a sentence
# inside a quotation of several sentences counted by that claim's tier; each report first scored as it came in,
# before any change made for it: tests/data/reports/*/SOURCE.md); the target is 0.95.
# (0.75 until the fourth session's last report, a 39-paragraph undercover investigation first scored at 42/82, took the
# aggregate to 1220/1637 = 0.745 with no report lower than before.  The fifth session's ten new reports came in at
# 181/314 = 0.58 together; with them, that session's general cues reach 0.740, no report lower than before.)
# (The session's last five reports, two of 40 and 43 paragraphs, came in at 126/211 = 0.60 and took the aggregate to
# 1668/2301 = 0.725; the floor went 0.74 -> 0.72 then, with no report lower than before.)
REPORT_TIER_BAR = 0.72
REPORT_TIER_TARGET = 0.95


def _report_gold(folder: Path) -> list[dict]:
    lines = (folder / "gold_sources.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


DEV_REPORTS = sorted(p for p in REPORTS.iterdir() if (p / "gold_sources.jsonl").is_file()
                     and p.name not in final_reports())


@pytest.mark.parametrize("folder", DEV_REPORTS, ids=lambda p: p.name)
def test_report_gold_covers_every_paragraph_exactly(folder: Path) -> None:
    [document] = load_corpus(folder / "report.md").documents
    gold = _report_gold(folder)
    assert {g["tier"] for g in gold} <= set(TIERS)
    for paragraph in document.paragraphs:
        joined = "".join(g["sentence"] for g in gold if g["paragraph"] == paragraph.number)
        assert joined.replace(" ", "") == paragraph.text.replace(" ", ""), paragraph.number


def test_attribution_on_reports_from_other_outlets() -> None:
    right = total = 0
    for folder in DEV_REPORTS:
        mine, count = tier_hits(folder)
        print(f"\n{folder.name}: tiers {mine}/{count}")
        right, total = right + mine, total + count
    print(f"\nreports from other outlets: tier accuracy {right / total:.3f} (target {REPORT_TIER_TARGET})")
    assert right / total >= REPORT_TIER_BAR


def test_a_document_reproduced_in_full_is_its_issuers_until_someone_else_speaks(rules):
    """A notice or statement the report reproduces is the issuer's, paragraph after paragraph, not the reporter's;
    it ends where the reporter or another speaker takes over."""
    paragraphs = attribute(rules,
                           "记者从区卫健委获悉，该委发布了情况说明。",
                           "情况说明原文：11月3日，区卫健委接到群众反映。经核查，该诊所未取得执业许可。",
                           "目前，涉事诊所已被关停。",
                           "1、对诊所负责人罚款五万元。",
                           "记者随后走访了附近几家诊所。")
    assert [c.tier for c in paragraphs[0]] == ["official"]       # what the 卫健委 told the reporter
    assert {c.tier for p in paragraphs[1:4] for c in p} == {"official"}
    assert [c.tier for c in paragraphs[4]] == ["reporter"]


def test_a_statement_introduced_by_its_issuer_carries_the_issuers_tier(rules):
    paragraphs = attribute(rules,
                           "该公司昨日发出声明，否认相关传闻。声明内容如下：",
                           "近日网络流传我司将破产的消息，系谣言。",
                           "本公司将保留追究法律责任的权利。")
    assert paragraphs[1][0].tier == paragraphs[2][0].tier == "official"


def test_a_speech_verb_denied_attributes_nothing(rules):
    [[claim]] = attribute(rules, "警方始终未对此消息予以证实，其余情况不明。")
    assert claim.tier == "reporter"


def test_a_back_reference_to_a_rumour_of_the_same_sentence_is_the_rumour(rules):
    [[claim]] = attribute(rules, "近日，有网友爆料某歌手涉毒被抓，该网友在微博里写道：“娱乐圈真不太平。”")
    assert claim.tier == "rumor"


def test_a_finding_made_by_a_body_is_that_bodys(rules):
    [claims] = attribute(rules, "一位村民称，老人生前曾与人争吵。经法医鉴定，老人系意外死亡。"
                         "经过警方调查，现场没有打斗痕迹。")
    assert [c.tier for c in claims] == ["anonymous", "official", "official"]
    assert [c.source for c in claims[1:]] == ["法医", "警方"]


def test_a_relative_named_bare_goes_on_with_the_speaker_in_the_same_paragraph_only(rules):
    [same] = attribute(rules, "死者的儿子王林告诉记者，父亲患病已有五年。"
                       "由于一直没能透析，这成为了父亲的最后一次透析。")
    assert [(c.source, c.tier) for c in same] == [("死者的儿子王林", "named")] * 2
    _, second, third = attribute(rules, "死者的儿子王林告诉记者，父亲患病已有五年。",
                                 "由于一直没能透析，这成为了父亲的最后一次透析。",
                                 "记者了解到，其父亲生前是一名教师。")
    assert [c.tier for c in second] == ["reporter"]         # a paragraph of narration: the outlet's
    assert [c.tier for c in third] == ["reporter"]          # 其父亲: the reporter's words about him


def test_what_followed_a_rumour_and_a_documents_introduction_are_the_outlets(rules):
    [claims] = attribute(rules, "网传某歌手欠债已离开本地。此消息一出引发网友关注。"
                         "网友们纷纷调侃道：“又一个跑路的。”其经纪公司随后发出声明。声明内容如下：")
    assert [c.tier for c in claims] == ["rumor", "reporter", "anonymous", "official", "reporter"]


def test_a_department_manager_speaks_for_the_organisation(rules):
    [claims] = attribute(rules, "该公司市场部经理刘敏称，公司并未收到相关通知。")
    assert [c.tier for c in claims] == ["official"] and "市场部经理刘敏" in claims[0].source


def test_another_outlets_own_finding_is_that_outlets(rules):
    [claims] = attribute(rules, "7月5日，路透社从当地海关确认，新规将于次日生效。")
    assert [(c.source, c.tier) for c in claims] == [("路透社", "named")]


def test_what_unnamed_people_noticed_is_theirs(rules):
    [claims] = attribute(rules, "据网友观察，该店铺昨晚仍在营业。据记者观察，店门已经关闭。")
    assert [c.tier for c in claims] == ["anonymous", "reporter"]


def test_the_one_asked_answers_as_the_other_side(rules):
    [claims] = attribute(rules, "随后记者向死者好友李华进行核实，对方断然否认：“根本没有这回事。”")
    assert claims[0].tier == "named" and "李华" in claims[0].source


def test_a_quotation_after_its_attribution_ends_the_sentence(rules):
    [claims] = attribute(rules, "市水务局的一名工作人员向记者证实，“确实有一处水管破裂。”其还表示，“正在抢修。”")
    assert [c.text for c in claims] == ["市水务局的一名工作人员向记者证实，“确实有一处水管破裂。”",
                                        "其还表示，“正在抢修。”"]
    assert [c.tier for c in claims] == ["official", "official"]
    # a quotation the sentence opens with still waits for its speaker
    [claims] = attribute(rules, "“确实有一处水管破裂。”该局工作人员说，目前正在抢修。")
    assert len(claims) == 1 and claims[0].tier == "official"


def test_a_bodys_hotline_staff_and_its_staff_speak_for_it(rules):
    [claims] = attribute(rules, "市卫健委的公开电话接线人士证实，“已经接到报告。”")
    assert claims[0].tier == "official"
    [claims] = attribute(rules, "区公安分局相关人员告诉记者，此事正在调查。")
    assert claims[0].tier == "official"


def test_one_more_unnamed_person_is_anonymous(rules):
    [claims] = attribute(rules, "另一在车站旁开店的餐馆负责人表示，当天人很多。")
    assert claims[0].tier == "anonymous"


def test_footage_nobody_answers_for_and_market_talk_are_rumours(rules):
    [claims] = attribute(rules, "有现场视频显示，桥下积水很深。【本报讯】昨早有市场传言指，该行行长已离职。")
    assert [c.tier for c in claims] == ["rumor", "rumor"]


def test_an_online_handle_is_anonymous_and_what_it_wrote_is_its(rules):
    [claims] = attribute(rules, "当晚，“@青青河边草”在微博上写了两句话：“这车真拉风。”“是谁的车？”")
    assert [c.tier for c in claims] == ["anonymous", "anonymous"]


def test_an_outlets_name_holding_a_speech_verb_is_no_verb(rules):
    [claims] = attribute(rules, "某市交通局的一名工作人员向华东经济报道记者证实，“确有此事。”")
    assert claims[0].tier == "official" and "华东经济报道" not in claims[0].source.replace("向华东经济报道记者", "")
    [claims] = attribute(rules, "华东经济报道记者致电多位附近商户证实了该消息。")
    assert claims[0].tier == "reporter"


def test_who_the_outlet_learned_it_from_speaks(rules):
    [claims] = attribute(rules, "记者昨天从市交通委相关部门处了解到，他们已在调查，并且证实，线路将延期。"
                         "本报也从知情人处获悉，工程已经停工。记者了解到，现场已经围挡。")
    assert [c.tier for c in claims] == ["official", "anonymous", "reporter"]
    assert claims[0].source == "市交通委相关部门"


def test_a_circulating_document_is_a_rumour_when_mentioned_again(rules):
    [_first, second] = attribute(rules, "一份疑似某足球俱乐部的声明在网上流传。",
                                "声明内容写道，俱乐部将迁往外地。同时，声明还提到，青训基地也将搬迁。")
    assert [c.tier for c in second] == ["rumor", "rumor"]
    [claims] = attribute(rules, "该俱乐部发出声明。声明内容写道，俱乐部不会迁往外地。")
    assert claims[1].tier == "official"


def test_pseudonyms_declared_in_brackets_after_the_names_are_anonymous(rules):
    [claims] = attribute(rules, "两名校友李梅和王兰（为保护举报者，均为化名）向学校举报。李梅说，她一度很崇拜老师。")
    assert [c.tier for c in claims] == ["reporter", "anonymous"]


def test_a_handle_after_what_the_person_is_online_is_anonymous(rules):
    [claims] = attribute(rules, "最早举报此事的校友“晚风”告诉记者，已有五人作证。")
    assert claims[0].tier == "anonymous"


def test_a_bodys_website_is_no_outlet(rules):
    [claims] = attribute(rules, "此前该学院官网曾介绍：张三，教授、博士生导师。")
    assert claims[0].tier == "official"


def test_a_body_replying_or_responding_speaks_on_record(rules):
    [claims] = attribute(rules, "之后学校教务部回复“小鲸鱼”，校方将成立调查组。后学校官方回应将进行核实。"
                         "截至发稿，记者向该公司求证，尚未收到回复，原因不详。")
    assert [c.tier for c in claims] == ["official", "official", "reporter"]


def test_the_prosecution_and_a_quoted_law_are_official(rules):
    [claims] = attribute(rules, "检方指控张某涉嫌贪污科研经费。"
                         "刑事诉讼法第一百四十条规定：“应当会同在场见证人查点清楚。”")
    assert [c.tier for c in claims] == ["official", "official"]


def test_a_name_that_was_the_object_of_a_sentence_takes_no_title_from_it(rules):
    [_first, second] = attribute(rules, "2014年，某县检察院以涉嫌贪污罪名将王建国逮捕。", "王建国认为，自己是无罪的。")
    assert second[0].tier == "named" and second[0].source == "王建国"


def test_a_body_doing_something_on_record_is_official_and_the_reporter_at_a_body_is_not(rules):
    [claims] = attribute(rules, "另外，卫生署昨日起，安排十个街市提早关门。医院宣告病人死亡。"
                         "记者来到市教育局，要求查看文件。按照李明的了解，该局已经多次强调此事。")
    assert [c.tier for c in claims] == ["official", "official", "reporter", "named"]


def test_a_group_by_its_plural_is_anonymous_and_declining_to_comment_is_a_statement(rules):
    [claims] = attribute(rules, "分析师们预计，新机将在夏季推出。华东日报早先曾報導，该公司正在开发平价机型。"
                         "该公司发言人谢绝置评。")
    assert [c.tier for c in claims] == ["anonymous", "named", "official"]


def test_a_firm_named_only_beside_its_commentator_is_an_outside_voice(rules):
    paragraphs = attribute(rules, "星河电子的新厂昨日停工。", "星河电子董事长周明表示，停工只是暂时的。",
                           "工人们在厂门口等待消息。", "远帆资产总经理王林表示：“这类厂房很难转手。”")
    assert paragraphs[1][0].tier == "official"        # the party, named throughout
    assert paragraphs[3][0].tier == "named"           # a firm named once, asked to comment


def test_an_executive_of_a_division_speaks_for_the_party_the_report_names(rules):
    paragraphs = attribute(rules, "星铁列车昨晚在东湖站停驶。", "乘客在月台等了一小时。",
                           "星铁车务营运总监黄立表示，列车下周复驶。", "远帆资产总经理王林表示：“这类事故很少见。”")
    assert paragraphs[2][0].tier == "official"        # 星铁 (not 车务营运) is what the report names elsewhere
    assert paragraphs[3][0].tier == "named"


def test_the_head_of_a_body_speaks_for_it_when_the_report_names_the_body_elsewhere(rules):
    paragraphs = attribute(rules, "东湖医院本月暂停接收新病人。", "东湖医院院长杨立表示，停收是指挥部的要求。",
                           "病人家属在门口等候。", "星光医学会会长何平表示，市民不必恐慌。",
                           "东湖校友会创会副主席周安称，校友愿意捐款。")
    assert paragraphs[1][0].tier == "official"        # the hospital the story is about
    assert paragraphs[3][0].tier == "named"           # a society named only in its head's title: an outside voice
    assert paragraphs[4][0].tier == "named"


def test_hereafter_called_is_no_speech_verb(rules):
    [claims] = attribute(rules, "东湖国际会展中心（下称东湖会展）医院院长杨立告诉记者，医院已暂停接收病人。")
    assert claims[0].source.endswith("院长杨立") and claims[0].tier == "official"


# Paragraphs of one invented report, and the source and tier of the first sentence of one of them.
@pytest.mark.parametrize(("paragraphs", "at", "source", "tier"), [
    pytest.param(("不少受访者表示，火势蔓延很快。", "林丽阳住在隔壁村，她告诉记者，看到火势时很害怕。",
                  "林丽阳说，她想立刻回家。"),
                 1, "林丽阳", "named", id="a_pronoun_after_the_name_a_sentence_opens_with_is_that_person"),
    pytest.param(("星河路政署署长周立表示，大桥结构安全。", "市民在桥头围观。",
                  "周立见传媒时，甫开场便解释：「上周有几天假期。」"),
                 2, "星河路政署署长周立", "official", id="an_adverb_of_sequence_leaves_the_sentences_subject_speaking"),
    pytest.param(("星河足总宣布联赛下月复赛。", "有球员已就欠薪问题去信星河足总求助，有知情人士批评，球会各有责任。",
                  "星河足总表示，暂未收到相关信件。"),
                 2, "星河足总", "official", id="a_name_after_a_clause_that_only_mentions_it_has_no_title_there"),
])
def test_who_speaks_in_a_paragraph_of_an_invented_report(rules, paragraphs: tuple[str, ...], at: int, source: str,
                                                        tier: str) -> None:
    claims = attribute(rules, *paragraphs)
    assert (claims[at][0].source, claims[at][0].tier) == (source, tier)


def test_someone_speaking_of_a_person_gives_them_no_title(rules):
    paragraphs = attribute(rules, "童装店老板周小龙在店内摆放雕像，有网民质疑周小龙为生意作秀。",
                           "周小龙认为，香港享有言论自由。")
    assert paragraphs[1][0].tier == "named"


def test_the_one_contacted_and_a_body_telling_the_reporter_speak_on_record(rules):
    [claims] = attribute(rules, "记者联系该公司询问具体情况，对方回复称已收到反馈。"
                         "记者已致电相关医院询问，医院方告知，患者仍在观察中。据法拍笔录资料，该楼的债务人为某公司。")
    assert [c.tier for c in claims] == ["official", "official", "official"]


def test_unnamed_staff_of_a_party_named_throughout_speak_for_it(rules):
    paragraphs = attribute(rules, "远帆汽车上海工厂本周停产。", "远帆汽车员工说，放假通知很突然。",
                           "对此，远帆汽车中国相关人士表示：“这只是年度维护。”", "一位知情人士称，停产将持续两周。")
    assert paragraphs[2][0].tier == "official"
    assert paragraphs[3][0].tier == "anonymous"


def test_a_wire_dateline_a_post_on_weibo_and_a_bodys_website(rules):
    [claims] = attribute(rules, "某网兰州8月29日电（记者王某）今日，微博博友“山间小路”发微博称“一架飞机迫降。”"
                         "随后，记者致电机场公司副总经理李明，李明告知记者，并无此事。"
                         "2010年7月15日，华东民航局网站发布信息称，飞机已备降。")
    assert [c.tier for c in claims] == ["rumor", "official", "official"]


def test_a_bodys_staff_answering_a_rumour_are_not_the_rumour(rules):
    [claims] = attribute(rules, "针对该传闻，记者询问机场公安处，该处工作人员称：没有此事。")
    assert claims[0].tier == "official"
    [claims] = attribute(rules, "有网友爆料称飞机被劫持，该网友写道：“太吓人了。”")
    assert claims[0].tier == "rumor"


def test_media_named_only_by_where_they_are_are_anonymous(rules):
    [claims] = attribute(rules, "根据当地媒体报导，多家饭店接连被取消订房。根据日本媒体报导，入住率跌至五成。")
    assert [c.tier for c in claims] == ["anonymous", "anonymous"]


def test_a_personal_name_before_a_bare_verb_speaks(rules):
    [claims] = attribute(rules, "王建国认为侦查人员多次威胁他。")
    assert [(c.source, c.tier) for c in claims] == [("王建国", "named")]


def test_a_first_clause_of_time_is_not_who_speaks(rules):
    first, second = attribute(rules, "12月13日凌晨，华东晨报发布微博，称已向知情人士求证。",
                              "1月27日，梁某在医院透析时出现发烧症状，怀疑被感染。")
    assert [c.tier for c in first + second] == ["named", "reporter"]   # 怀疑 is no saying: the reporter tells it


def test_a_predicate_before_a_bare_verb_is_no_speaker(rules):
    [claims] = attribute(rules, "“小鲸鱼”是在校学生呼吁防治性骚扰的发起人之一。")
    assert claims[0].tier == "reporter"


def test_a_department_a_role_with_a_surname_and_a_sudden_rumour(rules):
    [claims] = attribute(rules, "农业处解释，条例已修改。业者代表吴先生说，“不会有臭味。”"
                         "该行前日突传倒闭消息，引发挤提。银行事后立即澄清，指消息纯属谣言。")
    assert [c.tier for c in claims] == ["official", "anonymous", "rumor", "official"]


def test_a_surname_alone_refers_back_and_officers_by_rank_speak_on_record(rules):
    [claims] = attribute(rules, "东城医院行政总监袁家明昨日承认，医生曾认错。袁称调查已有结论。"
                         "总区刑事总部警司黄志强称会积极跟进。")
    assert [c.tier for c in claims] == ["official", "official", "official"]
    assert claims[1].source == claims[0].source


def test_residents_by_surname_and_a_body_at_a_hearing(rules):
    [claims] = attribute(rules, "停水民众沈先生说：“一桶水只够冲一次。”自来水公司在立法院备询也表示，下午可以复水。")
    assert [c.tier for c in claims] == ["anonymous", "official"]


def test_what_came_out_online_is_a_rumour(rules):
    [claims] = attribute(rules, "昨天，网上传出某咖啡店将涨价，“咖啡涨两块”。")
    assert claims[0].tier == "rumor"


def test_people_by_surname_and_place_and_a_videos_poster(rules):
    [claims] = attribute(rules, "东城王姓男子透露，房子震了一下。西城的李女士称，她没有听到。"
                         "影片发布者还配文说，“防盗门都在震动。”据某某体育发展有限公司官方公众号推文，赛事共有三万人参赛。")
    assert [c.tier for c in claims] == ["anonymous", "anonymous", "rumor", "official"]


def test_someone_online_saying_something_was_said_is_the_rumour_and_a_forum_post_too(rules):
    [claims] = attribute(rules, "近日，有网友称某县一名老师在家长群中发言，称“周末必须到校”。"
                         "网贴称，涉事车辆属于某单位。")
    assert [(c.source, c.tier) for c in claims] == [("有网友", "rumor"), ("网贴", "rumor")]


def test_some_forum_post_is_the_rumour_and_a_speakers_degree_adverb_no_part_of_them(rules):
    [claims] = attribute(rules, "近日，有网帖称，某市公交票价将上涨。"
                         "票务处处长张立很明确地告诉记者：“纯属谣传。”")
    assert [(c.source, c.tier) for c in claims] == [("有网帖", "rumor"), ("票务处处长张立", "official")]


def test_the_one_called_by_role_is_anonymous_and_by_full_name_named(rules):
    [first] = attribute(rules, "另据某网消息，记者与某院士的保健医生电话联系，对方告知，“他正在医院治疗。”")
    [second] = attribute(rules, "据某城晚报，某校学生邓启明向记者表示，他前一晚已到医院。")
    assert (first[0].tier, second[0].tier) == ("anonymous", "named")


def test_a_company_described_by_its_size_is_no_anonymous_someone(rules):
    [claims] = attribute(rules, "有七百多个雇员的连锁健身中心星河堡宣布结业。星河堡称，顾客可以免费转会。")
    assert "anonymous" not in [c.tier for c in claims]


def test_the_outlets_own_reporter_named_by_the_outlet_is_the_reporter(tmp_path):
    report = tmp_path / "report.md"
    report.write_text("---\ntitle: 某事\npublisher: 某城晚报\n---\n\n某城晚报记者注意到，信息下方还有一张图片。"
                      "南风日报记者则发现，图片是后来加上的。\n", encoding="utf-8")
    [document] = load_corpus(report).documents
    assert [c.tier for c in document.paragraphs[0].claims] == ["reporter", "named"]


def test_a_person_reached_by_the_reporter_keeps_the_title_given_then(rules):
    [_, second] = attribute(rules, "本报记者电话与星河公司驻京办事处负责人王丽小姐取得了联系。",
                            "王丽告诉记者，公司一切正常。")
    assert second[0].tier == "official"


def test_talk_said_to_spread_online_and_a_commissioner_introduced_as_an_object(rules):
    first, second = attribute(rules, "有网民借机放出消息，企图嫁祸新闻统筹专员李国华。有流言称，消息是李国华发出的。"
                              "昨日下午网上两度传出消息，称市长会到某邨落区。", "李国华昨日澄清，绝无其事。")
    assert [c.tier for c in first[1:]] == ["rumor", "rumor"] and second[0].tier == "official"


def test_two_or_more_unnamed_people_are_anonymous(rules):
    [claims] = attribute(rules, "对此，前台两名男子也表示很突然。")
    assert claims[0].tier == "anonymous"


def test_a_speaker_captioned_before_a_quotation_as_television_writes_it(rules):
    first, second = attribute(rules, "饭店业者：「这上面写的是本地啊！」"
                              "星河地检署主任检察官王明：「被告的辩词反复不一。」", "王明说：「这是第一次。」")
    assert [c.tier for c in first + second] == ["anonymous", "official", "official"]


def test_what_the_outlet_checked_with_a_body_is_the_bodys(rules):
    [claims] = attribute(rules, "记者从星河市消防部门核实了解到，当天的火灾已被扑灭。")
    assert claims[0].tier == "official"


def test_a_persons_account_reproduced_after_it_is_introduced_is_theirs(rules):
    paragraphs = attribute(rules, "王林（化名）的母亲住在一家养老院。以下是王林的口述：",
                           "我的母亲今年80岁，去年住进了这家养老院。", "后来院里通知我们，床位要收回。",
                           "记者随后联系了该养老院，截至发稿未获回复。")
    assert [p[0].tier for p in paragraphs[1:]] == ["anonymous", "anonymous", "reporter"]


def test_compound_surnames_when_someone_first_spoke_at_the_scene_and_a_connective_of_saying(rules):
    paragraphs = attribute(rules, "志愿者欧阳明远称，他早就加入了这个群。", "一名中介一开始表示，孩子是在本地出生的。",
                           "王某在现场承认，孩子是她的。", "也就是说，出生证明是买来的。")
    assert [p[0].tier for p in paragraphs] == ["named", "anonymous", "anonymous", "reporter"]


def test_the_first_person_outside_quotes_is_the_last_one_heard_not_the_outlet(rules):
    paragraphs = attribute(rules, "患者家属李女士（化名）说，医院要求他们出院。",
                           "被迫离开医院后，我就开始到处想办法。", "在我们采访的其他医院里，情况大致相同。",
                           "我们又该如何预防这种情况呢？", "张明自述，他当初报考这所学校是因为导师。")
    assert [p[0].tier for p in paragraphs] == ["anonymous", "anonymous", "reporter", "reporter", "named"]


def test_a_quotation_left_open_runs_on_only_into_a_paragraph_opening_with_a_quote(rules):
    paragraphs = attribute(rules, "餐厅负责人王丽表示：“当天客人用完餐就走了，我们当天就道歉了。",
                           "记者来到餐厅二楼，看到一扇小门通往户外。",
                           "店主李强说：“我们做了三十年。", "“从来没出过这种事。”")
    assert [c.tier for p in paragraphs for c in p] == ["official", "reporter", "named", "named"]


def test_bodies_businesses_founders_notices_and_what_a_record_shows(rules):
    paragraphs = attribute(rules, "星河巴士回覆指，车上只有司机位可以录音。", "星河巴士表示，已启用新系统。",
                           "据了解，星河巴士共有三千辆车。", "王明食堂称三文鱼是从挪威进口的。",
                           "创办人李强在朋友圈发文，称自己做了错误决策。", "李强声称破产是谣言。",
                           "当晚，星河区卫生局发出开展卫生检查工作的通知。", "有网民怀疑，巴士装设了录音设备。",
                           "图片显示，楼梯被砸、门窗破损。", "此证件显示，其真名叫王某。")
    assert [p[0].tier for p in paragraphs] == ["official", "official", "reporter", "official", "official", "official",
                                               "official", "rumor", "reporter", "reporter"]


def test_a_title_then_a_full_name_and_a_hong_kong_married_name_speak_for_themselves(rules):
    paragraphs = attribute(rules, "行政会议成员罗范椒芬，昨早在电台节目，回应听众电邮指网上流传的说法。",
                           "有少女被误导提供服务，罗范椒芬说：“这是真实个案。”", "冷冻区的商户王先生说，市场被封了。",
                           "随着复工复产，发改委的数据显示，今年用电量多了一成。")
    assert [p[0].tier for p in paragraphs] == ["named", "named", "anonymous", "official"]


def test_legislators_records_of_a_legislature_and_an_article_of_a_law(rules):
    paragraphs = attribute(rules, "公民党立法会议员、外科医生王家明认为，当局应该公开数据。",
                           "一位议员表示，会跟进此事。", "立法会文件显示，通报机制只包括两地。",
                           "星河市在2003年通过了《公共卫生应急条例》。"
                           "第24条更鼓励举报突发事件：“对举报有功的个人给予奖励。”")
    assert [c.tier for p in paragraphs for c in p] == ["named", "anonymous", "official", "reporter", "official"]


def test_a_nickname_in_quotes_after_a_quotation_is_who_said_it(rules):
    paragraphs = attribute(rules, "这名女子自称叫做“可乐”，做中介多年。",
                           "“之前将医院记错了，我太忙了。”“可乐”说，她是临时从外地过来的。",
                           "“你们小心没有错。”“可乐”说。", "“可乐”向记者打包票称，不会后悔。",
                           "“可乐”还说，这里很安全。")
    assert [len(p) for p in paragraphs[1:3]] == [1, 1]              # the quotation and who said it: one sentence
    assert [p[0].tier for p in paragraphs] == ["reporter"] + ["anonymous"] * 4


def test_a_committee_in_its_report_and_words_that_name_nobody(rules):
    paragraphs = attribute(rules, "星河区专家委员会又在报告表示，疫情已受控。",
                           "这份报告共有十章，除了指出问题，还提出了建议。")
    assert [(c.tier, c.source) for p in paragraphs for c in p] == [("official", "星河区专家委员会"),
                                                                   ("reporter", "记者")]


def test_what_the_reporter_looked_up_and_a_working_group_publishing_a_notice(rules):
    attributor = Attributor(rules, outlet="星河日报")
    claims = [attributor.claims(p)[0] for p in ("星河日报记者查询企查查发现，该研究院去年才成立。",
                                                 "当地联合工作组在周二发通报，指坠楼是个人行为。",
                                                 "调查组亦指，未发现学校有体罚学生问题。",
                                                 "有网友发现，获奖名单与网上一份名单雷同。")]
    assert [c.tier for c in claims] == ["reporter", "official", "official", "rumor"]


def test_the_outlet_citing_its_own_earlier_report_is_the_reporter(rules):
    attributor = Attributor(rules, outlet="星河新闻")
    [claims] = [attributor.claims("如星河新闻昨日的报道，鱼类感染病毒的可能性很小。")]
    assert [c.tier for c in claims] == ["reporter"]


# One sentence or paragraph of invented text per cue added from a report's first score, and the tiers its
# sentences take, in order.
@pytest.mark.parametrize(("text", "tiers"), [
    pytest.param("记者联系到某县教育局，相关科室工作人员表示，已关注到此事。"
                 "据某城晚报，经记者与店主的儿子确认，这是假消息。",
                 ["official", "named"], id="a_bodys_staff_after_the_body_contacted_and_an_outlets_account"),
    pytest.param("死者家属介绍，车从门内驶出。民众表示，“突然听到一声巨响。”"
                 "记者联系到某中学一名老师，他表示，听说过此事。树主陈先生说，“不晓得。”",
                 ["anonymous"] * 4, id="families_the_public_and_people_by_role_only_are_anonymous"),
    pytest.param("有店员指老板多次拖欠工资。某超市资深店员冯先生指出︰「维持了大概半年。」",
                 ["anonymous", "anonymous"], id="says_written_as_zhi_and_a_vertical_colon"),
    pytest.param("出租车司机刘师傅说，油价涨了。但如果真涨价，乘客会变少。不过，记者走访发现，多数司机并不担心。",
                 ["anonymous", "anonymous", "reporter"], id="an_account_goes_on_after_but"),
    pytest.param("有指受疫情影响，赞助商周转不灵。此外，据闻教练最近主动请辞。过去三个月传出球员欠薪消息。"
                 "球会秘书长李明接受本报查询，承认资金最快7月到位。",
                 ["rumor", "rumor", "rumor", "official"], id="hong_kong_it_is_said_and_answering_a_query"),
    pytest.param("还有家长在网络留言称，孩子吃了麻辣烫。"
                 "当天晚些时候，星河中学工作人员接受记者采访时表示，已确认不属于食物中毒。",
                 ["rumor", "official"], id="a_parent_posting_online_is_a_rumour_and_a_schools_staff_speak_for_it"),
    pytest.param("某安全机构研究人员约翰·史密斯表示，数据库没有加密。"
                 "更糟的是，主数据库还将数据传输给了其他数据库。"
                 "《星河市网吧管理条例》第三章第二十条规定，经营者应当登记上网者的证件。",
                 ["named", "named", "official"], id="a_foreign_name_after_a_role_and_data_transfer"),
    pytest.param("根据约翰·史密斯的猜测，有人错设了防火墙。根据他提供的截图和本人的陈述，内容多为聊天记录。",
                 ["named", "named"], id="according_to_someones_guess_or_account_is_theirs"),
    pytest.param("星河科技董事长周立昨日出席了发布会。周立表示，新品下月上市。"
                 "有网友在周立的直播间留言称，价格太高。",
                 ["reporter", "official", "rumor"], id="a_title_given_a_sentence_before_in_the_same_paragraph"),
    pytest.param("记者从星河街道办确认该楼不会拆除，但对于“强拆”一事对方表示不清楚。"
                 "星河区拆迁指挥中心向媒体回复称，房屋已依法征收。星河市消防给出的消息称，火灾系电线老化引起。",
                 ["official"] * 3, id="learned_from_a_body_and_bodies_answering_the_media"),
    pytest.param("记者走访了该村。在死者亲属的眼里，他是个好人。据家属转述，当时导师不在场。村民怒控，臭味让人无法入睡。",
                 ["reporter"] + ["anonymous"] * 3, id="in_someones_eyes_relayed_and_angry_complaints"),
    pytest.param("星河国总理周立昨日主持召开座谈会。周立说，出口有所回稳。星河市政府网公告，会上，各部门汇报了情况。"
                 "星河商场最新在网站发公告，指新店下月开业。",
                 ["reporter", "official", "official", "official"],
                 id="a_head_of_government_named_bare_later_and_a_body_announcing"),
    pytest.param("网友周丽华接受记者采访时说道，她已实名举报。周丽华在网络发帖称，班主任让女儿顶替了她。"
                 "还有家长在网络留言称，孩子吃了麻辣烫。",
                 ["named", "named", "rumor"], id="a_netizen_named_in_full_and_her_own_post"),
    pytest.param("星河警方提示:出门时，请锁好门窗。（文中当事人为化名）",
                 ["official", "reporter"], id="a_police_notice_after_a_colon_and_the_outlets_note_in_brackets"),
    pytest.param("星河区检察院的《不起诉决定书》显示，两人系自愿。星河市人民医院的急诊病历显示，患者当晚入院。"
                 "《星河隐私保护指引》也写道，数据会被加密。据公开资料显示，该公司2016年中标。",
                 ["official"] * 4, id="documents_and_records_of_a_body_and_public_records"),
    pytest.param("星河医管局就事件回覆指，医院十分关注事件。检方调查后发现，包装是伪造的。"
                 "星河铁路公关林小明指出，列车须准点。星河区城管局执法队表示，已责令整改。"
                 "据星河市政府服务平台，该公司成立于2015年。",
                 ["official"] * 5, id="a_body_answering_about_a_matter_its_press_officer_and_its_field_team"),
    pytest.param("而据《刑事申诉结果通知书》，两人当晚见过面。根据星河巴士的《车厢录像使用政策》，录像保存14天。"
                 "据《星河日报》，事发当晚有雨。",
                 ["official", "official", "named"], id="according_to_a_bodys_document_in_brackets_not_an_outlet"),
    pytest.param("星河小学的家长表明不接受说法。对此，王女士哭诉：“我不想再等了。”有媒体披露，两年内查出200人。"
                 "外界估计，欠款多达27亿元。",
                 ["anonymous"] * 4, id="stating_crying_out_disclosing_and_the_outside_world_estimating"),
    pytest.param("根据报道，星河大桥于1984年动工。聊天记录显示，他回答“我们去”。当局有没有向市民说出所知详情？",
                 ["reporter"] * 3, id="according_to_reports_chat_records_and_the_outlets_own_question"),
    pytest.param("12月5日上午，记者再次联系星河区住建局，一名工作人员表示目前已成立调查组。",
                 ["official"], id="one_of_the_staff_of_the_body_called_in_the_clause_before"),
    pytest.param("（星河中文网）多家港媒周二早上报导，法案已获通过。星河阵线发言人王明表示，不会离开。"
                 "据港媒援引王明称，他没有改变立场。根据2013年原卫计委颁布的《星河报告管理办法（试行）》，需实行报告。",
                 ["anonymous", "official", "official", "official"],
                 id="a_credit_in_brackets_unnamed_media_one_outlet_quoting_someone_and_a_trial_regulation"),
    pytest.param("（东方通讯社）据某国军方周二（6月16日）发布消息，边境冲突中有3名军人丧生。"
                 "据东湖消防处26日晚发布会消息，已出动12辆消防车。根据公司注册处查册，该公司在去年成立。",
                 ["official"] * 3, id="news_a_body_released_and_its_records_are_on_record"),
    pytest.param("东湖消防处重申，现场最初有10名伤者。"
                 "专家证人王林其间几度重申，不能单凭医学证据断定自残。议员李明谴责，警方处理失当。",
                 ["official", "named", "named"], id="restating_and_condemning_are_speech"),
    pytest.param("仰光市民Nann指，工人一直不满。", ["named"], id="a_name_in_latin_letters_after_a_role_is_named"),
    pytest.param("星河保安局局长周立表示，不会提供协助。星河消防处高级助理救护总长林安指，现场有10名伤者。"
                 "商场保安说，当晚没有人进出。",
                 ["official", "official", "anonymous"], id="a_security_bureau_and_a_chief_are_no_guard"),
    pytest.param("星河高等法院法官张慧玲今裁定上诉得直。张官认为，片段不支持证人的说法。裁判官指，案情严重。",
                 ["reporter", "official", "official"], id="a_judge_by_surname_as_hong_kong_courts_are_reported"),
    pytest.param("星河日报曾向星河路政署查询，惟星河路政署初时指，工程不属香港段。", ["official"],
                 id="but_written_wei_and_at_first_are_not_who_speaks"),
    pytest.param("星河巴士雇员工会主席林小明表示，屏幕只能看上层车厢。", ["official"],
                 id="an_employees_union_is_a_body_not_an_unnamed_employee"),
])
def test_a_general_cue_places_the_sentences_of_an_invented_text(rules, text: str, tiers: list[str]) -> None:
    [claims] = attribute(rules, text)
    assert [c.tier for c in claims] == tiers


def test_a_body_announcing_after_a_long_opening_clause_and_who_only_seems_to_announce(rules):
    [on_record] = attribute(rules, "抢救持续至当晚23时20分，星河医院宣告伤者死亡。"
                            "星河市卫健委对外发布，当天3时起，批发市场暂时休市。"
                            "监管风暴下，总部位于上海的星河教育周二宣布暂停营业。")
    assert [c.tier for c in on_record] == ["official", "official", "official"]
    [narrated] = attribute(rules, "没有任何人宣布为此负责。在区政府公布调查结果后，数十名家属来到涉事企业。"
                           "3月5日，李某带齐所有医院要求的材料前往门诊。这是继两家快餐店之后，又一咖啡品牌于今年宣布调价。")
    assert [c.tier for c in narrated] == ["reporter"] * 4


def test_what_someone_noticed_or_criticised_is_their_account(rules):
    [claims] = attribute(rules, "在高中时代，王立平察觉到，自己的记忆力与同龄人存在明显差异。"
                         "有知情人士批评，此事上公司高层各有责任。")
    assert [(c.source, c.tier) for c in claims] == [("王立平", "named"), ("有知情人士", "anonymous")]


def test_a_post_the_reporter_came_across_is_the_posts(rules):
    [quoted] = attribute(rules, "近日，记者在一微博网站上看到这样一条消息：“听说市里要调高公交票价。”"
                         "此帖一出，引来很多网民跟帖。")
    [told] = attribute(rules, "记者在某论坛看到一则帖子称，该校将于下月停课。")
    assert [(c.source, c.tier) for c in quoted] == [("一条消息", "rumor"), ("记者", "reporter")]
    assert [(c.source, c.tier) for c in told] == [("一则帖子", "rumor")]


def test_a_turn_or_what_the_speaker_heard_or_looked_up_first_is_not_their_label(rules):
    [claims] = attribute(rules, "星河县环境局局长窦立却称没必要检测河水。一位文化界人士听到此事时表示，很意外。"
                         "星河殡仪馆工作人员查询记录后称，确有此人。")
    assert [c.source for c in claims] == ["星河县环境局局长窦立", "一位文化界人士", "星河殡仪馆工作人员"]


def test_he_describes_goes_on_with_the_account_of_the_paragraphs_before(rules):
    claims = attribute(rules, "议员王建国在会后表示，河水污染已经持续三年。", "他又指，工厂的排污口就在河边。",
                       "他形容，河水比墨汁还黑。")
    assert [(c.source, c.tier) for [c] in claims] == [("议员王建国", "named")] * 3
