"""The command line: ``python -m skseq2seq COMMAND`` (or ``skseq2seq COMMAND``).

Each public module of this package is one command (its name): it defines
``HELP`` (one line), ``add_arguments(parser)``, ``prepare(args)``, which
checks the arguments and reads the inputs before any training, and
``run(args, inputs, progress)``, which trains, prints and writes. Adding a
command is adding a module; one that trains adds the net options
(``_options.add_net``) and builds its estimator with ``_estimators.build``,
which wires ``progress``.

User errors (bad arguments, missing or malformed files, recordings shorter
than a window, an output that would overwrite an input, an unwritable
output, a wrong model file) are reported before any training as one line
``error: <message>`` on stderr, with exit status 2 (as argparse does). An
exception raised once a net has started training is a bug and keeps its
traceback.
"""

import argparse
import importlib
import pkgutil

from ._progress import TrainingProgress

DESCRIPTION = (
    "Cluster, segment and forecast motion capture with sequence-to-sequence GRUs "
    "(scikit-learn estimators of skseq2seq, at their defaults unless an option says otherwise)."
)


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line like every other user error."""

    def error(self, message):
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def _commands():
    """{name: module} of the command modules (the public modules of this package)."""
    return {
        info.name: importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    }


def main(argv=None):
    """Run the command line; return 0 on success.

    Errors in the arguments or input data exit with status 2 (``SystemExit``)
    after printing one line ``error: <message>`` to stderr.
    """
    commands = _commands()
    parser = _Parser(prog="skseq2seq", description=DESCRIPTION)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, module in commands.items():
        command = subparsers.add_parser(
            name, help=module.HELP, description=module.__doc__.splitlines()[0]
        )
        module.add_arguments(command)
    args = parser.parse_args(argv)
    command = commands[args.command]
    progress = TrainingProgress(quiet=getattr(args, "quiet", False))
    try:
        inputs = command.prepare(args)
        command.run(args, inputs, progress)
    except (OSError, ValueError) as exc:
        if progress.training_started:
            raise  # not the user's: keep the traceback
        message = " ".join(str(exc).splitlines())
        parser.exit(2, f"error: {message}\n")
    return 0
