// Command badplugin is a real plugin binary that misbehaves on purpose,
// for the host's tests. It is installed under several names, and its name
// says what it does: good, crash, crash-describe, hang, stdout, oversize,
// proto2, malformed, miscount, slow.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

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
	}
	var n int64
	for i := range lines {
		if mode == "slow" {
			time.Sleep(200 * time.Millisecond)
		}
		if err := stream.Send(&pb.ImportResponse{Records: []*pb.Record{observation(fmt.Sprintf("line %d", i+1))}}); err != nil {
			return err
		}
		n++
	}
	return stream.Send(&pb.ImportResponse{Summary: &pb.Summary{Records: n}})
}
