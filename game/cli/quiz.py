"""`switchyard quiz`: open the pre/post quiz, export its answers as CSV, or check a pack.

switchyard quiz [--pre | --post]       the quiz screen (name, questions, summary)
switchyard quiz --export FILE.csv      every answer saved on this computer, headless
switchyard quiz --check [--pack FILE]  validate a pack: FILE:LINE: key: message, exit 1
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.cli.common import UserError, load_registry, print_problems


def _pack(args: argparse.Namespace, registry: object):
    from game.quiz.loader import QuizError
    from game.quiz.packs import load_pack

    try:
        return load_pack(args.pack, registry)
    except QuizError as error:
        print_problems(error.problems)
        raise UserError(f"{args.pack} has {len(error.problems)} problem(s)") from None
    except LookupError as error:
        raise UserError(str(error)) from None


def export_answers(out: str) -> int:
    from game.quiz.answers import AnswerStore
    from game.quiz.csv_export import write_csv
    from game.quiz.run import class_scores

    target = Path(out)
    if target.is_dir():
        raise UserError(f"--export {out!r} is a folder; give a FILE.csv inside it")
    if not target.parent.is_dir():
        raise UserError(f"--export {out!r}: the folder {target.parent} does not exist")
    store = AnswerStore()
    answers, note = store.load()
    if note and "could not be read" in note:
        raise UserError(note)
    if note:
        print(f"switchyard: {note}", file=sys.stderr)
    write_csv(answers, target)
    people = len({answer.name.casefold() for answer in answers})
    print(f"wrote {len(answers)} answers from {people} student(s) to {target} (from {store.path})")
    for (quiz_id, phase), scores in sorted(class_scores(answers).items()):
        mean = sum(right / asked for _, right, asked in scores) / len(scores)
        print(f"  {quiz_id} {phase}: {len(scores)} student(s), {mean:.0%} right on average")
    return 0


def cmd_quiz(args: argparse.Namespace) -> int:
    if args.export is not None:
        return export_answers(args.export)
    registry = load_registry(args)
    pack = _pack(args, registry)
    if args.check:
        phases = ", ".join(f"{len(pack.for_phase(p))} {p}" for p in ("pre", "post"))
        print(f"{pack.id}: {len(pack.questions)} questions ({phases}), every answer checked")
        return 0
    from game.ui.quiz.flow import run_quiz

    phase = "post" if args.post else "pre"
    return run_quiz(registry, phase, args.pack, fullscreen=args.fullscreen)


def add_parsers(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    quiz = sub.add_parser(
        "quiz", help="the pre/post quiz, its CSV export, or checking a quiz pack", parents=parents
    )
    when = quiz.add_mutually_exclusive_group()
    when.add_argument("--pre", action="store_true", help="before the lessons (the default)")
    when.add_argument("--post", action="store_true", help="after the lessons")
    quiz.add_argument(
        "--export", metavar="FILE.csv", help="write every saved answer to FILE.csv and exit"
    )
    quiz.add_argument(
        "--pack", metavar="ID|FILE.toml", help="another quiz pack (default: attention-basics)"
    )
    quiz.add_argument("--check", action="store_true", help="check the pack and exit")
    quiz.add_argument("--fullscreen", action="store_true", help="start in fullscreen")
    quiz.set_defaults(run=cmd_quiz)
