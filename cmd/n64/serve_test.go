package main

import (
	"io"
	"strings"
	"testing"
)

// Bad --input-delay and --status-addr values fail before anything runs.
func TestServeDelayAndStatusFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--input-delay", "often"}, "--input-delay"},
		{[]string{"--input-delay", "0"}, "--input-delay"},
		{[]string{"--input-delay", "31"}, "fixed input delay 31 not in 1…30"},
		{[]string{"--port", "1", "--status-addr", "127.0.0.1:99999"}, "status page"},
	}
	for _, tc := range tests {
		err := runServe(tc.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("n64 serve %q: %v, want an error mentioning %q", tc.args, err, tc.want)
		}
	}
}
