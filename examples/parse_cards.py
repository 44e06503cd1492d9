"""Parse every card in a folder and print one line per card: the run at a glance.

python examples/parse_cards.py examples/
"""

from __future__ import annotations

import sys
from pathlib import Path

from modelcard_parser import parse


def main(folder: str) -> None:
    for path in sorted(Path(folder).glob("*.md")):
        card = parse(path)
        hp = card.hyperparameters
        last = card.training_results[-1] if card.training_results else None
        print(
            f"{path.name}: {card.style} {card.model_name!r} from {card.base_model!r}, "
            f"lr={hp.learning_rate}, optimizer={hp.optimizer.name if hp.optimizer else None}, "
            f"epochs={last.epoch if last else None}, val_loss={last.validation_loss if last else None}, "
            f"{len(card.diagnostics)} diagnostic(s)"
        )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent))
