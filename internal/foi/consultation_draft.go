package foi

import "foidesk/internal/calendar"

// DraftChange is an officer's edit of a draft consultation's pack before it is sent. Nil fields are left as
// they are; a zero RespondBy clears the chosen date, so the clock sets it when the consultation is sent.
type DraftChange struct {
	Question           *string
	InformationAtIssue *string
	RespondBy          *calendar.Date
}

// LatestRespondBy returns the latest respond-by date the law allows a consultation of a case due on caseDue:
// marginWorkingDays working days before the deadline, so that the authority has time to decide. A zero caseDue
// sets no bound (the zero Date is returned).
func LatestRespondBy(cal *calendar.Calendar, caseDue calendar.Date, marginWorkingDays int) (calendar.Date, error) {
	if caseDue.IsZero() {
		return calendar.Date{}, nil
	}
	limit, err := cal.SubtractWorkingDays(caseDue, marginWorkingDays)
	if err != nil {
		return calendar.Date{}, fromCalendarErr(err)
	}
	return limit, nil
}

// checkRespondBy returns EINVALID (field "respond_by") unless by is after from and no later than the latest
// date the case's deadline allows (LatestRespondBy).
func checkRespondBy(by, from calendar.Date, cal *calendar.Calendar, caseDue calendar.Date, marginWorkingDays int) error {
	limit, err := LatestRespondBy(cal, caseDue, marginWorkingDays)
	if err != nil {
		return err
	}
	var v Validation
	switch {
	case !by.After(from):
		v.Add("respond_by", "The respond-by date must be after "+from.String())
	case !limit.IsZero() && by.After(limit):
		v.Add("respond_by", "The respond-by date must be on or before "+limit.String()+
			", to leave time to decide before the case is due on "+caseDue.String())
	}
	return v.Err()
}

// EditDraft applies ch to a draft consultation on the given date: the question and the information at issue
// (checked as Validate does) and the respond-by date it will ask for, which must be after today and no later
// than LatestRespondBy. Errors: ECONFLICT (with Detail["allowed"]) unless the consultation is a draft; EINVALID
// naming question, information_at_issue or respond_by. On error c is unchanged.
func (c *Consultation) EditDraft(ch DraftChange, today calendar.Date, cal *calendar.Calendar, caseDue calendar.Date,
	marginWorkingDays int) error {
	if c.Status != ConsultationDraft {
		return c.conflict(c.stateMessage("edited: only a draft can be"))
	}
	next := *c
	if ch.Question != nil {
		next.Question = *ch.Question
	}
	if ch.InformationAtIssue != nil {
		next.InformationAtIssue = *ch.InformationAtIssue
	}
	if ch.RespondBy != nil {
		next.RespondBy = *ch.RespondBy
	}
	var v Validation
	if err := next.Validate(); err != nil {
		for _, f := range ErrorFields(err) {
			v.Add(f.Field, f.Message)
		}
	}
	if !next.RespondBy.IsZero() {
		if err := checkRespondBy(next.RespondBy, today, cal, caseDue, marginWorkingDays); err != nil {
			for _, f := range ErrorFields(err) {
				v.Add(f.Field, f.Message)
			}
			if len(ErrorFields(err)) == 0 {
				return err
			}
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	*c = next
	return nil
}

// HiddenFrom reports whether u may not know of the consultation although Can lets it read consultations of its
// scope: a draft is not yet addressed to the consulted party, so only the case's own party sees it. The system
// (a nil u) sees everything.
func (c *Consultation) HiddenFrom(u *User) bool {
	return c.Status == ConsultationDraft && u != nil && u.PartyID != c.OwnerPartyID
}
