from dockerls.cli import main

raise SystemExit(main())
