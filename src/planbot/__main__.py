from planbot.cli import main

main()
