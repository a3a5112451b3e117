package store_test

import (
	"os"
	"testing"

	"foidesk/internal/store/storetest"
)

// TestMain runs the tests and benchmarks, then removes the databases the benchmarks shared.
func TestMain(m *testing.M) {
	code := m.Run()
	storetest.CloseShared()
	os.Exit(code)
}
