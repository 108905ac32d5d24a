from twelvecheck.launch import main

main()
