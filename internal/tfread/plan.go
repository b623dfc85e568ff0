package tfread

import "github.com/privaks/privaks/internal/arm"

// ReadPlan reads a plan's JSON (terraform show -json).
func ReadPlan(path, dir string, opt Options) (*arm.Set, error) {
	return nil, &Error{Pos: arm.Pos{File: path}, Msg: "plan JSON is not read yet"}
}
