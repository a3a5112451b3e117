package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"foidesk/internal/store/storetest"

	"github.com/gin-gonic/gin"
)

// Every API endpoint, asked by every role with an empty body and the ids of real records, answers with a
// decision (2xx, or a 4xx problem naming why) and never a server error.
func TestRoleMatrix_EveryEndpointAnswersEveryRoleWithoutAServerError(t *testing.T) {
	d := storetest.OpenSQLite(t)
	s := newAPISite(t, d)
	data := newTourData(t, s)
	e, ok := s.srv.Config.Handler.(*gin.Engine)
	if !ok {
		t.Fatalf("the handler is a %T", s.srv.Config.Handler)
	}
	k := s.caseConsultation(data.represented.ID)
	ids := map[string]string{":id": fmt.Sprint(data.represented.ID), ":code": "cid-person-records", ":key": "acknowledgement",
		":docID": "1", ":attID": "1", ":seq": "1", ":ref": "X", ":type": "case_file"}
	s.tokens["admin"] = s.mustToken("admin@test.example")
	roles := []string{"dfe-officer", "dfe-dm", "dfe-auditor", "ho-officer", "ho-liaison", "admin"}
	asked := 0
	for _, r := range e.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Path == "/api/v1/openapi.json" {
			continue
		}
		path := r.Path
		if strings.HasPrefix(path, "/api/v1/consultations/:id") {
			path = strings.Replace(path, ":id", fmt.Sprint(k.ID), 1)
		}
		for p, v := range ids {
			path = strings.ReplaceAll(path, p, v)
		}
		for _, who := range roles {
			var body any
			if r.Method != http.MethodGet {
				body = map[string]any{}
			}
			res := s.call(who, r.Method, path, body, nil)
			if res.StatusCode >= 500 {
				t.Errorf("%s %s as %s: %d", r.Method, path, who, res.StatusCode)
			}
			asked++
		}
	}
	if asked < 60*len(roles) {
		t.Errorf("only %d requests: the route table lost its API", asked)
	}
	t.Logf("%d requests to %d endpoints as %d roles", asked, asked/len(roles), len(roles))
}
