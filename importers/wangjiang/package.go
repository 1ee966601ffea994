package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/countyhub/countyhub/plugins/sdk"
)

// maxFileSize bounds the file read into memory: a county report is a few
// hundred kilobytes. What it expands to is bounded by sdk.MaxArchiveSize.
const maxFileSize = 64 << 20

// officeDocumentRel is the relationship type of a package's main part.
const officeDocumentRel = "/officeDocument"

// oleMagic starts a Word 97-2003 .doc file (an OLE compound file).
var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// openDocument reads a .docx file and opens its main document part, whose
// reads fail with an *sdk.ArchiveError once the package expands beyond
// sdk.MaxArchiveSize. The error says, for the county officer, why the
// file is not a .docx.
func openDocument(r io.Reader) (io.ReadCloser, string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	switch {
	case err != nil:
		return nil, "", fmt.Errorf("cannot read the file: %w", err)
	case len(data) == 0:
		return nil, "", errors.New("the file is empty: want a Word .docx document")
	case len(data) > maxFileSize:
		return nil, "", fmt.Errorf("the file is larger than %d MiB: want a Word .docx report", maxFileSize>>20)
	case bytes.HasPrefix(data, oleMagic):
		return nil, "", errors.New("a Word 97-2003 .doc file: open it in Word or WPS and save it as .docx")
	}
	a, err := sdk.OpenArchive(bytes.NewReader(data), int64(len(data)), sdk.MaxArchiveSize)
	var big *sdk.ArchiveError
	switch {
	case errors.As(err, &big):
		return nil, "", fmt.Errorf("%w: a Word report is far smaller; is it the county's .docx?", err)
	case err != nil:
		return nil, "", fmt.Errorf("not a .docx file (%w): want a Word .docx document, which is a zip package", err)
	}
	name := mainPart(a)
	f, err := a.Open(name)
	if err != nil {
		return nil, "", fmt.Errorf("not a Word document: the package has no %s: want a .docx saved by Word or WPS", name)
	}
	return f, name, nil
}

// mainPart returns the name of the package's main document part, as
// _rels/.rels gives it, or word/document.xml.
func mainPart(a *sdk.Archive) string {
	const fallback = "word/document.xml"
	f, err := a.Open("_rels/.rels")
	if err != nil {
		return fallback
	}
	defer f.Close()
	var rels struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.NewDecoder(io.LimitReader(f, 1<<20)).Decode(&rels); err != nil {
		return fallback
	}
	for _, rel := range rels.Rel {
		if strings.HasSuffix(rel.Type, officeDocumentRel) && rel.Target != "" {
			if name := path.Clean(strings.TrimPrefix(rel.Target, "/")); !strings.HasPrefix(name, "..") {
				return name
			}
		}
	}
	return fallback
}
