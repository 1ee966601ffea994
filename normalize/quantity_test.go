package normalize

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
)

func count(v float64, q model.Qualifier) model.Quantity {
	return model.Quantity{Value: v, Qualifier: q, Unit: model.UnitCount}
}

func cny(v float64, q model.Qualifier) model.Quantity {
	return model.Quantity{Value: v, Qualifier: q, Unit: model.UnitCNY}
}

func percent(v float64, q model.Qualifier) model.Quantity {
	return model.Quantity{Value: v, Qualifier: q, Unit: model.UnitPercent}
}

// quantityCases are the table of TestQuantity and the seeds of
// FuzzQuantity. want leaves Text out: the test expects the input there.
// wantErr is a part of the error message; the whole message must also
// quote the text.
var quantityCases = map[string]struct {
	text    string
	unit    string
	want    model.Quantity
	wantErr string
}{
	// Digits.
	"plain":                {text: "19", want: count(19, model.Exact)},
	"full-width digits":    {text: "１９个", want: count(19, model.Exact)},
	"thousands":            {text: "1,225名", want: count(1225, model.Exact)},
	"full-width thousands": {text: "1，225", want: count(1225, model.Exact)},
	"all full-width":       {text: "１，２２５人", want: count(1225, model.Exact)},
	"millions":             {text: "1,234,567人次", want: count(1234567, model.Exact)},
	"decimal":              {text: "1.5", want: count(1.5, model.Exact)},
	"full-width decimal":   {text: "１２．５％", want: percent(12.5, model.Exact)},
	"space before unit":    {text: "3 项", want: count(3, model.Exact)},
	"spaces everywhere":    {text: " 近 3000 人 ", want: count(3000, model.Approximate)},
	"ideographic space":    {text: "\u300030余个\u3000", want: count(30, model.AtLeast)},
	"zero":                 {text: "0个", want: count(0, model.Exact)},

	// Chinese numerals.
	"十九条":    {text: "十九条", want: count(19, model.Exact)},
	"二十":     {text: "二十", want: count(20, model.Exact)},
	"十":      {text: "十", want: count(10, model.Exact)},
	"一百二十三":  {text: "一百二十三", want: count(123, model.Exact)},
	"三百":     {text: "三百 ", want: count(300, model.Exact)},
	"两千元":    {text: "两千元", want: cny(2000, model.Exact)},
	"一千零五":   {text: "一千零五", want: count(1005, model.Exact)},
	"一千零五十":  {text: "一千零五十", want: count(1050, model.Exact)},
	"二十五万":   {text: "二十五万", want: count(250000, model.Exact)},
	"一亿五千万元": {text: "一亿五千万元", want: cny(150000000, model.Exact)},
	"一亿零五百万": {text: "一亿零五百万", want: count(105000000, model.Exact)},
	"三十余个":   {text: "三十余个", want: count(30, model.AtLeast)},
	"六万余元":   {text: "六万余元", want: cny(60000, model.AtLeast)},
	"十余万元":   {text: "十余万元", want: cny(100000, model.AtLeast)},
	"零起":     {text: "零起", want: count(0, model.Exact)},
	"〇":      {text: "〇", want: count(0, model.Exact)},
	"两个":     {text: "两个", want: count(2, model.Exact)},

	// Magnitudes and money.
	"3万":        {text: "3万", want: count(30000, model.Exact)},
	"1.5亿":      {text: "1.5亿", want: count(150000000, model.Exact)},
	"1.5亿元":     {text: "1.5亿元", want: cny(150000000, model.Exact)},
	"135万元":     {text: "135万元", want: cny(1350000, model.Exact)},
	"6万余元":      {text: "6万余元", want: cny(60000, model.AtLeast)},
	"6 万余元":     {text: "6 万余元", want: cny(60000, model.AtLeast)},
	"10余万元":     {text: "10余万元", want: cny(100000, model.AtLeast)},
	"1.1万":      {text: "1.1万", want: count(11000, model.Exact)},
	"0.35万元":    {text: "0.35万元", want: cny(3500, model.Exact)},
	"100万元 CNY": {text: "100万元", unit: model.UnitCNY, want: cny(1000000, model.Exact)},

	// Qualifiers.
	"30余个":     {text: "30余个", want: count(30, model.AtLeast)},
	"300余件":    {text: "300余件", want: count(300, model.AtLeast)},
	"50多次":     {text: "50多次", want: count(50, model.AtLeast)},
	"30+":      {text: "30+", want: count(30, model.AtLeast)},
	"30＋个":     {text: "30＋个", want: count(30, model.AtLeast)},
	"超过500次":   {text: "超过500次", want: count(500, model.AtLeast)},
	"逾100人":    {text: "逾100人", want: count(100, model.AtLeast)},
	"不少于20个":   {text: "不少于20个", want: count(20, model.AtLeast)},
	"至少5家":     {text: "至少5家", want: count(5, model.AtLeast)},
	"超过30余个":   {text: "超过30余个", want: count(30, model.AtLeast)},
	"近3000人":   {text: "近3000人", want: count(3000, model.Approximate)},
	"将近200户":   {text: "将近200户", want: count(200, model.Approximate)},
	"约50":      {text: "约50", want: count(50, model.Approximate)},
	"大约80名":    {text: "大约80名", want: count(80, model.Approximate)},
	"100人左右":   {text: "100人左右", want: count(100, model.Approximate)},
	"50左右":     {text: "50左右", want: count(50, model.Approximate)},
	"约50人左右":   {text: "约50人左右", want: count(50, model.Approximate)},
	"不足10个":    {text: "不足10个", want: count(10, model.AtMost)},
	"不到5起":     {text: "不到5起", want: count(5, model.AtMost)},
	"少于3项":     {text: "少于3项", want: count(3, model.AtMost)},
	"至多8场":     {text: "至多8场", want: count(8, model.AtMost)},
	"不超过20座":   {text: "不超过20座", want: count(20, model.AtMost)},
	"不超过1.5万元": {text: "不超过1.5万元", want: cny(15000, model.AtMost)},

	// Units.
	"100%":          {text: "100%", want: percent(100, model.Exact)},
	"100％":          {text: "100％", want: percent(100, model.Exact)},
	"个次":            {text: "12个次", want: count(12, model.Exact)},
	"default CNY":   {text: "50", unit: model.UnitCNY, want: cny(50, model.Exact)},
	"default PCT":   {text: "95", unit: model.UnitPercent, want: percent(95, model.Exact)},
	"word over CNY": {text: "8个", unit: model.UnitCNY, want: count(8, model.Exact)},
	"% over CNY":    {text: "50%", unit: model.UnitCNY, want: percent(50, model.Exact)},

	// Errors.
	"empty":              {text: "", wantErr: "empty"},
	"blank":              {text: " \t", wantErr: "empty"},
	"余":                  {text: "余", wantErr: "no number"},
	"abc":                {text: "abc", wantErr: "no number"},
	"unit only":          {text: "万元", wantErr: "no number"},
	"qualifier only":     {text: "近", wantErr: "no number"},
	"百 alone":            {text: "百人", wantErr: "no number"},
	"12abc":              {text: "12abc", wantErr: `unexpected "abc"`},
	"number later":       {text: "个5", wantErr: `unexpected "个5"`},
	"two numbers":        {text: "3项19条", wantErr: "more than one number"},
	"space in number":    {text: "1 225", wantErr: "more than one number"},
	"万 then 千":           {text: "1万2千", wantErr: "more than one number"},
	"bad grouping":       {text: "12,25", wantErr: `unexpected ",25"`},
	"long first group":   {text: "1225,000", wantErr: `unexpected ",000"`},
	"trailing point":     {text: "1.", wantErr: `unexpected "."`},
	"leading point":      {text: ".5", wantErr: `unexpected ".5"`},
	"negative":           {text: "-5", wantErr: `unexpected "-5"`},
	"exponent":           {text: "1e5", wantErr: `unexpected "e5"`},
	"5+N":                {text: "5+N", wantErr: `unexpected "N"`},
	"range":              {text: "30-50人", wantErr: `unexpected "-50人"`},
	"余 twice":            {text: "10余万余元", wantErr: `unexpected "余元"`},
	"unit twice":         {text: "3万元元", wantErr: `unexpected "元"`},
	"colloquial 二百五":     {text: "二百五", wantErr: "malformed Chinese numeral"},
	"colloquial 三万五":     {text: "三万五", wantErr: "malformed Chinese numeral"},
	"digits in a row":    {text: "一二", wantErr: "malformed Chinese numeral"},
	"units out of order": {text: "十百", wantErr: "malformed Chinese numeral"},
	"万万":                 {text: "一万万", wantErr: "malformed Chinese numeral"},
	"trailing 零":         {text: "一百零", wantErr: "malformed Chinese numeral"},
	"零 before unit":      {text: "一百零十", wantErr: "malformed Chinese numeral"},
	"conflicting":        {text: "约30余个", wantErr: "conflicting qualifiers APPROXIMATE and AT_LEAST"},
	"at most and more":   {text: "不足10余个", wantErr: "conflicting qualifiers"},
	"too large":          {text: "1" + strings.Repeat("0", 400), wantErr: "out of range"},
	"invalid UTF-8":      {text: "3\xff个", wantErr: "invalid UTF-8"},
	"unknown unit":       {text: "3", unit: "USD", wantErr: `unknown default unit "USD"`},
}

func TestQuantity(t *testing.T) {
	t.Parallel()
	for name, tc := range quantityCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Quantity(tc.text, tc.unit)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("Quantity(%q, %q) = %+v, want error %q", tc.text, tc.unit, got, tc.wantErr)
				}
				if msg := err.Error(); !strings.Contains(msg, tc.wantErr) || !strings.HasPrefix(msg, "quantity "+strconv.Quote(tc.text)+": ") {
					t.Errorf("Quantity(%q, %q) error = %q, want it to quote the text and say %q", tc.text, tc.unit, msg, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Quantity(%q, %q): %v", tc.text, tc.unit, err)
			}
			want := tc.want
			want.Text = tc.text
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Quantity(%q, %q) (-want +got):\n%s", tc.text, tc.unit, diff)
			}
		})
	}
}

func TestQuantityCountWords(t *testing.T) {
	t.Parallel()
	words := map[string]struct{}{
		"个": {}, "件": {}, "人": {}, "名": {}, "支": {}, "条": {}, "次": {}, "起": {}, "家": {},
		"项": {}, "场": {}, "户": {}, "座": {}, "处": {}, "所": {}, "个次": {}, "人次": {},
	}
	for word := range words {
		t.Run(word, func(t *testing.T) {
			t.Parallel()
			text := "7" + word
			got, err := Quantity(text, model.UnitCNY)
			if err != nil {
				t.Fatal(err)
			}
			want := model.Quantity{Value: 7, Qualifier: model.Exact, Unit: model.UnitCount, Text: text}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Quantity(%q) (-want +got):\n%s", text, diff)
			}
		})
	}
}

func FuzzQuantity(f *testing.F) {
	for _, tc := range quantityCases {
		f.Add(tc.text, tc.unit)
	}
	f.Fuzz(func(t *testing.T, text, unit string) {
		q, err := Quantity(text, unit)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "quantity "+strconv.Quote(text)+": ") {
				t.Errorf("Quantity(%q, %q) error %q does not quote the text", text, unit, err)
			}
			return
		}
		if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) || q.Value < 0 {
			t.Errorf("Quantity(%q, %q).Value = %v, want finite and non-negative", text, unit, q.Value)
		}
		switch q.Qualifier {
		case model.Exact, model.AtLeast, model.AtMost, model.Approximate:
		default:
			t.Errorf("Quantity(%q, %q).Qualifier = %q", text, unit, q.Qualifier)
		}
		switch q.Unit {
		case model.UnitCount, model.UnitCNY, model.UnitPercent:
		default:
			t.Errorf("Quantity(%q, %q).Unit = %q", text, unit, q.Unit)
		}
		if q.Text != text {
			t.Errorf("Quantity(%q, %q).Text = %q, want the input", text, unit, q.Text)
		}

		// The figure written out again in words the parser reads is the
		// same figure.
		again := writeQuantity(q)
		got, err := Quantity(again, "")
		if err != nil {
			t.Fatalf("Quantity(%q, %q) = %+v, written %q, which does not read: %v", text, unit, q, again, err)
		}
		got.Text = q.Text
		if diff := cmp.Diff(q, got); diff != "" {
			t.Errorf("Quantity(%q, %q) written as %q reads differently (-first +again):\n%s", text, unit, again, diff)
		}

		// A bound stays a bound: an exact figure qualified in words
		// becomes that bound of the same value, and a qualified figure
		// cannot be qualified again as something else.
		if q.Qualifier == model.Exact {
			for word, want := range map[string]model.Qualifier{"至少": model.AtLeast, "不足": model.AtMost, "约": model.Approximate} {
				b, err := Quantity(word+text, unit)
				if err != nil || b.Qualifier != want || b.Value != q.Value || b.Unit != q.Unit {
					t.Errorf("Quantity(%q, %q) = %+v, %v; want %v %s %s", word+text, unit, b, err, q.Value, want, q.Unit)
				}
			}
		} else if q.Qualifier != model.Approximate {
			if b, err := Quantity("约"+text, unit); err == nil {
				t.Errorf("Quantity(%q, %q) = %+v; a %s figure read as approximate too", "约"+text, unit, b, q.Qualifier)
			}
		}
	})
}

// writeQuantity writes a quantity as a report would word it: "1225个",
// "30余个", "不足5%", "3000元左右".
func writeQuantity(q model.Quantity) string {
	number := strconv.FormatFloat(q.Value, 'f', -1, 64)
	unit := map[string]string{model.UnitCount: "个", model.UnitCNY: "元", model.UnitPercent: "%"}[q.Unit]
	switch q.Qualifier {
	case model.AtLeast:
		return number + "余" + unit
	case model.AtMost:
		return "不足" + number + unit
	case model.Approximate:
		return number + unit + "左右"
	}
	return number + unit
}
