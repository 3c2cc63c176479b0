#!/usr/bin/env python
"""Django's command-line utility for Portefølje (an installed copy has it as `portefolje`)."""

from portfolio.cli import main

if __name__ == "__main__":
    main()
