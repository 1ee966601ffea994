package store_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

func TestUploads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	data := bytes.Repeat([]byte("大观区,党群服务站\n"), 50000) // several GridFS chunks
	if ok, err := s.HasUpload(ctx, "sha1"); ok || err != nil {
		t.Fatalf("HasUpload before: %v, %v", ok, err)
	}
	for range 2 { // the second is a no-op
		if err := s.PutUpload(ctx, "sha1", "daguan.csv", bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.OpenUpload(ctx, "sha1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("read back %d bytes, %v; want %d", len(got), err, len(data))
	}
	if _, err := s.OpenUpload(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OpenUpload of a missing file: %v", err)
	}

}
