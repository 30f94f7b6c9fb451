from disaster_desk.cli import main

raise SystemExit(main())
