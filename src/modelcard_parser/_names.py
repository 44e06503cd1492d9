"""Field knowledge in tables: canonical names and the aliases both dialects use.

Tests are parametrised over these same tables.
"""

from __future__ import annotations

import functools
import re
from typing import Final

_NON_WORD: Final = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=8192)  # hot: called for every cell; column titles repeat
def canonical(title: str) -> str:
    """Canonical metric/column name: lowercase, each run of non-letters/digits -> ``_``.

    >>> canonical("Validation Loss"), canonical("Top-3-accuracy"), canonical("Gen Len")
    ('validation_loss', 'top_3_accuracy', 'gen_len')
    """
    return _NON_WORD.sub("_", title.lower()).strip("_")


# Hyperparameter key (canonical form of the key as written) -> Hyperparameters field.
HP_ALIASES: Final[dict[str, str]] = {
    "learning_rate": "learning_rate",
    "lr": "learning_rate",
    "train_batch_size": "train_batch_size",
    "training_batch_size": "train_batch_size",
    "eval_batch_size": "eval_batch_size",
    "evaluation_batch_size": "eval_batch_size",
    "seed": "seed",
    "random_seed": "seed",
    "distributed_type": "distributed_type",
    "num_devices": "num_devices",
    "number_of_devices": "num_devices",
    "gradient_accumulation_steps": "gradient_accumulation_steps",
    "total_train_batch_size": "total_train_batch_size",
    "total_eval_batch_size": "total_eval_batch_size",
    "optimizer": "optimizer",
    "lr_scheduler_type": "lr_scheduler_type",
    "lr_scheduler": "lr_scheduler_type",
    "learning_rate_scheduler": "lr_scheduler_type",
    "scheduler": "lr_scheduler_type",
    "lr_scheduler_warmup_ratio": "lr_scheduler_warmup_ratio",
    "warmup_ratio": "lr_scheduler_warmup_ratio",
    "lr_scheduler_warmup_steps": "lr_scheduler_warmup_steps",
    "warmup_steps": "lr_scheduler_warmup_steps",
    "training_steps": "training_steps",
    "max_steps": "training_steps",
    "num_epochs": "num_epochs",
    "number_of_epochs": "num_epochs",
    "num_train_epochs": "num_epochs",
    "epochs": "num_epochs",
    "mixed_precision_training": "mixed_precision",
    "mixed_precision": "mixed_precision",
    "label_smoothing_factor": "label_smoothing_factor",
    "training_precision": "training_precision",
}

# Results-table / evaluation-bullet names (canonical) -> EpochResult field.
COLUMN_ALIASES: Final[dict[str, str]] = {
    "training_loss": "training_loss",
    "train_loss": "training_loss",
    "validation_loss": "validation_loss",
    "valid_loss": "validation_loss",
    "val_loss": "validation_loss",
    "eval_loss": "validation_loss",
    "epoch": "epoch",
    "epochs": "epoch",
    "step": "step",
    "steps": "step",
}

# Metrics that time the machine rather than measure the model (Trainer logs them beside the
# evaluation metrics); plots, comparisons and consistency checks leave them out.
TIMING_METRICS: Final[frozenset[str]] = frozenset(
    {
        "runtime",
        "samples_per_second",
        "steps_per_second",
        "model_preparation_time",
        "jit_compilation_time",
        "total_flos",
    }
)

# transformers.training_args.OptimizerNames members whose value is not name.lower().
OPTIMIZER_MEMBERS: Final[dict[str, str]] = {
    "ADAMW_BNB": "adamw_bnb_8bit",
    "LION": "lion_32bit",
    "LION_8BIT": "lion_8bit",
    "PAGED_ADAMW": "paged_adamw_32bit",
    "PAGED_ADAMW_8BIT": "paged_adamw_8bit",
    "PAGED_LION": "paged_lion_32bit",
    "PAGED_LION_8BIT": "paged_lion_8bit",
    "PAGED_ADEMAMIX": "paged_ademamix_32bit",
    "PAGED_ADEMAMIX_8BIT": "paged_ademamix_8bit",
    "RMSPROP_8BIT": "rmsprop_bnb_8bit",
    "RMSPROP_32BIT": "rmsprop_bnb_32bit",
    "ADAMW_APEX_FUSED": "adamw_apex_fused",
}

# Framework-version lines: canonical names of the libraries cards list.
FRAMEWORKS: Final[frozenset[str]] = frozenset(
    {
        "transformers",
        "pytorch",
        "torch",
        "tensorflow",
        "datasets",
        "tokenizers",
        "peft",
        "trl",
        "sentence_transformers",
        "setfit",
        "python",
        "accelerate",
        "keras",
        "jax",
        "flax",
        "safetensors",
        "diffusers",
        "bitsandbytes",
        "huggingface_hub",
        "unsloth",
        "evaluate",
        "optimum",
        "scikit_learn",
        "numpy",
        "deepspeed",
        "spacy",
        "timm",
    }
)
