"""Questions about the report itself: which outlet published it, who wrote it, when it came out.

"这篇报道是哪家媒体的", "记者是谁", "这篇文章是哪天发的" ask for what a report's header
says (its publisher, author and date: index.corpus.Document), not for anything
its paragraphs say, so no paragraph holds their words and the decision would
decline them.  They are answered from the header instead, citing the report's
first paragraph, as the outlet's own statement.  Facts of Chinese questions and
of news reports, not of any one report.
"""

from __future__ import annotations

import re

# The report itself, as a reader names it: opening the question, or pointed at (这篇报道; not 扬子晚报那篇报道).
_REPORT = r"(?:^|这篇|该篇?|本篇?|此篇?|这个|这条)(?:报道|文章|稿子|新闻稿|稿件|新闻)"
_OUTLET = r"(?:媒体|报纸|报社|网站|刊物|杂志|电视台|新闻机构)"
_ASKS = {
    "publisher": re.compile(rf"(?:{_REPORT}|^记者).{{0,6}}?(?:哪家|哪个|什么|哪一家){_OUTLET}|"
                            r"(?:哪家|哪个)(?:媒体|报纸|报社|网站)的(?:报道|文章|记者)"),
    "author": re.compile(rf"(?:{_REPORT}.{{0,4}}?(?:作者|记者)|^(?:记者|作者)).{{0,4}}?"
                         r"(?:是谁|有谁|叫什么|名字|是哪[一两几]?位|姓什么)|(?:谁|哪[一两几]?位记者)(?:写|采写|撰写)(?:了|的)"),
    "published": re.compile(rf"{_REPORT}.{{0,4}}?(?:什么时候|哪天|何时|哪一天|几号|哪年|几月)"
                            r"(?:发|发表|刊发|发布|刊登|写)"),
}


def asked_of_report(normalized: str) -> str | None:
    """Which field of the report's header a normalised question asks for ("publisher", "author", "published"),
    or None for a question about what the report says."""
    return next((field for field, pattern in _ASKS.items() if pattern.search(normalized)), None)
