"""Titles, 索引号 and 文号 for generated items (deterministic given an rng)."""

from __future__ import annotations

import random
from datetime import date

NEWS_T = [
    "{u}召开{t}工作推进会",
    "{u}开展{t}专项行动",
    "{u}部署{t}工作",
    "{u}{t}工作取得新进展",
    "市领导到{u}调研{t}工作",
    "{u}举办{t}业务培训班",
    "{u}召开{t}工作座谈会",
]
NEWS_TOPICS = [
    "安全生产",
    "防汛抗旱",
    "秋冬季森林防火",
    "营商环境优化",
    "乡村振兴",
    "文明城市创建",
    "招商引资",
    "民生实事",
    "生态环境保护",
    "河长制",
    "耕地保护",
    "消防安全",
    "燃气安全",
    "根治欠薪",
    "政务服务",
    "数字政府建设",
    "食品安全",
    "校园安全",
    "就业帮扶",
    "养老服务",
    "老旧小区改造",
    "社区治理",
    "隐患排查",
    "道路交通安全",
    "文化惠民",
    "全民健身",
    "科技创新",
    "重点项目建设",
    "信访工作",
    "人居环境整治",
    "秸秆禁烧",
    "防范电信诈骗",
    "人口普查",
    "双拥共建",
    "禁毒宣传",
]
NOTICE_T = [
    "关于{t}的通知",
    "关于做好{t}工作的通知",
    # a cover notice issuing a 工作要点, not a policy: interpretation-missing judges only the
    # policies planted for it (generate.py `policies`), so no generated title may read as one
    "关于印发《{t}工作要点》的通知",
    "关于{t}的公示",
    "关于开展{t}的公告",
    "关于{t}有关事项的通知",
]
NOTICE_TOPICS = [
    "2026年度高温津贴发放",
    "城乡居民医疗保险集中参保",
    "冬季清洁取暖补贴申报",
    "优化营商环境专项督查",
    "农村危房改造",
    "困难群众救助资金发放",
    "政府购买服务目录调整",
    "安全生产大检查",
    "公共租赁住房配租",
    "耕地地力保护补贴",
    "城市道路临时占用管理",
    "工程建设项目审批改革",
    "惠企政策兑现",
    "重大行政决策事项目录",
    "行政规范性文件清理",
    "市场主体信用修复",
    "不动产登记便民服务",
    "残疾人两项补贴",
    "社会救助家庭经济状况核对",
    "退役军人优待",
    "义务教育招生入学",
    "水利工程建设管理",
    "林长制工作",
    "公共资源交易管理",
]
PERIODIC_T = ["{u}{y}年{t}", "{y}年{u}{t}", "{u}关于{y}年{t}的报告"]
PERIODIC_TOPICS = [
    "部门预算公开",
    "部门决算公开",
    "“三公”经费预算",
    "国民经济和社会发展统计公报",
    "人事任免信息",
    "公开招聘工作人员",
    "重点项目建设情况",
    "专项规划编制",
    "领导班子分工",
    "机构职能调整",
    "财政预算执行情况",
    "政府债务情况",
    "统计数据发布",
    "固定资产投资情况",
    "事业单位公开招聘",
    "年度工作计划",
    "十五五规划纲要",
    "财政收支情况",
    "重大建设项目批准和实施",
]
SYSTEM_TOPICS = ["保密审查", "发布协调", "考核评议", "工作责任", "主动公开", "依申请公开办理"]


def _unique(rng: random.Random, used: set[str], make) -> str:
    for _ in range(60):
        t = make()
        if t not in used:
            used.add(t)
            return t
    k = 2
    base = make()
    while f"{base}（{k}）" in used:
        k += 1
    used.add(f"{base}（{k}）")
    return f"{base}（{k}）"


def title(
    rng: random.Random, used: set[str], category: str, short: str, d: date | None, section: str = ""
) -> str:
    y = (d or date(2026, 1, 1)).year
    if section == "guide":
        return _unique(rng, used, lambda: f"{short}政府信息公开指南（{y}年修订）")
    if section == "system":
        return _unique(rng, used, lambda: f"{short}政府信息公开{rng.choice(SYSTEM_TOPICS)}制度")
    if section == "annual":
        return _unique(rng, used, lambda: f"{short}{y - 1}年政府信息公开工作年度报告")
    if category == "news":
        return _unique(
            rng, used, lambda: rng.choice(NEWS_T).format(u=short, t=rng.choice(NEWS_TOPICS))
        )
    if category == "notice":
        return _unique(rng, used, lambda: rng.choice(NOTICE_T).format(t=rng.choice(NOTICE_TOPICS)))
    return _unique(
        rng,
        used,
        lambda: rng.choice(PERIODIC_T).format(u=short, y=y, t=rng.choice(PERIODIC_TOPICS)),
    )


def index_no(fmt: str, org: str, year: int, serial: int) -> str:
    """The three 索引号 formats seen (cms.md §3.1)."""
    if fmt == "usc18":
        return f"{org}/{year}-{serial:05d}"
    if fmt == "org10":
        return f"{org}/{year}-{serial:07d}"
    return f"{org}/{year}-{serial:05d}"


def doc_no(rng: random.Random, prefix: str, year: int, k: int) -> str:
    """文号 with 〔〕 mostly, and the odd spacing and bracket substitutes of real sites."""
    style = rng.random()
    if style < 0.6:
        return f"{prefix}〔{year}〕{k}号"
    if style < 0.75:
        return f"{prefix}〔{year}〕{k} 号"
    if style < 0.85:
        return f"{prefix}[{year}]{k}号"
    if style < 0.93:
        return f"{prefix}（{year}）{k}号"
    return f"{prefix}【{year}】{k}号"
