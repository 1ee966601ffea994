package romanize_test

import (
	"fmt"
	"testing"

	"github.com/countyhub/countyhub/refdata/romanize"
)

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"岳西县": "Yuexi", "安庆市": "Anqing", "潜山市": "Qianshan", "宿松县": "Susong", "枞阳县": "Zongyang",
		"西安市": "Xi'an", "长沙市": "Changsha", "重庆市": "Chongqing", "厦门市": "Xiamen", "蚌埠市": "Bengbu",
		"六安市": "Lu'an", "陕西省": "Shaanxi", "山西省": "Shanxi", "和县": "Hexian", "吕梁市": "Lüliang",
		"新疆维吾尔自治区": "Xinjiang", "广西壮族自治区": "Guangxi", "内蒙古自治区": "Nei Mongol",
		"双江拉祜族佤族布朗族傣族自治县": "Shuangjiang", "天堂镇": "Tiantang", "城东社区": "Chengdong", "东华门街道": "Donghuamen",
		"Yuexi": "Yuexi",
	} {
		if got := romanize.Name(in); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
}

func ExampleName() {
	fmt.Println(romanize.Name("岳西县"), romanize.Name("西安市"), romanize.Name("和县"))
	// Output: Yuexi Xi'an Hexian
}
