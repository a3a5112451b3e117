package main

import (
	"bytes"
	"testing"

	"foidesk/internal/foi"

	"github.com/xuri/excelize/v2"
)

// FuzzReadImportData: any bytes given as a .csv or an .xlsx file are read into a table or refused with an
// error; a table then goes through the import's own parsing (fuzzed further in internal/foi) without a panic.
func FuzzReadImportData(f *testing.F) {
	f.Add([]byte("regime,received_at,channel\nfoia,2026-02-02,email\n"), false)
	f.Add([]byte("\xef\xbb\xbfa,\"b\nc\",d\n1\n"), false)
	f.Add([]byte("\xff\xfe"), false)
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"regime", "received_at", "channel"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"foia", 46000.5, "email"})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes(), true)
	f.Add([]byte("PK\x03\x04 not really a zip"), true)
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		var in importFile
		var err error
		if xlsx {
			in, err = readXLSX(data)
		} else {
			in.records, err = readCSV(data)
		}
		if err != nil {
			return
		}
		h, rows, err := foi.ImportRows(in.records, false)
		if err == nil && in.excel {
			excelDates(h, rows, in.date1904)
		}
	})
}
