"""The virtual assistant's evaluation: `python -m tests.assistant_eval` prints its accuracy on
tests/data/assistant_eval.json (questions written before any tuning, as people type them), and
tests/test_assistant_eval.py holds it to the thresholds.

Each question is one of three outcomes:
- right: the expected FAQ entry is the confident answer, or, for an out-of-scope question, the
  assistant says it does not know;
- confidently wrong: another entry is given as the answer (to an out-of-scope question too);
- honest "I do not know": no confident answer to a question the FAQ does answer.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from webapp.services import chatbot, content

EVAL_FILE = Path(__file__).parent / "data" / "assistant_eval.json"
OUT_OF_SCOPE = "out_of_scope"


@dataclass
class Evaluation:
    right: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # confidently wrong, with what was answered
    unknown: list[str] = field(default_factory=list)  # honest "I do not know"

    @property
    def total(self) -> int:
        return len(self.right) + len(self.wrong) + len(self.unknown)

    def summary(self) -> str:
        n = self.total
        return (
            f"assistant evaluation: {len(self.right)}/{n} right ({len(self.right) / n:.0%}),"
            f" {len(self.wrong)} confidently wrong ({len(self.wrong) / n:.0%}),"
            f" {len(self.unknown)} honest don't-know ({len(self.unknown) / n:.0%})"
        )


def faq_rows() -> list[SimpleNamespace]:
    """The content file's FAQ as the assistant sees rows (ids in file order)."""
    return [SimpleNamespace(id=i, **r) for i, r in enumerate(content.faq_records(), start=1)]


def questions() -> list[dict[str, str]]:
    return json.loads(EVAL_FILE.read_text("utf-8"))["questions"]


def evaluate(rows=None, cases=None) -> Evaluation:
    rows = rows if rows is not None else faq_rows()
    key_of = {row.id: row.key for row in rows}
    index = chatbot.Index.build(rows)
    result = Evaluation()
    for case in cases if cases is not None else questions():
        reply = index.ask(case["q"])
        answered = key_of[reply.entry_ids[0]] if reply.confident else None
        expected = case["expect"]
        if answered is None:
            bucket = result.right if expected == OUT_OF_SCOPE else result.unknown
            bucket.append(f"{case['q']!r} → (does not know)")
        elif answered == expected:
            result.right.append(f"{case['q']!r} → {answered}")
        else:
            result.wrong.append(f"{case['q']!r} → {answered}, expected {expected}")
    return result


def main() -> int:
    from webapp import create_app

    with create_app({"TESTING": True}).app_context():
        result = evaluate()
    print(result.summary())
    for line in result.wrong:
        print("  confidently wrong:", line)
    for line in result.unknown:
        print("  does not know:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
