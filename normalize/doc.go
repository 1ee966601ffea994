// Package normalize turns what importers read from Chinese government
// reports into countyhub's model: reported figures ("300余件", "6万余元",
// "近3000人") into quantities that keep their qualifier and unit, dates
// ("2023年8月7日") into ISO 8601 at the precision given, the many ways a
// report names an administrative unit (code, Chinese name, short name,
// pinyin) into the unit itself, and the names counties give a station's
// rooms ("图书阅览室", "长者食堂") into the standard facilities.
//
// Every importer shares these rules and the hub applies them to figures it
// receives as text, so a figure reads the same whichever way it arrives.
// The parsers are strict: a text they cannot read without guessing is an
// error quoting the text, never a silently rounded or widened figure.
package normalize
