// Command gofixture is a small real Go program whose build info lists a plain dependency, one replaced by
// another version, and one replaced by a local directory. It exists to be read by dockaudit's tests.
package main

import (
	"fmt"
	"os"

	"example.com/dockaudit/local"
	"github.com/google/uuid"
	"github.com/pkg/errors"
)

func main() {
	if len(os.Args) > 1 {
		fmt.Println(uuid.NewString(), errors.New(local.Name))
	}
}
