// Package plugins is the home of countyhub's importer plugin system:
//
//   - proto: the versioned gRPC protocol between the hub and an importer;
//   - records: the records and diagnostics importers produce;
//   - sdk: what an importer author writes against (sdk.Serve);
//   - sdk/importertest: the conformance kit authors run from go test;
//   - host: the hub's side, which finds, pins, starts and talks to plugins.
package plugins
