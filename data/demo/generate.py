#!/usr/bin/env python3
"""Regenerates xcdash's offline demo set (data/demo/) from data/companies.json.

    python3 data/demo/generate.py            # writes beside this script

xcdash never runs this; it reads the files it writes through the normal fetch
pipeline (file:// URLs) when started with --demo. Everything here is invented
demo content in the exact shapes of the real sources (see
/work/shared/reference/sources.md): every headline ends with "（演示）" or
"[demo]", every link is https://example.com/demo/..., every price is a demo
number. Output is deterministic (fixed seed), so a regeneration diff shows only
what changed in this script or in data/companies.json.

What it writes:
  sources.json                    the demo source list (ids demo-*, relative urls)
  feeds/*.xml, feeds/*.atom       news feeds: RSS 2.0 UTF-8 (Google News shape),
                                  RSS 2.0 GBK, RSS 2.0 UTF-16LE with BOM, RSS 1.0/RDF,
                                  Atom 1.0 (GitHub releases shape), RSS 2.0 with
                                  HTML/CDATA/entities
  hf/<org>.json                   Hugging Face /api/models listings
  quotes/quotes-0..9.json         East Money ulist.np snapshots (fltt=2), played in
                                  turn through the {step} placeholder
  kline/<secid>.json              East Money daily bars, 120 sessions per listing
"""
import datetime as dt
import hashlib
import json
import math
import os
import random
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CST = dt.timezone(dt.timedelta(hours=8))
ET = dt.timezone(dt.timedelta(hours=-5))  # New York in late November (EST)
# The demo's "now": the set describes the ten days before this instant.
DEMO_END = dt.datetime(2026, 11, 28, 0, 0, tzinfo=CST)
SESSION = dt.date(2026, 11, 27)  # the Friday the quote snapshots come from
DATA_VERSION = "2026-11-28.1"
BASE = "https://example.com/demo"


def rng_for(*key):
    """A random generator seeded by key, so each piece is stable on its own."""
    h = hashlib.sha256("/".join(map(str, key)).encode()).digest()
    return random.Random(int.from_bytes(h[:8], "big"))


def write(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_json(rel, obj, indent=None):
    text = json.dumps(obj, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":"))
    write(rel, (text + ("\n" if indent else "")).encode("utf-8"))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def rfc822(t):
    return t.strftime("%a, %d %b %Y %H:%M:%S %z")


def rfc3339(t):
    return t.isoformat(timespec="seconds")


def item_times(feed_id, n):
    """n publication times, newest first, spread over the ten days before DEMO_END."""
    r = rng_for("times", feed_id)
    span = dt.timedelta(days=10) - dt.timedelta(hours=2)
    out = []
    for i in range(n):
        t = DEMO_END - dt.timedelta(hours=1) - span * i / n - dt.timedelta(minutes=r.randint(0, 150))
        out.append(t.replace(second=r.randint(0, 59), microsecond=0))
    out.sort(reverse=True)
    return out


def zh_summary(title):
    core = title.replace("（演示）", "")
    return f"演示内容：{core}。本条为 xcdash 演示数据生成的虚构消息，并非真实报道。"


def en_summary(title):
    core = title.replace(" [demo]", "")
    return f"Demo content: {core}. Invented by the xcdash demo set; not a real news report."


# ---------------------------------------------------------------------------
# News feeds
# ---------------------------------------------------------------------------

GPU_ZH = [
    "寒武纪发布新一代思元590加速卡软件栈更新（演示）",
    "寒武纪召开2026年第三季度业绩说明会（演示）",
    "海光信息深算二号DCU完成多款大模型适配（演示）",
    "摩尔线程发布MUSA SDK新版本，夸娥集群扩容（演示）",
    "沐曦股份曦云系列GPU推出新版驱动（演示）",
    "壁仞科技BR104推理卡进入行业客户测试（演示）",
    "天数智芯天垓系列新品亮相开发者大会（演示）",
    "燧原科技云燧训练卡与合作伙伴完成兼容性测试（演示）",
    "昆仑芯P800集群在百度智能云上线新规格（演示）",
    "景嘉微披露投资者关系活动记录表（演示）",
    "芯原股份发布AI加速IP授权新方案（演示）",
    "中芯国际举办年度技术研讨会（演示）",
    "国产GPU厂商集中亮相智算产业展会：寒武纪、摩尔线程、沐曦参展（演示）",
    "平头哥含光800推理服务在阿里云新增可用区（演示）",
    "寒武纪思元系列与DeepSeek-V3.2完成推理适配（演示）",
    "海光DCU软件生态大会在天津举行（演示）",
    "摩尔线程MTT S4000获多家智算中心采用（演示）",
    "沐曦与浪潮信息签署服务器联合开发协议（演示）",
    "壁仞科技发布BR100系列固件升级说明（演示）",
    "燧原邃思芯片编译器工具链开源（演示）",
    "天数智芯智铠推理卡支持通义千问Qwen3系列模型（演示）",
    "景嘉微新款图形处理芯片完成流片（演示）",
    "寒武纪MLU370开发者社区发布迁移指南（演示）",
    "昆仑芯举办开发者沙龙，介绍新一代芯片规划（演示）",
    "国产AI芯片板块周报：寒武纪、海光信息成交活跃（演示）",
    "摩尔线程与智谱开展GLM-4.6推理优化合作（演示）",
    "沐曦曦思推理卡通过行业信创适配测试（演示）",
    "芯原股份与多家GPU初创公司签署IP合作（演示）",
    "中芯国际公布2026年第三季度业绩说明会安排（演示）",
    "寒武纪思元590在互联网客户处批量部署（演示）",
]

EN_NEWS = [
    "Cambricon unveils updated MLU590 software stack for data-centre customers [demo]",
    "Hygon expands DCU ecosystem with new partner programme [demo]",
    "Moore Threads ships MUSA SDK update and larger KUAE clusters [demo]",
    "MetaX launches new driver release for its GPUs [demo]",
    "Biren Technology begins customer trials of BR104 inference card [demo]",
    "Huawei details Ascend 910C cluster roadmap at partner summit [demo]",
    "Huawei CloudMatrix deployments reach more provinces, company says [demo]",
    "Loongson presents 3A6000 desktop platform refresh [demo]",
    "Loongson 3C6000 server boards certified by partners [demo]",
    "Phytium introduces firmware update for S2500 servers [demo]",
    "Zhaoxin shows KX-7000 desktop reference design [demo]",
    "Sugon opens new intelligent computing centre in western China [demo]",
    "Inspur releases AI server line with domestic accelerators [demo]",
    "UCloud adds GPU rental plans in Ulanqab region [demo]",
    "Range Intelligent signs long-term compute leasing agreement [demo]",
    "DeepSeek publishes DeepSeek-V3.2 technical notes [demo]",
    "Alibaba's Qwen3 family adds new coder checkpoints [demo]",
    "Zhipu releases GLM-4.6 update with longer context [demo]",
    "Moonshot AI opens Kimi K2 Thinking API to more developers [demo]",
    "MiniMax-M2 gains support in popular inference engines [demo]",
    "Baidu updates ERNIE models on its AI cloud [demo]",
    "Tencent Hunyuan team open-sources a new image model [demo]",
    "ByteDance's Doubao adds multimodal features [demo]",
    "iFlytek holds annual developer conference in Hefei [demo]",
    "SenseTime introduces SenseNova upgrade for enterprises [demo]",
    "Innolight showcases 1.6T optical modules for AI clusters [demo]",
    "Envicool presents liquid cooling systems for AI racks [demo]",
    "SMIC hosts annual technology symposium [demo]",
]

CPU_RDF = [
    "龙芯中科发布龙芯3A6000桌面平台新固件（演示）",
    "龙芯3C6000服务器主板通过多家整机厂商测试（演示）",
    "LoongArch工具链发布新版本，龙芯生态应用数量持续增长（演示）",
    "海光CPU新一代产品亮相服务器合作伙伴大会（演示）",
    "飞腾腾云S2500服务器固件更新发布（演示）",
    "飞腾信息举办生态伙伴大会（演示）",
    "兆芯KX-7000台式机参考设计发布（演示）",
    "兆芯与多家整机厂商联合发布新款信创终端（演示）",
    "华为鲲鹏开发者大会发布新版本开发套件（演示）",
    "鲲鹏原生应用开发大赛启动报名（演示）",
    "申威处理器在科研计算领域新增应用案例（演示）",
    "中国长城发布新款国产化服务器（演示）",
    "海光信息与中科曙光联合发布服务器新品（演示）",
    "Loongson releases 3A6000 firmware update for desktop boards [demo]",
    "Phytium S2500 servers pass interoperability tests [demo]",
    "Kunpeng developer kit adds new compiler optimisations [demo]",
    "Hygon C86 servers gain support in a Linux distribution release [demo]",
    "龙芯中科召开2026年第三季度业绩说明会（演示）",
    "飞腾D2000笔记本平台新增适配机型（演示）",
    "兆芯开先系列处理器完成操作系统兼容性测试（演示）",
    "华为海思发布鲲鹏服务器主板参考设计（演示）",
    "龙芯LoongArch架构进入更多开源发行版（演示）",
    "信创整机厂商集中展示龙芯、飞腾、海光CPU平台（演示）",
    "申威SW26010相关软件生态文档更新（演示）",
    "中国长城举办信创生态合作伙伴大会（演示）",
    "龙芯3A5000平台驱动更新，支持更多外设（演示）",
]

# The GBK feed's column name "【信创早班车】" appears in no other feed: tests search for it.
ASCEND_GBK = [
    "【信创早班车】华为昇腾910C集群在多地智算中心上线（演示）",
    "华为发布CANN新版本，昇腾开发者工具链升级（演示）",
    "昇思MindSpore发布新版本，支持更多大模型训练（演示）",
    "拓维信息兆瀚服务器新品发布（演示）",
    "神州数码神州鲲泰发布昇腾AI服务器新机型（演示）",
    "高新发展参加昇腾合作伙伴大会（演示）",
    "四川长虹展示昇腾AI服务器产品（演示）",
    "烽火通信发布智算中心网络解决方案（演示）",
    "软通动力与华为签署昇腾生态合作协议（演示）",
    "华胜天成参与昇腾行业解决方案发布（演示）",
    "华丰科技高速连接器产品亮相昇腾生态展区（演示）",
    "光迅科技展示面向智算集群的高速光模块（演示）",
    "中际旭创发布1.6T光模块新品（演示）",
    "深南电路介绍AI服务器PCB产品进展（演示）",
    "英维克液冷方案应用于昇腾智算中心（演示）",
    "通富微电举办先进封装技术交流会（演示）",
    "【信创早班车】Atlas 800推理服务器新增多个行业案例（演示）",
    "华为CloudMatrix超节点发布新配置（演示）",
    "昇腾950系列芯片路线图在开发者大会上介绍（演示）",
    "华鲲振宇发布昇腾服务器新品（演示）",
    "长江计算推出基于鲲鹏与昇腾的整机产品（演示）",
    "【信创早班车】盘古大模型在昇腾平台完成新版本训练（演示）",
    "昇腾AI产业创新联盟举行年度会议（演示）",
    "华为Atlas 900集群助力科研机构大模型训练（演示）",
    "拓维信息召开投资者交流会，介绍昇腾业务进展（演示）",
    "昇腾910B推理性能优化指南发布（演示）",
    "【信创早班车】深南电路、英维克等昇腾产业链公司参加联合路演（演示）",
    "神州数码与合作伙伴签署智算中心合作协议（演示）",
]
ASCEND_GBK_MARKER_TITLE = ASCEND_GBK[0]

# The UTF-16 feed's column name "【算力夜话】" appears in no other feed: tests search for it.
LEASING_UTF16 = [
    "【算力夜话】中科曙光新建智算中心投入运营（演示）",
    "浪潮信息发布新一代AI服务器（演示）",
    "首都在线上线新一批GPU云主机规格（演示）",
    "润建股份签署算力租赁服务合同（演示）",
    "鸿博股份旗下英博数科扩容智算集群（演示）",
    "优刻得乌兰察布智算中心新增机柜上线（演示）",
    "青云科技发布AI算力云平台新版本（演示）",
    "光环新网数据中心新增高功率机柜（演示）",
    "奥飞数据发布智算中心项目进展公告（演示）",
    "润泽科技廊坊园区新一期交付（演示）",
    "协创数据签署算力服务框架协议（演示）",
    "利通电子算力租赁业务新增客户（演示）",
    "【算力夜话】算力租赁需求观察：国产卡与进口卡租用情况（演示）",
    "中科曙光发布液冷服务器新品（演示）",
    "浪潮信息与多家大模型企业开展联合优化（演示）",
    "首都在线上线DeepSeek-V3.2推理服务（演示）",
    "优刻得上线通义千问Qwen3与GLM-4.6模型推理服务（演示）",
    "青云科技举办算力调度平台发布会（演示）",
    "【算力夜话】智算中心建设进度跟踪：华北、西南新项目（演示）",
    "润泽科技与互联网客户签署长期合作协议（演示）",
    "光环新网召开投资者关系活动（演示）",
    "中科曙光海光DCU算力服务开放试用（演示）",
    "浪潮信息服务器适配昇腾与寒武纪加速卡（演示）",
    "协创数据智算服务器交付新批次（演示）",
    "【算力夜话】算力租赁行业一周要闻回顾（演示）",
    "奥飞数据与合作伙伴共建算力调度平台（演示）",
]
LEASING_UTF16_MARKER_TITLE = LEASING_UTF16[0]

# RSS with HTML: titles are given as raw XML (entities and character references on
# purpose); the parsed title is what the comment says.
MODELS_HTML = [
    "DeepSeek-V3.2正式版上线，API价格调整说明（演示）",
    "通义千问Qwen3系列新增多模态模型（演示）",
    "智谱发布GLM-4.6更新，开放API与开源权重（演示）",
    "月之暗面Kimi K2 Thinking开放更多开发者调用（演示）",
    "MiniMax-M2在开源社区获得多个推理框架支持（演示）",
    "百度文心大模型新版本发布（演示）",
    "腾讯混元开源新一代图像生成模型（演示）",
    "字节跳动豆包大模型新增视频理解能力（演示）",
    "讯飞星火新版本发布会在合肥举行（演示）",
    "商汤日日新大模型升级，面向企业客户开放（演示）",
    "昆仑万维天工AI发布新功能（演示）",
    "阶跃星辰Step系列模型更新（演示）",
    "美团LongCat新模型开源（演示）",
    "百川智能发布医疗大模型新版本（演示）",
    "零一万物Yi-Lightning推理服务价格调整（演示）",
    "华为盘古大模型新版本亮相开发者大会（演示）",
    "寒武纪 &amp; 智谱联合优化GLM推理（演示）",  # → 寒武纪 & 智谱…
    "&#26119;腾 + DeepSeek：&#x6607;腾910C上的V3.2推理实践（演示）",  # → 昇腾 + DeepSeek：昇腾910C…
    "&#8220;国产算力 &lt;&gt; 国产模型&#8221;：适配清单更新（演示）",  # → “国产算力 <> 国产模型”…
    "阿里云百炼平台上线Qwen3-Coder新版本（演示）",
    "Kimi K2与MiniMax-M2推理成本对比实测（演示）",
    "智谱清言App新增智能体功能（演示）",
    "DeepSeek开源推理框架组件更新（演示）",
    "海螺AI视频生成模型升级（演示）",
    "火山引擎发布豆包大模型新定价（演示）",
    "<![CDATA[千问App上线新版本 & 新增深度研究功能（演示）]]>",  # a CDATA title
    "大模型周报：DeepSeek、Qwen、GLM、Kimi新版本汇总（演示）",
    "SenseNova &amp; Skywork：商汤与昆仑万维模型更新速览（演示）",
]
HTML_AMP_TITLE = "寒武纪 & 智谱联合优化GLM推理（演示）"


def unxml(raw):
    """What an XML parser makes of one of the raw titles above (for summaries)."""
    import html

    if raw.startswith("<![CDATA["):
        return raw[9:-3]
    return html.unescape(raw)


def gnews_rss(feed_id, query, lang, titles, publisher, publisher_url):
    """RSS 2.0 in Google News search shape (UTF-8)."""
    times = item_times(feed_id, len(titles))
    r = rng_for("gnews", feed_id)
    hl = "zh-CN" if lang == "zh" else "en-US"
    head = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<rss xmlns:media="http://search.yahoo.com/mrss/" version="2.0"><channel>'
        "<generator>NFE/5.0</generator>",
        f"<title>{esc(query)} - Google News (DEMO)</title>",
        f"<link>{BASE}/gnews/search?q={esc(query)}&amp;hl={hl}</link>",
        f"<language>{hl}</language>",
        "<webMaster>news-webmaster@example.com</webMaster>",
        "<copyright>Demo data for xcdash. Not real news.</copyright>",
        f"<lastBuildDate>{rfc822(times[0])}</lastBuildDate>",
        "<description>Google News (DEMO)</description>",
    ]
    items = []
    for i, (title, t) in enumerate(zip(titles, times)):
        token = "CBMi" + "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") for _ in range(60))
        link = f"{BASE}/gnews/rss/articles/{token}?oc=5"
        desc = (f'<a href="{link}" target="_blank">{esc(title)}</a>&nbsp;&nbsp;'
                f'<font color="#6f6f6f">{esc(publisher)}</font>')
        items.append(
            f"<item><title>{esc(title)}</title><link>{esc(link)}</link>"
            f'<guid isPermaLink="false">{token}</guid><pubDate>{rfc822(t)}</pubDate>'
            f"<description>{esc(desc)}</description>"
            f'<source url="{publisher_url}">{esc(publisher)}</source></item>')
    return "".join(head) + "".join(items) + "</channel></rss>"


def rss2(feed_id, encoding, title, link, desc, titles, slug, lang="zh-cn"):
    """Plain RSS 2.0 (IT之家 / 钛媒体 shape); returns text to encode."""
    times = item_times(feed_id, len(titles))
    out = [f'<?xml version="1.0" encoding="{encoding}"?>',
           '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
           "<channel>",
           f"<title>{esc(title)}</title>",
           f"<link>{link}</link>",
           f"<description>{esc(desc)}</description>",
           f"<language>{lang}</language>",
           f"<lastBuildDate>{rfc822(times[0])}</lastBuildDate>",
           "<ttl>60</ttl>"]
    for i, (t_, t) in enumerate(zip(titles, times)):
        url = f"{BASE}/{slug}/{t:%Y%m%d}/{800000 + 37 * i + 11}.htm"
        out.append(
            "<item>\n"
            f"  <title>{esc(t_)}</title>\n"
            f"  <link>{url}</link>\n"
            f"  <guid>{url}</guid>\n"
            f"  <dc:creator>演示编辑</dc:creator>\n"
            f"  <pubDate>{rfc822(t)}</pubDate>\n"
            f"  <description>{esc(zh_summary(t_))}</description>\n"
            "</item>")
    out.append("</channel>\n</rss>\n")
    return "\n".join(out)


def rdf_feed(feed_id, titles):
    """RSS 1.0 (RDF) with dc:date, mixed Chinese and English."""
    times = item_times(feed_id, len(titles))
    urls = [f"{BASE}/cpu/{t:%Y/%m/%d}/item-{i + 1:03d}.html" for i, t in enumerate(times)]
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
           ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
           ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">',
           f'<channel rdf:about="{BASE}/cpu/index.rdf">',
           "  <title>DEMO CPU 芯片动态 (RSS 1.0)</title>",
           f"  <link>{BASE}/cpu/</link>",
           "  <description>xcdash 演示数据：国产 CPU 相关的虚构消息</description>",
           f"  <dc:date>{rfc3339(times[0])}</dc:date>",
           "  <dc:language>zh-CN</dc:language>",
           "  <sy:updatePeriod>hourly</sy:updatePeriod>",
           "  <items><rdf:Seq>"]
    out += [f'    <rdf:li rdf:resource="{u}"/>' for u in urls]
    out += ["  </rdf:Seq></items>", "</channel>"]
    for title, t, u in zip(titles, times, urls):
        en = title.endswith("[demo]")
        out.append(
            f'<item rdf:about="{u}">\n'
            f"  <title>{esc(title)}</title>\n"
            f"  <link>{u}</link>\n"
            f"  <description>{esc(en_summary(title) if en else zh_summary(title))}</description>\n"
            f"  <dc:creator>{'Demo Desk' if en else '演示编辑部'}</dc:creator>\n"
            f"  <dc:subject>{'CPU' if en else '国产CPU'}</dc:subject>\n"
            f"  <dc:date>{rfc3339(t)}</dc:date>\n"
            "</item>")
    out.append("</rdf:RDF>\n")
    return "\n".join(out)


RELEASE_NOTES = [
    ("FP8 inference fixes", "Fixes FP8 weight loading in the reference inference code."),
    ("tool-calling parser update", "Updates the tool-calling parser and chat template."),
    ("Ascend 910C deployment guide", "Adds a deployment guide for Huawei Ascend 910C with CANN."),
    ("vLLM and SGLang recipes", "Adds serving recipes for vLLM and SGLang."),
    ("long-context evaluation scripts", "Adds long-context evaluation scripts and results."),
    ("Hygon DCU deployment notes", "Adds deployment notes for Hygon DCU accelerators."),
    ("Cambricon MLU adaptation notes", "Adds adaptation notes for Cambricon MLU590 cards."),
    ("quantised checkpoints", "Publishes INT4 and FP8 quantised checkpoints."),
    ("documentation refresh", "Refreshes the model card and the quick-start documentation."),
    ("MoE kernel speed-ups", "Speeds up MoE routing kernels; no change to weights."),
]

REPOS = [  # (owner/repo, product name as written in titles, tag prefix, how many)
    ("deepseek-ai/DeepSeek-V3", "DeepSeek-V3.2", "v3.2.", 6),
    ("QwenLM/Qwen3", "Alibaba Qwen3", "v3.6.", 6),
    ("zai-org/GLM-4.5", "Zhipu GLM-4.6", "v1.4.", 5),
    ("MoonshotAI/Kimi-K2", "Kimi K2", "v2.1.", 5),
    ("MiniMax-AI/MiniMax-M2", "MiniMax-M2", "v2.0.", 4),
]


def atom_feed(feed_id):
    """Atom 1.0 in GitHub releases shape, with xml:base and relative links."""
    r = rng_for("atom", feed_id)
    slots = [(repo, product, prefix) for repo, product, prefix, n in REPOS for _ in range(n)]
    r.shuffle(slots)
    times = item_times(feed_id, len(slots))  # newest first
    # versions rise with time within each repository
    seen = {}
    notes = RELEASE_NOTES[:]
    r.shuffle(notes)
    entries = [None] * len(slots)
    for i in reversed(range(len(slots))):
        repo, product, prefix = slots[i]
        seen[repo] = seen.get(repo, 0) + 1
        entries[i] = (repo, product, f"{prefix}{seen[repo]}", notes[(i * 3 + len(repo)) % len(notes)])
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"'
           f' xml:lang="en-US" xml:base="{BASE}/gh/">',
           f"  <id>tag:example.com,2008:demo/releases</id>",
           '  <link type="text/html" rel="alternate" href="releases"/>',
           '  <link type="application/atom+xml" rel="self" href="releases.atom"/>',
           "  <title>DEMO releases from domestic model repositories</title>",
           f"  <updated>{rfc3339(times[0])}</updated>"]
    for i, ((repo, product, tag, note), t) in enumerate(zip(entries, times)):
        short, long_ = note
        owner, name = repo.split("/")
        if i % 5 == 3:
            # an entry with its own xml:base: the link resolves against it
            base_attr = f' xml:base="{BASE}/gh/{owner}/"'
            href = f"{name}/releases/tag/{tag}"
        elif i % 7 == 5:
            base_attr = ""  # a root-relative link: resolves against the host only
            href = f"/demo/gh/{repo}/releases/tag/{tag}"
        else:
            base_attr = ""
            href = f"{repo}/releases/tag/{tag}"
        title = f"{product} {tag}: {short} [demo]"
        content = (f"<h2>{product} {tag}</h2><p>{long_}</p><ul><li>Demo release notes generated for "
                   f"xcdash; not a real release of <code>{repo}</code>.</li>"
                   f'<li>See <a href="{BASE}/gh/{repo}/compare/{tag}">the changes</a>.</li></ul>')
        out.append(
            f"  <entry{base_attr}>\n"
            f"    <id>tag:example.com,2008:Repository/demo-{name.lower()}/{tag}</id>\n"
            f"    <updated>{rfc3339(t)}</updated>\n"
            f'    <link rel="alternate" type="text/html" href="{href}"/>\n'
            f"    <title>{esc(title)}</title>\n"
            f'    <content type="html">{esc(content)}</content>\n'
            f"    <author>\n      <name>demo-release-bot</name>\n    </author>\n"
            f'    <media:thumbnail height="30" width="30" url="{BASE}/gh/avatars/{owner.lower()}.png"/>\n'
            "  </entry>")
    out.append("</feed>\n")
    return "\n".join(out)


def html_feed(feed_id):
    """RSS 2.0 with HTML descriptions (CDATA and escaped), content:encoded, entities."""
    times = item_times(feed_id, len(MODELS_HTML))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
           ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
           "<channel>",
           "<title>DEMO 大模型快讯 &amp; 评论 (HTML)</title>",
           f"<link>{BASE}/models/</link>",
           f'<atom:link href="{BASE}/models/feed" rel="self" type="application/rss+xml"/>',
           "<description><![CDATA[xcdash 演示数据：<b>国产大模型</b>相关的虚构快讯]]></description>",
           "<language>zh-CN</language>",
           f"<lastBuildDate>{rfc822(times[0])}</lastBuildDate>"]
    for i, (raw, t) in enumerate(zip(MODELS_HTML, times)):
        plain = unxml(raw)
        url = f"{BASE}/models/p/{3100000 + 97 * i}"
        body = (f'<p><img src="{BASE}/img/{i:03d}.jpg" alt="" width="640"/></p>'
                f"<p>据<strong>演示数据</strong>，{esc(plain.replace('（演示）', ''))}。&nbsp;"
                f"本条为 xcdash 演示内容&mdash;&mdash;并非真实报道&hellip;</p>"
                f'<p><a href="{url}?from=rss" target="_blank">阅读全文</a></p>')
        if i % 3 == 0:
            desc = f"<description><![CDATA[{body}]]></description>"  # HTML in CDATA
        elif i % 3 == 1:
            desc = f"<description>{esc(body)}</description>"  # HTML escaped as text
        else:
            desc = f"<description>{esc(zh_summary(plain))} &lt;br/&gt; 来源：演示快讯</description>"
        out.append(
            "<item>\n"
            f"  <title>{raw}</title>\n"
            f"  <link>{url}</link>\n"
            f'  <guid isPermaLink="false">demo-models-{3100000 + 97 * i}</guid>\n'
            f"  <pubDate>{rfc822(t)}</pubDate>\n"
            f"  <dc:creator><![CDATA[演示作者{i % 4 + 1}]]></dc:creator>\n"
            f"  <category><![CDATA[大模型]]></category>\n"
            f"  {desc}\n"
            + (f"  <content:encoded><![CDATA[{body}<blockquote>演示引用 &amp; 注释</blockquote>]]></content:encoded>\n"
               if i % 2 == 0 else "")
            + "</item>")
    out.append("</channel>\n</rss>\n")
    return "\n".join(out)


def write_feeds():
    write("feeds/gpu-gnews-zh.xml",
          gnews_rss("demo-gpu-gnews-zh", "国产GPU OR 寒武纪 OR 摩尔线程 when:7d", "zh", GPU_ZH,
                    "示例财经", f"{BASE}/publisher/finance").encode("utf-8"))
    write("feeds/china-ai-gnews-en.xml",
          gnews_rss("demo-gnews-en", "China AI compute when:7d", "en", EN_NEWS,
                    "Demo Tech Daily", f"{BASE}/publisher/techdaily").encode("utf-8"))
    write("feeds/cpu-rss10.rdf", rdf_feed("demo-cpu-rdf", CPU_RDF).encode("utf-8"))
    # GBK, declared only in the XML declaration (file:// has no Content-Type)
    write("feeds/ascend-gbk.xml",
          rss2("demo-ascend-gbk", "GBK", "DEMO 昇腾产业链资讯 (GBK)", f"{BASE}/ascend/",
               "xcdash 演示数据：昇腾产业链相关的虚构消息", ASCEND_GBK, "ascend").encode("gbk"))
    # UTF-16LE with a byte order mark
    text = rss2("demo-leasing-utf16", "UTF-16", "DEMO 算力租赁观察 (UTF-16)", f"{BASE}/leasing/",
                "xcdash 演示数据：算力租赁相关的虚构消息", LEASING_UTF16, "leasing")
    write("feeds/leasing-utf16.xml", b"\xff\xfe" + text.encode("utf-16-le"))
    write("feeds/models-releases.atom", atom_feed("demo-models-releases").encode("utf-8"))
    write("feeds/models-html.xml", html_feed("demo-models-html").encode("utf-8"))


# ---------------------------------------------------------------------------
# Hugging Face listings
# ---------------------------------------------------------------------------

TXT = "text-generation"
HF_ORGS = {
    # id, created (YYYY-MM-DD), pipeline_tag, family tag, licence, popularity (0-1)
    "deepseek-ai": [
        ("DeepSeek-V3.2", "2025-12-01", TXT, "deepseek_v32", "mit", 0.8),
        ("DeepSeek-OCR", "2025-10-20", "image-text-to-text", "deepseek_vl_v2", "mit", 0.7),
        ("DeepSeek-V3.2-Exp", "2025-09-29", TXT, "deepseek_v32", "mit", 0.6),
        ("DeepSeek-V3.2-Exp-Base", "2025-09-29", TXT, "deepseek_v32", "mit", 0.2),
        ("DeepSeek-V3.1-Terminus", "2025-09-22", TXT, "deepseek_v3", "mit", 0.5),
        ("DeepSeek-V3.1", "2025-08-21", TXT, "deepseek_v3", "mit", 0.7),
        ("DeepSeek-V3.1-Base", "2025-08-19", TXT, "deepseek_v3", "mit", 0.3),
        ("DeepSeek-R1-0528-Qwen3-8B", "2025-05-29", TXT, "qwen3", "mit", 0.6),
        ("DeepSeek-R1-0528", "2025-05-28", TXT, "deepseek_v3", "mit", 0.8),
        ("DeepSeek-Prover-V2-671B", "2025-04-30", TXT, "deepseek_v3", "deepseek", 0.3),
        ("DeepSeek-V3-0324", "2025-03-24", TXT, "deepseek_v3", "mit", 0.7),
        ("Janus-Pro-7B", "2025-01-27", "any-to-any", "multi_modality", "mit", 0.6),
        ("DeepSeek-R1-Distill-Qwen-32B", "2025-01-20", TXT, "qwen2", "mit", 0.7),
        ("DeepSeek-R1-Distill-Qwen-7B", "2025-01-20", TXT, "qwen2", "mit", 0.8),
        ("DeepSeek-R1-Distill-Llama-70B", "2025-01-20", TXT, "llama", "mit", 0.5),
        ("DeepSeek-R1", "2025-01-20", TXT, "deepseek_v3", "mit", 1.0),
        ("DeepSeek-V3-Base", "2024-12-25", TXT, "deepseek_v3", "deepseek", 0.4),
        ("DeepSeek-V3", "2024-12-25", TXT, "deepseek_v3", "deepseek", 0.9),
        ("DeepSeek-V2", "2024-04-22", TXT, "deepseek_v2", "deepseek", 0.3),
        ("deepseek-coder-6.7b-instruct", "2023-10-29", TXT, "llama", "deepseek", 0.4),
    ],
    "Qwen": [
        ("Qwen3-VL-235B-A22B-Instruct", "2025-09-22", "image-text-to-text", "qwen3_vl_moe", "apache-2.0", 0.6),
        ("Qwen3-Omni-30B-A3B-Instruct", "2025-09-15", "any-to-any", "qwen3_omni_moe", "apache-2.0", 0.6),
        ("Qwen3-Next-80B-A3B-Instruct", "2025-09-09", TXT, "qwen3_next", "apache-2.0", 0.7),
        ("Qwen-Image", "2025-08-02", "text-to-image", "diffusers", "apache-2.0", 0.8),
        ("Qwen3-4B-Instruct-2507", "2025-08-05", TXT, "qwen3", "apache-2.0", 0.8),
        ("Qwen3-Coder-480B-A35B-Instruct", "2025-07-22", TXT, "qwen3_moe", "apache-2.0", 0.6),
        ("Qwen3-235B-A22B-Instruct-2507", "2025-07-21", TXT, "qwen3_moe", "apache-2.0", 0.6),
        ("Qwen3-Embedding-8B", "2025-06-03", "feature-extraction", "qwen3", "apache-2.0", 0.7),
        ("Qwen3-235B-A22B", "2025-04-27", TXT, "qwen3_moe", "apache-2.0", 0.7),
        ("Qwen3-30B-A3B", "2025-04-27", TXT, "qwen3_moe", "apache-2.0", 0.8),
        ("Qwen3-8B", "2025-04-27", TXT, "qwen3", "apache-2.0", 0.9),
        ("Qwen2.5-VL-72B-Instruct", "2025-01-27", "image-text-to-text", "qwen2_5_vl", "other", 0.6),
        ("Qwen2.5-Coder-32B-Instruct", "2024-11-06", TXT, "qwen2", "apache-2.0", 0.7),
        ("Qwen2.5-72B-Instruct", "2024-09-16", TXT, "qwen2", "other", 0.8),
        ("Qwen2.5-7B-Instruct", "2024-09-16", TXT, "qwen2", "apache-2.0", 1.0),
    ],
    "zai-org": [
        ("GLM-4.6-FP8", "2025-09-29", TXT, "glm4_moe", "mit", 0.4),
        ("GLM-4.6", "2025-09-29", TXT, "glm4_moe", "mit", 0.8),
        ("GLM-4.5V", "2025-08-10", "image-text-to-text", "glm4v_moe", "mit", 0.5),
        ("GLM-4.5-Air", "2025-07-20", TXT, "glm4_moe", "mit", 0.7),
        ("GLM-4.5", "2025-07-20", TXT, "glm4_moe", "mit", 0.7),
        ("GLM-4.1V-9B-Thinking", "2025-06-28", "image-text-to-text", "glm4v", "mit", 0.6),
        ("GLM-Z1-32B-0414", "2025-04-08", TXT, "glm4", "mit", 0.4),
        ("GLM-4-9B-0414", "2025-04-08", TXT, "glm4", "mit", 0.5),
        ("CogView4-6B", "2025-02-28", "text-to-image", "diffusers", "apache-2.0", 0.5),
        ("CogVideoX1.5-5B", "2024-11-08", "text-to-video", "diffusers", "other", 0.5),
        ("glm-4-9b-chat", "2024-06-04", TXT, "chatglm", "other", 0.6),
        ("chatglm3-6b", "2023-10-25", TXT, "chatglm", "other", 0.5),
    ],
}


def hf_listing(org, models):
    r = rng_for("hf", org)
    out = []
    for name, created, tag, family, licence, pop in models:
        c = dt.datetime.fromisoformat(created).replace(
            hour=r.randint(1, 15), minute=r.randint(0, 59), second=r.randint(0, 59), tzinfo=dt.timezone.utc)
        # modified during the demo window for about a third of the models
        if r.random() < 0.35:
            m = DEMO_END - dt.timedelta(hours=r.randint(3, 230), minutes=r.randint(0, 59))
        else:
            m = c + dt.timedelta(days=r.randint(1, 60), hours=r.randint(0, 23))
            m = min(m, DEMO_END - dt.timedelta(days=11))
        m = m.astimezone(dt.timezone.utc)
        age_days = max(30, (DEMO_END - c).days)
        likes = int((pop ** 1.6) * 12000 * r.uniform(0.8, 1.2) * min(1.0, age_days / 120))
        downloads = int((pop ** 2.5) * 1.5e6 * r.uniform(0.6, 1.6))
        tags = ["transformers" if family != "diffusers" else "diffusers", "safetensors", family, tag,
                "conversational" if tag == TXT else "multimodal", f"license:{licence}",
                "endpoints_compatible", "region:us"]
        if "FP8" in name or family in ("deepseek_v3", "deepseek_v32"):
            tags.insert(5, "fp8")
        out.append({
            "_id": hashlib.md5(f"{org}/{name}".encode()).hexdigest()[:24],
            "id": f"{org}/{name}",
            "likes": likes,
            "downloads": downloads,
            "pipeline_tag": tag,
            "tags": tags,
            "library_name": "diffusers" if family == "diffusers" else "transformers",
            "createdAt": c.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "lastModified": m.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        })
    out.sort(key=lambda x: x["createdAt"], reverse=True)  # sort=createdAt&direction=-1
    return out


def write_hf():
    for org, models in HF_ORGS.items():
        write_json(f"hf/{org}.json", hf_listing(org, models))


# ---------------------------------------------------------------------------
# Quotes and daily bars
# ---------------------------------------------------------------------------

# secid: (previous close, total shares in 10^8, daily volatility). Demo numbers,
# roughly at the scale of each stock; listings missing here get a made-up level.
LEVELS = {
    "1.688256": (1280.00, 4.18, 0.035), "1.688041": (232.50, 23.24, 0.030),
    "1.688795": (520.00, 4.70, 0.045), "1.688802": (610.00, 4.00, 0.045),
    "116.06082": (38.40, 24.0, 0.050), "116.09903": (145.00, 2.6, 0.050),
    "1.688801": (182.00, 4.20, 0.045), "0.300474": (86.20, 5.22, 0.035),
    "1.688521": (158.60, 5.26, 0.035), "1.688981": (121.30, 79.9, 0.030),
    "116.00981": (71.45, 79.9, 0.030), "1.688047": (152.40, 4.01, 0.035),
    "0.000066": (17.42, 32.2, 0.030), "0.002261": (31.85, 12.5, 0.035),
    "0.000034": (41.20, 7.0, 0.030), "0.000628": (50.30, 3.5, 0.030),
    "1.600839": (10.12, 46.2, 0.030), "1.600498": (29.65, 11.8, 0.030),
    "0.301236": (61.40, 9.5, 0.035), "1.600410": (12.08, 11.0, 0.030),
    "1.688629": (63.50, 4.6, 0.035), "0.002281": (82.70, 8.0, 0.035),
    "0.300308": (452.00, 11.1, 0.035), "0.002916": (208.40, 6.7, 0.030),
    "0.002837": (81.30, 9.8, 0.035), "0.002156": (39.80, 15.2, 0.030),
    "1.603019": (102.50, 14.6, 0.030), "0.000977": (68.90, 14.7, 0.030),
    "0.300846": (20.15, 5.0, 0.040), "0.002929": (49.60, 2.8, 0.035),
    "0.002229": (21.30, 5.0, 0.040), "1.688158": (30.45, 4.6, 0.035),
    "1.688316": (80.10, 0.48, 0.040), "0.300383": (15.32, 18.0, 0.030),
    "0.300738": (20.65, 9.6, 0.035), "0.300442": (60.80, 17.2, 0.030),
    "0.300857": (152.30, 3.4, 0.040), "1.603629": (71.20, 2.6, 0.040),
    "116.09988": (158.30, 191.0, 0.025), "106.BABA": (162.40, 23.9, 0.025),
    "116.02513": (182.00, 4.4, 0.050), "116.00100": (320.00, 3.1, 0.050),
    "116.09888": (118.60, 27.8, 0.025), "105.BIDU": (121.80, 3.5, 0.025),
    "116.00700": (618.50, 91.5, 0.020), "116.03690": (102.30, 61.0, 0.030),
    "0.002230": (55.40, 23.1, 0.030), "116.00020": (2.31, 380.0, 0.040),
    "0.300418": (45.70, 12.6, 0.035),
}
# East Money's short names where they differ from the company's Chinese name.
EM_NAMES = {
    "116.09988": "阿里巴巴-W", "106.BABA": "阿里巴巴", "116.09888": "百度集团-SW",
    "105.BIDU": "百度", "116.00700": "腾讯控股", "116.03690": "美团-W",
    "116.00020": "商汤-W",
}
LIMIT_UP = "0.300846"    # ChiNext: reaches +20.00% and stays there
LIMIT_DOWN = "0.002229"  # main board: reaches -10.00% and stays there
SUSPENDED = "1.600410"   # no trade today: every price but the previous close is "-"
N_STEPS = 10
N_BARS = 120


def dec_of(market):
    return 2 if market in (0, 1) else 3


def q(x, places):
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def hk_tick(p):
    for bound, tick in ((0.25, 0.001), (0.5, 0.005), (10, 0.01), (20, 0.02), (100, 0.05),
                        (200, 0.1), (500, 0.2), (1000, 0.5), (2000, 1.0)):
        if p < bound:
            return tick
    return 2.0


def price(x, market):
    """A price as the market quotes it: A shares and US to the cent, HK to its tick."""
    if market == 116:
        t = hk_tick(x)
        return q(round(x / t) * t, 3)
    return q(x, 2)


def limit_pct(code, market):
    if market != 0 and market != 1:
        return None
    if code.startswith(("688", "300", "301")):
        return 0.20
    return 0.10


def listings():
    comp = json.load(open(os.path.join(ROOT, "data", "companies.json"), encoding="utf-8"))
    out = []
    for c in comp["companies"]:
        for l in c.get("listings", []):
            secid = l.get("eastmoney_secid")
            if not secid:
                continue
            market, code = secid.split(".", 1)
            out.append({"secid": secid, "market": int(market), "code": code, "company": c["id"],
                        "name": EM_NAMES.get(secid, c.get("name_zh") or c["name_en"])})
    return out


def level(secid):
    if secid in LEVELS:
        return LEVELS[secid]
    r = rng_for("level", secid)
    return (round(r.uniform(8, 120), 2), round(r.uniform(2, 30), 1), 0.035)


def session_times(market):
    """f124: one update time per listing on 2026-11-27, inside its trading hours."""
    if market in (0, 1):
        return dt.datetime(2026, 11, 27, 14, 57, 0, tzinfo=CST)
    if market == 116:
        return dt.datetime(2026, 11, 27, 15, 56, 0, tzinfo=CST)
    return dt.datetime(2026, 11, 27, 23, 41, 0, tzinfo=CST)  # 10:41 in New York


def day_path(L):
    """The ten snapshots of one listing's trading day: dicts of last/open/high/low/volume."""
    secid, market, code = L["secid"], L["market"], L["code"]
    prev, shares, vol = level(secid)
    r = rng_for("day", secid)
    lim = limit_pct(code, market)
    if secid == LIMIT_UP:
        top = price(prev * (1 + lim), market)
        target = [prev * (1 + lim * f) for f in (0.35, 0.55, 0.7, 0.86, 1, 1, 1, 1, 1, 1)]
        lasts = [min(price(x, market), top) for x in target]
        opn = price(prev * 1.045, market)
    elif secid == LIMIT_DOWN:
        bottom = price(prev * (1 - lim), market)
        target = [prev * (1 - lim * f) for f in (0.4, 0.65, 0.9, 1, 1, 1, 1, 1, 1, 1)]
        lasts = [max(price(x, market), bottom) for x in target]
        opn = price(prev * 0.97, market)
    else:
        opn = price(prev * (1 + r.gauss(0, vol / 3)), market)
        x = opn
        lasts = []
        cap = (lim - 0.01) if lim else 0.25
        for _ in range(N_STEPS):
            x *= 1 + r.gauss(0.0003, vol / 4)
            x = min(max(x, prev * (1 - cap)), prev * (1 + cap))
            lasts.append(price(x, market))
    turn = (0.035 if shares < 10 else 0.015 if shares < 50 else 0.005) * r.uniform(0.6, 1.6)
    if secid in (LIMIT_UP, LIMIT_DOWN):
        turn *= 2.5
    day_shares = shares * 1e8 * turn
    snaps, hi, lo = [], opn, opn
    for k, last in enumerate(lasts):
        hi = max(hi, last, price(last * (1 + abs(r.gauss(0, vol / 10))), market))
        lo = min(lo, last, price(last * (1 - abs(r.gauss(0, vol / 10))), market))
        if lim:
            hi = min(hi, price(prev * (1 + lim), market))
            lo = max(lo, price(prev * (1 - lim), market))
        traded = day_shares * (k + 1) / N_STEPS
        vwap = (opn + hi + lo + last) / 4
        lots = int(traded / 100) if market in (0, 1) else int(traded)  # A shares trade in lots
        amount = q(traded * vwap, 2)
        snaps.append({"last": last, "open": opn, "high": hi, "low": lo, "vol": lots, "amount": amount})
    return prev, shares, snaps


def quote_entry(L, prev, shares, s, ts):
    m, d = L["market"], dec_of(L["market"])
    e = {"f2": s["last"], "f3": q((s["last"] - prev) / prev * 100, 2), "f4": q(s["last"] - prev, d),
         "f5": s["vol"], "f6": s["amount"], "f12": L["code"], "f13": m, "f14": L["name"],
         "f15": s["high"], "f16": s["low"], "f17": s["open"], "f18": prev,
         "f20": round(shares * 1e8 * s["last"]), "f124": ts}
    if L["secid"] == SUSPENDED:
        for k in ("f2", "f3", "f4", "f5", "f6", "f15", "f16", "f17"):
            e[k] = "-"
        e["f20"] = round(shares * 1e8 * prev)
    return e


def write_quotes(ls):
    paths = {L["secid"]: day_path(L) for L in ls}
    for step in range(N_STEPS):
        diff = []
        for i, L in enumerate(ls):
            prev, shares, snaps = paths[L["secid"]]
            # f124 is the same in every snapshot: the store keeps a quote only when
            # its time is not older than the stored one, and the snapshots replay in
            # a loop (9 is followed by 0 again), so rising times would freeze the demo
            # after one round.
            ts = int(session_times(L["market"]).timestamp()) + (i * 7) % 53
            if L["secid"] == SUSPENDED:
                ts = int(dt.datetime(2026, 11, 27, 9, 25, tzinfo=CST).timestamp())
            diff.append(quote_entry(L, prev, shares, snaps[step], ts))
        body = {"rc": 0, "rt": 11, "svr": 181669461 + step, "lt": 1, "full": 1,
                "dlptcid": "", "data": {"total": len(diff),
                                        # the real API answers with an array or an object keyed "0","1",...
                                        "diff": diff if step % 2 == 0 else {str(i): e for i, e in enumerate(diff)}}}
        write_json(f"quotes/quotes-{step}.json", body)
    return paths


HOLIDAYS = {
    "cn": {"2026-06-19", "2026-09-25", "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06",
           "2026-10-07", "2026-10-08"},
    "hk": {"2026-06-19", "2026-07-01", "2026-10-01", "2026-10-19"},
    "us": {"2026-07-03", "2026-09-07", "2026-11-26"},
}


def sessions(market, n):
    cal = "cn" if market in (0, 1) else "hk" if market == 116 else "us"
    days, d = [], SESSION
    while len(days) < n:
        if d.weekday() < 5 and d.isoformat() not in HOLIDAYS[cal]:
            days.append(d)
        d -= dt.timedelta(days=1)
    return days[::-1]


def write_klines(ls, paths):
    for L in ls:
        secid, m, code = L["secid"], L["market"], L["code"]
        d = dec_of(m)
        prev, shares, snaps = paths[secid]
        _, _, vol = level(secid)
        lim = limit_pct(code, m) or 0.3
        r = rng_for("bars", secid)
        days = sessions(m, N_BARS + (1 if secid == SUSPENDED else 0))
        if secid == SUSPENDED:
            days = days[:-1]  # no bar for a day without trading
        # closes backwards from the previous close; the last session is the day of the
        # snapshots. Returns are drawn per company, so an A+H or HK+US pair moves
        # together, and scaled so the six months end between -30% and +50%.
        n_hist = len(days) - (0 if secid == SUSPENDED else 1)
        cr = rng_for("returns", L["company"])
        rets = [cr.gauss(0, vol * 0.8) for _ in range(N_BARS)][:n_hist]
        target = math.log(1 + cr.uniform(-0.3, 0.5))
        shift = (target - sum(math.log(1 + x) for x in rets)) / n_hist
        closes = [prev]
        for x in reversed(rets):
            ret = math.exp(math.log(1 + x) + shift) - 1
            ret = max(min(ret, lim * 0.98), -lim * 0.98)
            closes.append(closes[-1] / (1 + ret))
        closes = [price(c, m) for c in closes[::-1]]  # closes[0] is the close before the first bar
        turn_base = 0.035 if shares < 10 else 0.015 if shares < 50 else 0.005
        rows = []
        for i in range(n_hist):
            pc, c = closes[i], closes[i + 1]
            o = price(pc * (1 + r.gauss(0, vol / 3)), m)
            o = min(max(o, price(pc * (1 - lim), m)), price(pc * (1 + lim), m))
            h = max(o, c, price(max(o, c) * (1 + abs(r.gauss(0, vol / 2))), m))
            lo = min(o, c, price(min(o, c) * (1 - abs(r.gauss(0, vol / 2))), m))
            h = min(h, price(pc * (1 + lim), m))
            lo = max(lo, price(pc * (1 - lim), m))
            turn = turn_base * r.uniform(0.5, 1.8)
            traded = shares * 1e8 * turn
            rows.append((days[i], o, c, h, lo, traded, pc, turn))
        if secid != SUSPENDED:
            s = snaps[-1]
            traded = s["vol"] * (100 if m in (0, 1) else 1)
            rows.append((days[-1], s["open"], s["last"], s["high"], s["low"], traded, prev,
                         traded / (shares * 1e8), s["amount"]))
        lines = []
        for day, o, c, h, lo, traded, pc, turn, *amt in rows:
            vol_units = int(traded / 100) if m in (0, 1) else int(traded)
            amount = amt[0] if amt else traded * (o + c + h + lo) / 4
            lines.append(",".join([
                day.isoformat(), f"{o:.{d}f}", f"{c:.{d}f}", f"{h:.{d}f}", f"{lo:.{d}f}",
                str(vol_units), f"{amount:.2f}", f"{(h - lo) / pc * 100:.2f}",
                f"{(c - pc) / pc * 100:.2f}", f"{c - pc:.{d}f}", f"{turn * 100:.2f}"]))
        body = {"rc": 0, "rt": 17, "svr": 177617938, "lt": 1, "full": 0, "dlptcid": "",
                "data": {"code": code, "market": m, "name": L["name"], "decimal": d,
                         "dktotal": 1200 + len(lines), "preKPrice": closes[0], "klines": lines}}
        write_json(f"kline/{secid}.json", body)


# ---------------------------------------------------------------------------
# The source list
# ---------------------------------------------------------------------------

def sources():
    def feed(id_, url, title, pillar=None):
        s = {"id": id_, "kind": "feed", "url": url, "title": title, "interval_s": 300}
        if pillar:
            s["pillar"] = pillar
        return s

    src = [
        feed("demo-gpu-gnews-zh", "feeds/gpu-gnews-zh.xml",
             "DEMO Google News 中文: gpu (RSS 2.0, UTF-8)", "gpu"),
        feed("demo-cpu-rdf", "feeds/cpu-rss10.rdf", "DEMO CPU 芯片动态 (RSS 1.0/RDF)", "cpu"),
        feed("demo-ascend-gbk", "feeds/ascend-gbk.xml", "DEMO 昇腾产业链资讯 (RSS 2.0, GBK)", "ascend"),
        feed("demo-leasing-utf16", "feeds/leasing-utf16.xml",
             "DEMO 算力租赁观察 (RSS 2.0, UTF-16LE)", "leasing"),
        feed("demo-models-releases", "feeds/models-releases.atom",
             "DEMO GitHub releases: domestic models (Atom 1.0)", "models"),
        feed("demo-models-html", "feeds/models-html.xml",
             "DEMO 大模型快讯 (RSS 2.0 with HTML)", "models"),
        feed("demo-gnews-en", "feeds/china-ai-gnews-en.xml",
             "DEMO Google News English: China AI compute (RSS 2.0)"),
    ]
    for org in HF_ORGS:
        src.append({"id": f"demo-hf-{org.lower()}", "kind": "hf-models", "url": f"hf/{org}.json",
                    "pillar": "models", "title": f"DEMO Hugging Face: {org}", "interval_s": 300})
    src.append({"id": "demo-eastmoney-quotes", "kind": "eastmoney-quotes",
                "url": "quotes/quotes-{step}.json",
                "title": "DEMO East Money quotes (10 snapshots played in turn)", "interval_s": 60})
    src.append({"id": "demo-eastmoney-kline", "kind": "eastmoney-kline", "url": "kline/{secid}.json",
                "title": "DEMO East Money daily bars (one file per listing)", "interval_s": 300})
    return {
        "data_version": DATA_VERSION,
        "_comment": "Offline demo sources read by 'xcdash --demo'. Relative urls name files beside "
                    "this list (file://). Everything here is invented demo content; regenerate "
                    "with 'python3 data/demo/generate.py'.",
        "sources": src,
    }


def main():
    write_feeds()
    write_hf()
    ls = listings()
    paths = write_quotes(ls)
    write_klines(ls, paths)
    write_json("sources.json", sources(), indent=2)


if __name__ == "__main__":
    main()
