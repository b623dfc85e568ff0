// Command privaks compiles, proves and deploys a private AKS landing zone.
package main

import "github.com/privaks/privaks/internal/cli"

func main() { cli.Main() }
