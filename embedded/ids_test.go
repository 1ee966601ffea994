package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// TestIndexIDsServesLookupsByID starts a real server, writes documents
// through the MongoDB driver, and checks that after IndexIDs SQLite plans
// FerretDB's own lookup by _id on the index, and that lookups, replaces
// and deletes by _id still do what they say.
func TestIndexIDsServesLookupsByID(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	srv, err := Start(ctx, Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cl, err := mongo.Connect(options.Client().ApplyURI(srv.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Disconnect(ctx)
	c := cl.Database("probe").Collection("things")
	var docs []any
	for i := range 500 {
		docs = append(docs, bson.D{{Key: "_id", Value: fmt.Sprintf("k%04d", i)}, {Key: "n", Value: i}})
	}
	if _, err := c.InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}

	if _, err := srv.IndexIDs(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := srv.IndexIDs(ctx); err != nil || n != 0 {
		t.Fatalf("second IndexIDs = %d, %v; want 0 added, nothing to do", n, err)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(dir, "probe.sqlite")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var table string
	if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = 'things'`).Scan(&table); err != nil {
		t.Fatal(err)
	}
	// The statement FerretDB's SQLite backend sends for a find by string _id.
	rows, err := db.Query(fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE %s = ?`, table, idExpr), `"k0400"`)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	rows.Close()
	if want := "USING INDEX " + table + idIndexSuffix; !strings.Contains(strings.Join(plan, "; "), want) {
		t.Fatalf("plan of a lookup by _id = %q; want it %s", plan, want)
	}

	var got struct {
		N int `bson:"n"`
	}
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "k0400"}}).Decode(&got); err != nil || got.N != 400 {
		t.Fatalf("find k0400 = %+v, %v", got, err)
	}
	if r, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: "k0400"}}, bson.D{{Key: "n", Value: -1}}); err != nil || r.ModifiedCount != 1 {
		t.Fatalf("replace k0400 = %+v, %v", r, err)
	}
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "k0400"}}).Decode(&got); err != nil || got.N != -1 {
		t.Fatalf("find k0400 after replace = %+v, %v", got, err)
	}
	if r, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: "k0401"}}); err != nil || r.DeletedCount != 1 {
		t.Fatalf("delete k0401 = %+v, %v", r, err)
	}
	if n, err := c.CountDocuments(ctx, bson.D{}); err != nil || n != 499 {
		t.Fatalf("count = %d, %v; want 499", n, err)
	}

	// A dropped collection takes its index with it; a new one gets its own.
	if err := c.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Database("probe").Collection("things").InsertOne(ctx, bson.D{{Key: "_id", Value: "again"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := srv.IndexIDs(ctx); err != nil || n != 1 {
		t.Fatalf("IndexIDs after drop and create = %d, %v; want 1 added", n, err)
	}
}
