module example.com/dockaudit/local

go 1.19
