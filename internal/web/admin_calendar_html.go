package web

import (
	"fmt"
	"io"
	"mime/multipart"
	"path/filepath"
	"strconv"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// maxHolidayFile is the largest bank-holidays.json the calendar page accepts; gov.uk's is about 20 KB.
const maxHolidayFile = 1 << 20

// calendarPage is what /admin/calendar shows.
type calendarPage struct {
	Form       *Form
	Source     string
	ImportedAt string
	Years      []calendarYear // this year, the last and the next five
	Year       int            // the year whose non-working weekdays are listed
	Days       []nonWorkingDay
	Overrides  []overrideView
	Kinds      []Option
	PrevYear   int
	NextYear   int
}

type calendarYear struct {
	Year        int
	Provisional bool
}

type nonWorkingDay struct{ Date, Weekday, Reason string }

type overrideView struct {
	Date, ISO, Title string
	Working          bool
}

// handleAdminCalendar shows the calendar in force (GET /admin/calendar, ?year= for another year's days).
func (s *Server) handleAdminCalendar(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageCalendar) == nil {
		return
	}
	s.renderCalendar(c, NewForm(nil))
}

// renderCalendar shows the calendar page with f as its forms.
func (s *Server) renderCalendar(c *gin.Context, f *Form) {
	ca, err := s.calendarAdmin()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	ctx := c.Request.Context()
	cal, err := ca.Calendar(ctx)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	info, err := ca.CalendarInfo(ctx)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	this := s.today().Year()
	year, err := strconv.Atoi(c.Query("year"))
	if err != nil || year < 2012 || year > 2099 {
		year = this
	}
	if _, ok := f.Values["kind"]; !ok {
		f.Set("kind", "holiday")
	}
	data := &calendarPage{Form: f, Source: info.Source, ImportedAt: formatTime(info.ImportedAt, ""), Year: year,
		Kinds: []Option{{Value: "holiday", Label: "Not a working day", Hint: "An extra bank holiday, such as a state funeral"},
			{Value: "working", Label: "A working day", Hint: "A bank holiday that will not be taken"}}}
	if year > 2012 {
		data.PrevYear = year - 1
	}
	if year < 2099 {
		data.NextYear = year + 1
	}
	for y := this - 1; y <= this+5; y++ {
		data.Years = append(data.Years, calendarYear{Year: y, Provisional: cal.Provisional(calendar.NewDate(y, time.January, 1))})
	}
	for d := calendar.NewDate(year, time.January, 1); d.Year() == year; d = d.AddDays(1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !cal.IsWorkingDay(d) {
			data.Days = append(data.Days, nonWorkingDay{Date: govukDate(d), Weekday: wd.String(), Reason: cal.NonWorkingReason(d)})
		}
	}
	for _, o := range info.Overrides {
		data.Overrides = append(data.Overrides, overrideView{Date: govukDate(o.Date), ISO: o.Date.String(), Title: o.Title, Working: o.Working})
	}
	p := s.adminPage(c, "Calendar")
	p.Data = data
	s.renderForm(c, "admin_calendar", p, f)
}

// handleAdminCalendarImport imports a gov.uk bank-holidays.json upload (POST /admin/calendar/import).
func (s *Server) handleAdminCalendarImport(c *gin.Context) {
	ca, ok := serviceFor(s, c, foi.ActionManageCalendar, s.calendarAdmin)
	if !ok {
		return
	}
	f := postedForm(c)
	fh, err := c.FormFile("file")
	if err != nil {
		f.AddError("file", "Select a gov.uk bank-holidays.json file")
		s.renderCalendar(c, f)
		return
	}
	data, err := readHolidayFile(fh)
	if err != nil {
		f.AddError("file", err.Error())
		s.renderCalendar(c, f)
		return
	}
	name := filepath.Base(fh.Filename)
	ch, err := ca.ImportHolidays(c.Request.Context(), name, data)
	if err != nil {
		if foi.ErrorCode(err) == foi.EINVALID {
			f.AddError("file", foi.ErrorMessage(err))
			s.renderCalendar(c, f)
			return
		}
		s.htmlError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/calendar", fmt.Sprintf("Imported %s: bank holidays for %d to %d are now in force. "+
		"%d new non-working %s, %d %s working again; %d open %s had their deadline moved.", name, ch.First.Year(),
		ch.Last.Year(), len(ch.NewNonWorking), plural(len(ch.NewNonWorking), "day", "days"), len(ch.NoLongerHoliday),
		plural(len(ch.NoLongerHoliday), "day is", "days are"), ch.CasesMoved, plural(ch.CasesMoved, "case", "cases")))
}

// readHolidayFile reads an uploaded bank-holidays file, refusing an empty one or one over maxHolidayFile.
func readHolidayFile(fh *multipart.FileHeader) ([]byte, error) {
	if fh.Size == 0 {
		return nil, fmt.Errorf("The selected file is empty")
	}
	if fh.Size > maxHolidayFile {
		return nil, fmt.Errorf("The selected file must be smaller than 1 MB")
	}
	r, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("The selected file could not be read: try again")
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, maxHolidayFile))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// handleAdminCalendarOverride adds a one-off day (POST /admin/calendar/overrides).
func (s *Server) handleAdminCalendarOverride(c *gin.Context) {
	ca, ok := serviceFor(s, c, foi.ActionManageCalendar, s.calendarAdmin)
	if !ok {
		return
	}
	f := postedForm(c)
	day := f.Date("date", "the date", true)
	o := calendar.Override{Date: day, Working: f.Get("kind") == "working", Title: f.Trim("title")}
	switch f.Get("kind") {
	case "holiday":
		if o.Title == "" {
			f.AddError("title", "Enter the name of the extra bank holiday")
		}
	case "working":
		if o.Title == "" {
			o.Title = "Working day by admin decision"
		}
	default:
		f.AddError("kind", "Select whether the day is a working day")
	}
	if f.OK() {
		err := ca.SetCalendarOverride(c.Request.Context(), o)
		if err == nil {
			kind := "not a working day"
			if o.Working {
				kind = "a working day"
			}
			s.redirectFlash(c, "/admin/calendar", govukDate(day)+" is now "+kind+". Open deadlines were worked out again.")
			return
		}
		if !f.Fail(err) {
			s.htmlError(c, err)
			return
		}
	}
	s.renderCalendar(c, f)
}

// handleAdminCalendarRemove removes the override on a date (POST /admin/calendar/overrides/remove, date=YYYY-MM-DD).
func (s *Server) handleAdminCalendarRemove(c *gin.Context) {
	ca, ok := serviceFor(s, c, foi.ActionManageCalendar, s.calendarAdmin)
	if !ok {
		return
	}
	day, err := calendar.ParseDate(c.PostForm("date"))
	if err != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such override"))
		return
	}
	if err := ca.RemoveCalendarOverride(c.Request.Context(), day); err != nil {
		s.htmlError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/calendar", "The one-off day on "+govukDate(day)+" was removed. Open deadlines were worked out again.")
}
