// Command badplugin is a real plugin binary that misbehaves on purpose,
// for the host's tests. It is installed under several names, and its name
// says what it does: good, crash, crash-describe, hang, stall (sends
// three records, then nothing), stdout, oversize, proto2, malformed,
// miscount, slow (a record every 200 ms; so does every name that begins
// with slow, for tests that need a slow plugin of their own); against its
// resource limits cpuhog (spins), memhog (allocates until it fails),
// filehog (opens files until it fails); env (reports its environment and
// working directory as diagnostics), write (writes files in its working
// directory and reports it), write-crash (the same, then crashes);
// othercounty (whatever the run's unit, emits a figure of Daguan, 340803,
// after one of the run's own).
package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/countyhub/countyhub/plugins/internal/protocol"
	pb "github.com/countyhub/countyhub/plugins/proto/countyhub/importer/v1"
)

var mode = filepath.Base(os.Args[0])

// logOutput is the process's own stderr, as the SDK logs to it: kept
// before plugin.Serve redirects os.Stderr.
var logOutput = os.Stderr

func main() {
	if mode == "stdout" {
		fmt.Println("hello from a plugin that prints") // breaks the handshake
	}
	handshake := protocol.Handshake
	version := protocol.Version
	if mode == "proto2" {
		version = 2
		handshake.ProtocolVersion = 2
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  handshake,
		VersionedPlugins: map[int]plugin.PluginSet{version: {protocol.PluginName: &protocol.GRPCPlugin{Impl: server{}}}},
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			// Big limits: the host, not this plugin, must refuse oversized data.
			return grpc.NewServer(append(opts, grpc.MaxSendMsgSize(64<<20), grpc.MaxRecvMsgSize(64<<20))...)
		},
		Logger: hclog.New(&hclog.LoggerOptions{Output: logOutput, JSONFormat: true}),
	})
}

// hog keeps what memhog allocates.
var hog [][]byte

type server struct {
	pb.UnimplementedImporterServiceServer
}

func (server) Describe(context.Context, *pb.DescribeRequest) (*pb.DescribeResponse, error) {
	if mode == "crash-describe" {
		panic("crash while describing")
	}
	return &pb.DescribeResponse{Name: mode, Version: "0.1.0", Datasets: []string{"observations"},
		Formats: []*pb.Format{{Extensions: []string{".txt"}}}}, nil
}

func observation(ref string) *pb.Record {
	return &pb.Record{Reference: ref, Kind: &pb.Record_Observation{Observation: &pb.Observation{
		Metric: "org.volunteer_teams", Period: "2023", Value: &pb.Quantity{Value: 1, Qualifier: pb.Qualifier_QUALIFIER_EXACT, Unit: "COUNT"}}}}
}

func (server) Import(stream pb.ImporterService_ImportServer) error {
	// Read the whole file: one record per line.
	var data []byte
	for {
		m, err := stream.Recv()
		if err == io.EOF || m.GetEnd() != nil {
			break
		}
		if err != nil {
			return err
		}
		data = append(data, m.GetChunk()...)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	fmt.Fprintf(logOutput, "{\"@level\":\"info\",\"@message\":\"read file\",\"lines\":%d}\n", len(lines))

	first := &pb.ImportResponse{Records: []*pb.Record{observation("line 1")}}
	switch mode {
	case "hang":
		select {}
	case "stall":
		for i := range 3 {
			if err := stream.Send(&pb.ImportResponse{Records: []*pb.Record{observation(fmt.Sprintf("line %d", i+1))}}); err != nil {
				return err
			}
		}
		select {}
	case "crash":
		if err := stream.Send(first); err != nil {
			return err
		}
		time.Sleep(50 * time.Millisecond)
		panic("boom in the middle of the stream")
	case "oversize":
		big := observation("line 1")
		big.GetObservation().Metric = strings.Repeat("x", 5<<20)
		return stream.Send(&pb.ImportResponse{Records: []*pb.Record{big}})
	case "malformed":
		return stream.Send(&pb.ImportResponse{Records: []*pb.Record{{Reference: "line 1"}}})
	case "miscount":
		return stream.Send(&pb.ImportResponse{Records: []*pb.Record{observation("line 1")}, Summary: &pb.Summary{Records: 7}})
	case "cpuhog":
		sum := sha256.Sum256(data)
		for {
			sum = sha256.Sum256(sum[:])
		}
	case "memhog":
		for {
			hog = append(hog, make([]byte, 16<<20))
		}
	case "filehog":
		var files []*os.File
		defer func() {
			for _, f := range files {
				f.Close()
			}
		}()
		for {
			f, err := os.Open(os.DevNull)
			if err != nil {
				// What the SDK does with an importer's error.
				return status.Error(codes.Aborted, err.Error())
			}
			files = append(files, f)
		}
	case "env", "write", "write-crash":
		return place(stream)
	case "othercounty":
		daguan := observation("line 2")
		daguan.GetObservation().Unit = "340803"
		daguan.GetObservation().Metric = "org.compound_party_branches"
		if err := stream.Send(&pb.ImportResponse{Records: []*pb.Record{observation("line 1"), daguan}}); err != nil {
			return err
		}
		return stream.Send(&pb.ImportResponse{Summary: &pb.Summary{Records: 2}})
	}
	var n int64
	for i := range lines {
		if strings.HasPrefix(mode, "slow") {
			time.Sleep(200 * time.Millisecond)
		}
		if err := stream.Send(&pb.ImportResponse{Records: []*pb.Record{observation(fmt.Sprintf("line %d", i+1))}}); err != nil {
			return err
		}
		n++
	}
	return stream.Send(&pb.ImportResponse{Summary: &pb.Summary{Records: n}})
}

// place reports the process's working directory and environment as
// diagnostics; write modes first leave files there, one of them in a
// directory without write permission.
func place(stream pb.ImporterService_ImportServer) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	if strings.HasPrefix(mode, "write") {
		if err := os.WriteFile("left-behind.txt", []byte("x"), 0o644); err != nil {
			return err
		}
		if err := os.MkdirAll("locked/in", 0o755); err != nil {
			return err
		}
		if err := os.WriteFile("locked/in/file.txt", []byte("x"), 0o644); err != nil {
			return err
		}
		if err := os.Chmod("locked", 0o500); err != nil {
			return err
		}
	}
	info := func(ref, field, msg string) *pb.Diagnostic {
		return &pb.Diagnostic{Severity: pb.Severity_SEVERITY_INFO, Reference: ref, Field: field, Message: msg}
	}
	res := &pb.ImportResponse{Diagnostics: []*pb.Diagnostic{info("cwd", "", wd)}}
	if mode == "env" {
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			res.Diagnostics = append(res.Diagnostics, info("env", k, v))
		}
	}
	if err := stream.Send(res); err != nil {
		return err
	}
	if mode == "write-crash" {
		time.Sleep(50 * time.Millisecond)
		panic("crash after writing")
	}
	return stream.Send(&pb.ImportResponse{Summary: &pb.Summary{Diagnostics: int64(len(res.Diagnostics))}})
}
