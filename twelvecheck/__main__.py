from twelvecheck.cli import main

main()
