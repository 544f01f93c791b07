from mlreview.cli import main

raise SystemExit(main())
