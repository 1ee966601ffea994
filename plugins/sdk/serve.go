package sdk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/countyhub/countyhub/plugins/internal/protocol"
	"github.com/countyhub/countyhub/plugins/internal/protoconv"
	pb "github.com/countyhub/countyhub/plugins/proto/countyhub/importer/v1"
)

// Serve runs imp as a plugin until the hub stops it. Call it from main and
// nothing else: the plugin's stdout belongs to the handshake with the hub.
// Run by hand, the binary says it is a plugin and exits.
func Serve(imp Importer) {
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: protocol.Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{
			protocol.Version: {protocol.PluginName: &protocol.GRPCPlugin{Impl: &server{imp: imp}}},
		},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(protocol.ServerOptions(opts)...)
		},
		Logger: hclog.New(&hclog.LoggerOptions{Output: logOutput, JSONFormat: true, Level: hclog.Info}),
	})
}

// logOutput is the process's own stderr, kept before Serve redirects
// os.Stderr into the plugin connection: the hub reads it to the last line
// even when it stops the plugin right after an import, where the
// connection's copy of os.Stderr may be cut off.
var logOutput = os.Stderr

// Logger returns a logger for importers: its records go to stderr in the
// form the hub reads, and show in the hub's log under the plugin's name.
func Logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(logOutput, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) > 0 {
				return a
			}
			switch a.Key {
			case slog.TimeKey:
				a.Key = "@timestamp"
			case slog.LevelKey:
				a.Key, a.Value = "@level", slog.StringValue(hclogLevel(a.Value.Any()))
			case slog.MessageKey:
				a.Key = "@message"
			}
			return a
		},
	}))
}

func hclogLevel(v any) string {
	l, _ := v.(slog.Level)
	switch {
	case l < slog.LevelInfo:
		return "debug"
	case l < slog.LevelWarn:
		return "info"
	case l < slog.LevelError:
		return "warn"
	default:
		return "error"
	}
}

// server serves an Importer over the protocol.
type server struct {
	pb.UnimplementedImporterServiceServer
	imp Importer
}

func (s *server) Describe(context.Context, *pb.DescribeRequest) (*pb.DescribeResponse, error) {
	return protoconv.DescriptionToProto(s.imp.Describe()), nil
}

func (s *server) Import(stream pb.ImporterService_ImportServer) error {
	ctx := stream.Context()
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	start := first.GetStart()
	if start == nil {
		return status.Error(codes.InvalidArgument, "the first import message must be start")
	}

	pr, pw := io.Pipe()
	go feed(stream, pw)
	defer pr.Close() // unblocks feed when the importer stops reading early

	out := newStreamEmitter(ctx, stream.Send)
	in := &Input{Reader: pr, FileName: start.GetFileName(), Size: start.GetSize(), Unit: start.GetUnit(), Options: start.GetOptions()}
	if err := Run(ctx, s.imp, in, out); err != nil {
		return status.Error(codes.Aborted, err.Error())
	}
	if err := out.flush(); err != nil {
		return err
	}
	return stream.Send(&pb.ImportResponse{Summary: &pb.Summary{Records: out.records, Diagnostics: out.diagnostics}})
}

// feed copies the file chunks of the stream into w until the end message.
func feed(stream pb.ImporterService_ImportServer, w *io.PipeWriter) {
	for {
		m, err := stream.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF // the hub closed without an end message
			}
			w.CloseWithError(err)
			return
		}
		switch {
		case m.GetEnd() != nil:
			w.Close()
			return
		case m.GetChunk() != nil:
			if _, err := w.Write(m.GetChunk()); err != nil {
				return // the importer stopped reading
			}
		}
	}
}

// Run runs an importer on in, turning a panic into an error. The SDK's
// server and the conformance kit both call it.
func Run(ctx context.Context, imp Importer, in *Input, out Emitter) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("importer panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return imp.Import(ctx, in, out)
}

// Batch limits: a batch is sent when it holds this many items or bytes,
// far below the protocol's message limit.
const (
	batchItems = 500
	batchBytes = 512 << 10
)

// streamEmitter batches records and diagnostics into protocol messages.
type streamEmitter struct {
	ctx                  context.Context
	send                 func(*pb.ImportResponse) error
	batch                *pb.ImportResponse
	items, bytes         int
	records, diagnostics int64
}

func newStreamEmitter(ctx context.Context, send func(*pb.ImportResponse) error) *streamEmitter {
	return &streamEmitter{ctx: ctx, send: send, batch: &pb.ImportResponse{}}
}

func (e *streamEmitter) Emit(r Record) error {
	p, size, err := protoconv.EncodeRecord(r)
	if err != nil {
		return fmt.Errorf("emit: %w", err)
	}
	e.batch.Records = append(e.batch.Records, p)
	e.records++
	return e.added(size)
}

func (e *streamEmitter) Diagnose(d Diagnostic) error {
	p := protoconv.DiagnosticToProto(protoconv.CleanDiagnostic(d))
	e.batch.Diagnostics = append(e.batch.Diagnostics, p)
	e.diagnostics++
	return e.added(proto.Size(p))
}

func (e *streamEmitter) added(size int) error {
	if err := e.ctx.Err(); err != nil {
		return err
	}
	e.items++
	e.bytes += size
	if e.items >= batchItems || e.bytes >= batchBytes {
		return e.flush()
	}
	return nil
}

func (e *streamEmitter) flush() error {
	if e.items == 0 {
		return nil
	}
	err := e.send(e.batch)
	e.batch, e.items, e.bytes = &pb.ImportResponse{}, 0, 0
	if err != nil {
		return fmt.Errorf("send to hub: %w", err)
	}
	return nil
}
