from teleprospect.cli import main

raise SystemExit(main())
