package romtest

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// The outputs below are assembled from the format strings of
// lemmy-64/n64-systemtest, src/tests/mod.rs (fn run):
//
//	text_out("Running "); text_out(test.name()); text_out("...\n");
//	println!("Test '{}'{} failed with exception: {:?}\n", ...)
//	println!("Test '{}'{} failed with unknown exception: {:?}\n", ...)
//	println!("Test '{}'{} failed: {}\n", ...)               value_desc: "" or " with '{:x?}'"
//	println!("Done, but no tests were executed");
//	format!("{}: Failed {} of {} tests ({}% success rate)\n", ...)   (stat_string)
//	"n64-systemtest {} (base={} timing={} cycle={} cp0-hazards={})\nFinished in {:0.2}s. {}{}{}{}{}"
//	print!("Slowest tests: "); print!("{} ({:0.2}s)", ...)
//
// and soft_asserts.rs (multi-line errors):
//
//	"a == b expected, but a={:#x?} b={:#x?}. {}"
//	"a == b expected, but (hex):\nActual:     {:04x?}\nExpected: {:04x?}\n{}"
const (
	stHeader = "Running StartupTest...\nRunning LW...\n"
	stFail1  = "Test 'LW' with '0x80000001' failed with exception: AddressErrorLoad\n\n"
	stFail2  = "Running VADD...\nTest 'VADD' with '(true, 3)' failed: a == b expected, but (hex):\nActual:     [0001, 0002, 0003, 0004, 0005, 0006, 0007, 0008]\nExpected: [0001, 0002, 0003, 0004, 0005, 0006, 0007, 0009]\nVADD result\n\n"
	stFail3  = "Running COP0Context...\nTest 'COP0Context' failed: a == b expected, but a=0x0 b=0x1. Context\n\n"
	stFail4  = "Test 'TLBP' failed with unknown exception: 31\n\n"
	stTail   = "\nSlowest tests: RSPVMULF (0.52s), TLB (0.11s)\n"
)

func TestParseSystemtest(t *testing.T) {
	fails := stFail1 + stFail2 + stFail3
	tests := []struct {
		name     string
		in       string
		want     Summary
		wantErr  error
		errMatch string
	}{
		{
			name: "some failed",
			in: stHeader + fails + "\n" +
				"n64-systemtest 2.1.0 (base=1 timing=0 cycle=0 cp0-hazards=0)\n" +
				"Finished in 1.23s. Base: Failed 3 of 500 tests (99% success rate)\n" + stTail,
			want: Summary{Total: 500, Failed: 3,
				Line:       "Finished in 1.23s. Base: Failed 3 of 500 tests (99% success rate)",
				Categories: []Category{{"Base", 3, 500}},
				Failures: []string{
					"Test 'LW' with '0x80000001' failed with exception: AddressErrorLoad",
					"Test 'VADD' with '(true, 3)' failed: a == b expected, but (hex):\nActual:     [0001, 0002, 0003, 0004, 0005, 0006, 0007, 0008]\nExpected: [0001, 0002, 0003, 0004, 0005, 0006, 0007, 0009]\nVADD result",
					"Test 'COP0Context' failed: a == b expected, but a=0x0 b=0x1. Context",
				}},
		},
		{
			name: "all passed",
			in: stHeader + "\nn64-systemtest 2.1.0 (base=1 timing=0 cycle=0 cp0-hazards=0)\n" +
				"Finished in 0.98s. Base: Failed 0 of 1273 tests (100% success rate)\n" + stTail,
			want: Summary{Total: 1273, Failed: 0,
				Line:       "Finished in 0.98s. Base: Failed 0 of 1273 tests (100% success rate)",
				Categories: []Category{{"Base", 0, 1273}}},
		},
		{
			name: "several categories, CRLF",
			in: strings.ReplaceAll(stHeader+stFail4+"\nn64-systemtest 2.1.0 (base=1 timing=1 cycle=0 cp0-hazards=1)\n"+
				"Finished in 2.00s. Base: Failed 1 of 400 tests (99% success rate)\nTiming: Failed 2 of 10 tests (80% success rate)\nCP0-hazards: Failed 0 of 4 tests (100% success rate)\n"+stTail, "\n", "\r\n"),
			want: Summary{Total: 414, Failed: 3,
				Line:       "Finished in 2.00s. Base: Failed 1 of 400 tests (99% success rate) Timing: Failed 2 of 10 tests (80% success rate) CP0-hazards: Failed 0 of 4 tests (100% success rate)",
				Categories: []Category{{"Base", 1, 400}, {"Timing", 2, 10}, {"CP0-hazards", 0, 4}},
				Failures:   []string{"Test 'TLBP' failed with unknown exception: 31"}},
		},
		{
			name: "base excluded",
			in:   "\nn64-systemtest 2.1.0 (base=0 timing=1 cycle=0 cp0-hazards=0)\nFinished in 0.50s. Timing: Failed 0 of 10 tests (100% success rate)\n",
			want: Summary{Total: 10, Line: "Finished in 0.50s. Timing: Failed 0 of 10 tests (100% success rate)",
				Categories: []Category{{"Timing", 0, 10}}},
		},
		{
			name: "pre-4503c4c form (newline before extra categories)",
			in:   "n64-systemtest 1.0.0 (base=1 timing=1 cycle=0 cp0-hazards=0)\nFinished in 3.10s. Base: Failed 2 of 300 tests (99% success rate)\nPoorly-understood-quirk: Failed 1 of 2 tests (50% success rate)\n",
			want: Summary{Total: 302, Failed: 3,
				Line:       "Finished in 3.10s. Base: Failed 2 of 300 tests (99% success rate) Poorly-understood-quirk: Failed 1 of 2 tests (50% success rate)",
				Categories: []Category{{"Base", 2, 300}, {"Poorly-understood-quirk", 1, 2}}},
		},
		{
			name: "old Done! form",
			in:   "Test 'ADD' failed: a == b expected, but a=0x1 b=0x2. \n\n\nDone! Tests: 120. Failed: 1. Success rate: 99%. Skipped 3 tests\n",
			want: Summary{Total: 120, Failed: 1, Line: "Done! Tests: 120. Failed: 1. Success rate: 99%. Skipped 3 tests",
				Failures: []string{"Test 'ADD' failed: a == b expected, but a=0x1 b=0x2."}},
		},
		{
			name:    "no tests",
			in:      "\nDone, but no tests were executed\n",
			want:    Summary{Line: "Done, but no tests were executed"},
			wantErr: ErrNoTests,
		},
		{
			name:    "unfinished",
			in:      stHeader + stFail1 + "Running SW...\n",
			want:    Summary{Failures: []string{"Test 'LW' with '0x80000001' failed with exception: AddressErrorLoad"}},
			wantErr: ErrNoSummary,
		},
		{
			name:     "panic",
			in:       stHeader + "\npanicked at 'index out of bounds', src/tests/tlb.rs:12:5\n\n",
			want:     Summary{},
			wantErr:  ErrNoSummary,
			errMatch: "panicked at 'index out of bounds'",
		},
		{
			name:    "empty",
			in:      "",
			wantErr: ErrNoSummary,
		},
		{
			name:     "malformed counts",
			in:       "Finished in 1.23s. Base: Failed many of 500 tests\n",
			errMatch: "malformed summary",
			want:     Summary{Line: "Finished in 1.23s. Base: Failed many of 500 tests"},
		},
		{
			name:     "more failures than tests",
			in:       "Finished in 1.23s. Base: Failed 9 of 5 tests (0% success rate)\n",
			errMatch: "malformed summary",
			want:     Summary{Line: "Finished in 1.23s. Base: Failed 9 of 5 tests (0% success rate)"},
		},
		{
			name: "ISViewer NULs and no trailing newline",
			in:   "Running A...\n\x00\x00Finished in 1.00s. Base: Failed 0 of 7 tests (100% success rate)",
			want: Summary{Total: 7, Line: "Finished in 1.00s. Base: Failed 0 of 7 tests (100% success rate)",
				Categories: []Category{{"Base", 0, 7}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSystemtest(tc.in)
			switch {
			case tc.wantErr != nil || tc.errMatch != "":
				if err == nil {
					t.Fatalf("no error, want %v %q", tc.wantErr, tc.errMatch)
				}
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
					t.Errorf("err = %v, want %v", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.errMatch) {
					t.Errorf("err = %v, want containing %q", err, tc.errMatch)
				}
			case err != nil:
				t.Fatalf("unexpected error %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %#v\nwant %#v", got, tc.want)
			}
			if got.Passed() != (err == nil && got.Total > 0 && got.Failed == 0) {
				t.Errorf("Passed() = %v", got.Passed())
			}
		})
	}
}
