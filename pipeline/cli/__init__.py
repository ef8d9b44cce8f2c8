"""The command-line shell (typer): parse, call one service function, render, map errors."""
