package host

import (
	"context"
	"errors"
	"fmt"
	"io"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/countyhub/countyhub/plugins/internal/protocol"
	"github.com/countyhub/countyhub/plugins/internal/protoconv"
	pb "github.com/countyhub/countyhub/plugins/proto/countyhub/importer/v1"
	"github.com/countyhub/countyhub/plugins/records"
)

// Request is one file to import.
type Request struct {
	// File streams the file's bytes.
	File io.Reader
	// FileName is the file's name as uploaded.
	FileName string
	// Size is the file's size in bytes, or -1 when unknown.
	Size int64
	// Unit is the code of the unit the import is for.
	Unit string
	// Options are the import options by name.
	Options map[string]string
}

// Batch is what the plugin sent in one message.
type Batch struct {
	Records     []records.Record
	Diagnostics []records.Diagnostic
}

// Sink receives the batches of an import as they arrive; an error stops
// the import and kills the plugin.
type Sink func(Batch) error

var errIdle = errors.New("idle timeout")

// Import starts the plugin, streams the file to it, hands each batch it
// sends back to sink, and stops it. One process serves the whole import.
// Whatever goes wrong, the process is killed and reaped, and its working
// directory removed, before Import returns.
func (b *Binary) Import(ctx context.Context, req Request, sink Sink) (records.Summary, error) {
	p, err := b.start()
	if err != nil {
		return records.Summary{}, err
	}
	defer p.stop()

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stream, err := p.api.Import(ctx)
	if err != nil {
		return records.Summary{}, b.callError(p, ctx, "import", err)
	}
	// The idle watchdog runs while the host waits for the plugin's next
	// message, not while the sink takes a batch: a slow database is not a
	// hung plugin.
	idle := afterFunc(b.opts.IdleTimeout, func() { cancel(errIdle) })
	defer idle.Stop()
	go sendFile(stream, req)

	var (
		summary *records.Summary
		got     records.Summary
		// last is the reference of the last record or diagnostic the
		// plugin sent: where in the file it was when it went silent.
		last string
	)
	for {
		res, err := stream.Recv()
		idle.Stop()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return got, b.importError(p, ctx, err, last)
		}
		if summary != nil {
			return got, fmt.Errorf("%w: %s sent data after its summary", ErrProtocol, b.Name)
		}
		batch := Batch{Records: make([]records.Record, 0, len(res.GetRecords()))}
		for i, r := range res.GetRecords() {
			rec, err := protoconv.RecordFromProto(r)
			if err != nil {
				return got, fmt.Errorf("%w: %s sent a malformed record (%d of a batch): %v", ErrProtocol, b.Name, i+1, err)
			}
			batch.Records = append(batch.Records, rec)
		}
		for _, d := range res.GetDiagnostics() {
			diag, err := protoconv.DiagnosticFromProto(d)
			if err != nil {
				return got, fmt.Errorf("%w: %s sent a malformed diagnostic: %v", ErrProtocol, b.Name, err)
			}
			batch.Diagnostics = append(batch.Diagnostics, diag)
		}
		for _, r := range batch.Records {
			last = lastReference(last, r.Reference)
		}
		for _, d := range batch.Diagnostics {
			last = lastReference(last, d.Reference)
		}
		got.Records += int64(len(batch.Records))
		got.Diagnostics += int64(len(batch.Diagnostics))
		if len(batch.Records) > 0 || len(batch.Diagnostics) > 0 {
			if err := sink(batch); err != nil {
				return got, err
			}
		}
		if s := res.GetSummary(); s != nil {
			summary = &records.Summary{Records: s.GetRecords(), Diagnostics: s.GetDiagnostics()}
			if *summary != got {
				return got, fmt.Errorf("%w: %s says it sent %d records and %d diagnostics, but %d and %d arrived",
					ErrProtocol, b.Name, summary.Records, summary.Diagnostics, got.Records, got.Diagnostics)
			}
		}
		idle.Reset(b.opts.IdleTimeout)
	}
	if summary == nil {
		if p.client.Exited() {
			return got, b.exitError(p, "import")
		}
		return got, fmt.Errorf("%w: %s ended the import without a summary", ErrProtocol, b.Name)
	}
	return got, nil
}

// lastReference is the reference to remember of a record or diagnostic:
// its own, or the one before when it has none.
func lastReference(before, ref string) string {
	if ref == "" {
		return before
	}
	return ref
}

// importError explains why receiving from the plugin failed. last is the
// reference of the last record or diagnostic the plugin sent.
func (b *Binary) importError(p *process, ctx context.Context, err error, last string) error {
	if errors.Is(context.Cause(ctx), errIdle) {
		// Hung or stopped (SIGSTOP), the process may not answer go-plugin's
		// request to exit: it is killed outright.
		p.kill()
		where := "it had sent no record or diagnostic"
		if last != "" {
			where = fmt.Sprintf("the last reference it reached was %q", last)
		}
		if h := b.opts.Hints.Idle; h != "" {
			where += " (if the importer needs longer for a file, raise the limit with " + h + ")"
		}
		return fmt.Errorf("%w: %s sent nothing for %s and was killed; %s", ErrHung, b.Name, b.opts.IdleTimeout, where)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("import with %s stopped: %w", b.Name, context.Cause(ctx))
	}
	switch s, _ := status.FromError(err); s.Code() {
	case codes.Aborted:
		if err := b.limitError(p, s.Message()); err != nil {
			return err
		}
		return fmt.Errorf("%w: %s: %s", ErrFailed, b.Name, s.Message())
	case codes.ResourceExhausted:
		return fmt.Errorf("%w: %s sent a message over the %d MiB limit: %s", ErrProtocol, b.Name, protocol.MaxMessageBytes>>20, s.Message())
	}
	return b.callError(p, ctx, "import", err)
}

// sendFile streams the request: start, the file in chunks, end. It stops
// quietly when the stream breaks; the receiving side reports why.
func sendFile(stream pb.ImporterService_ImportClient, req Request) {
	err := stream.Send(&pb.ImportRequest{Msg: &pb.ImportRequest_Start{Start: &pb.ImportStart{
		FileName: req.FileName, Size: req.Size, Unit: req.Unit, Options: req.Options,
	}}})
	buf := make([]byte, protocol.ChunkBytes)
	for err == nil {
		var n int
		n, err = io.ReadFull(req.File, buf)
		if n > 0 {
			if sendErr := stream.Send(&pb.ImportRequest{Msg: &pb.ImportRequest_Chunk{Chunk: buf[:n]}}); sendErr != nil {
				return
			}
		}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		if stream.Send(&pb.ImportRequest{Msg: &pb.ImportRequest_End{End: &pb.ImportEnd{}}}) == nil {
			_ = stream.CloseSend()
		}
	}
	// A read error of the file leaves the stream without an end message:
	// the plugin sees a truncated file and the import fails.
}
