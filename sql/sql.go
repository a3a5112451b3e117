// Package sqlfiles embeds foidesk's SQL: the migrations of each engine. (go:embed cannot reach "../", so the
// files are embedded here, beside them.)
package sqlfiles

import "embed"

// Migrations holds migrations/postgres/*.sql and migrations/sqlite/*.sql, for goose.
//
//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var Migrations embed.FS
