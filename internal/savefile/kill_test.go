package savefile

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/n64go/n64/core/cart"
)

// killChildEnv makes the test binary a writer child (TestWriteAtomicChild):
// its value is the save file's path.
const killChildEnv = "N64_SAVEFILE_KILL_CHILD"

// killFileSize is the size of each version: a FlashRAM file (.fla), the
// largest save there is, so that Open can load the survivor.
const killFileSize = cart.FlashSize

// version is the complete contents of generation g: g in the first eight
// bytes, then bytes that depend on g and their offset, so that a file
// mixing two generations, or cut short, is told apart from both.
func version(g uint64) []byte {
	b := make([]byte, killFileSize)
	binary.BigEndian.PutUint64(b, g)
	x := g*0x9E3779B97F4A7C15 | 1
	for i := 8; i+8 <= len(b); i += 8 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		binary.BigEndian.PutUint64(b[i:], x)
	}
	return b
}

// generation reports which complete version data is, or ok=false when it
// is none (truncated, mixed, or empty).
func generation(data []byte) (g uint64, ok bool) {
	if len(data) != killFileSize {
		return 0, false
	}
	g = binary.BigEndian.Uint64(data)
	return g, bytes.Equal(data, version(g))
}

// TestWriteAtomicChild is the writer the kill test starts: it replaces the
// file with the next generation again and again, printing each generation
// once WriteAtomic has returned, until it is killed.
func TestWriteAtomicChild(t *testing.T) {
	path := os.Getenv(killChildEnv)
	if path == "" {
		t.Skip("only run as the child of TestWriteAtomicSurvivesSIGKILL")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	g, ok := generation(data)
	if !ok {
		fmt.Println("error: the file is not a complete version")
		os.Exit(1)
	}
	for {
		g++
		if err := WriteAtomic(path, version(g)); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("done", g)
	}
}

// TestWriteAtomicSurvivesSIGKILL kills a process that is rewriting a save
// file with WriteAtomic at 50 random (seeded) moments and checks each time
// that the file is exactly the last version the writer finished or the one
// it was writing — never a truncated or mixed file — and that the
// temporary files a kill leaves behind are never what Open reads (Open
// deletes them).
func TestWriteAtomicSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 50 processes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "GAME-0123456789ab.fla")
	if err := os.WriteFile(path, version(0), 0o644); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(14, 2026))
	const kills = 50
	var midWrite int // kills that found the writer past its last reported generation
	last := uint64(0)
	for k := 0; k < kills; k++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriteAtomicChild$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Wait for the first finished write, so the kill lands in the loop,
		// then let it run for a random time of up to a few writes.
		done := last
		if line, ok := <-lines; !ok || !strings.HasPrefix(line, "done ") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("kill %d: child said %q", k, line)
		} else {
			done, _ = strconv.ParseUint(strings.TrimPrefix(line, "done "), 10, 64)
		}
		time.Sleep(time.Duration(rng.IntN(20_000)) * time.Microsecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for line := range lines {
			if n, err := strconv.ParseUint(strings.TrimPrefix(line, "done "), 10, 64); err == nil {
				done = n
			}
		}
		cmd.Wait()

		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("kill %d: %v", k, err)
		}
		g, ok := generation(data)
		switch {
		case !ok:
			t.Fatalf("kill %d: the save file (%d bytes) is not a complete version", k, len(data))
		case g != done && g != done+1:
			t.Fatalf("kill %d: the file holds generation %d; the writer had finished %d, so want %d or %d",
				k, g, done, done, done+1)
		case g == done+1:
			midWrite++ // killed after the rename, before it printed
		}
		last = g
	}
	t.Logf("%d kills; final generation %d; %d kills between a rename and its report", kills, last, midWrite)

	// What a kill leaves besides the save is hidden temporary files, which
	// Open never reads: it loads the last complete version, and deletes
	// them.
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	tmps := 0
	for _, e := range ents {
		if e.Name() == filepath.Base(path) {
			continue
		}
		if !strings.HasPrefix(e.Name(), "."+filepath.Base(path)+".tmp-") {
			t.Errorf("unexpected file %s beside the save", e.Name())
		}
		tmps++
	}
	t.Logf("%d temporary files left by kills", tmps)
	// Another ROM's files, temporary or not, are left alone.
	others := []string{"OTHER-0123456789ab.fla", ".OTHER-0123456789ab.fla.tmp-1", ".GAME-0123456789ab.sra.tmp-2"}
	for _, o := range others {
		if err := os.WriteFile(filepath.Join(dir, o), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := &fakeMachine{t: cart.SaveFlash1M, mem: make([]byte, cart.FlashSize)}
	if _, warns, err := Open(dir, "GAME-0123456789ab", m); err != nil || len(warns) != 0 {
		t.Fatalf("Open: %v %v", warns, err)
	}
	want := make([]byte, cart.FlashSize)
	swap32(want, version(last))
	if !bytes.Equal(m.mem, want) {
		t.Errorf("Open loaded something other than generation %d", last)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1+len(others) {
		t.Errorf("after Open %d files, want the save and %v", len(ents), others)
	}
	for _, o := range others {
		if _, err := os.Stat(filepath.Join(dir, o)); err != nil {
			t.Errorf("Open removed %s", o)
		}
	}
}
