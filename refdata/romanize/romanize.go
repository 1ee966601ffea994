// Package romanize gives administrative units their pinyin names
// ("岳西县" is "Yuexi", "西安市" is "Xi'an"), the way the reference data
// spell them in nameEn.
//
// The names are generated, not looked up: each character is read by its
// most common reading, corrected for the readings place names use (长 is
// cháng in 长沙 and 长春, 枞 is zōng in 枞阳) and by a table of whole
// names that no per-character rule gets right (陕西 is "Shaanxi", 六安
// "Lu'an"). A name the rules get wrong is fixed by adding it to names.
package romanize

import (
	"strings"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
)

// Name returns the pinyin name of a unit's Chinese name: the name without
// its generic suffix (省, 市, 县, 镇, 街道, 社区, an autonomous area's
// peoples…) when at least two characters remain, one capitalized word,
// with an apostrophe where a syllable starting with a, o or e would run
// into the one before ("Xi'an"). Characters that are not Han are kept as
// they are; a name without Han characters is returned unchanged.
func Name(chinese string) string {
	stem := Stem(chinese)
	if en, ok := names[stem]; ok {
		return en
	}
	var b strings.Builder
	for _, r := range stem {
		syl := syllable(r)
		if syl == "" {
			b.WriteRune(r)
			continue
		}
		if b.Len() > 0 && strings.ContainsRune("aoe", rune(syl[0])) && endsWithLetter(b.String()) {
			b.WriteByte('\'')
		}
		b.WriteString(syl)
	}
	s := b.String()
	if s == "" {
		return ""
	}
	first, size := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(first)) + s[size:]
}

// Stem returns a unit's name without its generic suffix, as Name spells
// it: "岳西县" is "岳西", "广西壮族自治区" is "广西", "和县" stays "和县"
// because one character would be too little to name it by.
func Stem(name string) string {
	name = strings.TrimSpace(name)
	stem := stripAutonomy(name)
	for _, suffix := range suffixes {
		if s, ok := strings.CutSuffix(stem, suffix); ok && utf8.RuneCountInString(s) >= 2 {
			return s
		}
	}
	if utf8.RuneCountInString(stem) >= 2 {
		return stem
	}
	return name
}

// suffixes are the generic suffixes of unit names, longest first.
var suffixes = []string{
	"街道办事处", "特别行政区", "林区", "地区", "新区", "街道", "社区", "苏木",
	"省", "市", "区", "县", "旗", "盟", "镇", "乡", "村",
}

// stripAutonomy cuts an autonomous area's suffix and the peoples before
// it: "双江拉祜族佤族布朗族傣族自治县" is "双江", "新疆维吾尔自治区" is
// "新疆". A name that is not an autonomous area's is returned unchanged.
func stripAutonomy(name string) string {
	i := strings.LastIndex(name, "自治")
	if i < 0 || utf8.RuneCountInString(name[i:]) != 3 {
		return name
	}
	stem := name[:i]
	for {
		cut := false
		for _, p := range peoples {
			if s, ok := strings.CutSuffix(stem, p+"族"); ok && s != "" {
				stem, cut = s, true
			} else if s, ok := strings.CutSuffix(stem, p); ok && s != "" && p == "维吾尔" {
				stem, cut = s, true
			}
		}
		if !cut {
			break
		}
	}
	if utf8.RuneCountInString(stem) < 2 {
		return name
	}
	return stem
}

// peoples are the names of China's peoples, as autonomous areas name them.
var peoples = []string{
	"蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶",
	"白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜",
	"水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗",
	"撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
	"俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春",
	"赫哲", "门巴", "珞巴", "基诺", "各",
}

var args = pinyin.NewArgs()

// syllable returns the toneless pinyin of a Han character, "" for any
// other rune.
func syllable(r rune) string {
	if s, ok := readings[r]; ok {
		return s
	}
	p := pinyin.SinglePinyin(r, args)
	if len(p) == 0 {
		return ""
	}
	return strings.ReplaceAll(p[0], "v", "ü")
}

func endsWithLetter(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r >= 'a' && r <= 'z' || r == 'ü'
}
