// Package protocol holds what both sides of the importer plugin protocol
// must agree on: the go-plugin handshake, the protocol version, the
// message-size limit and the go-plugin glue for the gRPC service.
package protocol

import (
	"context"
	"errors"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pb "github.com/countyhub/countyhub/plugins/proto/countyhub/importer/v1"
)

// Version is the importer protocol's major version. Versions are whole
// numbers negotiated by go-plugin; a new one is made only for a breaking
// change, since the protocol otherwise grows additively.
const Version = 1

// PluginName is the name the importer service is dispensed under.
const PluginName = "importer"

// MaxMessageBytes bounds every gRPC message either side sends or accepts.
// File chunks are at most ChunkBytes, and the SDK flushes record batches
// well before this.
const MaxMessageBytes = 4 << 20

// ChunkBytes is the largest file chunk the host sends.
const ChunkBytes = 1 << 20

// Handshake keeps a plugin binary from being run as a plain program, and a
// program that is not a countyhub importer from being run as a plugin.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  Version,
	MagicCookieKey:   "COUNTYHUB_IMPORTER_PLUGIN",
	MagicCookieValue: "d3f0b6a2-importer-3c8e41",
}

// GRPCPlugin is the go-plugin glue of the importer service: the plugin
// side serves Impl, the host side gets a client.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	// Impl is the importer, on the plugin side only.
	Impl pb.ImporterServiceServer
}

// GRPCServer registers the importer service on the plugin's server.
func (p *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	if p.Impl == nil {
		return errors.New("importer plugin has no server")
	}
	pb.RegisterImporterServiceServer(s, p.Impl)
	return nil
}

// GRPCClient returns the host's client of the importer service.
func (p *GRPCPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return pb.NewImporterServiceClient(c), nil
}

// ServerOptions are the gRPC server options of a plugin.
func ServerOptions(opts []grpc.ServerOption) []grpc.ServerOption {
	return append(opts, grpc.MaxRecvMsgSize(MaxMessageBytes), grpc.MaxSendMsgSize(MaxMessageBytes))
}
