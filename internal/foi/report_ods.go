package foi

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

// ODSContentType is the media type of an OpenDocument spreadsheet.
const ODSContentType = "application/vnd.oasis.opendocument.spreadsheet"

// WriteODS writes tables as an OpenDocument spreadsheet (ODF 1.2), one sheet per table: the table's title on
// the first row, its column headings on the second, then its rows. Integers and floats are written as numbers,
// everything else as text, nil as an empty cell. The package is a zip whose first entry is the uncompressed
// mimetype, as ODF requires. It returns the writer's error.
func WriteODS(w io.Writer, tables []ReportTable) error {
	z := zip.NewWriter(w)
	mt, err := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		return err
	}
	if _, err := io.WriteString(mt, ODSContentType); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		body func(io.Writer) error
	}{
		{"META-INF/manifest.xml", writeODSManifest},
		{"content.xml", func(w io.Writer) error { return writeODSContent(w, tables) }},
	} {
		fw, err := z.Create(f.name)
		if err != nil {
			return err
		}
		if err := f.body(fw); err != nil {
			return err
		}
	}
	return z.Close()
}

func writeODSManifest(w io.Writer) error {
	_, err := io.WriteString(w, xml.Header+`<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="`+ODSContentType+`"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`)
	return err
}

// writeODSContent writes content.xml: the spreadsheet body.
func writeODSContent(w io.Writer, tables []ReportTable) error {
	b := []byte(xml.Header + `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
		`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
		`office:version="1.2"><office:body><office:spreadsheet>`)
	for _, t := range tables {
		b = append(b, `<table:table table:name="`...)
		b = appendXMLText(b, t.Name)
		b = append(b, `">`...)
		b = appendODSRow(b, []any{t.Title})
		header := make([]any, len(t.Columns))
		for i, c := range t.Columns {
			header[i] = c
		}
		b = appendODSRow(b, header)
		for _, r := range t.Rows {
			b = appendODSRow(b, r)
		}
		b = append(b, `</table:table>`...)
	}
	b = append(b, `</office:spreadsheet></office:body></office:document-content>`...)
	_, err := w.Write(b)
	return err
}

// appendODSRow appends one table row.
func appendODSRow(b []byte, cells []any) []byte {
	b = append(b, `<table:table-row>`...)
	for _, c := range cells {
		var num string
		switch v := c.(type) {
		case nil:
			b = append(b, `<table:table-cell/>`...)
			continue
		case int:
			num = strconv.Itoa(v)
		case int64:
			num = strconv.FormatInt(v, 10)
		case float64:
			num = strconv.FormatFloat(v, 'f', -1, 64)
		}
		if num != "" {
			b = append(b, `<table:table-cell office:value-type="float" office:value="`+num+`"><text:p>`+num+`</text:p></table:table-cell>`...)
			continue
		}
		b = append(b, `<table:table-cell office:value-type="string"><text:p>`...)
		b = appendXMLText(b, fmt.Sprint(c))
		b = append(b, `</text:p></table:table-cell>`...)
	}
	return append(b, `</table:table-row>`...)
}

// appendXMLText appends s escaped for XML text and attribute values.
func appendXMLText(b []byte, s string) []byte {
	w := xmlAppender{b}
	xml.EscapeText(&w, []byte(s))
	return w.b
}

type xmlAppender struct{ b []byte }

func (a *xmlAppender) Write(p []byte) (int, error) { a.b = append(a.b, p...); return len(p), nil }
