package foi

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

const (
	testPartyDFE int64 = 1
	testPartyHO  int64 = 2
)

// detectionAssets mirrors the demo register (MoU Annex 5) plus an asset with an apostrophe in its alias.
func detectionAssets() []Asset {
	return []Asset{
		{ID: 10, Code: "cid-person-records", Name: "CID person records", ProviderPartyID: testPartyHO, ExchangeID: 100,
			Aliases: []string{"CID", "Casework Information Database", "CID person id", "immigration offenders",
				"request file", "Home Office person records"}},
		{ID: 11, Code: "npd-pupil-matches", Name: "NPD pupil matches", ProviderPartyID: testPartyDFE, ExchangeID: 101,
			Aliases: []string{"National Pupil Database", "NPD", "pupil data", "pupil matches", "school census",
				"pupil records"}},
		{ID: 12, Code: "childrens-services-data", Name: "Children's services data", ProviderPartyID: testPartyDFE,
			ExchangeID: 101, Aliases: []string{"CSC"}},
	}
}

func TestSuggestAssets(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // "code:phrase|phrase" in order
	}{
		{"alias phrase in a real request",
			"How many requests did the Home Office make to the DfE for pupil data in 2016, and how many addresses were returned?",
			[]string{"npd-pupil-matches:pupil data"}},
		{"short alias as a word", "What is the CID used for?", []string{"cid-person-records:CID"}},
		{"short alias in brackets and lower case", "the database (cid) holds", []string{"cid-person-records:CID"}},
		{"short alias never inside a word", "Hydrochloric acid and placid lakes; Cidade", nil},
		{"short alias NPD not inside NPDs", "NPDs and snpd", nil},
		{"case and punctuation insensitive", "NATIONAL-PUPIL-DATABASE extracts",
			[]string{"npd-pupil-matches:National Pupil Database"}},
		{"punctuation between words", "pupil, data", []string{"npd-pupil-matches:pupil data"}},
		{"code with hyphens read as spaces", "records about npd pupil matches",
			[]string{"npd-pupil-matches:NPD pupil matches"}},
		{"code as written", "see npd-pupil-matches", []string{"npd-pupil-matches:NPD pupil matches"}},
		{"not part of a longer word", "pupildata and pupil database", nil},
		{"curly possessive on the text side", "the Casework Information Database’s retention",
			[]string{"cid-person-records:Casework Information Database"}},
		{"curly apostrophe matches a straight-apostrophe alias", "Children’s Services Data for 2016",
			[]string{"childrens-services-data:Children's services data"}},
		{"modifier apostrophe and upper case", "CHILDRENʼS SERVICES DATA",
			[]string{"childrens-services-data:Children's services data"}},
		{"longest phrase of one asset wins", "Give me every CID person id",
			[]string{"cid-person-records:CID person id"}},
		{"ordered by first appearance", "School census returns and the CID; also NPD and CID again",
			[]string{"npd-pupil-matches:school census|NPD", "cid-person-records:CID"}},
		{"extra spaces and line breaks", "pupil\n\n   data", []string{"npd-pupil-matches:pupil data"}},
		{"nothing", "How many staff work in the press office?", nil},
		{"empty text", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SuggestAssets(tt.text, detectionAssets(), testPartyHO)
			var gotS []string
			for _, s := range got {
				gotS = append(gotS, s.Code+":"+strings.Join(s.Phrases, "|"))
			}
			if !slices.Equal(gotS, tt.want) {
				t.Fatalf("SuggestAssets(%q) = %q, want %q", tt.text, gotS, tt.want)
			}
		})
	}
}

func TestSuggestAssets_HitsPointIntoTheText(t *testing.T) {
	text := "Dear DfE, how much pupil data (the NPD) went to the Home Office?"
	got := SuggestAssets(text, detectionAssets(), testPartyHO)
	if len(got) != 1 {
		t.Fatalf("got %d suggestions, want 1", len(got))
	}
	s := got[0]
	if s.AssetID != 11 || s.Name != "NPD pupil matches" || s.ProviderPartyID != testPartyDFE {
		t.Errorf("suggestion = %+v", s)
	}
	var spans []string
	for _, h := range s.Hits {
		spans = append(spans, text[h.Start:h.End])
	}
	if want := []string{"pupil data", "NPD"}; !slices.Equal(spans, want) {
		t.Errorf("hit spans = %q, want %q", spans, want)
	}
}

func TestSuggestAssets_RequiresConsultationOnlyForAnotherPartysAsset(t *testing.T) {
	text := "pupil data and the CID"
	for _, tc := range []struct {
		party int64
		want  map[string]bool
	}{
		{testPartyHO, map[string]bool{"npd-pupil-matches": true, "cid-person-records": false}},
		{testPartyDFE, map[string]bool{"npd-pupil-matches": false, "cid-person-records": true}},
	} {
		for _, s := range SuggestAssets(text, detectionAssets(), tc.party) {
			if s.RequiresConsultation != tc.want[s.Code] {
				t.Errorf("party %d, %s: RequiresConsultation = %v", tc.party, s.Code, s.RequiresConsultation)
			}
		}
	}
	if got := NewAssetMatcher(detectionAssets()).Match(text); len(got) != 2 || got[0].RequiresConsultation {
		t.Errorf("Match = %+v, want 2 suggestions without the flag", got)
	}
}

func TestRequiresConsultation(t *testing.T) {
	tests := []struct {
		provider, caseParty int64
		want                bool
	}{
		{testPartyDFE, testPartyHO, true},
		{testPartyHO, testPartyHO, false},
		{0, testPartyHO, false},
	}
	for _, tt := range tests {
		if got := RequiresConsultation(Asset{ProviderPartyID: tt.provider}, tt.caseParty); got != tt.want {
			t.Errorf("RequiresConsultation(provider %d, case party %d) = %v, want %v", tt.provider, tt.caseParty, got, tt.want)
		}
	}
}

func TestConsultedParties(t *testing.T) {
	exchanges := map[int64]Exchange{
		100: {ID: 100, ProviderPartyID: testPartyHO, RecipientPartyID: testPartyDFE},
		101: {ID: 101, ProviderPartyID: testPartyDFE, RecipientPartyID: testPartyHO},
	}
	assets := detectionAssets()
	tests := []struct {
		name      string
		caseParty int64
		confirmed []Asset
		exchanges map[int64]Exchange
		want      []int64
	}{
		{"HO case on DfE's asset consults DfE", testPartyHO, assets[1:2], exchanges, []int64{testPartyDFE}},
		{"DfE case on its own asset consults the recipient", testPartyDFE, assets[1:2], exchanges, []int64{testPartyHO}},
		{"own asset without a known exchange consults nobody", testPartyDFE, assets[1:2], nil, nil},
		{"each party once", testPartyHO, assets, exchanges, []int64{testPartyDFE}},
		{"nothing confirmed", testPartyHO, nil, exchanges, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ConsultedParties(tt.caseParty, tt.confirmed, tt.exchanges); !slices.Equal(got, tt.want) {
				t.Errorf("ConsultedParties = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNewAssetMatcher_IgnoresEmptyAndDuplicatePhrases(t *testing.T) {
	m := NewAssetMatcher([]Asset{{ID: 1, Code: "x-y", Name: "X Y", Aliases: []string{"", "  ", "--", "x-y", "X  y"}}})
	got := m.Match("x y")
	if len(got) != 1 || !slices.Equal(got[0].Phrases, []string{"X Y"}) || len(got[0].Hits) != 1 {
		t.Fatalf("Match = %+v", got)
	}
	var nilMatcher *AssetMatcher
	if nilMatcher.Match("x y") != nil || NewAssetMatcher(nil).Match("x y") != nil {
		t.Error("an empty matcher should match nothing")
	}
}

// benchmarkRegister returns about 100 assets: the demo ones and synthetic ones with four aliases each.
func benchmarkRegister() []Asset {
	assets := detectionAssets()
	for i := range 97 {
		assets = append(assets, Asset{ID: int64(100 + i), Code: fmt.Sprintf("asset-%d-returns", i),
			Name: fmt.Sprintf("Asset %d returns", i), ProviderPartyID: int64(1 + i%2),
			Aliases: []string{fmt.Sprintf("dataset %d", i), fmt.Sprintf("A%d", i),
				fmt.Sprintf("the %d register of births", i), fmt.Sprintf("extract number %d", i)}})
	}
	return assets
}

// benchmarkText returns a request text of 20,000 characters that mentions a few assets.
func benchmarkText() string {
	var b strings.Builder
	sentences := []string{
		"How many requests did the Home Office make to the DfE for pupil data in 2016? ",
		"Please include correspondence, emails, minutes and briefings about the arrangement. ",
		"I would also like any guidance on the school census and the Children’s services data, ",
		"together with the retention schedule (acid test, placid) for dataset 42 and the A17 extract. ",
	}
	for i := 0; b.Len() < 20000; i++ {
		b.WriteString(sentences[i%len(sentences)])
	}
	return b.String()[:20000]
}

func TestBenchmarkInputs(t *testing.T) {
	if n := len(benchmarkRegister()); n != 100 {
		t.Errorf("register has %d assets, want 100", n)
	}
	got := NewAssetMatcher(benchmarkRegister()).Match(benchmarkText())
	var codes []string
	for _, s := range got {
		codes = append(codes, s.Code)
	}
	want := []string{"npd-pupil-matches", "childrens-services-data", "asset-42-returns", "asset-17-returns"}
	if !slices.Equal(codes, want) {
		t.Errorf("codes = %v, want %v", codes, want)
	}
}

func BenchmarkAssetMatcher_Match20000Chars(b *testing.B) {
	m := NewAssetMatcher(benchmarkRegister())
	text := benchmarkText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if len(m.Match(text)) == 0 {
			b.Fatal("no match")
		}
	}
}

func BenchmarkSuggestAssets_CompileAndMatch(b *testing.B) {
	assets := benchmarkRegister()
	text := benchmarkText()
	b.ReportAllocs()
	for b.Loop() {
		SuggestAssets(text, assets, testPartyHO)
	}
}

func TestNormalizedWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Home Office’s pupil-data", "home office pupil data"},
		{"O’Brien's report", "obrien report"},
		{"don't, won`t", "dont wont"},
		{"pupils' data", "pupils data"},
		{"‘quoted’ words", "quoted words"},
		{"It’S", "it"},
		{"Café Société 2016", "café société 2016"},
		{"  --  ", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(normalizedWords(tt.in), " "); got != tt.want {
			t.Errorf("normalizedWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
