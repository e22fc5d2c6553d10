"""Measure words: the count a question asks, and whether a text gives it (invented sentences only)."""

from index.clauses import valued
from index.measures import asked_measure, gives_count


def test_the_measure_word_a_question_counts_with():
    assert asked_measure("仓库里有几辆叉车") == "辆"
    assert asked_measure("会上来了多少名代表") == "名"
    assert asked_measure("他今年几岁") == "岁"
    assert asked_measure("那位老师今年多大") == "岁"
    assert asked_measure("公园里有几个喷泉") == "个"


def test_no_count_asked():
    assert asked_measure("门票多少钱") is None          # a sum: the money kind says that
    assert asked_measure("湖面有多大") is None          # a size, not an age
    assert asked_measure("哪几个城市参加了") is None     # which ones, not how many
    assert asked_measure("会议在哪里开") is None


def test_a_count_given_with_the_measure_word_or_one_of_its_kind():
    assert gives_count("辆", valued("现场停着三辆叉车"))
    assert gives_count("名", valued("共有12人到场"))         # people: 人 answers 名
    assert gives_count("宗", valued("新增5例"))              # cases
    assert gives_count("台", valued("已交付两百辆"))         # vehicles: 辆 answers 台
    assert gives_count("个", valued("园内有四座喷泉"))       # the general one: any measure word
    assert gives_count("岁", valued("现年45岁的店主"))
    assert gives_count("只", valued("笼子里有数只兔子"))


def test_no_count_given():
    assert not gives_count("辆", valued("叉车停在仓库门口"))
    assert not gives_count("名", valued("代表们陆续到场"))
    assert not gives_count("岁", valued("店主在这条街开店多年"))
