package foi

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// WriteCSV writes tables as one CSV file (RFC 4180): for each table a line with its title, a line with its
// column headings, its rows, and an empty line. Floats are written with as many digits as they need, nil as an
// empty field. It returns the writer's error.
func WriteCSV(w io.Writer, tables []ReportTable) error {
	cw := csv.NewWriter(w)
	for i, t := range tables {
		if i > 0 {
			if err := cw.Write([]string{""}); err != nil {
				return err
			}
		}
		if err := cw.Write([]string{t.Title}); err != nil {
			return err
		}
		if err := cw.Write(t.Columns); err != nil {
			return err
		}
		for _, r := range t.Rows {
			rec := make([]string, len(r))
			for j, c := range r {
				rec[j] = csvCell(c)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell formats one cell.
func csvCell(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(c)
}
