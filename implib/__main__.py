from implib.cli import main

main()
