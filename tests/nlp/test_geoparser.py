"""Geoparsing: text → the most specific place inside Osaka City, or none.

Runs through the real pipeline (``full_analyser``: shipped gazetteer + the area pack's
towns and shelters), so address forms resolve to real 町丁目 coordinates.
"""

from __future__ import annotations

import pytest

from nlp.geoparser import distance_km

# (text, place, ward, precision, (lat, lon) that the pin must be within 1 km of)
LOCATED = [
    # addresses: 丁目 as digits, full-width, kanji; 2-3 forms; with and without the ward
    ("北区曽根崎2丁目で火事", "曾根崎二丁目", "北区", "address", (34.7001, 135.5008)),
    ("曽根崎２丁目のビルで停電", "曾根崎二丁目", "北区", "address", (34.7001, 135.5008)),
    ("曽根崎二丁目で煙", "曾根崎二丁目", "北区", "address", (34.7001, 135.5008)),
    ("大阪市北区中崎西2-3-4のアパート倒壊", "中崎西二丁目", "北区", "address", (34.7063, 135.5005)),
    ("阿倍野区阿倍野筋1-1で人が倒れてる", "阿倍野筋一丁目", "阿倍野区", "address", (34.6457, 135.5134)),
    ("中崎町で火事", "中崎町", "北区", "station", (34.7067, 135.5052)),
    # towns without 丁目
    ("北区の池田町で断水", "池田町", "北区", "town", (34.7073, 135.5141)),
    # stations, all operators, with and without 駅
    ("十三駅で電車止まってる", "十三", "淀川区", "station", (34.7205, 135.4810)),
    ("京橋で人があふれてる", "京橋", "都島区", "station", (34.6966, 135.5336)),
    ("阪急淡路駅のホーム", "淡路", "東淀川区", "station", (34.7395, 135.5195)),
    ("近鉄の今里駅の近く", "今里", "東成区", "station", (34.6660, 135.5440)),
    # nicknames
    ("天六の交差点で信号消えてる", "天神橋筋六丁目", "北区", "station", (34.7100, 135.5115)),
    ("キタは人でいっぱい", "キタ", "北区", "landmark", (34.7030, 135.4990)),
    ("ミナミで停電", "ミナミ", "中央区", "landmark", (34.6685, 135.5015)),
    ("ユニバ付近で冠水", "ユニバーサル・スタジオ・ジャパン", "此花区", "facility", (34.6654, 135.4323)),
    ("京セラの前に人が避難してる", "京セラドーム大阪", "西区", "facility", (34.6694, 135.4761)),
    ("ハルカスの近くで煙", "あべのハルカス", "阿倍野区", "facility", (34.6459, 135.5135)),
    ("通天閣の下で看板が落ちた", "通天閣", "浪速区", "landmark", (34.6525, 135.5063)),
    # shelters from the GSI data, ward offices
    ("金塚小学校に避難しました", "金塚小学校", "阿倍野区", "facility", (34.6428, 135.5077)),
    ("浪速区役所で給水", "浪速区役所", "浪速区", "facility", (34.6569, 135.4993)),
    # English
    ("Trains stopped at Tennoji", "天王寺", "天王寺区", "station", (34.6466, 135.5136)),
    ("Our guesthouse near Tamatsukuri station partly collapsed", "玉造", "天王寺区", "station", (34.6710, 135.5335)),
    ("おかあさん どこ てんのうじ の えき で はぐれた", "天王寺", "天王寺区", "station", (34.6466, 135.5136)),
    ("くじょう えき の ちかく、でんき が きえました", "九条", "西区", "station", (34.6750, 135.4730)),
    ("Hanaten stn area: the underpass flooded", "放出", "鶴見区", "station", (34.6851, 135.5640)),
    ("Collapsed walls in Joto ward", "城東区", "城東区", "ward", (34.6963, 135.5445)),
    # only a ward
    ("生野区で停電", "生野区", "生野区", "ward", (34.6549, 135.5343)),
    ("東淀川区で冠水", "東淀川区", "東淀川区", "ward", (34.7427, 135.5335)),
    ("いくのく　ていでん", "生野区", "生野区", "ward", (34.6549, 135.5343)),  # kana-only post
    ("西成の避難所、毛布が足りない", "西成区", "西成区", "ward", (34.6372, 135.4947)),  # ward without 区
    ("東京から出張で来てるけど梅田で足止め", "梅田", "北区", "station", (34.7025, 135.4980)),
    ("阪急京都線、淡路で止まってる", "淡路", "東淀川区", "station", (34.7395, 135.5195)),  # a line, not Kyoto
    # the account in a leading 【…】 is who posts; the body says where
    ("【大阪市消防局】中央区内で建設中の建物の外壁が崩落", "中央区", "中央区", "ward", (34.6826, 135.5092)),
    ("【加美北2丁目町会】平野川があふれました", "加美北二丁目", "平野区", "address", (34.6419, 135.5593)),
    # kana-only addresses (readings of the imported 町丁目 from the Sudachi dictionary)
    ("たすけて はぎのちゃや 2ちょうめ", "萩之茶屋二丁目", "西成区", "address", (34.6463, 135.5007)),
    ("せんばやし2丁目 いえの なか でられない", "千林二丁目", "旭区", "address", (34.7249, 135.5523)),
]

NOT_LOCATED = [
    "東京都北区赤羽で火事",
    "神戸市中央区で停電、三宮の信号消えてる",
    "京都市北区で川があふれそう",
    "堺市北区で家が倒壊",
    "東京の北区の病院でけが人",
    "福島県で地震",
    "東京都中央区京橋で火事",  # Tokyo's 京橋, not Osaka's station
    "横浜市中区元町で停電",
    "神戸市東灘区住吉本町、古い家の塀が崩れてた",  # 本町 inside another city's address
    "神戸市東灘区の住吉本町でブロック塀が倒れて歩道ふさいでる",
    "Watching the news about the hurricane in Florida",  # "atc" (ATC) inside a word is no place
    "Fukushima nuclear plant news again",  # 福島 station only as "Fukushima station"
    "淡路島の実家、断水しとるらしい",  # 淡路 inside 淡路島
    "鹿児島の桜島、今日も噴火して灰すごい",
    "名古屋市港区、避難所を開設しました。港区役所のHPで場所確認してください",  # the same ward again
    "福島市に住んでる母と連絡とれへん。福島で地震あったって",
    "桜島の噴火で鹿児島市内、灰が積もって道路通行止め多数だって",  # a name shared with another city
    "東京の中央区、日本橋で地下鉄止まってて帰宅困難者あふれてる",
    "Staying in Sapporo, Chuo-ku. Power's out in our hotel",
    "札幌市中央区で大規模停電",
    "八尾市で停電",
    "停電してる",  # no place: never a city-centre pin
    "家計が火の車",
    "淀川の水位が上がってる",  # a river is not a point
    "谷町線が止まってる",  # a line is not a station
    "阪神・淡路大震災の時は水が出なかった",  # a place inside a past disaster's name
    "阪神淡路の時は小学生やった",
    "堺市北区で停電、大阪市の北区とちゃうで",  # the Osaka ward the post says it is not about
    "堺市の三国ヶ丘で断水、大阪市淀川区の三国とちゃうで",  # the ward goes with the town it leads
    "東大阪市の島之内で停電してるのに、中央区の島之内とまちがえて問い合わせ来る",
    # a post about another city that says Osaka's namesake is fine is about that city (the acceptance
    # sets' reading: 「大阪の京橋は平和です」, 「住吉区の浅香は大丈夫やで」, 「千日前のとは別件」 get no place)
    "東京都北区で火事、大阪の北区は大丈夫",
    "東京の京橋で火事ってトレンドに出てるけど、大阪の京橋は平和です",
    "堺市北区の東浅香山町で冠水してるらしい。住吉区の浅香は大丈夫やで",
    "東京都港区でビル火災ってニュース、大阪の千日前のとは別件",
    "堺市北区で停電、大阪市内は大丈夫",
    "こうべ の ちゅうおうく の いえ は なんともない",  # another city in kana, its ward after it
    "amagasaki de densha tomatte umeda ni ikenai",  # in another city, where the writer cannot get to
    "尼崎で電車止まって梅田に行けない",
    "ﾄｳｷｮｳ ﾉ ﾄﾓﾀﾞﾁ ｶﾗ ｼﾝﾊﾟｲ ﾒｰﾙ ｷﾀ",  # Tokyo in katakana; キタ is 来た there
    "Black smoke over Sakurajima again",  # a romanised name as well known elsewhere stands only with "station"
    "News from Fukushima Prefecture: M5 aftershock this evening",
]


@pytest.mark.parametrize(("text", "place", "ward", "precision", "near"), LOCATED, ids=[c[0] for c in LOCATED])
def test_located(full_analyser, text, place, ward, precision, near):
    a = full_analyser.analyse_one(text)
    assert (a.place, a.ward, a.precision) == (place, ward, precision)
    assert distance_km(a.lat, a.lon, *near) < 1.0


@pytest.mark.parametrize("text", NOT_LOCATED)
def test_not_located(full_analyser, text):
    a = full_analyser.analyse_one(text)
    assert (a.place, a.ward, a.lat, a.lon, a.precision) == (None, None, None, None, None)


def test_an_osaka_place_named_next_to_another_city_is_kept(full_analyser):
    a = full_analyser.analyse_one("東京から帰ってきたら梅田駅で電車止まってた")
    assert a.ward == "北区" and a.place == "梅田"


def test_a_city_the_post_says_it_is_not_about_does_not_hide_the_osaka_ward(full_analyser):
    a = full_analyser.analyse_one("西淀川区で冠水。尼崎側ちゃうで")
    assert a.ward == "西淀川区"
    assert full_analyser.analyse_one("尼崎で冠水、西淀川区ちゃうで").ward is None


def test_the_ward_named_in_the_post_disambiguates(full_analyser):
    # 中央 is a town in 城東区; bare it is an everyday word, with the ward it is the town
    assert full_analyser.analyse_one("中央で火事").ward is None
    assert full_analyser.analyse_one("城東区中央3丁目で火事").ward == "城東区"


def test_a_fresh_install_places_stations_and_addresses_without_imports(analyser):
    a = analyser.analyse_one("十三駅で火事")
    assert (a.place, a.ward) == ("十三", "淀川区")
    b = analyser.analyse_one("曽根崎2丁目で火事")  # the area pack's towns: nothing to import
    assert (b.precision, b.ward) == ("address", "北区")


# --- issue 17: the place classes that failed on independent sets -------------------------------------
# (text, place, ward, precision, (lat, lon) of the place in the area pack or landmarks.csv)
ISSUE_17_LOCATED = [
    # romanised chome addresses in English posts: either order, hyphenated or spaced names, 1-2-3 numbers
    ("Fire near 2-chome Tenjinbashi, smoke everywhere", "天神橋二丁目", "北区", "address", (34.6965, 135.5124)),
    ("2-chome Umeda, Kita-ku, water rising", "梅田二丁目", "北区", "address", (34.6986, 135.4939)),
    ("Power is out around Namba 1-2-3", "難波一丁目", "中央区", "address", (34.6676, 135.5017)),
    ("Nipponbashi 3-chome is flooded", "日本橋三丁目", "浪速区", "address", (34.6620, 135.5064)),
    ("Flooding at 3-chome Nipponbashi, Naniwa-ku", "日本橋三丁目", "浪速区", "address", (34.6620, 135.5064)),
    ("Building collapsed at Nishi-Kujo 5-chome", "西九条五丁目", "此花区", "address", (34.6851, 135.4647)),
    ("Nishi Kujo 5-chome: a house is on fire", "西九条五丁目", "此花区", "address", (34.6851, 135.4647)),
    ("Smoke near Higashi-Shinsaibashi 1-chome", "東心斎橋一丁目", "中央区", "address", (34.6734, 135.5043)),
    ("Juso-Higashi 2-chome is flooded, cars stuck", "十三東二丁目", "淀川区", "address", (34.7204, 135.4840)),
    ("Temma 1-chome: the street is flooded", "天満一丁目", "北区", "address", (34.6944, 135.5201)),  # Hepburn m
    ("Tenjinbashi 2-choume, fire in a house", "天神橋二丁目", "北区", "address", (34.6965, 135.5124)),
    ("Sonezaki 2丁目 smoke", "曾根崎二丁目", "北区", "address", (34.7001, 135.5008)),
    ("夕陽丘のあたり、まだ停電", "四天王寺前夕陽ケ丘", "天王寺区", "station", (34.6555, 135.5165)),
    ("あべの歩道橋の継ぎ目に段差", "阿倍野歩道橋", "阿倍野区", "landmark", (34.6455, 135.5130)),
    ("#SOS Kita-ku Nakatsu, water on the stairs", "中津", "北区", "station", (34.7115, 135.4917)),
    ("Black smoke over Soemoncho, Chuo-ku", "宗右衛門町", "中央区", "town", (34.6697, 135.5042)),
    ("Shimanouchi 1-chome: no water since morning", "島之内一丁目", "中央区", "address", (34.6735, 135.5086)),
    ("Uehonmachi 6-chome, smoke from a building", "上本町六丁目", "天王寺区", "address", (34.6650, 135.5191)),
    ("Tenjinbashisuji 6-chome station is closed", "天神橋筋六丁目", "北区", "station", (34.7100, 135.5115)),
    ("Tenroku crossing: the signals are out", "天神橋筋六丁目", "北区", "station", (34.7100, 135.5115)),
    # romanised ward names with the direction apart: never the ward without it (淀川区, 住吉区)
    ("Power out in Higashi-Yodogawa-ku", "東淀川区", "東淀川区", "ward", (34.7427, 135.5335)),
    ("Flooding in Nishi-Yodogawa ward", "西淀川区", "西淀川区", "ward", (34.7099, 135.4575)),
    ("Higashi Sumiyoshi ku: no water", "東住吉区", "東住吉区", "ward", (34.6220, 135.5262)),
    ("Power is out all over Higashiyodogwa-ku", "東淀川区", "東淀川区", "ward", (34.7427, 135.5335)),  # a typo
    ("Tenoji ward: many people on the streets", "天王寺区", "天王寺区", "ward", (34.6543, 135.5191)),
    # bridges and river facilities (landmarks.csv)
    ("桜宮橋の下、水があふれそう", "桜宮橋", "北区", "landmark", (34.7000, 135.5225)),
    ("毛馬閘門の近くで堤防から水が漏れてる", "毛馬閘門", "北区", "landmark", (34.7175, 135.5255)),
    ("尻無川水門付近で冠水", "尻無川水門", "大正区", "landmark", (34.6525, 135.4660)),
    ("十三大橋で車が立ち往生してる", "十三大橋", "淀川区", "landmark", (34.7135, 135.4855)),
    ("尻無川の水門が閉まったらしい", "尻無川水門", "大正区", "landmark", (34.6525, 135.4660)),  # with の
    ("毛馬の閘門の近くで水があふれてる", "毛馬閘門", "北区", "landmark", (34.7175, 135.5255)),
    ("天保山の大橋が通行止め", "天保山大橋", "港区", "landmark", (34.6600, 135.4290)),
    # a bridge the gazetteer does not know, named after a town: the town
    ("豊里大橋で渋滞して動かへん", "豊里", "東淀川区", "town", (34.7397, 135.5411)),
    # a park whose name is a place of another ward: the park's own ward
    ("住吉公園で木が倒れて道ふさいでる", "住吉公園", "住之江区", "facility", (34.6115, 135.4905)),
    ("長居公園に避難してる人でいっぱい", "長居公園", "東住吉区", "facility", (34.6135, 135.5170)),
    # university hospitals: the hospital, never the university's campus in another ward
    ("市大病院の救急がいっぱい", "大阪公立大学医学部附属病院", "阿倍野区", "facility", (34.6480, 135.5115)),
    ("大阪公立大学病院に搬送されました", "大阪公立大学医学部附属病院", "阿倍野区", "facility", (34.6480, 135.5115)),
    ("父が大阪市立大学病院に運ばれた", "大阪公立大学医学部附属病院", "阿倍野区", "facility", (34.6480, 135.5115)),
    ("市大の病院の前で事故", "大阪公立大学医学部附属病院", "阿倍野区", "facility", (34.6480, 135.5115)),
    ("大阪歯科大学病院の前で人が倒れてる", "大阪歯科大学附属病院", "中央区", "facility", (34.6868, 135.5190)),
    # an Osaka town whose name holds another city's name: 和泉町 ⊃ 和泉(市), 西宮原 ⊃ 西宮, 小松原町 ⊃ 松原
    ("中央区和泉町1丁目で火事", "和泉町一丁目", "中央区", "address", (34.6797, 135.5156)),
    ("淀川区西宮原2丁目で冠水してる", "西宮原二丁目", "淀川区", "address", (34.7355, 135.4915)),
    ("北区小松原町で停電", "小松原町", "北区", "town", (34.7030, 135.5010)),
]

#: Misspelled or half-kana ward names, one edit (or the same reading) away from exactly one ward.
ISSUE_17_WARDS = [
    ("東淀側区で停電してる", "東淀川区"),
    ("阿部野区で火事", "阿倍野区"),
    ("浪花区で停電、信号も消えてる", "浪速区"),  # 浪花 reads なにわ like 浪速
    ("淀側区で停電", "淀川区"),
    ("天王子区で火事", "天王寺区"),
    ("住ノ江区で冠水", "住之江区"),  # the station's spelling of the ward
    ("住の江区で冠水", "住之江区"),
    ("住之江くで冠水", "住之江区"),
    ("城東くで停電", "城東区"),
    ("都島くで断水", "都島区"),
]

ISSUE_17_NOT_LOCATED = [
    # a neighbouring city's town that holds an Osaka town name: matched as a whole name, never inside
    "東大阪市の島之内で停電してる",
    "東大阪市島之内2丁目で火事",
    "東大阪の島之内で停電",
    "堺市北区の長曽根町で火事",
    "守口市大日で冠水",
    "大阪府守口市大日町1丁目で冠水",
    "尼崎市今福で停電",
    "門真市堂山町で火事",
    "豊中市庄内栄町で停電",
    "吹田市江坂町で冠水",
    # university hospitals outside the city (吹田市, 枚方市, 守口市): no pin, and not the campus
    "阪大病院に搬送された",
    "大阪大学医学部附属病院に運ばれた",
    "関西医科大学総合医療センターへ搬送",
    # an ambiguous name (two parks of the same name in two wards) and no ward named: no guess
    "大道南公園に避難しています",
    # a river facility whose place the gazetteer does not know: no pin at a river or a town of that name
    "道頓堀川水門が閉鎖されたらしい",
    "和泉市で停電",
    "西宮市の実家、断水してるって",
    "松原市で停電",
    "堺の三国ヶ丘で停電",  # 堺 alone is the city; 三国 (淀川区) is only part of 三国ヶ丘
    "三国ヶ丘駅の近くで火事",
    # a surname with くん is a person, not a ward
    "平野くんが来てくれた",
]


@pytest.mark.parametrize(("text", "place", "ward", "precision", "near"), ISSUE_17_LOCATED,
                         ids=[c[0] for c in ISSUE_17_LOCATED])
def test_issue_17_place_classes(full_analyser, text, place, ward, precision, near):
    a = full_analyser.analyse_one(text)
    assert (a.place, a.ward, a.precision) == (place, ward, precision)
    assert distance_km(a.lat, a.lon, *near) < 1.0


@pytest.mark.parametrize(("text", "ward"), ISSUE_17_WARDS, ids=[c[0] for c in ISSUE_17_WARDS])
def test_issue_17_misspelled_ward(full_analyser, text, ward):
    a = full_analyser.analyse_one(text)
    assert (a.place, a.ward, a.precision) == (ward, ward, "ward")


@pytest.mark.parametrize("text", ISSUE_17_NOT_LOCATED)
def test_issue_17_not_located(full_analyser, text):
    a = full_analyser.analyse_one(text)
    assert (a.place, a.ward, a.lat, a.lon, a.precision) == (None, None, None, None, None)


def test_a_misspelling_between_two_wards_is_no_guess():
    from nlp.geoparser import misspelled_ward

    assert misspelled_ward("東淀側") == "東淀川区"
    assert misspelled_ward("住吉江") is None  # one edit from 住之江 and from 東住吉: no guess
    assert misspelled_ward("この地") is None


def test_the_ward_named_in_the_post_resolves_an_ambiguous_park(full_analyser):
    a = full_analyser.analyse_one("東淀川区の大道南公園に避難しています")
    assert a.ward == "東淀川区" and a.place == "大道南公園"


def test_an_osaka_town_beside_a_neighbour_city_is_kept(full_analyser):
    # the post names 守口市 (where the writer came from) and an Osaka address: the Osaka one is placed
    a = full_analyser.analyse_one("守口市から帰る途中、旭区大宮3丁目で道路が冠水")
    assert (a.ward, a.precision) == ("旭区", "address")


def test_university_hospitals_in_english(full_analyser):
    assert full_analyser.analyse_one("Taken to Osaka City University Hospital by ambulance").ward == "阿倍野区"
    assert full_analyser.analyse_one("My tooth broke, going to Osaka Dental University Hospital").ward == "中央区"


# the ward the post names decides between places of one name in two wards, and a short name in that ward
NAMED_WARD = [
    # (text, place, ward, precision, near)
    ("東住吉区の長居で木が倒れた", None, "東住吉区", "facility", (34.6135, 135.5170)),  # 長居公園's side, not 長居駅
    ("長居の公園に避難してます", "長居公園", "東住吉区", "facility", (34.6135, 135.5170)),
    ("北区の天満橋で事故", "天満橋", "北区", "town", (34.7035, 135.5176)),  # the town, not the station in 中央区
    ("中央区の天満橋で事故", "天満橋", "中央区", "station", (34.6912, 135.5148)),
    ("浪速区の日本橋で停電", "日本橋", "浪速区", "town", (34.6620, 135.5064)),
    ("中央区の日本橋で停電", "日本橋", "中央区", "station", (34.6667, 135.5065)),
    ("都島区の京橋で人があふれてる", "京橋", "都島区", "station", (34.6966, 135.5336)),
    ("花博の公園に人が集まってる", "鶴見緑地", "鶴見区", "landmark", (34.7100, 135.5780)),
    ("桜ノ宮公園で木が倒れた", "毛馬桜之宮公園", "都島区", "landmark", (34.7030, 135.5200)),
    ("住吉さんの前の道が冠水してる", "住吉大社", "住吉区", "landmark", (34.6124, 135.4930)),
]


@pytest.mark.parametrize(("text", "place", "ward", "precision", "near"), NAMED_WARD, ids=[c[0] for c in NAMED_WARD])
def test_the_named_ward_decides(full_analyser, text, place, ward, precision, near):
    a = full_analyser.analyse_one(text)
    assert (a.ward, a.precision) == (ward, precision)
    assert place is None or a.place == place
    assert distance_km(a.lat, a.lon, *near) < 1.0


def test_a_name_with_no_place_in_the_named_ward_keeps_its_own(full_analyser):
    # 天王寺 station is in 天王寺区; nothing called 天王寺… in 阿倍野区 but towns: the station stands
    a = full_analyser.analyse_one("阿倍野区の天王寺で停電")
    assert (a.place, a.ward) == ("天王寺", "天王寺区")


def test_numbers_after_a_romanised_town_that_are_no_address(full_analyser):
    a = full_analyser.analyse_one("Namba 2-3 hours delay on all trains")
    assert a.precision == "station" and a.ward == "中央区"


#: Other places' names that are everyday words or surnames do not make a post about another city.
WORDLIKE = [
    ("港区の防災無線で大津波警報が発表されたって", "港区"),  # 大津 (大津市) inside 大津波
    ("大分揺れたけど北区は停電だけ", "北区"),  # 大分 (だいぶ), not 大分県
    ("千葉さんの家、生野区で倒壊してる", "生野区"),
    ("松原さんが西成区で倒れてる", "西成区"),
]


@pytest.mark.parametrize(("text", "ward"), WORDLIKE, ids=[c[0] for c in WORDLIKE])
def test_a_word_that_is_also_a_city_name(full_analyser, text, ward):
    assert full_analyser.analyse_one(text).ward == ward


def test_the_city_itself_still_counts(full_analyser):
    for text in ("大分で地震があったらしい、北区の話ちゃう", "松原市で停電", "千葉の実家が停電"):
        assert full_analyser.analyse_one(text).ward is None, text
    assert full_analyser.analyse_one("Kujo 3 people trapped").precision == "station"  # a count, not 丁目 3


def test_a_short_romanised_town_counts_only_beside_its_ward(full_analyser):
    assert full_analyser.analyse_one("Underpass at Noda is flooded").precision is None  # no ward named
    assert full_analyser.analyse_one("Noda, Fukushima-ku: underpass flooded").place == "野田"
    a = full_analyser.analyse_one("Soemoncho, Kita-ku")  # 宗右衛門町 is in 中央区: no town in 北区
    assert (a.ward, a.precision) == ("北区", "ward")


#: Issue 17, round 3: what train's independent batches still missed.
ROUND_3 = [
    # a long romanised town alone is no English word
    ("Black smoke over Soemoncho", "宗右衛門町", "中央区", "town", (34.6690, 135.5035)),
    ("Where's the nearest shelter for Kitahorie?", "堀江", "西区", "landmark", (34.6730, 135.4920)),  # 北堀江 is its alias
    # a town and its 丁目 number without "chome", where the number counts nothing
    ("Tsurumachi 4, Taisho. seawater pouring in", "鶴町四丁目", "大正区", "address", (34.6444, 135.4546)),
    ("Tsukuda 3: water over the embankment", "佃三丁目", "西淀川区", "address", (34.7133, 135.4422)),
    ("Our mosque in Utajima 2 is giving out water", "歌島二丁目", "西淀川区", "address", (34.7147, 135.4624)),
    ("Juso Honmachi 1. the water keeps rising", "十三本町一丁目", "淀川区", "address", (34.7215, 135.4830)),
    # places in kana as words of their own, in posts written in spaced kana
    ("しんさいばし に いる。119 つながらない", "心斎橋", "中央区", "station", (34.6750, 135.5010)),
    ("みず が みち に いっぱい。べんてんちょう。", "弁天町", "港区", "station", (34.6693, 135.4622)),
    ("なかのしま こうえん で ひと が ながされて", "中之島公園", "北区", "landmark", (34.6925, 135.5075)),
    ("にしなり の アパート、1かい みず いっぱい", "西成区", "西成区", "ward", (34.6372, 135.4947)),
    ("けが。くじょう 1ちょうめ", "九条一丁目", "西区", "address", (34.6748, 135.4757)),
    ("でられません。ひらの ほんまち 2ちょうめ です", "平野本町二丁目", "平野区", "address", (34.6221, 135.5502)),
    ("しろきた こうえん の ちかく です", "城北公園", "旭区", "facility", (34.7280, 135.5420)),  # GSI's shelter
    # a care home by its own name, without its type (GSI: 特別養護老人ホームからまつ苑)
    ("からまつ苑の職員です。1階浸水", "特別養護老人ホームからまつ苑", "都島区", "facility", (34.7065, 135.5239)),
    # @ before a Japanese name is "at", not an account
    ("ツアー大阪公演@大阪城ホール、停電するかと思った", "大阪城ホール", "中央区", "facility", (34.6893, 135.5330)),
    # a ward right before a town of it: the address, not the station of that name
    ("旭区清水・太子橋の一部でガスの供給を停止", "清水", "旭区", "town", (34.7240, 135.5510)),
    # English names of landmarks
    ("Watched a documentary at Peace Osaka today", "ピースおおさか", "中央区", "facility", (34.6835, 135.5305)),
    ("part of the car park at Cosmo Square collapsed", "コスモスクエア", "住之江区", "station", (34.6385, 135.4140)),
    # a one-kanji town right after its ward, with its 丁目 number
    ("大阪市西淀川区佃3-2-17で火災", "佃三丁目", "西淀川区", "address", (34.7133, 135.4422)),
    ("鶴見区浜2丁目で停電", "浜二丁目", "鶴見区", "address", (34.7084, 135.5824)),
    # a kana reading of three different names (住之江, 住ノ江, 墨江) is no place; the next word decides
    ("くすり を ひやす ところ ありますか? すみのえ きたかがや", "北加賀屋", "住之江区", "station", (34.6214, 135.4795)),
    # the ward named and a bare town of another ward: the ward (安治川 is a town of 西区 and a river)
    ("此花区、安治川の水位やばい", "此花区", "此花区", "ward", (34.6827, 135.4525)),
    # a name shared with a famous place elsewhere stays Osaka's when only neighbours are named
    ("京阪、京橋で運転打ち切り。守口まで歩くか", "京橋", "都島区", "station", (34.6966, 135.5336)),
    ("【阪急電鉄】京都線 淡路〜茨木市間は運転見合わせ", "淡路", "東淀川区", "station", (34.7395, 135.5195)),
    # katakana names and station nicknames written in hiragana, a particle glued after them
    ("ゆにばの じぇっとこーすたー とまって", "ユニバーサル・スタジオ・ジャパン", "此花区", "facility", (34.6654, 135.4323)),
    ("はるかすの ちかくで がらす おちてきて", "あべのハルカス", "阿倍野区", "facility", (34.6459, 135.5135)),
    ("てんろくの しょうてんがい", "天神橋筋六丁目", "北区", "station", (34.7100, 135.5115)),
    # where people come from is not where it happens, when another place is named
    ("安治川口駅付近が冠水。ユニバ帰りの人で駅前ぎゅうぎゅう", "安治川口", "此花区", "station", (34.6750, 135.4450)),
    # a station named after a river, before the river's levee, is the river
    ("にしよどがわく ひなんしじ でてる　かんざきがわ の ていぼう あぶない", "西淀川区", "西淀川区", "ward",
     (34.7099, 135.4575)),
    # the tail of a hyphenated romanised name is not the town of that tail (元町 is in 浪速区)
    ("lives in Ichioka-motomachi 2-chome, Minato-ku", "市岡", "港区", "town", (34.6615, 135.4619)),
    ("我們的朋友在大阪中央區失聯了", "中央区", "中央区", "ward", (34.6826, 135.5092)),  # traditional 區
    # a town named after a station or ward, that part written in kana
    ("じゅうそう本町1丁目、停電でエレベーター止まって", "十三本町一丁目", "淀川区", "address", (34.7192, 135.4803)),
    ("あべの筋1丁目のマンション、外壁にヒビ", "阿倍野筋一丁目", "阿倍野区", "address", (34.6457, 135.5133)),
    # visitors' Korean and Chinese names
    ("코리아타운 근처 집이 무너졌어요", "コリアタウン", "生野区", "landmark", (34.6620, 135.5360)),
    ("심사이바시 근처에 있는 관광객입니다", "心斎橋", "中央区", "station", (34.6750, 135.5010)),
    ("我们在环球影城站附近的酒店一楼", "ユニバーサルシティ", "此花区", "station", (34.6675, 135.4355)),
    ("동스미요시구에 사는 친구가 연락이 안 돼요", "東住吉区", "東住吉区", "ward", (34.6220, 135.5262)),
    # another city named, but the post has said it is in Osaka City: a bare ward after that is Osaka's
    ("河内長野の妹が大阪市内に出張中。北区のホテル泊まってるはず", "北区", "北区", "ward", (34.7054, 135.5116)),
    # names in romanised Japanese, words joined (a shorter name inside gives way: nagai, the station)
    ("kitano byouin kega no hito ippai matteru", "北野病院", "北区", "facility", (34.7060, 135.5040)),
    ("takadono shougakkou ni hinan shimashita", "高殿小学校", "旭区", "facility", (34.7179, 135.5430)),
    ("nagai kouen de jogingu shitetara", "長居公園", "東住吉区", "facility", (34.6131, 135.5210)),
    # a short romaji word is a word (fuku: clothes), not 福 station (「fuku station」 still is)
    ("nishi-ku de mayoigo. pinku no fuku", "西区", "西区", "ward", (34.6762, 135.4872)),
    # a school named by one kanji, said in kana (巽 たつみ)
    ("たつみしょうがっこう ひなんじょ いっぱい", "巽小学校", "生野区", "facility", (34.6458, 135.5522)),
    # the area a notice addresses (…方面の方) is not where the post's place is
    ("【港区役所】弁天小学校を避難所として開設。海岸通・築港方面の方はお早めに", "弁天小学校", "港区", "facility",
     (34.6680, 135.4600)),
]


@pytest.mark.parametrize(("text", "place", "ward", "precision", "near"), ROUND_3, ids=[c[0] for c in ROUND_3])
def test_issue_17_round_3_places(full_analyser, text, place, ward, precision, near):
    a = full_analyser.analyse_one(text)
    assert (a.place, a.ward, a.precision) == (place, ward, precision)
    assert distance_km(a.lat, a.lon, *near) < 1.0


def test_kana_words_need_a_word_of_their_own(full_analyser):
    # glued to other kana, or an everyday word the dictionary knows (つるはし: a pickaxe), a reading is no place;
    # a kana name inside a longer kana word is part of it (たかみ… ⊃ かみしょうがっこう: see KANA_WORDS, 高見小学校)
    for text in ("しんさいばしにいる", "つるはし で がれき を どけた", "みどり の いえ"):
        assert full_analyser.analyse_one(text).lat is None, text
    assert full_analyser.analyse_one("でんしゃ とまってコスモスクエアで あしどめ").place == "コスモスクエア"  # 〜てコ…: a boundary


def test_a_kana_city_needs_a_particle_after_it(full_analyser):
    # すいた is 空いた as often as 吹田: alone at the end it is the word, and the school stays
    a = full_analyser.analyse_one("ひなんじょ ふかえ しょうがっこう に いる。こども おなか すいた")
    assert a.place == "深江小学校"


def test_numbers_after_a_romanised_town_that_count_something(full_analyser):
    for text in ("Tsurumachi 3 people still inside", "Utajima 2 hours without power"):
        assert full_analyser.analyse_one(text).precision != "address", text


def test_the_osaka_namesake_of_another_city_still_counts_when_it_is_the_news(full_analyser):
    # only the namesake said to be unaffected goes; an Osaka place with its own news stays
    assert full_analyser.analyse_one("東京都港区で防災訓練。大阪の港区とは大違いや").lat is None
    a = full_analyser.analyse_one("東京から出張中。梅田で電車止まってる")
    assert a.place == "梅田"
    assert full_analyser.analyse_one("梅田は大丈夫やけど京橋でガラス割れた").lat is not None


#: Round 2 of issue 17's places (kana-only posts, visitors' Chinese, school shelters said in kana).
KANA_AND_HANZI = [
    # a ward spelled in katakana, as in telegram-style posts; キタ there is 来た, not the district
    ("ヤネ オチタ タスケテ コノハナク", "此花区", "此花区", "ward", (34.6827, 135.4525)),
    ("ミズ キタ ミナトク", "港区", "港区", "ward", (34.6641, 135.4613)),
    ("ドア ニ ミズ ハイッテキタ ツルミク", "鶴見区", "鶴見区", "ward", (34.7048, 135.5728)),
    # a town read in kana right after its ward (any script): the ward vouches for the reading
    ("みなとく いちおか の いえ みず", "市岡", "港区", "town", (34.6615, 135.4619)),
    ("ミナトク ヤハタヤ ケムリ デテル", "八幡屋", "港区", "town", (34.6547, 135.4465)),
    ("港区 いちおかで ていでん", "市岡", "港区", "town", (34.6615, 135.4619)),
    ("みず いっぱい にしく あわざ", "阿波座", "西区", "station", (34.6812, 135.4870)),  # にしく only with its town
    # school shelters said in kana, spaced or not
    ("ふかえ しょうがっこう に ひなん してます", "深江小学校", "東成区", "facility", (34.6722, 135.5560)),
    ("いちおかちゅうがっこう の たいいくかん さむい", "市岡中学校", "港区", "facility", (34.6666, 135.4617)),
    ("シカンジマ ショウガッコウ ニ イマス", "四貫島小学校", "此花区", "facility", (34.6850, 135.4546)),
    # simplified Chinese spellings of Japanese place names (难 桥 宫 阁 馆 站)
    ("难波站 停电了，怎么办", "なんば", "中央区", "station", (34.6660, 135.5010)),
    ("新今宫站人很多", "新今宮", "浪速区", "station", (34.6500, 135.5013)),
    ("通天阁 附近 着火了", "通天閣", "浪速区", "landmark", (34.6525, 135.5063)),
    ("我们在海游馆，停电了", "海遊館", "港区", "facility", (34.6545, 135.4290)),
    ("日本桥二丁目 的楼倒了", "日本橋二丁目", "中央区", "address", (34.6640, 135.5071)),
    ("黑门市场 停电了", "黒門市場", "中央区", "landmark", (34.6654, 135.5066)),  # an alias with 门 and 场
    ("我在心斋桥的地下", "心斎橋", "中央区", "station", (34.6750, 135.5010)),
    # short names people use for a district, hospital, shopping street or hotel
    ("あいりんのあたりで火事", "あいりん地区", "西成区", "landmark", (34.6470, 135.5020)),
    ("急性期センターに運ばれた", "大阪急性期・総合医療センター", "住吉区", "facility", (34.6110, 135.5150)),
    ("駒川商店街で冠水", "駒川中野", "東住吉区", "station", (34.6190, 135.5310)),
    ("We are stuck at the Rihga Royal hotel", "リーガロイヤルホテル", "北区", "facility", (34.6920, 135.4875)),
    ("Lobby of Grand Front Osaka is full", "グランフロント大阪", "北区", "facility", (34.7040, 135.4945)),
    # a bare two-character town before a word for a home, a relative or a shop there
    ("喜連のおばあちゃん、停電で困ってる", "喜連", "平野区", "town", (34.6129, 135.5541)),
    ("鶴町の実家が浸水した", "鶴町", "大正区", "town", (34.6395, 135.4556)),
]


@pytest.mark.parametrize(("text", "place", "ward", "precision", "near"), KANA_AND_HANZI,
                         ids=[c[0] for c in KANA_AND_HANZI])
def test_kana_and_hanzi_place_names(full_analyser, text, place, ward, precision, near):
    a = full_analyser.analyse_one(text)
    assert (a.place, a.ward, a.precision) == (place, ward, precision)
    assert distance_km(a.lat, a.lon, *near) < 1.0


def test_everyday_kana_is_no_place(full_analyser):
    # a town's reading inside a longer kana word is no place (いちおか alone is 市岡: see KANA_WORDS); a kana
    # word after a ward that is no town of it leaves the ward; キタ after a verb stem is 来た
    for text, ward in (("いちおかさんの いえ たすけて", None), ("みなとく みず きた", "港区"), ("ナンカ ミズ ハイッテキタ", None),
                       ("きたく できない でんしゃ とまった", None), ("JR大阪環状線は運転見合わせ", None),
                       ("でんしゃ とまって きたく できない", None), ("にしく", None)):
        a = full_analyser.analyse_one(text)
        assert (a.ward, a.precision) == (ward, "ward" if ward else None), text


#: Issue 17 round 19: places a kana post writes as words of their own, resolved like their kanji spelling —
#: by the readings the gazetteer has (Sudachi's, or a station's in stations.csv where Sudachi misreads the name).
KANA_WORDS = [
    # a town (5 kana), in hiragana and katakana, a particle glued to it at most
    ("ちゃやまちの まんしょんの えれべーたー とまった", "茶屋町", "北区", "town", (34.7068, 135.4995)),
    ("チャヤマチ ノ マンション ミズ キタ", "茶屋町", "北区", "town", (34.7068, 135.4995)),
    # a 丁目 of a town named after its station: the station's reading (Sudachi: てんかちゃや), digit or kana numeral
    ("てんがちゃや2ちょうめ ぶんかじゅうたく くずれて", "天下茶屋二丁目", "西成区", "address", (34.6381, 135.4989)),
    ("てんがちゃや にちょうめ で かじ", "天下茶屋二丁目", "西成区", "address", (34.6381, 135.4989)),
    ("ももだにさんちょうめの いえ つぶれた", "桃谷三丁目", "生野区", "address", (34.6600, 135.5351)),
    # a town read by a station of its name (上本町: 大阪上本町), by its town and direction (大今里 + 南)
    ("うえほんまち6ちょうめ ていでん えれべーたー うごかへん", "上本町六丁目", "天王寺区", "address", (34.6650, 135.5191)),
    ("いえ つぶれた おおいまざとみなみ3ちょうめ はよきて", "大今里南三丁目", "東成区", "address", (34.6664, 135.5499)),
    ("だいこく しょうがっこう で みず もらえる?", "大国小学校", "浪速区", "facility", (34.6536, 135.4970)),
    # words apart that spell one town before its 丁目: 平野本町, not 本町 (中央区)
    ("おばあさん なか に います。ひらの ほんまち 2ちょうめ です", "平野本町二丁目", "平野区", "address", (34.6221, 135.5502)),
    # a station, a landmark, a facility's katakana name in hiragana (ゆにば, てんろく: ROUND_3)
    ("しんおおさか から かえれへん", "新大阪", "淀川区", "station", (34.7334, 135.5002)),
    ("つうてんかくの らいとあっぷ みえへん", "通天閣", "浪速区", "landmark", (34.6525, 135.5063)),
    ("こすもたわーの えれべーたー とまった", "さきしまコスモタワー", "住之江区", "facility", (34.6385, 135.4165)),
    # a park and a shopping street, their suffix in kana, and a school shelter (墨江 is すみえ: no second school)
    ("ちしまこうえんで みず くばってる", "千島公園", "大正区", "landmark", (34.6535, 135.4745)),
    ("からほりしょうてんがいの あきや つぶれた", "空堀商店街", "中央区", "landmark", (34.6740, 135.5165)),
    ("すみのえしょうがっこうの ひなんじょ みるく ない", "住之江小学校", "住之江区", "facility", (34.6099, 135.4792)),
    # 高見 is たかみ (Sudachi: こうけん): the whole word is 高見小学校, not 加美小学校 (平野区) inside it
    ("たかみしょうがっこうの ひなんじょ もうふ たりひん", "高見小学校", "此花区", "facility", (34.6905, 135.4604)),
    # names as well known elsewhere count as their kanji do, in a post naming no other city
    ("きょうばしの ほう で ばくはつ みたいな おと", "京橋", "都島区", "station", (34.6966, 135.5336)),
    # a spelling that is also an everyday word (a pickaxe), before a word for a place there
    ("つるはしの しょうてんがい あーけーど とんだ", "鶴橋", "生野区", "station", (34.6654, 135.5306)),
]


@pytest.mark.parametrize(("text", "place", "ward", "precision", "near"), KANA_WORDS, ids=[c[0] for c in KANA_WORDS])
def test_kana_words_are_places(full_analyser, text, place, ward, precision, near):
    a = full_analyser.analyse_one(text)
    assert (a.place, a.ward, a.precision) == (place, ward, precision)
    assert distance_km(a.lat, a.lon, *near) < 1.0


@pytest.mark.parametrize("text", [
    "ながい こと まってる",  # 長い, not 長居
    "なんかい も でんわ した けど つながらへん",  # 何回, not the town 南開
    "みなみの ほう くもってる",  # 南, not ミナミ
    "つるはしで がれき どけた",  # a pickaxe, not 鶴橋
    "おおさかの じしん こわい",  # 大阪, not the town 逢阪 (read おおさか)
    "よどがわ あふれそう",  # the river, not 淀川駅
    "いちおかさんの いえ",  # inside a longer kana word (a person)
    "なんかいこうえん で まってる",  # 南開公園 or 南海公園, 2 km apart: no ward to choose
])
def test_everyday_kana_words_are_no_places(full_analyser, text):
    assert full_analyser.analyse_one(text).lat is None
