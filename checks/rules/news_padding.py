"""news-padding 以动态信息充数.

What:
    A unit whose recent publishing is mostly news: of its items dated in the last
    `window_days` days, a share above `news_share_ratio` are news (工作动态, 图片新闻, 领导活动,
    部门动态, 乡镇动态: meetings, visits, campaigns) rather than documents, data, plans,
    enforcement and results (文件, 通知, 公告, 办法, 数据, 统计, 规划, 处罚, 结果 ...). Each item is
    classified (checks.recent.classify) by its title first: a title in a document's form (关于…的
    通知, 《…》, 〔2026〕) goes by its cue words; a title with a news cue (召开, 调研, 开展 ...) is
    news; then other title cues; then its column (a news category or name is news, a notice
    column is a document). Items count once per unit (by URL, and a portal catalog copy's item
    not again beside the platform column it copies: checks.mirrors); only list columns assessed
    in this run. A unit with fewer than `min_items` recent items, a site not assessed or a
    column that failed or was cut short in this run is not judged. Evidence: the counts per
    class, the columns the news came from and a sample of each side, so a supervisor can check
    the classification.
Why:
    《政府信息公开条例》（国务院令第711号）第十九条、第二十条 ask for the information that concerns
    the public's interests (policies, plans, budgets, enforcement, results); 国办秘函〔2019〕19号
    《政府网站与政务新媒体检查指标》 judges 信息发布 by substance, and the city's assessment names
    units that 以动态信息滥竽充数. First threshold: over 70% news over 90 days (rules.md).
How to fix:
    Publish the statutory information itself in the disclosure catalog (policy documents with
    their 解读, plans, budgets, 双随机 and enforcement results, statistics) rather than reports
    of meetings and activities; keep 工作动态 to the news column.
Options:
    window_days: the days counted back from the run's date, today included (90).
    news_share_ratio: fires when news items are more than this share of the recent items (0.7).
    min_items: recent items a unit needs before its mix is judged (20).
    sample_items: news and non-news items each listed in the evidence (5).
    news_title_cues: words that make a title news (召开, 会议, 调研, 开展, 图片新闻 ...).
    document_title_cues: each substance class's title words, tried in the order enforcement,
        result, data, plan, document (处罚, 结果, 统计, 规划, 通知 ...). A configured list (also
        per unit) replaces the shipped one; a class left out has no title cues.
"""

from __future__ import annotations

from collections import Counter

from checks.context import Context
from checks.recent import CLASS_ZH, CLASSES, Cues, classify, default_cues, recent_items, since
from checks.registry import Hit, Rule, register


@register
class NewsPadding(Rule):
    code = "news-padding"
    title_zh = "以动态信息充数"
    title_en = "News padding"
    severity = "warn"
    scope = "unit"
    regulation = "《政府信息公开条例》（国务院令第711号）第十九条、第二十条；国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"
    fix = "在政府信息公开目录中发布政策文件及解读、规划计划、财政预决算、执法监管和结果、统计数据等实质性信息，不以工作动态代替法定公开内容。"
    message = (
        "近{days}天发布信息{count}条，其中动态信息{news}条，占{share}%"
        "（超过{limit}%）；其余为{others}"
    )

    def assessed_sql(self) -> str:
        return "f.unit_id IN (SELECT unit_id FROM zc_news_padding_judged)"

    def evaluate(self, ctx: Context) -> list[Hit]:
        judged: list[str] = []
        hits: list[Hit] = []
        for u in ctx.units:
            if not ctx.config.enabled(self.code, u.code):
                continue
            o = ctx.options(self.code, u.code)
            window = int(o["window_days"])
            me = recent_items(ctx, window).get(u.code)
            if me is None or len(me.items) < o["min_items"]:
                continue
            judged.append(u.code)
            cues = Cues.of(o)
            if cues != default_cues():  # the unit's own cue words: classify its items again
                cls = [classify(i.title, i.column_name, i.category, cues) for i in me.items]
            else:
                cls = [i.cls for i in me.items]
            items = list(zip(me.items, cls, strict=True))
            counts = Counter(cls)
            total, news = len(me.items), counts["news"]
            share = news / total
            if share <= o["news_share_ratio"]:
                continue
            n = int(o["sample_items"])
            by_col = Counter(i.column_name for i, c in items if c == "news")
            top = by_col.most_common(1)
            top_url = next(
                (i.column_url for i, _ in items if top and i.column_name == top[0][0]), None
            )
            listed = [f"{CLASS_ZH[c]} {counts[c]}" for c in CLASSES if counts[c]]
            others = "、".join(
                f"{CLASS_ZH[c]}{counts[c]}条" for c in CLASSES if c != "news" and counts[c]
            )
            hits.append(
                Hit(
                    unit_id=u.code,
                    site_id=me.disclosure_site_id,
                    summary=self.render(
                        days=window,
                        count=total,
                        news=news,
                        share=f"{share * 100:.1f}",
                        limit=f"{o['news_share_ratio'] * 100:g}",
                        others=others or "无",
                    ),
                    evidence={
                        "period_days": window,
                        "since": since(ctx, window),
                        "item_count": total,
                        "news_count": news,
                        "news_share": round(share, 4),
                        "news_share_ratio": o["news_share_ratio"],
                        "class_counts": listed,
                        "news_column_url": top_url,
                        "news_columns": [
                            f"{name} {k}" for name, k in by_col.most_common(8) if name
                        ],
                        "news_sample": [
                            f"{i.pub_date} {i.title}（{i.column_name}）"
                            for i, c in items
                            if c == "news"
                        ][:n],
                        "other_sample": [
                            f"【{CLASS_ZH[c]}】{i.pub_date} {i.title}（{i.column_name}）"
                            for i, c in items
                            if c != "news"
                        ][:n],
                    },
                )
            )
        ctx.db.execute("DROP TABLE IF EXISTS temp.zc_news_padding_judged")
        ctx.db.execute("CREATE TEMP TABLE zc_news_padding_judged (unit_id TEXT PRIMARY KEY)")
        ctx.db.conn.executemany(
            "INSERT INTO zc_news_padding_judged VALUES (?)", [(u,) for u in judged]
        )
        return hits
