module example.com/dockaudit/gofixture

go 1.19

require (
	example.com/dockaudit/local v0.0.0
	github.com/google/uuid v1.2.0
	github.com/pkg/errors v0.9.1
)

replace github.com/google/uuid v1.2.0 => github.com/google/uuid v1.3.0

replace example.com/dockaudit/local => ./local
