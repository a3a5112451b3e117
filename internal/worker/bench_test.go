package worker_test

import (
	"context"
	"fmt"
	"net/smtp"
	"runtime"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/mail"
	"foidesk/internal/mail/mailtest"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
	"foidesk/internal/worker"
)

// BenchmarkOutboxDelivery measures messages per second through the outbox (claim, render, send over SMTP, mark
// sent) to a loopback go-smtp server, against raw net/smtp sending the same messages (already rendered, one
// connection, one after the other) to the same server in the same run. Enqueuing is not timed, and the heap
// is collected before each timed run so that neither pays for the setup's garbage; the server keeps no
// messages, only counts them, because it shares the process's heap. The outbox runs with the Runner's
// defaults (BatchSize) and the given Concurrency. Metrics: msgs/s (outbox), raw-msgs/s, pct-of-raw, and the
// process's CPU time per message of each (cpu-us/msg, raw-cpu-us/msg).
//
// raw is the baseline: net/smtp, one command and reply at a time. foidesk's sender pipelines MAIL, RCPT
// and DATA when the server offers it (as go-smtp does), which raw does not. A third run, direct, sends each
// message with that same sender (composing it, then sending it, pipelined) with no database at all:
// pct-of-direct is what the outbox itself costs (claiming, recording, retry bookkeeping).
func BenchmarkOutboxDelivery(b *testing.B) {
	const n = 500
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, conc := range []int{1, worker.DefaultConcurrency} {
			b.Run(fmt.Sprintf("%s/concurrency=%d", engine, conc), func(b *testing.B) {
				var d *store.DB
				if engine == "sqlite" {
					d = storetest.OpenSQLite(b)
				} else {
					d = storetest.OpenPostgres(b)
				}
				srv := mailtest.Start(b, mailtest.Options{CountOnly: true})
				s := sender(b, srv)
				r := &worker.Runner{Outbox: d, Sender: s, Log: quiet, Concurrency: conc}
				ctx := context.Background()
				var outboxTime, rawTime, directTime, outboxCPU, rawCPU time.Duration
				for b.Loop() {
					b.StopTimer()
					var msgs []foi.OutboundMessage
					for i := range n {
						e := enqueue(b, d, fmt.Sprintf("r%d@example.gov.uk", i))
						msgs = append(msgs, e.OutboundMessage)
					}
					raw := render(b, s.Composer(), msgs)
					runtime.GC() // neither run pays for the garbage of setting up
					b.StartTimer()

					t0, c0 := time.Now(), processCPU()
					st, err := r.Drain(ctx)
					outboxTime += time.Since(t0)
					outboxCPU += processCPU() - c0
					if err != nil || st.Sent != n {
						b.Fatalf("drain: %+v, %v", st, err)
					}

					b.StopTimer()
					runtime.GC()
					t0, c0 = time.Now(), processCPU()
					sendRaw(b, srv.Addr(), s.Composer().From, msgs, raw)
					rawTime += time.Since(t0)
					rawCPU += processCPU() - c0
					runtime.GC()
					t0 = time.Now()
					for _, m := range msgs {
						if err := s.Send(ctx, m); err != nil {
							b.Fatal(err)
						}
					}
					directTime += time.Since(t0)
					b.StartTimer()
				}
				total := float64(n * b.N)
				outboxRate := total / outboxTime.Seconds()
				rawRate := total / rawTime.Seconds()
				b.ReportMetric(outboxRate, "msgs/s")
				b.ReportMetric(rawRate, "raw-msgs/s")
				b.ReportMetric(100*outboxRate/rawRate, "pct-of-raw")
				directRate := total / directTime.Seconds()
				b.ReportMetric(directRate, "direct-msgs/s")
				b.ReportMetric(100*outboxRate/directRate, "pct-of-direct")
				// CPU of this process (client, server, SQLite; not a PostgreSQL server) per message: less
				// sensitive than the rates to other load on the machine.
				b.ReportMetric(float64(outboxCPU.Microseconds())/total, "cpu-us/msg")
				b.ReportMetric(float64(rawCPU.Microseconds())/total, "raw-cpu-us/msg")
				b.ReportMetric(0, "ns/op")
				if got := srv.Count(); got != 3*n*b.N {
					b.Fatalf("server got %d messages, want %d", got, 3*n*b.N)
				}
			})
		}
	}
}

func render(b *testing.B, c *mail.Composer, msgs []foi.OutboundMessage) [][]byte {
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		raw, _, err := c.Message(m)
		if err != nil {
			b.Fatal(err)
		}
		out[i] = raw
	}
	return out
}

// sendRaw sends raw[i] to msgs[i].To for every message with net/smtp over one connection, one command at a
// time.
func sendRaw(b *testing.B, addr, from string, msgs []foi.OutboundMessage, raw [][]byte) {
	c, err := smtp.Dial(addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Quit()
	if err := c.Hello("localhost"); err != nil {
		b.Fatal(err)
	}
	for i, m := range msgs {
		if err := c.Mail(from); err != nil {
			b.Fatal(err)
		}
		if err := c.Rcpt(m.To); err != nil {
			b.Fatal(err)
		}
		w, err := c.Data()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write(raw[i]); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
