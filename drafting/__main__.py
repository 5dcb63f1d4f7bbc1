from drafting.cli import run

run()
