"""The words the synthetic corpus is made of: names in English and Japanese, and the
Japanese sentence templates that state each kind of fact.

Names are built from syllables that have both a Latin and a katakana spelling, so every
generated entity gets a matching ``@en`` and ``@ja`` label (``Karemi Systems`` /
``カレミ・システムズ``). Templates take the Japanese labels of a fact's subject and object
and make one sentence; that sentence is the fact's ``ckg:evidence`` and a verbatim part of
the generated article.
"""

from __future__ import annotations

import random

# (romaji, katakana): enough syllables for ~60k distinct three-syllable names.
SYLLABLES: tuple[tuple[str, str], ...] = (
    ("ka", "カ"), ("ki", "キ"), ("ku", "ク"), ("ke", "ケ"), ("ko", "コ"),
    ("sa", "サ"), ("shi", "シ"), ("su", "ス"), ("se", "セ"), ("so", "ソ"),
    ("ta", "タ"), ("chi", "チ"), ("tsu", "ツ"), ("te", "テ"), ("to", "ト"),
    ("na", "ナ"), ("ni", "ニ"), ("nu", "ヌ"), ("ne", "ネ"), ("no", "ノ"),
    ("ha", "ハ"), ("hi", "ヒ"), ("fu", "フ"), ("he", "ヘ"), ("ho", "ホ"),
    ("ma", "マ"), ("mi", "ミ"), ("mu", "ム"), ("me", "メ"), ("mo", "モ"),
    ("ya", "ヤ"), ("yu", "ユ"), ("yo", "ヨ"), ("ra", "ラ"), ("ri", "リ"),
    ("ru", "ル"), ("re", "レ"), ("ro", "ロ"), ("wa", "ワ"), ("va", "ヴァ"),
    ("ga", "ガ"), ("gi", "ギ"), ("go", "ゴ"), ("da", "ダ"), ("do", "ド"),
    ("ba", "バ"), ("bi", "ビ"), ("be", "ベ"), ("ze", "ゼ"), ("ji", "ジ"),
)

COMPANY_SUFFIXES = (("Semiconductor", "セミコンダクター"), ("Systems", "システムズ"),
                    ("Technologies", "テクノロジーズ"), ("AI", "AI"), ("Microdevices", "マイクロデバイス"),
                    ("Computing", "コンピューティング"),
                    ("Labs", "ラボ"), ("Silicon", "シリコン"), ("Robotics", "ロボティクス"), ("Cloud", "クラウド"))
ORGANIZATION_KINDS = (("University", "大学"), ("AI Industry Association", "AI産業協会"),
                      ("Research Institute", "研究所"), ("Foundation", "財団"), ("Chamber of Commerce", "商工会議所"),
                      ("Standards Council", "標準化評議会"))
REGULATOR_KINDS = (("Ministry of Commerce", "商務省"), ("Cyberspace Administration", "インターネット情報弁公室"),
                   ("Trade Commission", "貿易委員会"), ("Government", "政府"), ("Export Control Bureau", "輸出管理局"),
                   ("Competition Authority", "競争当局"), ("Ministry of Industry", "工業省"),
                   ("Data Protection Office", "データ保護局"))
PRODUCT_KINDS = (("Assistant", "アシスタント"), ("Glasses", "眼鏡"), ("Cloud Platform", "クラウド基盤"),
                 ("Language Model", "言語モデル"), ("Server", "サーバー"), ("Phone", "スマートフォン"))
POLICY_KINDS = (("chip export restrictions", "チップ輸出規制"), ("AI action plan", "AI行動計画"),
                ("sales permission", "販売許可"), ("subsidy programme", "補助金制度"),
                ("security review", "安全審査"), ("data localisation rule", "データ国内保存規則"))
EVENT_KINDS = (("AI Conference", "AIカンファレンス"), ("Chip Expo", "チップ博覧会"), ("AI Summit", "AIサミット"),
               ("Semiconductor Forum", "半導体フォーラム"))
JOB_TITLES = (("CEO", "CEO"), ("Founder", "創業者"), ("Minister", "大臣"), ("Senior Fellow", "シニアフェロー"),
              ("Analyst", "アナリスト"), ("Venture investor", "ベンチャー投資家"),
              ("Chief Scientist", "チーフサイエンティスト"),
              ("Deputy Secretary-General", "副事務局長"), ("President", "大統領"), ("Premier", "首相"))

# Phrases quotes are assembled from (verbatim in ckg:text and inside 「」 in the article).
QUOTE_PHRASES = ("開かれた競争は誰にとっても良いことです", "人工知能は世界の公共財と見なされるべきである",
                 "より多くのチップを購入するでしょう", "技術格差は急速に縮まっています",
                 "規制は技術革新を妨げてはなりません", "供給網の安定が最優先です",
                 "国内の代替品はまだ十分ではありません",
                 "研究開発への投資を倍増させます", "安全保障上の懸念は無視できません", "世界の連帯が必要です")
QUOTE_TOPICS = (("open competition", "開かれた競争"), ("AI as a public good", "公共財としてのAI"),
                ("chip purchases", "チップの購入"), ("the technology gap", "技術格差"),
                ("regulation and innovation", "規制と技術革新"), ("supply chains", "供給網"),
                ("domestic alternatives", "国内の代替品"), ("research investment", "研究開発投資"),
                ("security concerns", "安全保障上の懸念"), ("global solidarity", "世界の連帯"))

# One or two Japanese sentences per ontology property; {s} and {o} are the @ja labels.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "makes": ("{s}は{o}を製造しています。", "{s}が開発した{o}は、市場で高い需要があります。"),
    "competesWith": ("{s}は{o}と直接競合しています。",
                     "{s}は{o}との技術格差を縮めるために激しい競争を繰り広げています。"),
    "issuedBy": ("{o}は最近、{s}を発表しました。", "{s}は{o}によって決定されました。"),
    "appliesTo": ("{s}は{o}に適用されます。", "{s}の対象には{o}が含まれています。"),
    "targets": ("{s}は{o}を対象としています。",),
    "departsFrom": ("{s}は{o}からの大きな転換を示しています。",),
    "jurisdiction": ("{s}は{o}の規制を担当しています。",),
    "summoned": ("{s}は{o}をセキュリティ上の懸念について召喚したと報じられています。",),
    "ceoOf": ("{o}のCEOである{s}は、事業の拡大を強調しました。",),
    "founderOf": ("{s}は{o}の創設者です。",),
    "memberOf": ("{s}は{o}に所属しています。",),
    "leaderOf": ("{s}は{o}を率いています。",),
    "partOf": ("{s}は{o}の一部門です。",),
    "basedIn": ("{s}は{o}に拠点を置いています。", "{o}を拠点とする{s}は、新しいモデルを発表しました。"),
    "locatedIn": ("{s}は{o}にある都市です。",),
    "exhibitedAt": ("{s}は{o}で新製品を展示しました。",),
    "spokeAt": ("{s}は{o}で講演しました。",),
}
HEADLINES = ("{a}と{b}:AI競争の新たな局面", "{a}の決定が{b}に波紋", "{a}、{b}をめぐる懸念の中で前進",
             "{a}と{b}の技術格差は縮まるのか")


def name(rng: random.Random, low: int = 2, high: int = 3) -> tuple[str, str]:
    """A made-up proper name in Latin letters and in katakana."""
    parts = [SYLLABLES[rng.randrange(len(SYLLABLES))] for _ in range(rng.randint(low, high))]
    return "".join(p[0] for p in parts).capitalize(), "".join(p[1] for p in parts)


def person_name(rng: random.Random) -> tuple[str, str]:
    given, family = name(rng), name(rng)
    return f"{given[0]} {family[0]}", f"{given[1]}・{family[1]}"


def chip_name(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEGHKMNPRSTVXZ") for _ in range(rng.randint(1, 2)))
    return f"{letters}{rng.choice((10, 20, 40, 80, 100, 200, 300, 400, 500, 800, 910, 1000))}"


__all__ = ["COMPANY_SUFFIXES", "EVENT_KINDS", "HEADLINES", "JOB_TITLES", "ORGANIZATION_KINDS", "POLICY_KINDS",
           "PRODUCT_KINDS", "QUOTE_PHRASES", "QUOTE_TOPICS", "REGULATOR_KINDS", "SYLLABLES", "TEMPLATES",
           "chip_name", "name", "person_name"]
