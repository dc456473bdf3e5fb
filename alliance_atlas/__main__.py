from alliance_atlas.cli.commands import main

raise SystemExit(main())
