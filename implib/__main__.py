from implib.cli import entry

entry()
