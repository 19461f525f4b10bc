package server

import (
	"embed"
	"io/fs"
)

// webFiles is the search page (docs/search-page.md): plain HTML, CSS and
// JavaScript with no build step.
//
//go:embed web
var webFiles embed.FS

// Web returns the search page's files for Config.Web: index.html, served at
// / and /articles/{id}, and static/ (app.js, app.css, bahth-box.js and
// demo.html), served under /static/.
func Web() fs.FS {
	sub, err := fs.Sub(webFiles, "web")
	if err != nil { // "web" is a valid path, so Sub can't fail
		panic(err)
	}
	return sub
}
