module github.com/n64go/n64

go 1.26
