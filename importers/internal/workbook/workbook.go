// Package workbook opens the .xlsx workbooks of the importers (yuexi, and
// the mapping-driven xlsx) within bounds: a workbook is refused before
// excelize reads it when it expands beyond sdk.MaxArchiveSize, by what
// its headers declare or by what it inflates to, and its large sheets are
// unpacked to the importer's temporary directory rather than memory.
package workbook

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/countyhub/countyhub/plugins/sdk"
)

// MaxFileSize bounds the workbook file read into memory; a county's
// workbook is a few hundred kilobytes.
const MaxFileSize = 64 << 20

// sheetInMemory is the size of a sheet's XML above which excelize unpacks
// it to a temporary file instead of memory (excelize's own default).
const sheetInMemory = 16 << 20

// Open opens the workbook data holds with excelize, with opts (the locale
// cells read in) and the bounds above. A workbook that expands beyond
// sdk.MaxArchiveSize is an *sdk.ArchiveError, found before excelize
// inflates anything; any other error means data is not a readable
// workbook.
func Open(data []byte, opts excelize.Options) (*excelize.File, error) {
	a, err := sdk.OpenArchive(bytes.NewReader(data), int64(len(data)), sdk.MaxArchiveSize)
	if err != nil {
		return nil, err
	}
	// excelize inflates every part itself through archive/zip, which
	// stops a part at its declared size, so the sizes checked above bound
	// what it inflates. Verify inflates the parts once before, counting,
	// so that a part whose header lies is refused as an archive that
	// expands beyond what it declares, not as a damaged workbook.
	if err := a.Verify(); err != nil {
		return nil, err
	}
	opts.UnzipSizeLimit, opts.UnzipXMLSizeLimit = sdk.MaxArchiveSize, sheetInMemory
	f, err := excelize.OpenReader(bytes.NewReader(data), opts)
	if err != nil {
		return nil, fmt.Errorf("open the workbook: %w", err)
	}
	return f, nil
}
