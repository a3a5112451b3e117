package foi

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AssetHit is one place in a request text where an asset's name, code or alias appears.
type AssetHit struct {
	Phrase string // the name, code or alias that matched, as the register spells it ("pupil data")
	Start  int    // byte offset of the first matched character in the request text
	End    int    // byte offset just past the last matched character
}

// AssetSuggestion is an information asset that a request text appears to touch, for an officer to confirm.
// Suggestions are never confirmed by themselves: only confirmed assets make a consultation required.
type AssetSuggestion struct {
	AssetID         int64
	Code            string
	Name            string
	ProviderPartyID int64
	// Phrases lists the distinct names, codes and aliases that matched, in order of first appearance.
	Phrases []string
	// Hits lists every match in text order (overlapping matches of one asset are merged into the longest).
	Hits []AssetHit
	// RequiresConsultation is true when the asset is provided by a party other than the case's
	// (RequiresConsultation); AssetMatcher.Match leaves it false because it does not know the case's party.
	RequiresConsultation bool
}

// RequiresConsultation reports whether a case of caseParty that touches asset must consult the asset's
// provider: true when the asset has a provider and it is not the case's own party (MoU clause 3.2).
func RequiresConsultation(asset Asset, caseParty int64) bool {
	return asset.ProviderPartyID != 0 && asset.ProviderPartyID != caseParty
}

// ConsultedParties returns the parties a case of caseParty must consult because of the confirmed assets, each
// once, in ascending id order. An asset provided by another party means consulting the provider
// (RequiresConsultation). An asset the case's own party provides under an exchange means consulting the
// exchange's recipient, whose activity uses it (MoU 3.2: whichever party receives the request consults the
// other); exchanges maps exchange id to exchange, and an asset whose exchange is not in it is skipped.
func ConsultedParties(caseParty int64, confirmed []Asset, exchanges map[int64]Exchange) []int64 {
	var out []int64
	add := func(p int64) {
		if p != 0 && p != caseParty && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, a := range confirmed {
		if RequiresConsultation(a, caseParty) {
			add(a.ProviderPartyID)
			continue
		}
		if ex, ok := exchanges[a.ExchangeID]; ok && a.ProviderPartyID == caseParty {
			add(ex.RecipientPartyID)
		}
	}
	slices.Sort(out)
	return out
}

// SuggestAssets returns the assets whose name, code or aliases appear in text, with RequiresConsultation set
// for a case owned by caseParty. It compiles a matcher for this one call: to scan many texts against one
// register, build an AssetMatcher once and call Suggest. See AssetMatcher.Match for the matching rules.
func SuggestAssets(text string, assets []Asset, caseParty int64) []AssetSuggestion {
	return NewAssetMatcher(assets).Suggest(text, caseParty)
}

// AssetMatcher finds the assets of a register in request texts. It is immutable after NewAssetMatcher and safe
// for concurrent use.
type AssetMatcher struct {
	assets []Asset
	root   *phraseNode
}

// phraseNode is a node of a trie over normalised words. ends lists the phrases that end here.
type phraseNode struct {
	next map[string]*phraseNode
	ends []phraseEnd
}

// phraseEnd is one asset phrase that ends at a trie node, with its length in words.
type phraseEnd struct {
	asset  int // index into AssetMatcher.assets
	phrase string
	words  int
}

// NewAssetMatcher compiles the names, codes (hyphens read as spaces) and aliases of assets into a matcher. A
// phrase that normalises to nothing (only punctuation) is ignored, as are duplicates within one asset.
func NewAssetMatcher(assets []Asset) *AssetMatcher {
	m := &AssetMatcher{assets: slices.Clone(assets), root: &phraseNode{}}
	for i, a := range m.assets {
		seen := map[string]bool{}
		phrases := append([]string{a.Name, a.Code}, a.Aliases...)
		for _, p := range phrases {
			p = strings.TrimSpace(p)
			words := normalizedWords(p)
			if len(words) == 0 {
				continue
			}
			key := strings.Join(words, " ")
			if seen[key] {
				continue
			}
			seen[key] = true
			n := m.root
			for _, w := range words {
				child := n.next[w]
				if child == nil {
					child = &phraseNode{}
					if n.next == nil {
						n.next = map[string]*phraseNode{}
					}
					n.next[w] = child
				}
				n = child
			}
			n.ends = append(n.ends, phraseEnd{asset: i, phrase: p, words: len(words)})
		}
	}
	return m
}

// Suggest is Match with RequiresConsultation set for a case owned by caseParty.
func (m *AssetMatcher) Suggest(text string, caseParty int64) []AssetSuggestion {
	out := m.Match(text)
	for i := range out {
		out[i].RequiresConsultation = RequiresConsultation(Asset{ProviderPartyID: out[i].ProviderPartyID}, caseParty)
	}
	return out
}

// Match returns the assets whose name, code or any alias appears in text, ordered by first appearance (then by
// code). Matching is on whole words and whole phrases only, after normalising both sides the same way: letters
// are lower-cased; every character that is not a letter or a digit separates words, except that apostrophes
// (', ’, ‘, ʼ, `, ´) inside a word are dropped ("O’Brien" is "obrien") and a possessive "'s" is dropped with
// its apostrophe ("Home Office’s" is "home office"); runs of separators count as one. So "Pupil-Data" and
// "pupil data" match the alias "pupil data", and the short alias "CID" matches "CID" or "(cid)" but never the
// "cid" inside "acid". Where phrases of one asset overlap, the longest match is kept. A nil or empty matcher
// returns nil.
func (m *AssetMatcher) Match(text string) []AssetSuggestion {
	if m == nil || len(m.root.next) == 0 {
		return nil
	}
	toks := tokenize(text)
	type acc struct {
		hits    []AssetHit
		phrases []string
	}
	found := map[int]*acc{}
	var order []int
	for i := range toks {
		n := m.root
		// best[asset] = the longest phrase of each asset starting at token i.
		var best []phraseEnd
		for j := i; j < len(toks); j++ {
			n = n.next[toks[j].word]
			if n == nil {
				break
			}
			for _, e := range n.ends {
				k := slices.IndexFunc(best, func(b phraseEnd) bool { return b.asset == e.asset })
				if k < 0 {
					best = append(best, e)
				} else if e.words > best[k].words {
					best[k] = e
				}
			}
		}
		for _, e := range best {
			hit := AssetHit{Phrase: e.phrase, Start: toks[i].start, End: toks[i+e.words-1].end}
			a := found[e.asset]
			if a == nil {
				a = &acc{}
				found[e.asset] = a
				order = append(order, e.asset)
			}
			if last := len(a.hits) - 1; last >= 0 && hit.End <= a.hits[last].End {
				continue // inside a longer match of the same asset
			}
			a.hits = append(a.hits, hit)
			if !slices.Contains(a.phrases, e.phrase) {
				a.phrases = append(a.phrases, e.phrase)
			}
		}
	}
	if len(order) == 0 {
		return nil
	}
	out := make([]AssetSuggestion, 0, len(order))
	for _, idx := range order {
		a := m.assets[idx]
		f := found[idx]
		out = append(out, AssetSuggestion{AssetID: a.ID, Code: a.Code, Name: a.Name,
			ProviderPartyID: a.ProviderPartyID, Phrases: f.phrases, Hits: f.hits})
	}
	slices.SortStableFunc(out, func(x, y AssetSuggestion) int {
		return cmp.Or(cmp.Compare(x.Hits[0].Start, y.Hits[0].Start), cmp.Compare(x.Code, y.Code))
	})
	return out
}

// token is one normalised word of a text with its byte span in the original.
type token struct {
	word       string
	start, end int
}

// isApostrophe reports whether r is one of the apostrophe variants people and word processors type.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '\u02BC', '`', '\u00B4':
		return true
	}
	return false
}

// isWordRune reports whether r belongs to a word: a letter, a digit or a combining mark.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokenize splits s into normalised words (see AssetMatcher.Match) with their byte spans in s. The words share
// one backing buffer, so a 20,000-character text costs a few allocations.
func tokenize(s string) []token {
	var buf strings.Builder
	buf.Grow(len(s))
	type span struct{ from, to, start, end int } // word bytes in buf; bytes in s
	spans := make([]span, 0, len(s)/6+1)
	inWord := false
	cur := span{}
	flush := func(end int) {
		if inWord {
			cur.to = buf.Len()
			cur.end = end
			spans = append(spans, cur)
			inWord = false
		}
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && c != '\'' && c != '`' { // ASCII fast path
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9', 'A' <= c && c <= 'Z':
				if !inWord {
					inWord = true
					cur = span{from: buf.Len(), start: i}
				}
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf.WriteByte(c)
				cur.end = i + 1
			default:
				flush(cur.end)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isWordRune(r) && !isApostrophe(r): // U+02BC is a letter to Unicode
			if !inWord {
				inWord = true
				cur = span{from: buf.Len(), start: i}
			}
			buf.WriteRune(unicode.ToLower(r))
			cur.end = i + size
		case isApostrophe(r) && inWord:
			// A possessive 's (followed by a non-word character or the end) is dropped; an apostrophe between
			// two word characters is dropped and the word goes on; any other apostrophe ends the word.
			rest := s[i+size:]
			if (strings.HasPrefix(rest, "s") || strings.HasPrefix(rest, "S")) && !startsWithWordRune(rest[1:]) {
				flush(cur.end)
				i += size + 1
				continue
			}
			if !startsWithWordRune(rest) {
				flush(cur.end)
			}
		default:
			flush(cur.end)
		}
		i += size
	}
	flush(cur.end)
	all := buf.String()
	toks := make([]token, len(spans))
	for k, sp := range spans {
		toks[k] = token{word: all[sp.from:sp.to], start: sp.start, end: sp.end}
	}
	return toks
}

// startsWithWordRune reports whether s begins with a word character (not an apostrophe).
func startsWithWordRune(s string) bool {
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r) && !isApostrophe(r)
}

// normalizedWords returns the normalised words of s (see AssetMatcher.Match).
func normalizedWords(s string) []string {
	toks := tokenize(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.word
	}
	return out
}
