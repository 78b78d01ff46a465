"""One command grammar for every conversation: the commands a reply holds, what it could not read, and why."""

from dataclasses import dataclass

from gateway.command_lines import read_line
from gateway.command_readers import Command, Unread
from gateway.command_signature import reply_lines
from gateway.command_words import COMMANDS, HELP

__all__ = ["Ambiguity", "Command", "Parsed", "Unread", "help_for", "parse_commands", "unreadable_answer"]

# Pairs of commands one reply cannot mean together; when they meet, nothing is applied.
CONTRADICTIONS = ({"approve", "reject"}, {"approve", "duplicate"}, {"duplicate", "new"}, {"reject", "correct"})
REMINDER_COMMANDS = {"pause", "resume", "stop"}


@dataclass(frozen=True)
class Ambiguity:
    """Why a reply is applied not at all: it says two opposite things, or OK with something unread."""

    code: str
    french: str
    english: str


@dataclass(frozen=True)
class Parsed:
    commands: tuple[Command, ...]  # to apply; empty when the reply is ambiguous
    unread: tuple[Unread, ...]
    ambiguity: Ambiguity | None = None
    set_aside: tuple[Command, ...] = ()  # read, but not applied because of the ambiguity

    @property
    def approved(self) -> bool:
        return any(command.name == "approve" for command in self.commands)

    @property
    def names(self) -> set[str]:
        return {command.name for command in self.commands}

    def first(self, name: str) -> Command | None:
        return next((command for command in self.commands if command.name == name), None)


def parse_commands(reply_text: str, allowed: set[str] | None = None) -> Parsed:
    """Read a reply (quotes already cut); `allowed` names the commands this conversation takes."""
    found: list[Command] = []
    unread: list[Unread] = []
    continuing = False
    for line in reply_lines(reply_text or ""):
        result = read_line(line)
        # "NON" then free text on the following lines: that text is the motif.
        if continuing and isinstance(result, Unread) and result.code == "unknown":
            found[-1] = _with_more_reason(found[-1], line)
            continue
        if isinstance(result, Command) and allowed is not None and result.name not in allowed | {"help"}:
            result = Unread(line, "not_here", f"« {line} » ne s'applique pas à ce message.",
                            f"{result.name} is not a command of this conversation: {line!r}")
        if isinstance(result, Command):
            found.append(result)
        elif isinstance(result, Unread):
            unread.append(result)
        continuing = isinstance(result, Command) and result.name == "reject"
    commands = _without_repeats(found)
    ambiguity = _ambiguity(commands, unread)
    if ambiguity:
        return Parsed((), tuple(unread), ambiguity, tuple(commands))
    return Parsed(tuple(commands), tuple(unread))


def _with_more_reason(reject: Command, line: str) -> Command:
    reason = f"{reject.args['reason']} {line}".strip()
    return Command("reject", {"reason": reason}, f"{reject.line}\n{line}")


def _without_repeats(commands: list[Command]) -> list[Command]:
    # "OK" then "Oui" is one approval; two identical corrections are one correction.
    kept: list[Command] = []
    for command in commands:
        if not any(command.name == other.name and command.args == other.args for other in kept):
            kept.append(command)
    return kept


def _ambiguity(commands: list[Command], unread: list[Unread]) -> Ambiguity | None:
    names = {command.name for command in commands}
    for pair in CONTRADICTIONS:
        if pair <= names:
            first, second = (next(c.line for c in commands if c.name == name) for name in sorted(pair))
            return Ambiguity("contradiction", f"Votre réponse dit à la fois « {first} » et « {second} ».",
                             f"contradictory commands: {sorted(pair)}")
    if clash := _clash(commands):
        return clash
    # The worst failure is approving what the person did not approve: OK stands alone or not at all.
    if "approve" in names and unread:
        return Ambiguity("approval_with_unread", f"Votre réponse contient OK, mais aussi « {unread[0].line} » "
                         "que je n'ai pas compris : je ne valide pas.",
                         f"approval beside {len(unread)} unread line(s)")
    if names & {"reject", "duplicate", "new"} and any(u.code in {"doubt", "contradiction"} for u in unread):
        return Ambiguity("doubt", "Votre réponse hésite entre plusieurs décisions : rien n'a été appliqué.",
                         "a decision beside a doubtful line")
    return None


def _clash(commands: list[Command]) -> Ambiguity | None:
    """The same field corrected to two values, or PAUSE and REPRENDRE of the same thing."""
    seen: dict[tuple, Command] = {}
    for command in commands:
        if command.name == "correct":
            key = ("correct", command.args["field"], command.args.get("rate"))
        elif command.name in REMINDER_COMMANDS:
            key = ("reminders", command.args.get("invoice"), command.args.get("client"))
        else:
            continue
        if key in seen:
            return Ambiguity("contradiction", f"Votre réponse dit à la fois « {seen[key].line} » et "
                             f"« {command.line} ».", f"two commands on the same thing: {key}")
        seen[key] = command
    return None


def help_for(allowed: set[str] | None = None, language: str = "fr") -> str:
    """The commands that apply, one per line with what each does: the body of the "could not read" answer."""
    names = [name for name in COMMANDS if allowed is None or name in allowed or name == "help"]
    french = language != "en"
    lines = ["Les commandes possibles, une par ligne :" if french else "The commands you can use, one per line:"]
    for name in names:
        syntax, meaning = HELP[name][0 if french else 1]
        lines.append(f"  {syntax} \u2014 {meaning}")
    return "\n".join(lines)


def unreadable_answer(parsed: Parsed, allowed: set[str] | None = None, language: str = "fr") -> str:
    """The short answer to a reply not (fully) read: what was wrong with it, then the commands that apply."""
    french = language != "en"
    if parsed.ambiguity:
        header = [(parsed.ambiguity.french + " Rien n'a été appliqué.") if french
                  else f"Your reply is ambiguous ({parsed.ambiguity.english}); nothing was applied."]
    elif not parsed.commands:
        header = ["Je n'ai pas su lire votre réponse ; rien n'a été appliqué." if french
                  else "I could not read your reply; nothing was applied."]
    else:
        header = ["Une partie de votre réponse n'a pas été comprise :" if french
                  else "Part of your reply was not understood:"]
    details = [f"- {item.line}\n  {item.french if french else item.english}" for item in parsed.unread]
    return "\n".join([*header, *details, "", help_for(allowed, language)])
