"""python -m clusters_cli"""

from clusters_cli.cli import main

main()
