"""The README's command-line reference says what `python -m pmostep` takes, no more and no less.

The reference is written by hand; this reads it (the usage block under "## Command line" and the
sentence naming the options every subcommand takes) and compares it with the parser itself.
"""

from __future__ import annotations

import argparse
import re
from typing import NamedTuple

from pmostep import cli
from tests.conftest import ROOT

OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
NESTED = re.compile(r"([a-z][a-z-]*)(?:\s+|$)")          # placeholders are upper case: SLUG, FILE
# --format table|json, --format docx-plan, --paper A4|Letter: one lower-case value, or values joined by |
# in any case (a single upper-case word is a placeholder: --assessment SLUG)
CHOICE = re.compile(r"(--[a-z][a-z0-9-]*)[ =]([A-Za-z][\w-]*(?:\|[A-Za-z][\w-]*)+|[a-z][a-z0-9-]*)\b")


class Usage(NamedTuple):
    """What one subcommand takes: its options, its positional arguments in order, the values of options
    with a fixed set of them, and those values that need not be written (the defaults)."""

    options: set[str]
    positionals: list[str]
    choices: dict[str, set[str]]
    defaults: set[tuple[str, str]]


def cli_section(readme: str) -> str:
    start = readme.index("\n## Command line\n")
    end = readme.find("\n## ", start + 1)
    return readme[start:end if end > 0 else None]


def readme_usage(readme: str) -> tuple[dict[str, Usage], set[str]]:
    """The subcommands of the README's usage block, and the options it says every subcommand takes."""
    section = cli_section(readme)
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    commands: list[str] = []
    for line in block.splitlines():
        text = line.split("#", 1)[0].rstrip()
        if text.startswith("python -m pmostep "):
            commands.append(text.removeprefix("python -m pmostep "))
        elif text.strip():
            commands[-1] += " " + text.strip()             # a continuation line of the command above
    usages: dict[str, Usage] = {}
    for command in commands:
        name, _, rest = command.partition(" ")
        nested = NESTED.match(rest)               # `workshop new ...`: a subcommand of a group
        if nested:
            name, rest = f"{name} {nested.group(1)}", rest[nested.end():]
        usage = usages.setdefault(name, Usage(set(), [], {}, set()))
        usage.options.update(OPTION.findall(rest))
        leading = re.split(r"\[|--", rest, maxsplit=1)[0].split()
        if leading and not usage.positionals:
            usage.positionals.extend(leading)
        for option, values in CHOICE.findall(rest):
            usage.choices.setdefault(option, set()).update(values.split("|"))
    every = re.search(r"Every subcommand takes (.*?)\.", section, re.S).group(1)
    return usages, set(OPTION.findall(every))


def parser_usage(parser: argparse.ArgumentParser) -> dict[str, Usage]:
    """The subcommands of the parser and what each takes (argparse lists them only in `_actions`)."""
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    usages = {}
    for name, sub in commands.choices.items():
        if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions):     # a group: `workshop`
            usages.update({f"{name} {inner}": usage for inner, usage in parser_usage(sub).items()})
            continue
        usage = Usage(set(), [], {}, set())
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if action.option_strings:
                option = max(action.option_strings, key=len)
                usage.options.add(option)
                if action.choices:
                    usage.choices[option] = {str(c) for c in action.choices}
                    usage.defaults.add((option, str(action.default)))
            else:
                usage.positionals.append(action.metavar or action.dest.upper())
        usages[name] = usage
    return usages


def differences(readme: str, parser: argparse.ArgumentParser) -> list[str]:
    """Where the README and the parser disagree, in words; none when the reference is right."""
    documented, common = readme_usage(readme)
    actual = parser_usage(parser)
    out = [f"`{name}` is not in the README" for name in actual.keys() - documented.keys()]
    out += [f"the README names `{name}`, which the parser lacks"
            for name in documented.keys() - actual.keys()]
    out += [f"every subcommand takes {option}, says the README, but `{name}` does not"
            for name, usage in actual.items() for option in sorted(common - usage.options)]
    for name in sorted(actual.keys() & documented.keys()):
        have, said = actual[name], documented[name]
        out += [f"`{name} {o}` is not in the README" for o in sorted(have.options - said.options - common)]
        out += [f"the README names `{name} {o}`, which the parser lacks"
                for o in sorted(said.options - have.options)]
        if have.positionals != said.positionals:
            out.append(f"`{name}` takes {have.positionals}, the README says {said.positionals}")
        for option, values in said.choices.items():
            allowed = have.choices.get(option, set())
            out += [f"the README names `{name} {option} {v}`, not one of {sorted(allowed)}"
                    for v in sorted(values - allowed)]
        for option, values in have.choices.items():
            out += [f"`{name} {option} {v}` is not in the README"
                    for v in sorted(values - said.choices.get(option, set()))
                    if (option, v) not in have.defaults]
    return out


README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_documents_every_subcommand_and_option_of_the_parser_and_nothing_else():
    assert differences(README, cli.build_parser()) == []


def test_the_comparison_finds_a_missing_an_unknown_and_a_wrong_entry():
    parser = cli.build_parser()
    doctored = (README.replace(" [--seed S]", "")
                .replace("pmostep link --assessment SLUG", "pmostep link --assessment SLUG --qr")
                .replace("[--format table|json|csv]", "[--format table|json|xml]")
                .replace("python -m pmostep undo-import IMPORT_ID", "python -m pmostep undo IMPORT_ID"))
    assert sorted(differences(doctored, parser)) == sorted([
        "`demo --seed` is not in the README",
        "the README names `link --qr`, which the parser lacks",
        "the README names `scores --format xml`, not one of ['csv', 'json', 'table']",
        "`scores --format csv` is not in the README",
        "`undo-import` is not in the README",
        "the README names `undo`, which the parser lacks",
    ])


def test_the_reference_is_read_from_the_readme():
    documented, common = readme_usage(README)
    assert common == {"--db", "--questionnaire"}
    assert documented["import"].positionals == ["FILE"] and "--max-cells" in documented["import"].options
    assert documented["questionnaire"].choices == {"--format": {"json", "guide"}}
    assert documented["workshop results"].options == {"--assessment", "--workshop", "--format"}
    assert documented["report"].choices == {"--format": {"xlsx", "html", "pdf", "pptx", "docx-charter",
                                                         "docx-plan"}, "--paper": {"A4", "Letter"}}
