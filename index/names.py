"""Chinese personal names, as general knowledge of the language: the common surnames (index.decide tells a name
jieba's dictionary lacks, cut into characters, by its surname: 何/仲/传)."""

from __future__ import annotations

# Common Chinese surnames (simplified); those that are also a function word or an adverb right after a role (于, 和,
# 都, 常 …: 局长都不知道) left out.
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
                     "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
                     "邵万钱严覃武戴莫孔汤温康施牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝"
                     "包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶牟艾尤阳穆农"
                     "司卓古吉缪简项芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋商刁沙荣"
                     "巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝官封谈匡鞠惠荆冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
                     "厉伊仝郜阚权帅屠豆朴盖练廉禹祖漆巴丰卿狄索宣晋容敬扈晁芮普阙浦戈伏鹿薄邸雍辜羊阿乌裘亓修"
                     "邰赫杭况宿鲜印逯隆茹诸战慕危玉银亢嵇哈湛宾戎勾茅於揭尉冶檀昝奉植衡尧闭")

# The endings of a noun for a person (学生, 律师, 局长, 协警, 女子, 网友): general word formation of Chinese.
PERSON_ENDINGS = tuple("者员师长手生士家人官警工友女男子妇婆爷翁嫂哥姐弟妹妈爸夫妻客民匠主")
# Surnames of two characters (上官正义, 欧阳明): a name may begin with one of these instead.
COMPOUND_SURNAMES = frozenset(["上官", "欧阳", "司马", "诸葛", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "尉迟",
                               "长孙", "宇文", "公孙", "轩辕", "端木", "独孤", "南宫", "西门", "申屠"])
