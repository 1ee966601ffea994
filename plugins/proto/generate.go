// Package proto holds the importer plugin protocol: importer/v1 is version
// 1 of it in protobuf, with its generated Go code. Regenerate with
// `go generate ./...`.
package proto

//go:generate go tool buf generate
