package romanize

// readings are the readings place names give characters whose most common
// reading is another one.
var readings = map[rune]string{
	'长': "chang", // 长沙, 长春, 长安
	'都': "du",    // 成都, 都江堰
	'重': "chong", // 重庆
	'厦': "xia",   // 厦门
	'蚌': "beng",  // 蚌埠
	'枞': "zong",  // 枞阳
	'涡': "guo",   // 涡阳
	'筠': "jun",   // 筠连
	'藏': "zang",  // 西藏
}

// names are the pinyin names of units, by their stem, that per-character
// readings get wrong.
var names = map[string]string{
	"陕西":   "Shaanxi",
	"内蒙古":  "Nei Mongol",
	"六安":   "Lu'an",
	"六合":   "Luhe",
	"乐清":   "Yueqing",
	"番禺":   "Panyu",
	"洪洞":   "Hongtong",
	"莘县":   "Shenxian",
	"黄陂":   "Huangpi",
	"单县":   "Shanxian",
	"铅山":   "Yanshan",
	"蔚县":   "Yuxian",
	"大埔":   "Dabu",
	"台州":   "Taizhou",
	"天台":   "Tiantai",
	"丽水":   "Lishui",
	"丽江":   "Lijiang",
	"井陉":   "Jingxing",
	"东阿":   "Dong'e",
	"尉犁":   "Yuli",
	"呼和浩特": "Hohhot",
	"乌鲁木齐": "Urumqi",
	"拉萨":   "Lhasa",
}
